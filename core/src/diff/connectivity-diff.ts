// The connectivity delta between two analyses: pairs added, removed or changed, each with the policy or workload change behind it.
import type { AdminRule, AdminPolicy } from '../admin/compile.js';
import type { AdminSideVerdict } from '../admin/evaluate.js';
import { CalicoConnectivityResult } from '../calico/evaluate.js';
import type { ConnectivityResult, SideVerdict } from '../engine/connectivity.js';
import type { Endpoint, ExternalEndpoint } from '../engine/endpoints.js';
import { externalEndpoint } from '../engine/endpoints.js';
import { NAMESPACE_NAME_LABEL, type NamespaceInfo, type Workload } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { familyMax, rangeContains, type IpRange } from '../semantics/ip.js';
import { selectorMatches, type Labels } from '../semantics/label-selector.js';
import type { CompiledPolicy, Direction, PolicyRule } from '../semantics/policy-ir.js';
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

/** A side of a pair whose connections differ between the two versions, with its verdict in each (undefined: absent). */
interface ChangedSide {
  readonly direction: Direction;
  readonly was: SideVerdict | undefined;
  readonly is: SideVerdict | undefined;
}

function changedSides(before: ConnectivityResult, after: ConnectivityResult, source: Endpoint, destination: Endpoint): ChangedSide[] {
  const sides: ChangedSide[] = [];
  for (const direction of ['egress', 'ingress'] as const) {
    const was = sideVerdict(before, direction, source, destination);
    const is = sideVerdict(after, direction, source, destination);
    if (!(was?.connections ?? ConnectionSet.NONE).equals(is?.connections ?? ConnectionSet.NONE)) sides.push({ direction, was, is });
  }
  return sides;
}

function policyCauses(policies: readonly PolicyChange[], sides: readonly ChangedSide[]): DiffCause[] {
  const causes: DiffCause[] = [];
  for (const { direction, was, is } of sides) {
    const isolationFlipped = (was?.isolatedBy.length ?? 0) === 0 !== ((is?.isolatedBy.length ?? 0) === 0);
    for (const change of policies) {
      const old = share(was, change.id);
      const now = share(is, change.id);
      if (!old.allows.equals(now.allows) || (isolationFlipped && old.isolates !== now.isolates)) causes.push({ kind: 'policy', direction, change });
    }
  }
  return causes;
}

/** A namespace's labels on one side; one missing there has only the name label every namespace carries. */
type NamespaceLabels = (namespace: string) => Labels;

function namespaceLabelsOf(result: ConnectivityResult): NamespaceLabels {
  const labels = new Map(result.model.namespaces.map((n) => [n.name, n.labels]));
  return (namespace) => labels.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
}

/**
 * Whether a rule that took part in a side's verdict in one version still would with other namespace labels: given
 * those labels, whether the rule's policy selects the side's subject and its peers match the other endpoint (both as
 * that version has them). Peers matching by address (ipBlock, networks) read no namespace and are left out, so a
 * rule that also holds a pod's address can name a namespace that did not matter.
 */
type RuleTakesPart = (labels: NamespaceLabels) => boolean;

/** A NetworkPolicy rule: the policy selects by pod labels in its own namespace, so only the peer's namespace counts. */
function networkPolicyRuleTakesPart(rule: PolicyRule, peer: Workload): RuleTakesPart {
  return (labels) =>
    rule.peers.kind === 'any' ||
    rule.peers.peers.some(
      (p) =>
        p.kind === 'pods' &&
        !peer.hostNetwork &&
        (p.namespaces.kind === 'policy-namespace'
          ? p.namespaces.namespace === peer.namespace
          : selectorMatches(p.namespaces.selector, labels(peer.namespace))) &&
        selectorMatches(p.pods, peer.labels),
    );
}

/** An admin rule: its policy's subject reads the subject's namespace, its pod peers the peer's. */
function adminRuleTakesPart(policy: AdminPolicy, rule: AdminRule, subject: Workload, peer: Workload | undefined): RuleTakesPart {
  return (labels) =>
    !subject.hostNetwork &&
    selectorMatches(policy.subject.namespaces, labels(subject.namespace)) &&
    selectorMatches(policy.subject.pods, subject.labels) &&
    (rule.peers === 'all' ||
      rule.peers.some(
        (p) =>
          p.kind === 'pods' &&
          peer !== undefined &&
          !peer.hostNetwork &&
          selectorMatches(p.namespaces, labels(peer.namespace)) &&
          selectorMatches(p.pods, peer.labels),
      ));
}

