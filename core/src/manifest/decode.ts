// Decodes a plain value with a zod schema; every zod issue becomes an input issue at the offending field.
import type { z } from 'zod';
import { decodeFast, FALLBACK } from './fast-decode.js';
import type { ObjectIssues } from './object-issues.js';
import { describeValue, valueAt } from './plain-data.js';
import type { FieldPath, InputIssueCode } from './types.js';

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** The decoded value, or undefined when decoding failed (the issues say why). */
export function decode<T>(schema: z.ZodType<T>, value: unknown, issues: ObjectIssues): T | undefined {
  const fast = decodeFast(schema, value);
  if (fast !== FALLBACK) return fast as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path: FieldPath = issue.path.filter((segment) => typeof segment !== 'symbol');
    const actual = valueAt(value, path);
    if (actual === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
      issues.add('missing-field', 'error', path, 'required field is missing');
    } else if (issue.code === 'invalid_type') {
      issues.add(
        'schema',
        'error',
        path,
        `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(actual)}`,
      );
    } else if (issue.code === 'invalid_union') {
      // Unions carry their own "expected ..." message (see schemas.ts).
      issues.add('schema', 'error', path, `${issue.message}, got ${describeValue(actual)}`);
    } else if (issue.code === 'invalid_value') {
      const expected = issue.values.map((option) => JSON.stringify(option)).join(', ');
      issues.add(
        enumIssueCode(path),
        'error',
        path,
        `expected one of ${expected}, got ${describeValue(actual)}`,
      );
    } else {
      issues.add('schema', 'error', path, issue.message);
    }
  }
  return undefined;
}

/** A value outside an enum is a value the API server rejects; a selector operator is part of the label syntax. */
function enumIssueCode(path: FieldPath): InputIssueCode {
  return path.at(-1) === 'operator' ? 'invalid-label' : 'invalid-value';
}
