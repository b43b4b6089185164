// Unit tests for the network: a YAML file of allow/deny and isolation assertions, validated with ranges and checked against a result.
import { z } from 'zod';
import type { ConnectivityResult, PairExplanation, SideVerdict } from '../engine/connectivity.js';
import { CalicoConnectivityResult } from '../calico/evaluate.js';
import type { Endpoint } from '../engine/endpoints.js';
import { decode } from '../manifest/decode.js';
import { ObjectIssues } from '../manifest/object-issues.js';
import { rangeAt } from '../manifest/paths.js';
import type { FieldPath, InputIssue, YamlDocument } from '../manifest/types.js';
import { parseYamlDocuments } from '../manifest/yaml-documents.js';
import { ConnectionSet, PORT_PROTOCOLS, type PortProtocol } from '../semantics/connection-set.js';
import { parseIp } from '../semantics/ip.js';
import { compileSelector, selectorMatches } from '../semantics/label-selector.js';
import type { CompiledPolicy, Direction } from '../semantics/policy-ir.js';
import type { SourceLocation, SourceText } from '../source/source.js';

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/**
 * Who: `namespace/name[Kind]`, `namespace/name`, `name` or an IP address; or a mapping with
 * `workload`, `ip`, or `namespace` and/or `selector` (a Kubernetes label selector).
 */
const endpointSet = z.union(
  [
    z.string(),
    z.strictObject({ workload: z.string() }),
    z.strictObject({ ip: z.string() }),
    z.strictObject({ namespace: z.string().optional(), selector: labelSelector.optional() }),
  ],
  { error: 'expected a workload (namespace/name), an IP address, or a mapping with workload, ip, namespace or selector' },
);

const port = z.number().int().min(1).max(65535);

const reachabilitySchema = z.strictObject({
  name: z.string().optional(),
  from: endpointSet,
  to: endpointSet,
  ports: z.array(port).min(1).optional(),
  protocol: z.enum(PORT_PROTOCOLS).optional(),
  expect: z.enum(['allow', 'deny']),
});

const isolationSchema = z.strictObject({
  name: z.string().optional(),
  isolated: z.enum(['ingress', 'egress']),
  workload: z.string().optional(),
  namespace: z.string().optional(),
});

export type EndpointSetInput = z.infer<typeof endpointSet>;

export type Expectation =
  | (z.infer<typeof reachabilitySchema> & { readonly kind: 'reachability'; readonly name: string; readonly location: SourceLocation; readonly fields: FieldLocations })
  | (z.infer<typeof isolationSchema> & { readonly kind: 'isolation'; readonly name: string; readonly location: SourceLocation; readonly fields: FieldLocations });

/** Where `from`, `to`, `workload` and `namespace` are, to report the ones that match nothing. */
type FieldLocations = Readonly<Record<string, SourceLocation>>;

export interface ExpectationsFile {
  readonly expectations: readonly Expectation[];
}

/**
 * Parses an expectations file: every document of it (a file split with `---` is read whole, as the manifests are), each
 * expectation decoded on its own so one mistake leaves the others checked. A document whose list is empty, or a file
 * with no document, is a mistake: as with a test runner that finds no tests, a file that checks nothing should not pass.
 */
export function parseExpectations(source: SourceText): { file: ExpectationsFile; issues: InputIssue[] } {
  const { documents, issues } = parseYamlDocuments(source);
  const expectations: Expectation[] = [];
  const read = documents.filter((d) => d.root !== undefined);
  if (read.length === 0) {
    issues.push({ code: 'missing-field', severity: 'error', message: 'the file holds no expectations', location: { file: source.path, range: { start: 0, end: 0 } } });
    return { file: { expectations }, issues };
  }
  for (const document of read) {
    const objectIssues = new ObjectIssues({ document, text: source.text, basePath: [] });
    expectations.push(...documentExpectations(document, objectIssues));
    issues.push(...objectIssues.issues);
  }
  return { file: { expectations }, issues };
}