/**
 * The rules behind one version's verdict of a side: the NetworkPolicy rules that allow (a layered result's side carries
 * them unchanged), the admin rules that decided.
 */
function rulesTakingPart(result: ConnectivityResult, direction: Direction, verdict: SideVerdict | undefined, source: Endpoint, destination: Endpoint): RuleTakesPart[] {
  const [subject, peer] = (direction === 'egress' ? [source, destination] : [destination, source]).map((e) => counterpart(result, e));
  // A verdict exists only where both endpoints do, and only a workload has sides.
  if (verdict === undefined || subject?.kind !== 'workload' || peer === undefined) return [];
  const peerWorkload = peer.kind === 'workload' ? peer.workload : undefined;
  const rules: RuleTakesPart[] = [];
  if (peerWorkload !== undefined) {
    for (const { rule } of verdict.allowedBy) rules.push(networkPolicyRuleTakesPart(rule, peerWorkload));
  }
  // An admin result's sides carry the chain of admin rules that decided them (a plain side is an AdminSideVerdict without one).
  const chain = (verdict as AdminSideVerdict).adminChain;
  for (const step of chain === undefined ? [] : [...chain.admin, ...chain.baseline]) {
    rules.push(adminRuleTakesPart(step.policy, step.rule, subject.workload, peerWorkload));
  }
  return rules;
}

/**
 * The namespaces a Calico result may read for a pair: Calico selectors see namespace labels through namespaceSelectors
 * and the `pcns.` profile labels of endpoints and network sets, which kubereach does not trace rule by rule; so the
 * endpoints' namespaces, and those of network sets holding an external endpoint, are all named.
 */
function calicoNamespaces(result: ConnectivityResult, endpoints: readonly Endpoint[]): string[] {
  if (!(result instanceof CalicoConnectivityResult)) return [];
  // Each external range lies inside or outside each of the sets' nets: the ranges are cut at them.
  const setsHolding = (range: IpRange) => result.calico.networkSets.filter((set) => set.nets.some((net) => rangeContains(net, range)));
  return endpoints.flatMap((e) => (e.kind === 'workload' ? [e.workload.namespace] : setsHolding(e.range).flatMap((set) => set.namespace ?? [])));
}

/** Both versions' namespace labels, read once for every pair. */
interface NamespaceVersions {
  readonly before: NamespaceLabels;
  readonly after: NamespaceLabels;
}

/**
 * The namespaces whose label change can account for a pair's change: on a side that changed, some rule that took part
 * in one version (a NetworkPolicy rule that allowed, an admin rule that decided) would not with the namespace's labels
 * of the other version, everything else as that version has it. A namespace change elsewhere is no cause, and one that
 * mattered is named also when a workload or a policy changed too.
 */
function namespaceCauses(
  namespaces: readonly NamespaceChange[],
  labels: NamespaceVersions,
  sides: readonly ChangedSide[],
  before: ConnectivityResult,
  after: ConnectivityResult,
  source: Endpoint,
  destination: Endpoint,
): DiffCause[] {
  if (namespaces.length === 0 || sides.length === 0) return [];
  const versions = [
    { own: labels.before, other: labels.after, rules: sides.flatMap((side) => rulesTakingPart(before, side.direction, side.was, source, destination)) },
    { own: labels.after, other: labels.before, rules: sides.flatMap((side) => rulesTakingPart(after, side.direction, side.is, source, destination)) },
  ];
  const calico = new Set([...calicoNamespaces(before, [source, destination]), ...calicoNamespaces(after, [source, destination])]);
  const matters = (name: string): boolean =>
    calico.has(name) ||
    versions.some(({ own, other, rules }) => {
      const swapped: NamespaceLabels = (namespace) => (namespace === name ? other : own)(namespace);
      return rules.some((takesPart) => takesPart(own) !== takesPart(swapped));
    });
  return namespaces.filter((change) => matters(change.name)).map((change) => ({ kind: 'namespace', change }));
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

  const namespaceLabels: NamespaceVersions = { before: namespaceLabelsOf(before), after: namespaceLabelsOf(after) };
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
      const sides = changedSides(before, after, source, destination);
      const causes: DiffCause[] = policyCauses(policies, sides);
      // 2. The two workloads themselves (added, removed, relabelled, ports renamed).
      for (const change of workloads) {
        if (change.id === source.id || change.id === destination.id) causes.push({ kind: 'workload', change });
      }
      // 3. Namespaces whose new labels a selector of a rule behind either version reads differently.
      causes.push(...namespaceCauses(namespaces, namespaceLabels, sides, before, after, source, destination));
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
