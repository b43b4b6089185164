// How the command line tunes V8 for one run of a command over manifests.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags for one-shot commands (lint, matrix, explain, ...). A lint of the bench's 5 MB tree has TurboFan optimize
 * some 400 functions, most of that compile work being inlining, on background threads: on a two-core machine it
 * competes with the main thread, while inlining buys the main thread nothing measurable in a run of seconds (see the
 * README's design notes for the figures). Not for the language server, which runs long enough for inlining to pay.
 */
export const ONE_SHOT_V8_FLAGS: readonly string[] = ['--no-turbo-inlining'];

/**
 * The Node.js major versions the flags were measured on. V8's flags change between versions, and an unknown one is
 * reported on stderr at every run: other versions run with V8's defaults.
 */
export const TUNED_NODE_MAJORS: readonly number[] = [20];

/** Applies ONE_SHOT_V8_FLAGS unless the command is the language server; before any analysis code is optimized. */
export function tuneRuntime(
  argv: readonly string[],
  setFlags: (flag: string) => void = setFlagsFromString,
  nodeVersion: string = process.versions.node,
): void {
  if (argv[0] === 'lsp' || !TUNED_NODE_MAJORS.includes(Number(nodeVersion.split('.')[0]))) return;
  for (const flag of ONE_SHOT_V8_FLAGS) setFlags(flag);
}
