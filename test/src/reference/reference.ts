// A brute-force NetworkPolicy (networking.k8s.io/v1) evaluator for one pair, one protocol and one port, written straight from the spec to check the engine against.
//
// Deliberately naive: plain nested loops over the raw Kubernetes objects on every call, no
// caching, no grouping, no set algebra. It shares no code with @kubereach/core. Numbers in
// comments refer to /work/shared/reference/semantics-notes.md.

export type Labels = Readonly<Record<string, string>>;

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Labels;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ContainerPortSpec {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface ContainerSpec {
  readonly name: string;
  readonly ports?: readonly ContainerPortSpec[];
  /** Only on init containers: `Always` makes one a sidecar. */
  readonly restartPolicy?: 'Always';
}

export interface PodSpec {
  readonly hostNetwork?: boolean;
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
}

export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec: PodSpec;
}

export interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
  /**
   * Not Kubernetes: a peer the plugin profiles' rewrite (profile-reference.ts) adds where an ipBlock holds every pod's
   * address, hostNetwork pods' (their node's) included.
   */
  readonly everyPod?: true;
}

export interface NetworkPolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly PolicyType[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
  /**
   * Not Kubernetes: set by the plugin profiles' rewrite (profile-reference.ts) where the plugin applies the rules of a
   * direction policyTypes leaves out as allows, without isolating (Weave).
   */
  readonly inactiveRulesAllow?: true;
}

export interface NamespaceObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: ObjectMeta;
}

export interface PodObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: ObjectMeta;
  readonly spec: PodSpec;
}

/** The controllers whose pods are described by `spec.template`. */
export interface TemplatedObject {
  readonly apiVersion: string;
  readonly kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'ReplicationController';
  readonly metadata: ObjectMeta;
  readonly spec: { readonly selector?: LabelSelector | Labels; readonly manualSelector?: boolean; readonly template: PodTemplateSpec };
}

export interface CronJobObject {
  readonly apiVersion: string;
  readonly kind: 'CronJob';
  readonly metadata: ObjectMeta;
  readonly spec: { readonly schedule: string; readonly jobTemplate: { readonly spec: { readonly template: PodTemplateSpec } } };
}

export interface NetworkPolicyObject {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: NetworkPolicySpec;
}

export type KubeObject = NamespaceObject | PodObject | TemplatedObject | CronJobObject | NetworkPolicyObject;

export type PortProtocol = 'TCP' | 'UDP' | 'SCTP';
/** ICMP stands for the protocols without ports: the port argument is ignored for it. */
export type ReferenceProtocol = PortProtocol | 'ICMP';

export interface ReferenceContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: PortProtocol;
}

/** The pods of one object (a Pod, or every replica of a controller). */
export interface ReferenceWorkload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly hostNetwork: boolean;
  readonly ports: readonly ReferenceContainerPort[];
}

/** An address outside the cluster: text (`10.1.2.3`, `2001:db8::1`) or an integer with its family. */
export type ExternalAddress = string | { readonly family: 4 | 6; readonly address: bigint };

export type ReferenceEndpoint = ReferenceWorkload | ExternalAddress;

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? 'default';
}

/**
 * Point 6: the ports a pod's containers declare. A sidecar (an init container with `restartPolicy: Always`) keeps
 * running next to the containers, so its ports count too; any other init container has exited before the containers
 * start. Kubernetes resolves a Service's named targetPort the same way (FindPort in pkg/api/v1/pod/util.go).
 */
function portsOf(spec: PodSpec): ReferenceContainerPort[] {
  const ports: ReferenceContainerPort[] = [];
  const running = [...spec.containers, ...(spec.initContainers ?? []).filter((init) => init.restartPolicy === 'Always')];
  for (const container of running) {
    for (const port of container.ports ?? []) {
      const protocol = (port.protocol ?? 'TCP') as PortProtocol;
      ports.push(port.name === undefined ? { containerPort: port.containerPort, protocol } : { name: port.name, containerPort: port.containerPort, protocol });
    }
  }
  return ports;
}

/**
 * The API server adds `job-name` and `batch.kubernetes.io/job-name` (the Job's name) to the template of a Job without
 * `manualSelector: true`, keeping keys already written (pkg/registry/batch/job/strategy.go, generateSelector).
 */
