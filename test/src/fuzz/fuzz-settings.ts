// How long the fuzz suite runs: a bounded number of cases in `npm test` (CI), many more with `npm run fuzz`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InputIssue, SourceLocation } from '@kubereach/core';

const LONG = process.env.KUBEREACH_FUZZ === 'long';

/** Cases per property. */
export const RUNS = LONG ? 20_000 : 150;
/** Time limit of one case: no input may make the loader hang. */
export const CASE_TIME_LIMIT_MS = 2_000;
/** Time limit of one property, for vitest. */
export const PROPERTY_TIMEOUT_MS = LONG ? 3_600_000 : 60_000;

const corpusFolder = fileURLToPath(new URL('../../fuzz-corpus/', import.meta.url));

/** The corpus of real-world broken (and a few valid) manifests, by file name, read as UTF-8 with its BOM kept. */
export const CORPUS: ReadonlyMap<string, string> = new Map(
  readdirSync(corpusFolder)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => [name, new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(`${corpusFolder}${name}`))]),
);

/** A problem in the loader's contract, or undefined: the location names an input and lies inside its text. */
export function locationProblem(location: SourceLocation, texts: ReadonlyMap<string, string>): string | undefined {
  const text = texts.get(location.file);
  if (text === undefined) return `unknown file ${location.file}`;
  const { start, end } = location.range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    return `range ${start}-${end} outside ${location.file} (length ${text.length})`;
  }
  return undefined;
}

export function issueProblems(issues: readonly InputIssue[], texts: ReadonlyMap<string, string>): string[] {
  return issues.flatMap((issue) => {
    const problem = locationProblem(issue.location, texts);
    return problem === undefined ? [] : [`${issue.code}: ${problem}`];
  });
}
