// Label, selector and annotation values that YAML does not read as strings: reported, then turned into strings.
import type { Range } from '../source/source.js';
import type { KnownKind } from './kubernetes-types.js';
import { forEachMatchOfAll, labelLocations } from './label-locations.js';
import { kubectlKey, kubectlReadsAsNonString, readAsKubectl } from './kubectl-yaml.js';
import type { ObjectIssues } from './object-issues.js';
import { findNode, formatFieldPath, pairAt, plainNodeText, plainScalarText } from './paths.js';
import { copyData, isRecord, valueAt } from './plain-data.js';
import type { FieldPath, YamlScalar } from './types.js';

/**
 * Checks every label value, annotation value and selector value of `object` and replaces the ones that are not
 * strings by their source text, so decoding can require strings. kubectl reads YAML 1.1 (kubectl-yaml.ts) where
 * js-yaml reads YAML 1.2: a value either reads as a number or boolean is an error (the API server rejects the
 * object), and so is a string kubectl reads otherwise (`enabled: yes`, `count: 1_000`); a number kubectl reads as a
 * string (a hexadecimal beyond 64 bits) is that string. A null is read as the empty string, like the API server does.
 * Keys of label and annotation maps get the key kubectl sends (kubectlKey): a label written `on:` is `true` in the
 * cluster, which is worth a warning, and a null key is an error (kubectl rejects the object).
 * `object` itself is never changed: the replacements go to a copy (copyData), made once all are known and returned;
 * without any, `object` is.
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
  if (state.replacements === undefined && state.renamedKeys === undefined) return object;
  // The copy has the same shape as `object`: each replacement goes to the same path in it, then keys are renamed.
  const copy = copyData(object);
  for (const [path, replacement] of state.replacements ?? []) {
    const container = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
    container[path.at(-1)!] = replacement;
  }
  // Each map is rebuilt once, in order, so renamed keys keep their places. Keys are defined rather than assigned: a
  // `__proto__` key must stay an ordinary key.
  const rebuilt = new Map<unknown, { container: Record<string | number, unknown>; slot: string | number; keys: Map<string, string | undefined> }>();
  for (const [path, key, renamed] of state.renamedKeys ?? []) {
    const container = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
    const slot = path.at(-1)!;
    let entry = rebuilt.get(container[slot]);
    if (entry === undefined) rebuilt.set(container[slot], (entry = { container, slot, keys: new Map() }));
    entry.keys.set(key, renamed);
  }
  for (const { container, slot, keys } of rebuilt.values()) {
    const map: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(container[slot] as Record<string, unknown>)) {
      const renamed = keys.has(key) ? keys.get(key) : key;
      if (renamed !== undefined) Object.defineProperty(map, renamed, { value, enumerable: true, writable: true, configurable: true });
    }
    container[slot] = map;
  }
  return copy;
}

/** The walk over one object's values: what they are called in messages, and what replaces the ones found so far. */
interface Normalizing {
  readonly issues: ObjectIssues;
  what: string;
  replacements: [FieldPath, string][] | undefined;
  /**
   * Keys kubectl sends otherwise than the loader read them: the map's path, the loader's key, and kubectl's, or
   * undefined for a key another one with the same kubectl key overrides.
   */
  renamedKeys?: [FieldPath, string, string | undefined][];
}

function checkMap(state: Normalizing, map: unknown, path: FieldPath): void {
  if (!isRecord(map)) return;
  let renamed: Map<string, string> | undefined;
  // for-in, not Object.keys: every object has a label map or two, and this walk allocates nothing for good values.
  for (const key in map) {
    if (mayBeKeyedOtherwise(key)) {
      const sent = checkKey(state, path, key);
      if (sent !== undefined && sent !== key) (renamed ??= new Map()).set(key, sent);
    }
    const item = map[key];
    // Most values are strings kubectl reads as strings too: nothing to report, no path to make.
    if (typeof item === 'string' && !kubectlReadsAsNonString(item)) continue;
    checkValue(state, item, [...path, key]);
  }
  // The loader's keys are distinct: kubectl's can only meet where one was renamed.
  if (renamed !== undefined) checkCollisions(state, map, path, renamed);
}

/**
 * The loader's keys a plain scalar may stand behind that kubectl keys otherwise: numbers (which the loader prints as
 * JavaScript does), YAML 1.1 booleans, and what YAML 1.2 reads as booleans, null or special floats. A cheap first
 * test on every key (a label key rarely starts with a digit); the key's text decides.
 */
const KEYED_OTHERWISE = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'],
  ...['true', 'false', 'null', 'Infinity', 'NaN'],
]);

