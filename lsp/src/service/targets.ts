// What sits at a position: a policy, its pod selector, one of its rules or peers, a workload, or a Service; and what each matches.
import {
  selectorMatches,
  type CalicoPolicy,
  type CompiledPolicy,
  type Endpoint,
  type ManifestObject,
  type Peer,
  type PolicyRule,
  type Ports,
  type SourceLocation,
  type Workload,
} from '@kubereach/core';
import { contains, type Snapshot } from './snapshot.js';

export type Target =
  | { readonly kind: 'peer'; readonly policy: CompiledPolicy; readonly rule: PolicyRule; readonly peer: Peer }
  | { readonly kind: 'rule'; readonly policy: CompiledPolicy; readonly rule: PolicyRule }
  | { readonly kind: 'pod-selector'; readonly policy: CompiledPolicy; readonly location: SourceLocation }
  | { readonly kind: 'policy'; readonly policy: CompiledPolicy }
  | { readonly kind: 'calico-policy'; readonly policy: CalicoPolicy }
  | { readonly kind: 'workload'; readonly workload: Workload }
  | { readonly kind: 'service'; readonly object: ManifestObject<'Service'>; readonly selector: Readonly<Record<string, string>> | undefined };

function rulesOf(policy: CompiledPolicy): PolicyRule[] {
  return [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? [])];
}

/** What sits at an offset of a file (by the name core gives it). */
export function targetAt(snapshot: Snapshot, file: string, offset: number): Target | undefined {
  const object = snapshot.objectAt(file, offset);
  if (object === undefined) return undefined;
  if (object.kind === 'Service') {
    const service = object as ManifestObject<'Service'>;
    return { kind: 'service', object: service, selector: service.value.spec.selector };
  }
  const policy = object.kind === 'NetworkPolicy' ? snapshot.policyOf(object) : undefined;
  if (policy !== undefined) {
    for (const rule of rulesOf(policy)) {
      if (rule.peers.kind === 'list') {
        const peer = rule.peers.peers.find((p) => contains(p.location.range, offset));
        if (peer !== undefined) return { kind: 'peer', policy, rule, peer };
      }
      if (contains(rule.location.range, offset)) return { kind: 'rule', policy, rule };
    }
    const selector = policy.locate(['spec', 'podSelector']);
    const selectorKey = policy.locate(['spec', 'podSelector'], { key: true });
    if (contains(selector.range, offset) || contains(selectorKey.range, offset)) return { kind: 'pod-selector', policy, location: selector };
    return { kind: 'policy', policy };
  }
  if (object.kind === 'CalicoNetworkPolicy' || object.kind === 'CalicoGlobalNetworkPolicy') {
    const calico = snapshot.calicoPolicyOf(object);
    return calico === undefined ? undefined : { kind: 'calico-policy', policy: calico };
  }
  const workload = snapshot.workloadOf(object);
  return workload === undefined ? undefined : { kind: 'workload', workload };
}

/** The workloads a pod peer matches (none for an ipBlock: pod addresses are not matched by ipBlock here). */
export function peerWorkloads(snapshot: Snapshot, peer: Peer): Workload[] {
  if (peer.kind === 'ipBlock') return [];
  const { model } = snapshot.analysis;
  const namespaces = new Map(model.namespaces.map((n) => [n.name, n.labels]));
  return model.workloads.filter((w) => {
    if (w.hostNetwork || !selectorMatches(peer.pods, w.labels)) return false;
    const scope = peer.namespaces;
    return scope.kind === 'policy-namespace' ? w.namespace === scope.namespace : selectorMatches(scope.selector, namespaces.get(w.namespace) ?? {});
  });
}

/** The workloads a Service's selector matches in its namespace (a Service without selector matches none). */
export function serviceWorkloads(snapshot: Snapshot, target: Extract<Target, { kind: 'service' }>): Workload[] {
  const selector = target.selector;
  if (selector === undefined || Object.keys(selector).length === 0) return [];
  const namespace = target.object.namespace ?? snapshot.config?.config.namespace ?? 'default';
  return snapshot.analysis.model.workloads.filter(
    (w) => w.namespace === namespace && !w.hostNetwork && Object.entries(selector).every(([key, value]) => w.labels[key] === value),
  );
}

/** What a target's selector matches: the workloads behind go to definition. */
export function matchedWorkloads(snapshot: Snapshot, target: Target): Workload[] {
  const { result } = snapshot.analysis;
  switch (target.kind) {
    case 'peer':
      return peerWorkloads(snapshot, target.peer);
    case 'rule':
      return result.peersMatchedBy(target.rule).flatMap((e) => (e.kind === 'workload' ? [e.workload] : []));
    case 'pod-selector':
    case 'policy':
      return result.selectedWorkloads(target.policy);
    case 'service':
      return serviceWorkloads(snapshot, target);
    case 'calico-policy':
      return snapshot.calicoApplies(target.policy);
    case 'workload':
      return [];
  }
}

/** Distinct ordered pairs the policy's rules admit on their side: (peer, selected) for ingress, (selected, peer) for egress. */
export function admittedPaths(snapshot: Snapshot, policy: CompiledPolicy): number {
  const { result } = snapshot.analysis;
  const selected = result.selectedWorkloads(policy);
  const pairs = new Set<string>();
  for (const rule of rulesOf(policy)) {
    const peers: Endpoint[] = result.peersMatchedBy(rule);
    for (const subject of selected) {
      for (const peer of peers) {
        if (peer.id === subject.id) continue;
        pairs.add(rule.direction === 'ingress' ? `${peer.id}\0${subject.id}` : `${subject.id}\0${peer.id}`);
      }
    }
  }
  return pairs.size;
}

export function formatPorts(ports: Ports): string {
  if (ports.kind === 'any') return 'all ports and protocols';
  return ports.ports
    .map(({ protocol, match }) =>
      match.kind === 'all' ? `${protocol} (all ports)` : match.kind === 'named' ? `${protocol} ${match.name}` : `${protocol} ${match.start === match.end ? match.start : `${match.start}-${match.end}`}`,
    )
    .join(', ');
}
