// Shared by lint rules: naming policies, rules and ports in messages, and the workloads one peer matches.
import { compareStrings, type ClusterModel, type Workload } from '../model/cluster.js';
import { selectorMatches, type Selector } from '../semantics/label-selector.js';
import type { CompiledPolicy, Peer, PolicyRule, PortSpec, Ports } from '../semantics/policy-ir.js';

export type PodsPeer = Extract<Peer, { kind: 'pods' }>;

/** `shop/api-ingress spec.ingress[0]`. */
export function ruleLabel(policy: CompiledPolicy, rule: PolicyRule): string {
  return `${policy.id} spec.${rule.direction}[${rule.index}]`;
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`: at most `max` items by name. */
export function formatList(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** One ports entry as written: `TCP 443`, `TCP 8000-8100`, `TCP http`, `UDP (every port)`. */
export function formatPortSpec(spec: PortSpec): string {
  switch (spec.match.kind) {
    case 'all':
      return `${spec.protocol} (every port)`;
    case 'range':
      return spec.match.start === spec.match.end
        ? `${spec.protocol} ${spec.match.start}`
        : `${spec.protocol} ${spec.match.start}-${spec.match.end}`;
    case 'named':
      return `${spec.protocol} ${spec.match.name}`;
  }
}

/** A rule's ports as written, or `every port` for a rule without ports. */
export function formatPorts(ports: Ports): string {
  return ports.kind === 'any' ? 'every port' : ports.ports.map(formatPortSpec).join(', ');
}

/** Which workloads selectors pick, indexed by namespace: rules ask this once per peer or policy. */
export interface WorkloadIndex {
  /**
   * The workloads one pods peer matches (semantics point 4), hostNetwork ones never, in id order.
   * The engine answers per rule (`peersMatchedBy`); rules that point at one peer of a rule need it per peer.
   */
  matchedBy(peer: PodsPeer): Workload[];
  /** The workloads a policy's podSelector selects, as the engine's `selectedWorkloads`, without scanning every namespace. */
  selectedBy(policy: Pick<CompiledPolicy, 'namespace' | 'podSelector'>): Workload[];
}

export function workloadIndex(model: ClusterModel): WorkloadIndex {
  const byNamespace = new Map<string, Workload[]>();
  for (const workload of model.workloads) {
    if (workload.hostNetwork) continue;
    const list = byNamespace.get(workload.namespace);
    if (list === undefined) byNamespace.set(workload.namespace, [workload]);
    else list.push(workload);
  }
  const inNamespaces = (names: readonly string[], pods: Selector): Workload[] =>
    names
      .flatMap((name) => (byNamespace.get(name) ?? []).filter((w) => selectorMatches(pods, w.labels)))
      .sort((a, b) => compareStrings(a.id, b.id));
  const selections = new Map<Pick<CompiledPolicy, 'namespace' | 'podSelector'>, Workload[]>();
  return {
    matchedBy({ namespaces, pods }) {
      const names =
        namespaces.kind === 'policy-namespace'
          ? [namespaces.namespace]
          : model.namespaces.filter((n) => selectorMatches(namespaces.selector, n.labels)).map((n) => n.name);
      return inNamespaces(names, pods);
    },
    selectedBy(policy) {
      let selected = selections.get(policy);
      if (selected === undefined) {
        selected = inNamespaces([policy.namespace], policy.podSelector);
        selections.set(policy, selected);
      }
      return selected;
    },
  };
}

/** A bare Pod is one pod: traffic to itself is loopback, always allowed. Controllers run several pods that talk over the network. */
export function isSinglePod(workload: Workload): boolean {
  return workload.kind === 'Pod';
}
