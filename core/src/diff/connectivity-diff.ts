// The connectivity delta between two analyses: pairs added, removed or changed, each with the policy or workload change behind it.
import type { ConnectivityResult, SideVerdict } from '../engine/connectivity.js';
import type { Endpoint, ExternalEndpoint } from '../engine/endpoints.js';
import { externalEndpoint } from '../engine/endpoints.js';
import type { NamespaceInfo, Workload } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { familyMax, type IpRange } from '../semantics/ip.js';
import type { CompiledPolicy, Direction } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** A policy that differs between the two sides, matched by namespace/name and compared by meaning, not text. */
export interface PolicyChange {
  readonly kind: ChangeKind;
  /** `namespace/name`. */
  readonly id: string;
  readonly before: CompiledPolicy | undefined;
  readonly after: CompiledPolicy | undefined;
  /** The after side's location, or the before side's for a removed policy. */
  readonly location: SourceLocation;
}

/** A workload that appeared, disappeared, or whose labels, ports or hostNetwork changed. */
export interface WorkloadChange {
  readonly kind: ChangeKind;
  readonly id: string;
  readonly location: SourceLocation;
}

/** A namespace whose labels changed (namespaceSelectors see it differently). */
export interface NamespaceChange {
  readonly name: string;
  readonly location: SourceLocation | undefined;
}

/** Why a pair's connections changed. */
export type DiffCause =
  | { readonly kind: 'policy'; readonly direction: Direction; readonly change: PolicyChange }
  | { readonly kind: 'workload'; readonly change: WorkloadChange }
  | { readonly kind: 'namespace'; readonly change: NamespaceChange };

/** New reachability across the cluster edge: from an external range in, or from a workload out. */
export type Exposure = 'ingress-from-outside' | 'egress-to-outside';

export interface DiffEndpoint {
  readonly id: string;
  readonly kind: 'workload' | 'external';
}

export interface ConnectivityChange {
  readonly kind: ChangeKind;
  readonly source: DiffEndpoint;
  readonly destination: DiffEndpoint;
  readonly before: ConnectionSet;
  readonly after: ConnectionSet;
  /** after minus before, and before minus after. */
  readonly gained: ConnectionSet;
  readonly lost: ConnectionSet;
  readonly exposure: Exposure | undefined;
  readonly causes: readonly DiffCause[];
}

export interface ConnectivityDiff {
  /** New exposure to outside the cluster first, then by source and destination id. */
  readonly changes: readonly ConnectivityChange[];
  readonly policies: readonly PolicyChange[];
  readonly workloads: readonly WorkloadChange[];
  readonly namespaces: readonly NamespaceChange[];
}

/** The semantic content of a policy: everything but source locations. */
function policyShape(policy: CompiledPolicy): string {
  const { podSelector, ingress, egress } = policy;
  const direction = (d: CompiledPolicy['ingress']) => d && d.rules.map((rule) => ({ peers: rule.peers, ports: rule.ports }));
  return JSON.stringify({ podSelector, ingress: direction(ingress), egress: direction(egress) }, (key, value: unknown) =>
    key === 'location' || key === 'text' ? undefined : typeof value === 'bigint' ? value.toString() : value,
  );
}

