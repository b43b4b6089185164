// A plain, per-connection evaluator of Calico tiers, written from docs.tigera.io (reference/resources/tier "How policy is
// evaluated", networkpolicy, globalnetworkpolicy, "Calico automatic labels") and libcalico-go's rules.go, independently
// of core/src/calico: one connection at a time, no sets, and selectors as predicates generated alongside their text.
import { resolveProfile, type Capabilities } from '@kubereach/core';
import { underProfile } from './profile-reference.js';
import {
  referenceAllows,
  type ExternalAddress,
  type KubeObject,
  type Labels,
  type NetworkPolicySpec,
  type PolicyType,
  type ReferenceEndpoint,
  type ReferenceProtocol,
  type ReferenceWorkload,
} from './reference.js';

const CALICO: Capabilities = (() => {
  const profile = resolveProfile('calico');
  if ('error' in profile) throw new Error(profile.error);
  return profile.capabilities;
})();

const alones = new WeakMap<readonly KubeObject[], Map<KubeObject, Map<PolicyType, KubeObject[]>>>();

/**
 * The cluster with one NetworkPolicy, for one direction, as Calico enforces it: its ipBlocks become nets, which match
 * pods too (libcalico-go conversion.go). Kept per cluster: the reference asks for it once per connection.
 */
function policyAlone(cluster: readonly KubeObject[], policy: KubeObject, direction: PolicyType): KubeObject[] {
  let byPolicy = alones.get(cluster);
  if (byPolicy === undefined) alones.set(cluster, (byPolicy = new Map()));
  let byDirection = byPolicy.get(policy);
  if (byDirection === undefined) byPolicy.set(policy, (byDirection = new Map()));
  let alone = byDirection.get(direction);
  if (alone === undefined && policy.kind === 'NetworkPolicy') {
    alone = underProfile([...cluster.filter((o) => o.kind !== 'NetworkPolicy'), { ...policy, spec: { ...policy.spec, policyTypes: [direction] } }], CALICO);
    byDirection.set(direction, alone);
  }
  return alone ?? [];
}

/** A Calico selector expression with the predicate it denotes (on the labels a selector sees). */
export interface SelectorSpec {
  readonly text: string;
  readonly holds: (labels: Labels) => boolean;
}

export interface CalicoEntitySpec {
  readonly selector?: SelectorSpec;
  readonly notSelector?: SelectorSpec;
  /** On namespace labels (`all()` = any namespace). */
  readonly namespaceSelector?: SelectorSpec;
  /** IPv4 CIDRs. */
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
  /** Numbers, `"min:max"` ranges or container port names (destination only, with protocol TCP or UDP). */
  readonly ports?: readonly (number | string)[];
  /** Alone in its entity: an egress rule's destination or an ingress rule's source. */
  readonly services?: { readonly name: string; readonly namespace?: string };
}

/**
 * A Service as a service match reads it (felix's serviceindex, from the EndpointSlices): with a selector, the pods it
 * picks in its namespace, each on the ports its targetPorts resolve to; without one, the addresses of the slices
 * written for it, ready or not, on every numbered port of their slice.
 */
export type CalicoServiceSpec = {
  readonly name: string;
  readonly namespace: string;
} & (
  | { readonly selector: Labels; readonly ports: readonly { readonly protocol: 'TCP' | 'UDP'; readonly targetPort: number | string }[] }
  | { readonly slices: readonly EndpointSliceSpec[] }
);

export interface EndpointSliceSpec {
  readonly ports: readonly { readonly name?: string; readonly port?: number; readonly protocol?: 'TCP' | 'UDP' }[];
  /** IPv4 addresses; `pod` names a Pod of the Service's namespace by targetRef. */
  readonly endpoints: readonly { readonly address: string; readonly ready?: boolean; readonly pod?: string }[];
}

export interface CalicoRuleSpec {
  readonly action: 'Allow' | 'Deny' | 'Pass' | 'Log';
  readonly protocol?: 'TCP' | 'UDP' | 'ICMP';
  readonly ipVersion?: 4 | 6;
  readonly source?: CalicoEntitySpec;
  readonly destination?: CalicoEntitySpec;
}

export interface CalicoPolicySpecRef {
  readonly kind: 'NetworkPolicy' | 'GlobalNetworkPolicy';
  readonly name: string;
  /** NetworkPolicy only. */
  readonly namespace?: string;
  readonly tier?: string;
  readonly order?: number;
  readonly selector?: SelectorSpec;
  /** GlobalNetworkPolicy only. */
  readonly namespaceSelector?: SelectorSpec;
  readonly types?: readonly PolicyType[];
  readonly ingress?: readonly CalicoRuleSpec[];
  readonly egress?: readonly CalicoRuleSpec[];
}