function templateLabels(object: KubeObject, template: PodTemplateSpec): Labels {
  const labels = template.metadata?.labels ?? {};
  if (object.kind !== 'Job' || object.spec.manualSelector === true) return labels;
  const name = object.metadata.name ?? '';
  return { 'job-name': name, 'batch.kubernetes.io/job-name': name, ...labels };
}

function workloadFromTemplate(object: KubeObject, template: PodTemplateSpec): ReferenceWorkload {
  return {
    kind: object.kind,
    namespace: namespaceOf(object),
    name: object.metadata.name ?? '',
    labels: templateLabels(object, template),
    hostNetwork: template.spec.hostNetwork === true,
    ports: portsOf(template.spec),
  };
}

/** Every workload of the cluster: each Pod, and each controller's pod template. */
export function referenceWorkloads(cluster: readonly KubeObject[]): ReferenceWorkload[] {
  const workloads: ReferenceWorkload[] = [];
  for (const object of cluster) {
    if (object.kind === 'Pod') workloads.push(workloadFromTemplate(object, object));
    else if (object.kind === 'CronJob') workloads.push(workloadFromTemplate(object, object.spec.jobTemplate.spec.template));
    else if (object.kind !== 'Namespace' && object.kind !== 'NetworkPolicy') workloads.push(workloadFromTemplate(object, object.spec.template));
  }
  return workloads;
}

/** Point 5: a namespace's labels always include its name; a namespace without an object has only that one. */
function namespaceLabels(cluster: readonly KubeObject[], namespace: string): Labels {
  for (const object of cluster) {
    if (object.kind === 'Namespace' && object.metadata.name === namespace) {
      return { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: namespace };
    }
  }
  return { [NAMESPACE_NAME_LABEL]: namespace };
}

/** Point 5: matchLabels AND every matchExpression; NotIn and DoesNotExist hold when the key is absent. */
function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, requirement.key);
    const valueListed = present && (requirement.values ?? []).includes(labels[requirement.key]!);
    let holds: boolean;
    switch (requirement.operator) {
      case 'In':
        holds = valueListed;
        break;
      case 'NotIn':
        holds = !valueListed;
        break;
      case 'Exists':
        holds = present;
        break;
      case 'DoesNotExist':
        holds = !present;
        break;
    }
    if (!holds) return false;
  }
  return true;
}

interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
}

function parseIPv4(text: string): bigint {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  let value = 0n;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d+$/.test(part) || octet > 255) throw new Error(`not an IPv4 address: ${text}`);
    value = value * 256n + BigInt(octet);
  }
  return value;
}

function parseIPv6(text: string): bigint {
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`not an IPv6 address: ${text}`);
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) throw new Error(`not an IPv6 address: ${text}`);
  const groups = [...head, ...new Array<string>(missing).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new Error(`not an IPv6 address: ${text}`);
    value = value * 65536n + BigInt(parseInt(group, 16));
  }
  return value;
}

function parseAddress(text: string): Address {
  return text.includes(':') ? { family: 6, value: parseIPv6(text) } : { family: 4, value: parseIPv4(text) };
}

function toAddress(external: ExternalAddress): Address {
  return typeof external === 'string' ? parseAddress(external) : { family: external.family, value: external.address };
}

function cidrContains(cidr: string, address: Address): boolean {
  const [network, prefix] = cidr.split('/');
  const base = parseAddress(network!);
  if (base.family !== address.family) return false;
  const hostBits = BigInt((address.family === 4 ? 32 : 128) - Number(prefix));
  return base.value >> hostBits === address.value >> hostBits;
}

/** Point 8: cidr minus its excepts. */
function ipBlockContains(block: IpBlock, address: Address): boolean {
  if (!cidrContains(block.cidr, address)) return false;
  for (const except of block.except ?? []) {
    if (cidrContains(except, address)) return false;
  }
  return true;
}

function isWorkload(endpoint: ReferenceEndpoint): endpoint is ReferenceWorkload {
  return typeof endpoint === 'object' && 'labels' in endpoint;
}

