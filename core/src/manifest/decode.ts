// Decodes a plain value with a zod schema; every zod issue becomes an input issue at the offending field.
import type { z } from 'zod';
import { decodeFast, FALLBACK } from './fast-decode.js';
import { numberOf, readAsKubectl } from './kubectl-yaml.js';
import type { ObjectIssues } from './object-issues.js';
import { plainScalarText } from './paths.js';
import { copyData, describeValue, valueAt } from './plain-data.js';
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
  let result = schema.safeParse(value);
  if (result.success) return result.data;
  const asKubectl = readAsKubectlWhereExpected(value, result.error.issues, issues);
  if (asKubectl !== undefined) {
    value = asKubectl;
    result = schema.safeParse(value);
    if (result.success) return result.data;
  }
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

/**
 * kubectl reads YAML 1.1 (kubectl-yaml.ts): a plain `hostNetwork: yes` reaches the API server as true and
 * `containerPort: 8_080` as 8080, where js-yaml reads the strings "yes" and "8_080". A copy of `value` with each such
 * string, where a boolean or a number is expected, made what kubectl reads; undefined when there is none. A quoted
 * "yes" stays a string, as kubectl sends it.
 */
function readAsKubectlWhereExpected(value: unknown, zodIssues: readonly z.core.$ZodIssue[], issues: ObjectIssues): unknown {
  const { document, text, basePath } = issues.source;
  let copy: unknown;
  for (const issue of zodIssues) {
    if (issue.code !== 'invalid_type' || (issue.expected !== 'boolean' && issue.expected !== 'number')) continue;
    const path: FieldPath = issue.path.filter((segment) => typeof segment !== 'symbol');
    if (path.length === 0 || typeof valueAt(value, path) !== 'string') continue;
    const plain = plainScalarText(document, text, [...basePath, ...path]);
    const reading = plain === undefined ? undefined : readAsKubectl(plain);
    const read =
      reading?.kind === 'boolean' && issue.expected === 'boolean'
        ? reading.value
        : reading?.kind === 'number' && issue.expected === 'number'
          ? numberOf(reading.value)
          : undefined;
    if (read === undefined) continue;
    copy ??= copyData(value);
    (valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>)[path.at(-1)!] = read;
  }
  return copy;
}

/** A value outside an enum is a value the API server rejects; a selector operator is part of the label syntax. */
function enumIssueCode(path: FieldPath): InputIssueCode {
  return path.at(-1) === 'operator' ? 'invalid-label' : 'invalid-value';
}