/** The expectations of one document (`expectations: [...]`); its mistakes go to `objectIssues`. */
function documentExpectations(document: YamlDocument, objectIssues: ObjectIssues): Expectation[] {
  const top = decode(z.strictObject({ expectations: z.array(z.unknown()) }), document.value, objectIssues);
  if (top === undefined) return [];
  if (top.expectations.length === 0) {
    objectIssues.add('invalid-value', 'error', ['expectations'], 'lists no expectations: a test file that checks nothing is most likely a mistake');
    return [];
  }
  const expectations: Expectation[] = [];
  for (const [index, raw] of top.expectations.entries()) {
    const path = ['expectations', index];
    const isIsolation = typeof raw === 'object' && raw !== null && 'isolated' in raw;
    const location = { file: document.file, range: rangeAt(document, path) };
    const fields = fieldLocations(document, path, ['from', 'to', 'workload', 'namespace']);
    if (isIsolation) {
      const decoded = decode(isolationSchema, raw, objectIssues.at(path));
      if (decoded === undefined) continue;
      if ((decoded.workload === undefined) === (decoded.namespace === undefined)) {
        objectIssues.at(path).add('schema', 'error', [], 'an isolation expectation names either a workload or a namespace');
        continue;
      }
      const subject = decoded.workload ?? `namespace ${decoded.namespace}`;
      expectations.push({ ...decoded, kind: 'isolation', name: decoded.name ?? `${subject} is isolated for ${decoded.isolated}`, location, fields });
    } else {
      const decoded = decode(reachabilitySchema, raw, objectIssues.at(path));
      if (decoded === undefined) continue;
      const name = decoded.name ?? `${describeSet(decoded.from)} => ${describeSet(decoded.to)}${describePorts(decoded)}: ${decoded.expect}`;
      expectations.push({ ...decoded, kind: 'reachability', name, location, fields });
    }
  }
  return expectations;
}

function fieldLocations(document: YamlDocument, path: FieldPath, keys: readonly string[]): FieldLocations {
  const item: unknown = (document.value as { expectations?: unknown[] } | undefined)?.expectations?.[path[1] as number];
  const present = keys.filter((key) => typeof item === 'object' && item !== null && key in item);
  return Object.fromEntries(present.map((key) => [key, { file: document.file, range: rangeAt(document, [...path, key]) }]));
}

/** ` on TCP 80,443` (listed ports), ` on UDP` (every port of a protocol) or nothing (every connection), for a default name. */
function describePorts({ ports, protocol }: { ports?: readonly number[]; protocol?: PortProtocol }): string {
  if (ports === undefined) return protocol === undefined ? '' : ` on ${protocol}`;
  return ` on ${protocol ?? 'TCP'} ${ports.join(',')}`;
}

export function describeSet(set: EndpointSetInput): string {
  if (typeof set === 'string') return set;
  if ('workload' in set) return set.workload;
  if ('ip' in set) return set.ip;
  const labels = set.selector === undefined ? '' : JSON.stringify(set.selector);
  return [set.namespace === undefined ? 'all namespaces' : `namespace ${set.namespace}`, labels].filter((s) => s !== '').join(' ');
}

/** A workload by `namespace/name[Kind]`, `namespace/name` or `name` (unique), or the external range holding an address. */
function resolveReference(result: ConnectivityResult, reference: string): { endpoints: Endpoint[] } | { error: string } {
  const address = parseIp(reference);
  if (address !== undefined) {
    const external = result.externalAt(address.family, address.value);
    return external === undefined ? { error: `no external range holds ${reference}` } : { endpoints: [external] };
  }
  const match = /^(?:(?<namespace>[^/[\]]+)\/)?(?<name>[^/[\]]+)(?:\[(?<kind>[A-Za-z]+)\])?$/.exec(reference);
  if (match?.groups === undefined) return { error: `cannot read "${reference}": use namespace/name[Kind], namespace/name, name or an IP address` };
  const { namespace, name, kind } = match.groups as { namespace?: string; name: string; kind?: string };
  const found = result.workloads.filter(
    ({ workload }) =>
      workload.name === name &&
      (namespace === undefined || workload.namespace === namespace) &&
      (kind === undefined || workload.kind.toLowerCase() === kind.toLowerCase()),
  );
  if (found.length === 0) return { error: `no workload matches "${reference}"` };
  if (found.length > 1) return { error: `"${reference}" is ambiguous: ${found.map((e) => e.id).join(', ')}` };
  return { endpoints: found };
}

function resolveSet(result: ConnectivityResult, set: EndpointSetInput): { endpoints: Endpoint[] } | { error: string } {
  if (typeof set === 'string') return resolveReference(result, set);
  if ('workload' in set) return resolveReference(result, set.workload);
  if ('ip' in set) {
    return parseIp(set.ip) === undefined ? { error: `"${set.ip}" is not an IP address` } : resolveReference(result, set.ip);
  }
  const selector = compileSelector(set.selector ?? {});
  const endpoints = result.workloads.filter(
    ({ workload }) => (set.namespace === undefined || workload.namespace === set.namespace) && selectorMatches(selector, workload.labels),
  );
  return endpoints.length === 0 ? { error: `${describeSet(set)} matches no workload` } : { endpoints };
}

