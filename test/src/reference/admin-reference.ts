// A plain, per-connection evaluator of AdminNetworkPolicy and BaselineAdminNetworkPolicy, layered over the NetworkPolicy reference.
// Written from the network-policy-api v1alpha1 API comments, independently of core/src/admin: one question at a time, no sets.
import {
  referenceAllows,
  type ExternalAddress,
  type KubeObject,
  type LabelSelector,
  type Labels,
  type NetworkPolicySpec,
  type PolicyType,
  type PortProtocol,
  type ReferenceEndpoint,
  type ReferenceProtocol,
  type ReferenceWorkload,
} from './reference.js';

export interface AdminPeerSpec {
  readonly namespaces?: LabelSelector;
  readonly pods?: { readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector };
  /** IPv4 CIDRs only (egress); generated pods have no status.podIP, so they match external addresses only. */
  readonly networks?: readonly string[];
}

export interface AdminPortSpec {
  readonly portNumber?: { readonly protocol: PortProtocol; readonly port: number };
  readonly portRange?: { readonly protocol: PortProtocol; readonly start: number; readonly end: number };
  readonly namedPort?: string;
}

export interface AdminRuleSpec {
  readonly action: 'Allow' | 'Deny' | 'Pass';
  readonly from?: readonly AdminPeerSpec[];
  readonly to?: readonly AdminPeerSpec[];
  readonly ports?: readonly AdminPortSpec[];
}

export interface AdminSubjectSpec {
  readonly namespaces?: LabelSelector;
  readonly pods?: { readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector };
}

export interface AdminNetworkPolicyObject {
  readonly apiVersion: 'policy.networking.k8s.io/v1alpha1';
  readonly kind: 'AdminNetworkPolicy';
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly priority: number;
    readonly subject: AdminSubjectSpec;
    readonly ingress?: readonly AdminRuleSpec[];
    readonly egress?: readonly AdminRuleSpec[];
  };
}

export interface BaselineAdminNetworkPolicyObject {
  readonly apiVersion: 'policy.networking.k8s.io/v1alpha1';
  readonly kind: 'BaselineAdminNetworkPolicy';
  readonly metadata: { readonly name: 'default' };
  readonly spec: {
    readonly subject: AdminSubjectSpec;
    /** Allow or Deny only. */
    readonly ingress?: readonly AdminRuleSpec[];
    readonly egress?: readonly AdminRuleSpec[];
  };
}

export type AdminObject = AdminNetworkPolicyObject | BaselineAdminNetworkPolicyObject;

function isWorkload(endpoint: ReferenceEndpoint): endpoint is ReferenceWorkload {
  return typeof endpoint === 'object' && 'kind' in endpoint;
}

function labelsOfNamespace(cluster: readonly KubeObject[], namespace: string): Labels {
  const object = cluster.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
  return { ...(object?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
}

function matches(selector: LabelSelector, labels: Labels): boolean {
  const has = (key: string) => Object.hasOwn(labels, key);
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => has(key) && labels[key] === value) &&
    (selector.matchExpressions ?? []).every((r) => {
      const listed = has(r.key) && (r.values ?? []).includes(labels[r.key]!);
      if (r.operator === 'In') return listed;
      if (r.operator === 'NotIn') return !listed;
      if (r.operator === 'Exists') return has(r.key);
      return !has(r.key);
    })
  );
}

/** Pod selection by namespaces or pods; host-networked pods are never included (shared_types.go). */
function podSelected(cluster: readonly KubeObject[], spec: AdminSubjectSpec, endpoint: ReferenceEndpoint): boolean {
  if (!isWorkload(endpoint) || endpoint.hostNetwork) return false;
  const namespaceLabels = labelsOfNamespace(cluster, endpoint.namespace);
  if (spec.namespaces !== undefined) return matches(spec.namespaces, namespaceLabels);
  if (spec.pods !== undefined) return matches(spec.pods.namespaceSelector, namespaceLabels) && matches(spec.pods.podSelector, endpoint.labels);
  return false;
}

function inIpv4Cidr(cidr: string, endpoint: ReferenceEndpoint): boolean {
  // "if you Accept or Deny traffic to "0.0.0.0/0", that will allow or deny all IPv4 pod-to-pod traffic as well"
  // (clusternetworkpolicy_types.go): the generated pods have no address, and so are IPv4 pods, whose address only all of
  // IPv4 surely holds.
  if (isWorkload(endpoint)) return cidr === '0.0.0.0/0';
  if (typeof endpoint === 'string' || endpoint.family !== 4) return false;
  const [network, prefixText] = cidr.split('/');
  const base = network!.split('.').reduce((value, octet) => value * 256n + BigInt(octet), 0n);
  const shift = BigInt(32 - Number(prefixText));
  return endpoint.address >> shift === base >> shift;
}

