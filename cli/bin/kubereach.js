#!/usr/bin/env node
// Entry point installed as `kubereach`: loads the bundled CLI.
import { main } from '../dist/kubereach.js';

process.exitCode = await main(process.argv.slice(2));