/** One pair that broke a reachability expectation, with the verdict of each side. */
export interface PairFailure {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  /** What the pair may open, all ports. */
  readonly allowed: ConnectionSet;
  readonly explanation: PairExplanation;
  /** The policies that decided: for a denied pair, those isolating the denying side(s); for an allowed one, those whose rules allow it. */
  readonly deciding: readonly { readonly policy: CompiledPolicy; readonly direction: Direction; readonly location: SourceLocation }[];
  readonly reason: string;
}

export interface ExpectationOutcome {
  readonly expectation: Expectation;
  readonly passed: boolean;
  /** Pairs (reachability) that broke it; empty for isolation expectations. */
  readonly failures: readonly PairFailure[];
  /** Why an isolation expectation failed, or why a reachability one could not be checked. */
  readonly message: string | undefined;
  /** Pairs checked, workloads checked for isolation. */
  readonly checked: number;
}

/**
 * What a reachability expectation asks about. Listed `ports` (TCP unless `protocol` says otherwise) are each wanted:
 * allow needs every one of them, deny none. Without `ports` the expectation is about every port of `protocol`, or
 * every connection when no protocol is given: allow needs at least one of them, deny none.
 */
interface Wanted {
  readonly connections: ConnectionSet;
  readonly allowNeeds: 'every' | 'some';
  /** The connections as a failure names them. */
  readonly text: string;
}

function wantedConnections(expectation: Extract<Expectation, { kind: 'reachability' }>): Wanted {
  if (expectation.ports === undefined) {
    const { protocol } = expectation;
    return protocol === undefined
      ? { connections: ConnectionSet.ALL, allowNeeds: 'some', text: 'any connection' }
      : { connections: ConnectionSet.allPorts(protocol), allowNeeds: 'some', text: `any ${protocol} connection` };
  }
  const protocol: PortProtocol = expectation.protocol ?? 'TCP';
  const connections = expectation.ports.reduce((set, p) => set.union(ConnectionSet.ports(protocol, p)), ConnectionSet.NONE);
  return { connections, allowNeeds: 'every', text: connections.toString() };
}

/** Whether `allowed` (a pair's, or one side's) satisfies an allow expectation. */
function allowsWanted(wanted: Wanted, allowed: ConnectionSet): boolean {
  return wanted.allowNeeds === 'every' ? wanted.connections.isSubsetOf(allowed) : overlapsWanted(wanted, allowed);
}

/** Whether `allowed` breaks a deny expectation. */
function overlapsWanted(wanted: Wanted, allowed: ConnectionSet): boolean {
  return !allowed.intersect(wanted.connections).isEmpty;
}

/**
 * The sides that break an allow expectation: each that allows too little on its own, or both when each allows
 * some of what is wanted but not the same (only a whole protocol or every connection can be split so).
 */
function sidesDenying(explanation: PairExplanation, wanted: Wanted): { sides: SideVerdict[]; jointly: boolean } {
  const sides = [explanation.egress, explanation.ingress];
  const alone = sides.filter((side) => !allowsWanted(wanted, side.connections));
  return alone.length > 0 ? { sides: alone, jointly: false } : { sides, jointly: true };
}

function deciding(explanation: PairExplanation, expect: 'allow' | 'deny', wanted: Wanted): PairFailure['deciding'] {
  const found: PairFailure['deciding'][number][] = [];
  if (expect === 'allow') {
    for (const side of sidesDenying(explanation, wanted).sides) {
      for (const policy of side.isolatedBy) found.push({ policy, direction: side.direction, location: policy[side.direction]!.location });
    }
    return found;
  }
  for (const side of [explanation.egress, explanation.ingress]) {
    for (const contribution of side.allowedBy) {
      if (overlapsWanted(wanted, contribution.connections)) found.push({ policy: contribution.policy, direction: side.direction, location: contribution.rule.location });
    }
  }
  return found;
}

