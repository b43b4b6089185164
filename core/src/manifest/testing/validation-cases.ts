// Test-only: validation cases as tables, a file of documents in, the errors (at ranges found in the text) and rejections out.
import { expect } from 'vitest';
import type { Range } from '../../source/source.js';
import { loadManifests } from '../index.js';
import type { InputIssueCode } from '../types.js';

/** The range of the `occurrence`-th `needle` in `text` (0-based), found with indexOf. */
export function span(text: string, needle: string, occurrence = 0): Range {
  let start = -1;
  for (let index = 0; index <= occurrence; index++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  return { start, end: start + needle.length };
}

/** An expected error: its code, the text it points at (its `occurrence`-th match) and what its message holds. */
export type Expected = readonly [code: InputIssueCode, at: string, occurrence: number, message: string];

/** A case: the documents of one file, the errors they get, and which objects the API server rejects. */
export type Case = readonly [name: string, documents: readonly string[], expected: readonly Expected[], rejected: readonly boolean[]];

/** Loads the documents as one file and checks its issues, in order, and which objects are rejected. */
export function check(documents: readonly string[], expected: readonly Expected[], rejected: readonly boolean[]): void {
  const text = documents.join('---\n');
  const result = loadManifests([{ path: 'm.yaml', text }]);
  const actual = result.issues.map((issue) => ({ code: issue.code, severity: issue.severity, range: issue.location.range, message: issue.message }));
  const wanted = expected.map(([code, at, occurrence, message]) => ({
    code,
    severity: 'error',
    range: span(text, at, occurrence),
    message: expect.stringContaining(message) as unknown,
  }));
  expect(actual).toEqual(wanted);
  expect(result.objects.map((object) => object.rejected)).toEqual(rejected);
}

/** The occurrence (0-based, in the documents joined as check joins them) of the `nth` `needle` in document `index`. */
export function inDocument(documents: readonly string[], index: number, needle: string, nth = 0): number {
  const before = documents.slice(0, index).map((document) => `${document}---\n`).join('');
  const count = (text: string) => text.split(needle).length - 1;
  if (count(documents[index]!) <= nth) throw new Error(`${JSON.stringify(needle)} not found in document ${index}`);
  return count(before) + nth;
}
