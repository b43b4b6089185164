// Values outside label maps that kubectl reads otherwise than the loader: it reads YAML 1.1 (kubectl-yaml.ts), the
// loader YAML 1.2. Label, annotation and selector values are label-values.ts's; fields typed boolean or number, where
// only kubectl's reading decodes, are decode.ts's.
import type { z } from 'zod';
import { numberOf, readAsKubectl, type KubectlReading } from './kubectl-yaml.js';
import { decode } from './decode.js';
import type { KnownKind } from './kubernetes-types.js';
import { labelLocations, type PathPattern } from './label-locations.js';
import { ObjectIssues } from './object-issues.js';
import { findNode } from './paths.js';
import { copyData, describeValue, valueAt } from './plain-data.js';
import type { FieldPath, YamlNode } from './types.js';
import { kubectlMayReadOtherwise } from './yaml-documents.js';

/** A plain scalar whose value for kubectl differs from the loader's. */
interface Candidate {
  readonly path: FieldPath;
  readonly text: string;
  readonly loaded: unknown;
  readonly reading: Extract<KubectlReading, { kind: 'boolean' | 'number' }>;
}

/**
 * `decoded` (the object decoded from `working`) as the API server receives it from kubectl. Each plain scalar the two
 * readers read differently, at a field the schema keeps, is tried with kubectl's value:
 * - a field that takes it (a number or named port written `8_080`, a port written `0443`, which kubectl reads as the
 *   octal 291) gets it, with a warning: the cluster gets what the manifest seems not to say;
 * - a field that does not (a name written `no`, which kubectl sends as false) keeps the loader's value, with an
 *   error: kubectl's request is rejected.
 * Fields the schema does not keep are not judged: their type is unknown here (`privileged: yes` is a boolean field).
 */
export function readOtherValuesAsKubectl<T>(
  kind: KnownKind,
  schema: z.ZodType<T>,
  working: unknown,
  decoded: T,
  issues: ObjectIssues,
): T {
  const { document, text, basePath } = issues.source;
  // The block reader tells which documents hold such a scalar at all: most hold none, and their tree is not read.
  if (!kubectlMayReadOtherwise(document)) return decoded;
  const root = findNode(document, basePath);
  if (root === undefined) return decoded;
  const candidates: Candidate[] = [];
  collect(root, [], text, candidates);
  if (candidates.length === 0) return decoded;
  const skipped = labelPatterns(kind);
  let input = working;
  let result = decoded;
  for (const candidate of candidates) {
    const { path, text: written, loaded, reading } = candidate;
    if (skipped.some((pattern) => entryOf(pattern, path)) || valueAt(result, path) !== loaded) continue;
    const value = reading.kind === 'boolean' ? reading.value : numberOf(reading.value);
    const trial = copyData(input);
    (valueAt(trial, path.slice(0, -1)) as Record<string | number, unknown>)[path.at(-1)!] = value;
    const decodedTrial = decode(schema, trial, new ObjectIssues(issues.source));
    const kubectlValue = `the ${reading.kind} ${reading.value}`;
    if (decodedTrial === undefined || valueAt(decodedTrial, path) !== value) {
      issues.add(
        'kubectl-reads-otherwise',
        'error',
        path,
        `${written} is ${kubectlValue} for kubectl (YAML 1.1), which this field does not take: quote it ("${written}")`,
      );
      continue;
    }
    issues.add(
      'kubectl-reads-otherwise',
      'warning',
      path,
      `${written} is ${kubectlValue} for kubectl (YAML 1.1), not ${describeValue(loaded)}: the cluster gets ${reading.value}`,
    );
    input = trial;
    result = decodedTrial;
  }
  return result;
}

/** The plain scalars under `node` whose kubectl reading is a boolean or a number other than the loader's value. */
function collect(node: YamlNode, path: (string | number)[], text: string, into: Candidate[]): void {
  switch (node.kind) {
    case 'mapping':
      for (const { key, value } of node.pairs) {
        if (value === undefined || key.kind !== 'scalar') continue;
        path.push(String(key.value));
        collect(value, path, text, into);
        path.pop();
      }
      return;
    case 'sequence':
      for (let index = 0; index < node.items.length; index++) {
        path.push(index);
        collect(node.items[index]!, path, text, into);
        path.pop();
      }
      return;
    case 'scalar': {
      const { value, range, tag } = node;
      if (tag !== undefined || range.end === range.start || (typeof value !== 'string' && typeof value !== 'number')) return;
      const written = text.slice(range.start, range.end);
      if (`'"|>*&!`.includes(written[0]!) || written.includes('\n')) return;
      const reading = readAsKubectl(written);
      if (reading.kind !== 'boolean' && reading.kind !== 'number') return;
      // A number both read alike (`8080`, `0x1F`) is no candidate; a string kubectl reads as a number or boolean is.
      if (typeof value === 'number' && (reading.kind !== 'number' || sameNumber(numberOf(reading.value), value))) return;
      into.push({ path: [...path], text: written, loaded: value, reading });
    }
  }
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** The label, annotation and selector maps and lists of a kind, whose entries label-values.ts checks. */
function labelPatterns(kind: KnownKind): readonly PathPattern[] {
  const { labelMaps, annotationMaps, selectorMaps, matchLabels, matchValues } = labelLocations(kind);
  return [...labelMaps, ...annotationMaps, ...selectorMaps, ...matchLabels, ...matchValues];
}

/** Whether `path` is an entry (a key or an index) of a map or list `pattern` matches (`*` matching any index). */
function entryOf(pattern: PathPattern, path: FieldPath): boolean {
  if (path.length !== pattern.length + 1) return false;
  return pattern.every((segment, index) => (segment === '*' ? typeof path[index] === 'number' : segment === path[index]));
}