function failureReason(explanation: PairExplanation, expect: 'allow' | 'deny', wanted: Wanted): string {
  if (expect === 'allow') {
    const { sides, jointly } = sidesDenying(explanation, wanted);
    const allowing = sides.map((side) => `${side.direction} of ${side.subject.id} allows ${side.connections.toString()}`).join('; ');
    return `expected to allow ${wanted.text}, but ${allowing}${jointly ? ', none of which both allow' : ''}`;
  }
  const open = [explanation.egress, explanation.ingress].map((side) =>
    side.exemptBecause === 'external'
      ? `${side.subject.id} is outside the cluster`
      : side.isolatedBy.length === 0
        ? `${side.direction} of ${side.subject.id} is not isolated`
        : `${side.direction} of ${side.subject.id} allows ${side.connections.toString()}`,
  );
  return `expected to deny ${wanted.text}, but ${explanation.connections.intersect(wanted.connections).toString()} is allowed (${open.join('; ')})`;
}

function checkReachability(result: ConnectivityResult, expectation: Extract<Expectation, { kind: 'reachability' }>, issues: InputIssue[]): ExpectationOutcome {
  const sources = resolveSet(result, expectation.from);
  const destinations = resolveSet(result, expectation.to);
  const unresolved = [
    ['from', sources],
    ['to', destinations],
  ] as const;
  for (const [field, resolved] of unresolved) {
    if ('error' in resolved) issues.push({ code: 'invalid-value', severity: 'error', message: `${field}: ${resolved.error}`, location: expectation.fields[field] ?? expectation.location });
  }
  if ('error' in sources || 'error' in destinations) {
    return { expectation, passed: false, failures: [], message: 'names an endpoint that does not exist', checked: 0 };
  }
  const wanted = wantedConnections(expectation);
  const failures: PairFailure[] = [];
  let checked = 0;
  for (const source of sources.endpoints) {
    for (const destination of destinations.endpoints) {
      if (source === destination || (source.kind === 'external' && destination.kind === 'external')) continue;
      checked++;
      const allowed = result.allowed(source, destination);
      const holds = expectation.expect === 'allow' ? allowsWanted(wanted, allowed) : !overlapsWanted(wanted, allowed);
      if (holds) continue;
      const explanation = result.explain(source, destination);
      failures.push({
        source,
        destination,
        allowed,
        explanation,
        deciding: deciding(explanation, expectation.expect, wanted),
        reason: failureReason(explanation, expectation.expect, wanted),
      });
    }
  }
  if (checked === 0) return { expectation, passed: false, failures, message: 'from and to leave no pair to check', checked };
  return { expectation, passed: failures.length === 0, failures, message: undefined, checked };
}

function checkIsolation(result: ConnectivityResult, expectation: Extract<Expectation, { kind: 'isolation' }>, issues: InputIssue[]): ExpectationOutcome {
  const direction: Direction = expectation.isolated;
  let subjects: Endpoint[];
  if (expectation.workload !== undefined) {
    const resolved = resolveReference(result, expectation.workload);
    if ('error' in resolved) {
      issues.push({ code: 'invalid-value', severity: 'error', message: `workload: ${resolved.error}`, location: expectation.fields['workload'] ?? expectation.location });
      return { expectation, passed: false, failures: [], message: 'names a workload that does not exist', checked: 0 };
    }
    subjects = resolved.endpoints;
  } else {
    subjects = result.workloads.filter((e) => e.workload.namespace === expectation.namespace);
    if (subjects.length === 0) {
      const message = `namespace: no workload in namespace ${expectation.namespace}`;
      issues.push({ code: 'invalid-value', severity: 'error', message, location: expectation.fields['namespace'] ?? expectation.location });
      return { expectation, passed: false, failures: [], message: 'names a namespace without workloads', checked: 0 };
    }
  }
  // Under Calico a tier that drops what its rules leave undecided isolates too, as missing-default-deny reads it.
  const open = subjects.filter((e) => e.kind === 'workload' && !result.isolates(direction, e.workload));
  const why = result instanceof CalicoConnectivityResult ? 'no policy of a tier that denies by default applies to it' : 'no policy selects it';
  const message = open.length === 0 ? undefined : `not isolated for ${direction} (${why} for ${direction}): ${open.map((e) => e.id).join(', ')}`;
  return { expectation, passed: open.length === 0, failures: [], message, checked: subjects.length };
}

/** Checks every expectation; endpoints that match nothing are issues at their field, and fail their expectation. */
export function checkExpectations(file: ExpectationsFile, result: ConnectivityResult): { outcomes: ExpectationOutcome[]; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const outcomes = file.expectations.map((expectation) =>
    expectation.kind === 'reachability' ? checkReachability(result, expectation, issues) : checkIsolation(result, expectation, issues),
  );
  return { outcomes, issues };
}
