#!/usr/bin/env node
// Entry point installed as `kubereach-lsp --stdio`.
import { startServer } from '../dist/server.js';

startServer();