function peerMatches(cluster: readonly KubeObject[], peer: AdminPeerSpec, endpoint: ReferenceEndpoint): boolean {
  if (peer.networks !== undefined) return peer.networks.some((cidr) => inIpv4Cidr(cidr, endpoint));
  return podSelected(cluster, peer, endpoint);
}

function portMatches(ports: readonly AdminPortSpec[] | undefined, destination: ReferenceEndpoint, protocol: ReferenceProtocol, port: number): boolean {
  // "If Ports is not set then the rule does not filter traffic via port."
  if (ports === undefined) return true;
  if (protocol === 'ICMP') return false;
  return ports.some((entry) => {
    if (entry.portNumber !== undefined) return entry.portNumber.protocol === protocol && entry.portNumber.port === port;
    if (entry.portRange !== undefined) return entry.portRange.protocol === protocol && entry.portRange.start <= port && port <= entry.portRange.end;
    // A container port name of the destination pod, whatever the protocol it declares.
    return isWorkload(destination) && destination.ports.some((p) => p.name === entry.namedPort && p.protocol === protocol && p.containerPort === port);
  });
}

/** The first matching rule's action, or undefined. */
function firstMatch(
  cluster: readonly KubeObject[],
  rules: readonly AdminRuleSpec[],
  direction: PolicyType,
  peer: ReferenceEndpoint,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): AdminRuleSpec['action'] | undefined {
  for (const rule of rules) {
    const peers = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
    if (peers.some((p) => peerMatches(cluster, p, peer)) && portMatches(rule.ports, destination, protocol, port)) return rule.action;
  }
  return undefined;
}

/** Semantics point 1, with the API server's defaulting: an empty policyTypes is defaulted like an absent one. */
function policyTypes(spec: NetworkPolicySpec): readonly PolicyType[] {
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The cluster with every NetworkPolicy reduced to one direction, so referenceAllows answers for that side alone. */
function onlyDirection(cluster: readonly KubeObject[], direction: PolicyType): KubeObject[] {
  // A policy without the direction is dropped: an empty policyTypes would be defaulted back to Ingress.
  return cluster.flatMap((object): KubeObject[] => {
    if (object.kind !== 'NetworkPolicy') return [object];
    if (!policyTypes(object.spec).includes(direction)) return [];
    return [{ ...object, spec: { ...object.spec, policyTypes: [direction] } }];
  });
}

function networkPolicyIsolates(cluster: readonly KubeObject[], subject: ReferenceWorkload, direction: PolicyType): boolean {
  if (subject.hostNetwork) return false;
  return cluster.some(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      (o.metadata.namespace ?? 'default') === subject.namespace &&
      matches(o.spec.podSelector ?? {}, subject.labels) &&
      policyTypes(o.spec).includes(direction),
  );
}

function sideAllows(
  cluster: readonly KubeObject[],
  admin: readonly AdminObject[],
  direction: PolicyType,
  source: ReferenceEndpoint,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  const subject = direction === 'Egress' ? source : destination;
  const peer = direction === 'Egress' ? destination : source;
  const networkPolicy = () => referenceAllows(onlyDirection(cluster, direction), source, destination, protocol, port);
  if (!isWorkload(subject)) return true;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  // 1. ANPs, lowest priority number first; equal priorities by name (undefined by the API; kubereach's choice).
  const anps = admin
    .filter((o): o is AdminNetworkPolicyObject => o.kind === 'AdminNetworkPolicy')
    .sort((a, b) => a.spec.priority - b.spec.priority || (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const anp of anps) {
    if (!podSelected(cluster, anp.spec.subject, subject)) continue;
    const action = firstMatch(cluster, anp.spec[key] ?? [], direction, peer, destination, protocol, port);
    if (action === 'Allow') return true;
    if (action === 'Deny') return false;
    // Pass skips the remaining ANPs.
    if (action === 'Pass') break;
  }
  // 2. NetworkPolicy decides when it isolates the subject.
  if (networkPolicyIsolates(cluster, subject, direction)) return networkPolicy();
  // 3. The BANP.
  for (const banp of admin) {
    if (banp.kind !== 'BaselineAdminNetworkPolicy' || !podSelected(cluster, banp.spec.subject, subject)) continue;
    const action = firstMatch(cluster, banp.spec[key] ?? [], direction, peer, destination, protocol, port);
    if (action !== undefined) return action === 'Allow';
  }
  // 4. Nothing matched: allowed.
  return true;
}

/** `source` may open `protocol`/`port` to `destination` iff its egress side and the destination's ingress side both allow it. */
export function adminReferenceAllows(
  cluster: readonly KubeObject[],
  admin: readonly AdminObject[],
  source: ReferenceEndpoint,
  destination: ReferenceEndpoint | ExternalAddress,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  return sideAllows(cluster, admin, 'Egress', source, destination, protocol, port) && sideAllows(cluster, admin, 'Ingress', source, destination, protocol, port);
}