function workloadShape(workload: Workload): string {
  const labels = Object.entries(workload.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ports = workload.ports.map((p) => `${p.name ?? ''}/${p.port}/${p.protocol}`).sort();
  return JSON.stringify({ labels, ports, hostNetwork: workload.hostNetwork });
}

function namespaceShape(namespace: NamespaceInfo): string {
  return JSON.stringify(Object.entries(namespace.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Items matched by key: added, removed, and those whose shape differs. */
function compareByKey<T, C>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  shape: (item: T) => string,
  change: (kind: ChangeKind, before: T | undefined, after: T | undefined) => C,
): C[] {
  const old = new Map(before.map((item) => [key(item), item]));
  const now = new Map(after.map((item) => [key(item), item]));
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: C[] = [];
  for (const k of keys) {
    const b = old.get(k);
    const a = now.get(k);
    if (b === undefined) changes.push(change('added', undefined, a));
    else if (a === undefined) changes.push(change('removed', b, undefined));
    else if (shape(b) !== shape(a)) changes.push(change('changed', b, a));
  }
  return changes;
}

/**
 * External ranges refined so that each lies inside one external endpoint of either side (each
 * side cuts the address space by its own policies' CIDRs). A family is compared only when both
 * sides cut it: IPv6 appears only when some policy names an IPv6 CIDR.
 */
function commonExternals(before: ConnectivityResult, after: ConnectivityResult): ExternalEndpoint[] {
  const families = (r: ConnectivityResult) => new Set(r.externals.map((e) => e.range.family));
  const shared = [...families(before)].filter((f) => families(after).has(f));
  const ranges: IpRange[] = [];
  for (const family of shared) {
    const starts = new Set<bigint>();
    for (const e of [...before.externals, ...after.externals]) if (e.range.family === family) starts.add(e.range.start);
    const sorted = [...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.forEach((start, k) => ranges.push({ family, start, end: k + 1 < sorted.length ? sorted[k + 1]! - 1n : familyMax(family) }));
  }
  return ranges.map(externalEndpoint);
}

/** The endpoint of one side that stands for a common endpoint (undefined when the workload does not exist there). */
function counterpart(result: ConnectivityResult, endpoint: Endpoint): Endpoint | undefined {
  if (endpoint.kind === 'workload') return result.workloads.find((w) => w.id === endpoint.id);
  return result.externalAt(endpoint.range.family, endpoint.range.start);
}

/** One side's verdict for a pair in one result; undefined when an endpoint does not exist there. */
function sideVerdict(result: ConnectivityResult, direction: Direction, source: Endpoint, destination: Endpoint): SideVerdict | undefined {
  const s = counterpart(result, source);
  const d = counterpart(result, destination);
  return s === undefined || d === undefined ? undefined : result.explain(s, d)[direction];
}

/** What a policy (by id) allows on a side, and whether it isolates the side. */
function share(side: SideVerdict | undefined, id: string): { allows: ConnectionSet; isolates: boolean } {
  if (side === undefined) return { allows: ConnectionSet.NONE, isolates: false };
  const allows = side.allowedBy.filter((c) => c.policy.id === id).reduce((set, c) => set.union(c.connections), ConnectionSet.NONE);
  return { allows, isolates: side.isolatedBy.some((p) => p.id === id) };
}

function policyCauses(
  policies: readonly PolicyChange[],
  before: ConnectivityResult,
  after: ConnectivityResult,
  source: Endpoint,
  destination: Endpoint,
): DiffCause[] {
  const causes: DiffCause[] = [];
  for (const direction of ['egress', 'ingress'] as const) {
    const was = sideVerdict(before, direction, source, destination);
    const is = sideVerdict(after, direction, source, destination);
    const wasAllowed = was?.connections ?? ConnectionSet.NONE;
    const isAllowed = is?.connections ?? ConnectionSet.NONE;
    if (wasAllowed.equals(isAllowed)) continue;
    const isolationFlipped = (was?.isolatedBy.length ?? 0) === 0 !== ((is?.isolatedBy.length ?? 0) === 0);
    for (const change of policies) {
      const old = share(was, change.id);
      const now = share(is, change.id);
      if (!old.allows.equals(now.allows) || (isolationFlipped && old.isolates !== now.isolates)) causes.push({ kind: 'policy', direction, change });
    }
  }
  return causes;
}

export function diffConnectivity(before: ConnectivityResult, after: ConnectivityResult): ConnectivityDiff {
  const policies = compareByKey(before.model.policies, after.model.policies, (p) => p.id, policyShape, (kind, b, a): PolicyChange => ({
    kind,
    id: (a ?? b)!.id,
    before: b,
    after: a,
    location: (a ?? b)!.location,
  }));
  const workloads = compareByKey(before.model.workloads, after.model.workloads, (w) => w.id, workloadShape, (kind, b, a): WorkloadChange => ({
    kind,
    id: (a ?? b)!.id,
    location: (a ?? b)!.location,
  }));
  const namespaces = compareByKey(before.model.namespaces, after.model.namespaces, (n) => n.name, namespaceShape, (_kind, b, a): NamespaceChange => ({
    name: (a ?? b)!.name,
    location: (a ?? b)!.location,
  }));

  const workloadIds = [...new Set([...before.workloads, ...after.workloads].map((w) => w.id))].sort();
  const endpoints: Endpoint[] = [
    ...workloadIds.map((id) => (after.workloads.find((w) => w.id === id) ?? before.workloads.find((w) => w.id === id))!),
    ...commonExternals(before, after),
  ];
  const allowed = (result: ConnectivityResult, source: Endpoint, destination: Endpoint): ConnectionSet => {
    const s = counterpart(result, source);
    const d = counterpart(result, destination);
    return s === undefined || d === undefined ? ConnectionSet.NONE : result.allowed(s, d);
  };

  const changes: ConnectivityChange[] = [];
  for (const source of endpoints) {
    for (const destination of endpoints) {
      if (source === destination || (source.kind === 'external' && destination.kind === 'external')) continue;
      const was = allowed(before, source, destination);
      const is = allowed(after, source, destination);
      if (was.equals(is)) continue;
      const kind: ChangeKind = was.isEmpty ? 'added' : is.isEmpty ? 'removed' : 'changed';
      const gained = is.subtract(was);
      const exposure: Exposure | undefined = gained.isEmpty
        ? undefined
        : source.kind === 'external'
          ? 'ingress-from-outside'
          : destination.kind === 'external'
            ? 'egress-to-outside'
            : undefined;
      // 1. Changed policies whose share of a changed side differs: what they allow this peer, or whether they isolate it.
      const causes: DiffCause[] = policyCauses(policies, before, after, source, destination);
      // 2. The two workloads themselves (added, removed, relabelled, ports renamed).
      for (const change of workloads) {
        if (change.id === source.id || change.id === destination.id) causes.push({ kind: 'workload', change });
      }
      // 3. Otherwise a peer selector sees something new: a namespace's labels.
      if (causes.length === 0) for (const change of namespaces) causes.push({ kind: 'namespace', change });
      changes.push({
        kind,
        source: { id: source.id, kind: source.kind },
        destination: { id: destination.id, kind: destination.kind },
        before: was,
        after: is,
        gained,
        lost: was.subtract(is),
        exposure,
        causes,
      });
    }
  }
  const rank = (c: ConnectivityChange) => (c.exposure === 'ingress-from-outside' ? 0 : c.exposure === 'egress-to-outside' ? 1 : 2);
  changes.sort((a, b) => rank(a) - rank(b) || compare(a.source.id, b.source.id) || compare(a.destination.id, b.destination.id));
  return { changes, policies, workloads, namespaces };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