/** Point 4: does one `from`/`to` element of a policy in `policyNamespace` match the endpoint on the other side? */
function peerMatches(cluster: readonly KubeObject[], policyNamespace: string, peer: NetworkPolicyPeer, endpoint: ReferenceEndpoint): boolean {
  if (peer.everyPod === true) return isWorkload(endpoint);
  if (peer.ipBlock !== undefined) {
    // Pods in manifests have no addresses: an ipBlock can only name external addresses.
    return !isWorkload(endpoint) && ipBlockContains(peer.ipBlock, toAddress(endpoint));
  }
  // Point 9: hostNetwork pods are not matched by pod or namespace selectors.
  if (!isWorkload(endpoint) || endpoint.hostNetwork) return false;
  if (peer.namespaceSelector === undefined) {
    if (endpoint.namespace !== policyNamespace) return false;
  } else if (!selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, endpoint.namespace))) {
    return false;
  }
  if (peer.podSelector !== undefined && !selectorMatches(peer.podSelector, endpoint.labels)) return false;
  return true;
}

/** Point 6: one `ports` element against a connection to `destination`. */
function portMatches(entry: NetworkPolicyPort, destination: ReferenceEndpoint, protocol: ReferenceProtocol, port: number): boolean {
  const entryProtocol = entry.protocol ?? 'TCP';
  if (protocol === 'ICMP' || entryProtocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    const last = entry.endPort ?? entry.port;
    return entry.port <= port && port <= last;
  }
  // A named port is looked up on the destination pod's containers, by name and protocol.
  if (!isWorkload(destination)) return false;
  for (const containerPort of destination.ports) {
    if (containerPort.name === entry.port && containerPort.protocol === entryProtocol && containerPort.containerPort === port) return true;
  }
  return false;
}

/** Point 1: the directions a policy acts on. */
function policyTypesOf(spec: NetworkPolicySpec): readonly PolicyType[] {
  // SetDefaults_NetworkPolicy defaults on len(policyTypes) == 0: an empty list is the same as none.
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/**
 * Point 2: what the policies of `subject` allow in one direction with `peer`.
 * `destination` is the endpoint receiving the connection (the subject for ingress, the peer for egress).
 */
function sideAllows(
  cluster: readonly KubeObject[],
  subject: ReferenceWorkload,
  direction: PolicyType,
  peer: ReferenceEndpoint,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  // Point 9: policies neither select nor isolate hostNetwork pods.
  if (subject.hostNetwork) return true;
  let isolated = false;
  for (const object of cluster) {
    if (object.kind !== 'NetworkPolicy') continue;
    const policyNamespace = namespaceOf(object);
    if (policyNamespace !== subject.namespace) continue;
    if (!selectorMatches(object.spec.podSelector ?? {}, subject.labels)) continue;
    // A rule of a direction policyTypes leaves out allows only where the plugin applies it; it never isolates. (Not
    // isolated, the side allows everything anyway, so its rules may answer either way.)
    const active = policyTypesOf(object.spec).includes(direction);
    if (!active && object.spec.inactiveRulesAllow !== true) continue;
    if (active) isolated = true;
    const rules = direction === 'Ingress' ? (object.spec.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports })) : (object.spec.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
    for (const rule of rules) {
      // Point 3: missing or empty peers match every endpoint; missing or empty ports every connection.
      let peerMatched = rule.peers === undefined || rule.peers.length === 0;
      for (const rulePeer of rule.peers ?? []) {
        if (peerMatches(cluster, policyNamespace, rulePeer, peer)) peerMatched = true;
      }
      if (!peerMatched) continue;
      let portMatched = rule.ports === undefined || rule.ports.length === 0;
      for (const entry of rule.ports ?? []) {
        if (portMatches(entry, destination, protocol, port)) portMatched = true;
      }
      if (portMatched) return true;
    }
  }
  return !isolated;
}

/** Point 7: `source` may open a `protocol`/`port` connection to `destination` iff its egress and the destination's ingress allow it. */
export function referenceAllows(
  cluster: readonly KubeObject[],
  source: ReferenceEndpoint,
  destination: ReferenceEndpoint,
  protocol: ReferenceProtocol,
  port: number,
): boolean {
  // External endpoints have no policies of their own.
  const egressAllows = !isWorkload(source) || sideAllows(cluster, source, 'Egress', destination, destination, protocol, port);
  const ingressAllows = !isWorkload(destination) || sideAllows(cluster, destination, 'Ingress', source, destination, protocol, port);
  return egressAllows && ingressAllows;
}
