// Label, selector and annotation values that YAML does not read as strings: reported, then turned into strings.
import type { KnownKind } from './kubernetes-types.js';
import { forEachMatchOfAll, labelLocations } from './label-locations.js';
import type { ObjectIssues } from './object-issues.js';
import { findNode } from './paths.js';
import { copyData, isRecord, valueAt } from './plain-data.js';
import type { FieldPath } from './types.js';

/**
 * kubectl reads YAML 1.1 (yaml.v2), where these plain scalars are booleans; js-yaml reads YAML 1.2, where they are
 * strings. A label written `enabled: yes` reaches the API server as `true` and is rejected.
 */
const YAML_1_1_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * Checks every label value, annotation value and selector value of `object` and replaces the ones that are not
 * strings by their source text, so decoding can require strings. A number or boolean is an error (the API server
 * rejects the object); a null is read as the empty string, like the API server does. `object` itself is never
 * changed: the replacements go to a copy (copyData), made once all are known and returned; without any, `object` is.
 */
export function normalizeLabelValues(kind: KnownKind, object: unknown, issues: ObjectIssues): unknown {
  const { labelMaps, annotationMaps, selectorMaps, matchLabels, matchValues } = labelLocations(kind);
  const state: Normalizing = { issues, what: 'label value', replacements: undefined };
  forEachMatchOfAll(object, labelMaps, state, checkMap);
  state.what = 'annotation value';
  forEachMatchOfAll(object, annotationMaps, state, checkMap);
  state.what = 'label value';
  forEachMatchOfAll(object, selectorMaps, state, checkMap);
  forEachMatchOfAll(object, matchLabels, state, checkMap);
  state.what = 'selector value';
  forEachMatchOfAll(object, matchValues, state, checkList);
  if (state.replacements === undefined) return object;
  // The copy has the same shape as `object`: each replacement goes to the same path in it.
  const copy = copyData(object);
  for (const [path, replacement] of state.replacements) {
    const container = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
    container[path.at(-1)!] = replacement;
  }
  return copy;
}

/** The walk over one object's values: what they are called in messages, and what replaces the ones found so far. */
interface Normalizing {
  readonly issues: ObjectIssues;
  what: string;
  replacements: [FieldPath, string][] | undefined;
}

function checkMap(state: Normalizing, map: unknown, path: FieldPath): void {
  if (!isRecord(map)) return;
  // for-in, not Object.keys: every object has a label map or two, and this walk allocates nothing for good values.
  for (const key in map) {
    const item = map[key];
    // Most values are strings that are no YAML 1.1 boolean: nothing to report, no path to make.
    if (typeof item === 'string' && !YAML_1_1_BOOLEAN.test(item)) continue;
    checkValue(state, item, [...path, key]);
  }
}

function checkList(state: Normalizing, list: unknown, path: FieldPath): void {
  if (!Array.isArray(list)) return;
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    if (typeof item === 'string' && !YAML_1_1_BOOLEAN.test(item)) continue;
    checkValue(state, item, [...path, index]);
  }
}

function checkValue(state: Normalizing, value: unknown, path: FieldPath): void {
  const replacement = stringForm(value, path, state.what, state.issues);
  if (replacement !== undefined) (state.replacements ??= []).push([path, replacement]);
}

/** Reports a value that is not a string, and returns the string to put in its place (undefined: keep it). */
function stringForm(value: unknown, path: FieldPath, what: string, issues: ObjectIssues): string | undefined {
  // Most values are strings that are no YAML 1.1 boolean: their source text (a tree lookup) is not needed.
  if (typeof value === 'string') {
    const text = YAML_1_1_BOOLEAN.test(value) ? plainText(issues, path) : undefined;
    if (text !== undefined) {
      issues.add(
        'label-not-string',
        'error',
        path,
        `${what} ${text} is a boolean for kubectl (YAML 1.1): quote it ("${text}")`,
      );
    }
    return undefined;
  }
  if (value === null) {
    issues.add(
      'label-not-string',
      'warning',
      path,
      `${what} is null: the API server reads it as the empty string`,
    );
    return '';
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const replacement = plainText(issues, path) ?? String(value);
  issues.add(
    'label-not-string',
    'error',
    path,
    `${what} ${replacement} is a ${typeof value} in YAML, not a string: quote it ("${replacement}")`,
  );
  return replacement;
}

/** The source text of a plain (unquoted, not block, not alias) scalar at `path`. */
function plainText(issues: ObjectIssues, path: FieldPath): string | undefined {
  const { document, text, basePath } = issues.source;
  const node = findNode(document, [...basePath, ...path]);
  if (node?.kind !== 'scalar' || node.range.end === node.range.start) return undefined;
  const first = text[node.range.start]!;
  return `'"|>*`.includes(first) ? undefined : text.slice(node.range.start, node.range.end);
}