export interface CalicoTierSpec {
  readonly name: string;
  readonly order?: number;
  readonly defaultAction?: 'Deny' | 'Pass';
}

export interface CalicoInput {
  readonly tiers: readonly CalicoTierSpec[];
  readonly policies: readonly CalicoPolicySpecRef[];
  readonly services?: readonly CalicoServiceSpec[];
}

function isWorkload(endpoint: ReferenceEndpoint): endpoint is ReferenceWorkload {
  return typeof endpoint === 'object' && 'kind' in endpoint;
}

function namespaceLabels(cluster: readonly KubeObject[], namespace: string): Labels {
  const object = cluster.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
  return { ...(object?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': namespace, 'projectcalico.org/name': namespace };
}

/** What a selector sees of a pod: its labels, Calico's automatic ones, and its namespace's as `pcns.` labels. */
function podLabels(cluster: readonly KubeObject[], pod: ReferenceWorkload): Labels {
  const inherited = Object.fromEntries(Object.entries(namespaceLabels(cluster, pod.namespace)).map(([k, v]) => [`pcns.${k}`, v]));
  return {
    ...inherited,
    ...pod.labels,
    'projectcalico.org/namespace': pod.namespace,
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': 'default',
  };
}

function ipv4(endpoint: ReferenceEndpoint): bigint | undefined {
  if (isWorkload(endpoint) || typeof endpoint === 'string' || endpoint.family !== 4) return undefined;
  return endpoint.address;
}

function inCidr(cidr: string, address: bigint): boolean {
  const [network, prefixText] = cidr.split('/');
  const base = parseIpv4(network!);
  const shift = BigInt(32 - Number(prefixText));
  return address >> shift === base >> shift;
}

function inNets(nets: readonly string[], address: bigint): boolean {
  return nets.some((net) => inCidr(net, address));
}

/**
 * Whether an endpoint's address is in the nets (any, when there are none) and in none of the notNets. A pod template has
 * no address yet: only 0.0.0.0/0 surely holds it, and any notNet may hold it (pod addresses are private, and "the
 * internet" is 0.0.0.0/0 but the private ranges), so that a notNet leaves it out.
 */
function inNetsBut(nets: readonly string[], notNets: readonly string[], endpoint: ReferenceEndpoint): boolean {
  if (nets.length === 0 && notNets.length === 0) return true;
  if (isWorkload(endpoint)) return (nets.length === 0 || nets.includes('0.0.0.0/0')) && notNets.length === 0;
  const address = ipv4(endpoint);
  // The nets and notNets here are IPv4: they hold no IPv6 address.
  if (address === undefined) return nets.length === 0;
  return (nets.length === 0 || inNets(nets, address)) && !inNets(notNets, address);
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => value * 256n + BigInt(octet), 0n);
}

/**
 * The (protocol, port) pairs an endpoint is a member of a service match's IP sets with; undefined when it is none of
 * the Service's endpoints. The match's namespace defaults to a NetworkPolicy's own; a GlobalNetworkPolicy's match
 * without one, or one naming a Service the input lacks, sees nobody.
 */
function serviceMembership(
  calico: CalicoInput,
  match: NonNullable<CalicoEntitySpec['services']>,
  policyNamespace: string | undefined,
  endpoint: ReferenceEndpoint,
): { protocol: ReferenceProtocol; port: number }[] | undefined {
  const namespace = match.namespace ?? policyNamespace;
  const service = (calico.services ?? []).find((s) => s.name === match.name && s.namespace === namespace);
  if (service === undefined) return undefined;
  if ('selector' in service) {
    // The endpoints controller lists every selected pod, hostNetwork ones too (their address is the node's).
    if (!isWorkload(endpoint) || endpoint.namespace !== service.namespace) return undefined;
    if (!Object.entries(service.selector).every(([k, v]) => endpoint.labels[k] === v)) return undefined;
    return service.ports.flatMap(({ protocol, targetPort }) => {
      if (typeof targetPort === 'number') return [{ protocol, port: targetPort }];
      const named = endpoint.ports.find((p) => p.name === targetPort && p.protocol === protocol);
      return named === undefined ? [] : [{ protocol, port: named.containerPort }];
    });
  }
  let members: { protocol: ReferenceProtocol; port: number }[] | undefined;
  for (const slice of service.slices) {
    for (const written of slice.endpoints) {
      const isIt = isWorkload(endpoint)
        ? endpoint.kind === 'Pod' && written.pod === endpoint.name && endpoint.namespace === service.namespace
        : ipv4(endpoint) === parseIpv4(written.address);
      if (!isIt) continue;
      members ??= [];
      for (const port of slice.ports) if (port.port !== undefined) members.push({ protocol: port.protocol ?? 'TCP', port: port.port });
    }
  }
  return members;
}

/**
 * rules.go: the namespace part (namespaceSelector, or the policy's namespace for a NetworkPolicy) applies once any of
 * selector, notSelector or namespaceSelector is used; notSelector itself is not scoped. Addresses outside the cluster
 * carry no labels (no network sets here), so a positive selection never matches them and a notSelector always does.
 */
function entityMatches(
  cluster: readonly KubeObject[],
  calico: CalicoInput,
  entity: CalicoEntitySpec | undefined,
  policyNamespace: string | undefined,
  endpoint: ReferenceEndpoint,
): boolean {
  if (entity === undefined) return true;
  if (entity.services !== undefined) return serviceMembership(calico, entity.services, policyNamespace, endpoint) !== undefined;
  if (!inNetsBut(entity.nets ?? [], entity.notNets ?? [], endpoint)) return false;
  const used = entity.selector !== undefined || entity.notSelector !== undefined || entity.namespaceSelector !== undefined;
  const scopedByNamespace = used && (entity.namespaceSelector !== undefined || policyNamespace !== undefined);
  if (entity.selector !== undefined || scopedByNamespace) {
    if (!isWorkload(endpoint) || endpoint.hostNetwork) return false;
    if (entity.namespaceSelector !== undefined) {
      if (!entity.namespaceSelector.holds(namespaceLabels(cluster, endpoint.namespace))) return false;
    } else if (policyNamespace !== undefined && endpoint.namespace !== policyNamespace) return false;
    if (entity.selector !== undefined && !entity.selector.holds(podLabels(cluster, endpoint))) return false;
  }
  if (entity.notSelector !== undefined && isWorkload(endpoint) && !endpoint.hostNetwork && entity.notSelector.holds(podLabels(cluster, endpoint))) {
    return false;
  }
  return true;
}

function portMatches(
  calico: CalicoInput,
  rule: CalicoRuleSpec,
  policyNamespace: string | undefined,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  if (rule.protocol !== undefined && rule.protocol !== protocol) return false;
  const services = rule.destination?.services;
  // A destination service match is an IP-and-port set: the endpoint on one of its own ports.
  if (services !== undefined)
    return (serviceMembership(calico, services, policyNamespace, destination) ?? []).some((m) => m.protocol === protocol && m.port === port);
  const ports = rule.destination?.ports;
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((entry) => {
    if (typeof entry === 'number') return entry === port;
    const range = /^(\d+):(\d+)$/.exec(entry);
    if (range !== null) return Number(range[1]) <= port && port <= Number(range[2]);
    return isWorkload(destination) && destination.ports.some((p) => p.name === entry && p.protocol === protocol && p.containerPort === port);
  });
}

/**
 * The IP version of a connection: an external address's own; between two pods, IPv4, the family of every pod here
 * (pods in these clusters have no addresses, so they take the cluster's, and a cluster without any is IPv4).
 */
function ipVersionOf(source: ReferenceEndpoint, destination: ReferenceEndpoint): 4 | 6 {
  for (const endpoint of [source, destination]) {
    if (isWorkload(endpoint)) continue;
    return typeof endpoint === 'string' ? (endpoint.includes(':') ? 6 : 4) : endpoint.family;
  }
  return 4;
}

function ruleMatches(
  cluster: readonly KubeObject[],
  calico: CalicoInput,
  policy: CalicoPolicySpecRef,
  rule: CalicoRuleSpec,
  source: ReferenceEndpoint,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  const namespace = policy.kind === 'NetworkPolicy' ? (policy.namespace ?? 'default') : undefined;
  if (rule.ipVersion !== undefined && rule.ipVersion !== ipVersionOf(source, destination)) return false;
  return (
    entityMatches(cluster, calico, rule.source, namespace, source) &&
    entityMatches(cluster, calico, rule.destination, namespace, destination) &&
    portMatches(calico, rule, namespace, destination, protocol, port)
  );
}

/**
 * Docs: "Ingress if no egress rules; Egress if only egress rules; both if both" when types is left out; libcalico-go
 * defaults an empty list the same way (`len(*types) == 0`).
 */
function calicoTypes(policy: CalicoPolicySpecRef): readonly PolicyType[] {
  if (policy.types !== undefined && policy.types.length > 0) return policy.types;
  const egress = (policy.egress?.length ?? 0) > 0;
  const ingress = (policy.ingress?.length ?? 0) > 0;
  return egress ? (ingress ? ['Ingress', 'Egress'] : ['Egress']) : ['Ingress'];
}

function applies(cluster: readonly KubeObject[], policy: CalicoPolicySpecRef, subject: ReferenceWorkload, direction: PolicyType): boolean {
  if (!calicoTypes(policy).includes(direction)) return false;
  if (policy.kind === 'NetworkPolicy' && (policy.namespace ?? 'default') !== subject.namespace) return false;
  if (policy.namespaceSelector !== undefined && !policy.namespaceSelector.holds(namespaceLabels(cluster, subject.namespace))) return false;
  return policy.selector === undefined || policy.selector.holds(podLabels(cluster, subject));
}

function k8sPolicyTypes(spec: NetworkPolicySpec): readonly PolicyType[] {
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** A policy in evaluation: its tier, order, name key, and what it does with one connection. */
interface Entry {
  readonly tier: string;
  readonly order: number | undefined;
  readonly key: string;
  readonly applies: boolean;
  /** The first rule that matches, or undefined. */
  readonly decide: () => 'Allow' | 'Deny' | 'Pass' | undefined;
}

function byOrder(a: { readonly order?: number | undefined; readonly key: string }, b: { readonly order?: number | undefined; readonly key: string }): number {
  const x = a.order ?? Infinity;
  const y = b.order ?? Infinity;
  if (x !== y) return x < y ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function sideAllows(
  cluster: readonly KubeObject[],
  calico: CalicoInput,
  direction: PolicyType,
  source: ReferenceEndpoint,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  const subject = direction === 'Egress' ? source : destination;
  if (!isWorkload(subject) || subject.hostNetwork) return true;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const entries: Entry[] = calico.policies.map((policy) => ({
    tier: policy.tier ?? 'default',
    order: policy.order,
    key: `${policy.name}/${policy.kind === 'NetworkPolicy' ? (policy.namespace ?? 'default') : ''}/${policy.kind}`,
    applies: applies(cluster, policy, subject, direction),
    decide: () => {
      for (const rule of policy[key] ?? []) {
        if (!ruleMatches(cluster, calico, policy, rule, source, destination, protocol, port)) continue;
        if (rule.action !== 'Log') return rule.action;
      }
      return undefined;
    },
  }));
  // Kubernetes NetworkPolicies: default tier, order 1000; each allows what its own rules allow.
  for (const object of cluster) {
    if (object.kind !== 'NetworkPolicy' || !k8sPolicyTypes(object.spec).includes(direction)) continue;
    const namespace = object.metadata.namespace ?? 'default';
    const alone = policyAlone(cluster, object, direction);
    const podSelector = object.spec.podSelector ?? {};
    const selects =
      namespace === subject.namespace &&
      Object.entries(podSelector.matchLabels ?? {}).every(([k, v]) => subject.labels[k] === v) &&
      (podSelector.matchExpressions ?? []).every((r) => {
        const has = Object.hasOwn(subject.labels, r.key);
        const listed = has && (r.values ?? []).includes(subject.labels[r.key]!);
        return r.operator === 'In' ? listed : r.operator === 'NotIn' ? !listed : r.operator === 'Exists' ? has : !has;
      });
    entries.push({
      tier: 'default',
      order: 1000,
      key: `${object.metadata.name ?? ''}/${namespace}/KubernetesNetworkPolicy`,
      applies: selects,
      decide: () => (referenceAllows(alone, source, destination, protocol, port) ? 'Allow' : undefined),
    });
  }
  const tiers = [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' as const }, ...calico.tiers.filter((t) => t.name !== 'default')]
    .map((t) => ({ ...t, key: t.name }))
    .sort(byOrder);
  for (const tier of tiers) {
    const inTier = entries.filter((e) => e.tier === tier.name && e.applies).sort(byOrder);
    if (inTier.length === 0) continue;
    let passed = false;
    for (const entry of inTier) {
      const action = entry.decide();
      if (action === 'Allow') return true;
      if (action === 'Deny') return false;
      if (action === 'Pass') {
        passed = true;
        break;
      }
    }
    if (!passed && (tier.defaultAction ?? 'Deny') === 'Deny') return false;
  }
  // Every applying tier passed (or none applied): the namespace profile allows.
  return true;
}

/** `source` may open `protocol`/`port` to `destination` iff both sides' tiers allow it. */
export function calicoReferenceAllows(
  cluster: readonly KubeObject[],
  calico: CalicoInput,
  source: ReferenceEndpoint,
  destination: ReferenceEndpoint | ExternalAddress,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  return sideAllows(cluster, calico, 'Egress', source, destination, protocol, port) && sideAllows(cluster, calico, 'Ingress', source, destination, protocol, port);
}
