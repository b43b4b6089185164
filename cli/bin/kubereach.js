#!/usr/bin/env node
// Entry point installed as `kubereach`: loads the bundled CLI (through its code cache, see src/boot.ts) and runs it.
import { createRequire } from 'node:module';

const argv = process.argv.slice(2);
const { loadCli } = createRequire(import.meta.url)('../dist/boot.cjs');
process.exitCode = await loadCli(argv).cli.main(argv);
