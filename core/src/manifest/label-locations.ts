// Where each kind keeps labels, annotations and label selectors: one table for the string checks and for validation.
import { TEMPLATED_WORKLOAD_KINDS } from './kubernetes-types.js';
import type { KnownKind } from './kubernetes-types.js';
import { isRecord } from './plain-data.js';
import type { FieldPath } from './types.js';

/** A path pattern: `'*'` stands for every item of a list. */
export type PathPattern = readonly string[];

export interface LabelLocations {
  /** Maps whose keys and values are labels: metadata labels, Service selectors. */
  readonly labelMaps: readonly PathPattern[];
  /** Maps whose values must be strings but are free text. */
  readonly annotationMaps: readonly PathPattern[];
  /**
   * Selectors written as label maps whose labels the API server does not check: a ReplicationController's must match
   * its template's labels, which are checked. Their values must be strings all the same.
   */
  readonly selectorMaps: readonly PathPattern[];
  /** Of each label selector: its `matchLabels`, its `matchExpressions` items and their `values`. */
  readonly matchLabels: readonly PathPattern[];
  readonly matchExpressions: readonly PathPattern[];
  readonly matchValues: readonly PathPattern[];
}

const NETWORK_POLICY_SELECTORS: readonly PathPattern[] = [
  ['spec', 'podSelector'],
  ...(['podSelector', 'namespaceSelector'] as const).flatMap((selector) => [
    ['spec', 'ingress', '*', 'from', '*', selector],
    ['spec', 'egress', '*', 'to', '*', selector],
  ]),
];

const ADMIN_POLICY_SELECTORS: readonly PathPattern[] = [
  ['spec', 'subject', 'namespaces'],
  ['spec', 'subject', 'pods', 'namespaceSelector'],
  ['spec', 'subject', 'pods', 'podSelector'],
  ...(['ingress', 'egress'] as const).flatMap((direction) => {
    const peers = ['spec', direction, '*', direction === 'ingress' ? 'from' : 'to', '*'];
    return [[...peers, 'namespaces'], [...peers, 'pods', 'namespaceSelector'], [...peers, 'pods', 'podSelector'], [...peers, 'nodes']];
  }),
];

/**
 * The selectors of the pods a workload manages (ValidateLabelSelector in pkg/apis/apps/validation/validation.go and
 * pkg/apis/batch/validation/validation.go). A CronJob's job template may not have one, and is rejected for it whatever
 * it holds (ValidateJobTemplateSpec): its labels are not checked.
 */
const WORKLOAD_SELECTORS: readonly PathPattern[] = [['spec', 'selector']];
const WORKLOAD_SELECTOR_KINDS: readonly KnownKind[] = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'];

/** The metadata blocks of a kind: its own, and its pod template's. */
function metadataPaths(kind: KnownKind): PathPattern[] {
  if ((TEMPLATED_WORKLOAD_KINDS as readonly KnownKind[]).includes(kind)) {
    return [['metadata'], ['spec', 'template', 'metadata']];
  }
  if (kind === 'CronJob') return [['metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']];
  return [['metadata']];
}

const LOCATIONS = new Map<KnownKind, LabelLocations>();

export function labelLocations(kind: KnownKind): LabelLocations {
  let locations = LOCATIONS.get(kind);
  if (locations === undefined) LOCATIONS.set(kind, (locations = locationsOf(kind)));
  return locations;
}

function locationsOf(kind: KnownKind): LabelLocations {
  const metadata = metadataPaths(kind);
  const selectors =
    kind === 'NetworkPolicy'
      ? NETWORK_POLICY_SELECTORS
      : kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy' || kind === 'ClusterNetworkPolicy'
        ? ADMIN_POLICY_SELECTORS
        : WORKLOAD_SELECTOR_KINDS.includes(kind)
          ? WORKLOAD_SELECTORS
          : [];
  return {
    labelMaps: [
      ...metadata.map((path) => [...path, 'labels']),
      ...(kind === 'Service' ? [['spec', 'selector']] : []),
    ],
    annotationMaps: metadata.map((path) => [...path, 'annotations']),
    selectorMaps: kind === 'ReplicationController' ? [['spec', 'selector']] : [],
    matchLabels: selectors.map((selector) => [...selector, 'matchLabels']),
    matchExpressions: selectors.map((selector) => [...selector, 'matchExpressions', '*']),
    matchValues: selectors.map((selector) => [...selector, 'matchExpressions', '*', 'values']),
  };
}

/** The concrete paths (and values) that `pattern` matches in `value`, in document order. */
export function expandPattern(value: unknown, pattern: PathPattern): { path: FieldPath; value: unknown }[] {
  const matches: { path: FieldPath; value: unknown }[] = [];
  forEachMatch(value, pattern, matches, collectMatch);
  return matches;
}

function collectMatch(matches: { path: FieldPath; value: unknown }[], value: unknown, path: FieldPath): void {
  matches.push({ path: [...path], value });
}

/**
 * Calls `visit` with `context`, each value `pattern` matches in `value` (in document order) and its path. The path is
 * one array the walk changes as it goes: a visit copies it to keep it. Every object is walked with a dozen patterns,
 * most of which match nothing, and the checks on a match seldom need its path: nothing is allocated per match.
 */
export function forEachMatch<C>(
  value: unknown,
  pattern: PathPattern,
  context: C,
  visit: (context: C, value: unknown, path: FieldPath) => void,
): void {
  // One path array serves every walk; a walk begun from a visit (none is) would make its own.
  const path = idlePath ?? [];
  idlePath = undefined;
  walkMatches(value, pattern, 0, path, context, visit);
  idlePath = path;
}

/** forEachMatch with each of `patterns` in turn (an indexed loop: run for every object, before the code is optimized). */
export function forEachMatchOfAll<C>(
  value: unknown,
  patterns: readonly PathPattern[],
  context: C,
  visit: (context: C, value: unknown, path: FieldPath) => void,
): void {
  for (let index = 0; index < patterns.length; index++) forEachMatch(value, patterns[index]!, context, visit);
}

/** The path array of the last walk, empty again, while no walk is under way. */
let idlePath: (string | number)[] | undefined = [];

/** A plain function rather than a closure per call, for the same reason. */
function walkMatches<C>(
  current: unknown,
  pattern: PathPattern,
  depth: number,
  path: (string | number)[],
  context: C,
  visit: (context: C, value: unknown, path: FieldPath) => void,
): void {
  if (depth === pattern.length) {
    visit(context, current, path);
    return;
  }
  const segment = pattern[depth]!;
  if (segment === '*') {
    if (!Array.isArray(current)) return;
    for (let index = 0; index < current.length; index++) {
      path.push(index);
      walkMatches(current[index], pattern, depth + 1, path, context, visit);
      path.pop();
    }
  } else if (isRecord(current) && Object.hasOwn(current, segment)) {
    path.push(segment);
    walkMatches(current[segment], pattern, depth + 1, path, context, visit);
    path.pop();
  }
}