function mayBeKeyedOtherwise(key: string): boolean {
  const code = key.charCodeAt(0);
  return (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e || KEYED_OTHERWISE.has(key);
}

/**
 * Compares the key kubectl sends for the key written at `key` (the loader's) in the map at `path` with the written
 * one: one the cluster gets otherwise is a warning (`on` is `true`, `1.10` is `1.1`), one kubectl cannot send an
 * error; where kubectl's key differs from the loader's, the model takes kubectl's (a number js-yaml misreads, such as
 * `1e400`, is kept as written without a word).
 */
function checkKey(state: Normalizing, path: FieldPath, key: string): string | undefined {
  const { issues } = state;
  const { document, text: source, basePath } = issues.source;
  const node = pairAt(document, [...basePath, ...path], key)?.key;
  const written = plainNodeText(node, source);
  if (written === undefined) return undefined;
  const what = keyWhat(state);
  const keyed = (node as YamlScalar).value === null ? ({ kind: 'rejected', type: 'null' } as const) : kubectlKey(written);
  if (keyed.kind === 'rejected') {
    const type = keyed.type === 'null' ? 'null' : 'an integer beyond int64';
    issues.add(
      'kubectl-reads-key-otherwise',
      'error',
      [...path, key],
      `${what} ${written || '(empty)'} is ${type} for kubectl (YAML 1.1), which it cannot send as a JSON key: kubectl rejects the object; quote it ("${written}")`,
      { key: true },
    );
    return undefined;
  }
  if (keyed.reading.kind !== 'string' && keyed.key !== written) {
    // Named as written: the loader's key (`1000000` for `1e6`) is neither what the file nor what the cluster says.
    issues.report(
      'kubectl-reads-key-otherwise',
      'warning',
      [...path, key],
      `${formatFieldPath([...path, written])}: ${what} ${written} is the ${keyed.reading.kind} ${keyed.key} for kubectl (YAML 1.1): the cluster gets the key "${keyed.key}"`,
      { key: true },
    );
  }
  if (keyed.key !== key) (state.renamedKeys ??= []).push([[...path], key, keyed.key]);
  return keyed.key;
}

function keyWhat(state: Normalizing): string {
  return state.what === 'annotation value' ? 'annotation key' : 'label key';
}

/**
 * Reports each key of `map` that kubectl sends as the same key as an earlier one (`on:` and `"true":`, `1.10:` and
 * `1.1:`), at the later one in the file. go-yaml keeps the last of two equal keys, but Go maps its typed keys
 * (the boolean true, the string "true") in no defined order before they become JSON: which one the cluster gets is
 * not the file's to say. kubectl applies the object all the same, so it is a warning.
 */
function checkCollisions(state: Normalizing, map: Record<string, unknown>, path: FieldPath, renamed: Map<string, string>): void {
  const { document, text: source, basePath } = state.issues.source;
  const written = (key: string) => {
    const node = pairAt(document, [...basePath, ...path], key)?.key;
    return node === undefined ? { text: key, start: -1 } : { text: source.slice(node.range.start, node.range.end), start: node.range.start };
  };
  const bySent = new Map<string, string[]>();
  for (const key of Object.keys(map)) {
    const sent = renamed.get(key) ?? key;
    const keys = bySent.get(sent);
    if (keys === undefined) bySent.set(sent, [key]);
    else keys.push(key);
  }
  const what = keyWhat(state);
  for (const [sent, keys] of bySent) {
    if (keys.length < 2) continue;
    const [first, ...later] = keys.map((key) => ({ key, ...written(key) })).sort((a, b) => a.start - b.start);
    // The model keeps the last, as go-yaml does with two keys it reads alike (`010:` and `8:`).
    for (const { key } of [first!, ...later.slice(0, -1)]) state.renamedKeys!.push([[...path], key, undefined]);
    for (const { key, text } of later) {
      state.issues.report(
        'kubectl-duplicate-key',
        'warning',
        [...path, key],
        `${formatFieldPath([...path, text])}: kubectl sends the ${what}s ${first!.text} and ${text} both as "${sent}" (YAML 1.1): the cluster gets only one of them; quote or rename one`,
        { key: true },
      );
    }
  }
}

function checkList(state: Normalizing, list: unknown, path: FieldPath): void {
  if (!Array.isArray(list)) return;
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    if (typeof item === 'string' && !kubectlReadsAsNonString(item)) continue;
    checkValue(state, item, [...path, index]);
  }
}

function checkValue(state: Normalizing, value: unknown, path: FieldPath): void {
  const replacement = stringForm(value, path, state.what, state.issues);
  if (replacement !== undefined) (state.replacements ??= []).push([path, replacement]);
}

/** Reports a value that is not a string, and returns the string to put in its place (undefined: keep it). */
function stringForm(value: unknown, path: FieldPath, what: string, issues: ObjectIssues): string | undefined {
  if (typeof value === 'string') {
    // A string js-yaml read from a quoted or tagged scalar is a string for kubectl too.
    const text = plainText(issues, path);
    const reading = text === undefined ? undefined : readAsKubectl(text);
    if (reading?.kind === 'boolean' || reading?.kind === 'number') {
      issues.add(
        'label-not-string',
        'error',
        path,
        `${what} ${text} is a ${reading.kind} for kubectl (YAML 1.1): quote it ("${text}")`,
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
  const text = plainText(issues, path);
  // js-yaml reads a hexadecimal beyond 64 bits as a number; kubectl keeps its text, a valid string.
  if (text !== undefined && readAsKubectl(text).kind === 'string') return text;
  const replacement = text ?? String(value);
  const detail = `${what} ${replacement} is a ${typeof value} in YAML, not a string: quote it ("${replacement}")`;
  const tagged = taggedRange(issues, path);
  if (tagged === undefined) issues.add('label-not-string', 'error', path, detail);
  else issues.addAt('label-not-string', 'error', path, detail, tagged);
  return replacement;
}

function plainText(issues: ObjectIssues, path: FieldPath): string | undefined {
  const { document, text, basePath } = issues.source;
  return plainScalarText(document, text, [...basePath, ...path]);
}

/** The range of a tagged scalar with its tag (`!!float 1`): quoting the scalar alone would not make it a string. */
function taggedRange(issues: ObjectIssues, path: FieldPath): Range | undefined {
  const { document, basePath } = issues.source;
  const node = findNode(document, [...basePath, ...path]);
  return node?.kind === 'scalar' && node.tag !== undefined ? { start: node.tag.start, end: node.range.end } : undefined;
}
