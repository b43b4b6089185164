#!/usr/bin/env node
// Entry point installed as `kubereach-lsp --stdio`.
import { startStdioServer } from '../dist/server.js';

startStdioServer();
