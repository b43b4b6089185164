// Label, selector and annotation values that YAML does not read as strings: reported, then turned into strings.
import type { KnownKind } from './kubernetes-types.js';
import { expandPattern, labelLocations, type PathPattern } from './label-locations.js';
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
 * changed: the replacements go to a copy (copyData), made at the first one and returned; without any, `object` is.
 */
export function normalizeLabelValues(kind: KnownKind, object: unknown, issues: ObjectIssues): unknown {
  const { labelMaps, annotationMaps, matchLabels, matchValues } = labelLocations(kind);
  let copy: unknown;
  /** Puts `replacement` at `path` in the copy, which has the same shape as `object`. */
  const replace = (path: FieldPath, replacement: string): void => {
    copy ??= copyData(object);
    const container = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
    container[path.at(-1)!] = replacement;
  };
  const checkMaps = (patterns: readonly PathPattern[], what: string): void => {
    for (const pattern of patterns) {
      for (const { path, value } of expandPattern(object, pattern)) {
        if (!isRecord(value)) continue;
        for (const key of Object.keys(value)) {
          const item = value[key];
          // Most values are strings that are no YAML 1.1 boolean: nothing to report, no path to make.
          if (typeof item === 'string' && !YAML_1_1_BOOLEAN.test(item)) continue;
          const itemPath = [...path, key];
          const replacement = stringForm(item, itemPath, what, issues);
          if (replacement !== undefined) replace(itemPath, replacement);
        }
      }
    }
  };
  checkMaps(labelMaps, 'label value');
  checkMaps(annotationMaps, 'annotation value');
  checkMaps(matchLabels, 'label value');
  for (const pattern of matchValues) {
    for (const { path, value } of expandPattern(object, pattern)) {
      if (!Array.isArray(value)) continue;
      value.forEach((item: unknown, index) => {
        const itemPath = [...path, index];
        const replacement = stringForm(item, itemPath, 'selector value', issues);
        if (replacement !== undefined) replace(itemPath, replacement);
      });
    }
  }
  return copy ?? object;
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
