// fast-check arbitraries for small, valid clusters (namespaces, Pods, Deployments, NetworkPolicies) whose selectors collide often.
import fc from 'fast-check';
import type {
  ContainerPortSpec,
  IpBlock,
  KubeObject,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  PodSpec,
  PolicyType,
  PortProtocol,
} from '../reference/reference.js';

/** Label keys and the values they may take; small alphabets make selectors collide. */
export type LabelAlphabet = Readonly<Record<string, readonly string[]>>;

export interface ClusterShape {
  readonly namespaces: { readonly min: number; readonly max: number };
  readonly workloads: { readonly min: number; readonly max: number };
  readonly policies: { readonly min: number; readonly max: number };
  /** Labels selectors may ask for. */
  readonly podLabels: LabelAlphabet;
  /** Labels pods carry that no selector asks for: they must not split the engine's classes. */
  readonly unselectedLabels: LabelAlphabet;
  /** The container port lists pods pick from; absent: random ports (which split classes by their names). */
  readonly portChoices?: readonly (readonly ContainerPortSpec[])[];
}

const NAMESPACE_NAMES = ['default', 'alpha', 'beta', 'gamma'] as const;

const NAMESPACE_LABELS: LabelAlphabet = { env: ['prod', 'dev'], team: ['red', 'blue'] };

/** What namespace selectors may ask for: the user labels plus the implicit name label. */
const NAMESPACE_SELECTOR_LABELS: LabelAlphabet = { ...NAMESPACE_LABELS, 'kubernetes.io/metadata.name': NAMESPACE_NAMES };

const PORT_NAMES = ['http', 'dns', 'metrics'] as const;

const PROTOCOLS: readonly PortProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** Each except lies strictly inside its cidr, as the API server requires. */
const IP_BLOCKS: readonly IpBlock[] = [
  { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
  { cidr: '10.0.0.0/8' },
  { cidr: '0.0.0.0/0' },
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] },
  { cidr: '192.168.1.0/24' },
  { cidr: '172.16.0.0/12', except: ['172.16.5.0/24', '172.20.0.0/14'] },
  { cidr: '10.1.2.3/32' },
  { cidr: '2001:db8::/32' },
  { cidr: '::/0', except: ['2001:db8::/32'] },
  { cidr: '2001:db8:1::/48', except: ['2001:db8:1:2::/64'] },
];

export const DEFAULT_SHAPE: ClusterShape = {
  namespaces: { min: 1, max: 3 },
  workloads: { min: 1, max: 6 },
  policies: { min: 0, max: 4 },
  podLabels: { app: ['a', 'b', 'c'], tier: ['web', 'db'] },
  unselectedLabels: {},
};

/** Many workloads over one two-valued key: most workloads share an equivalence class. */
export const SHARED_CLASSES_SHAPE: ClusterShape = {
  namespaces: { min: 1, max: 2 },
  workloads: { min: 10, max: 20 },
  policies: { min: 1, max: 4 },
  podLabels: { app: ['a', 'b'] },
  unselectedLabels: { release: ['r1', 'r2', 'r3'] },
};

/** The shared-classes shape with few container port lists (named ports tell classes apart): classes of several workloads. */
export const LARGE_CLASSES_SHAPE: ClusterShape = {
  ...SHARED_CLASSES_SHAPE,
  portChoices: [[], [{ name: 'http', containerPort: 8080 }]],
};

/** Many keys and values: workloads rarely share a class. */
export const DISTINCT_LABELS_SHAPE: ClusterShape = {
  namespaces: { min: 1, max: 3 },
  workloads: { min: 4, max: 10 },
  policies: { min: 1, max: 4 },
  podLabels: { app: ['a', 'b', 'c', 'd', 'e', 'f'], tier: ['web', 'db', 'cache'], version: ['v1', 'v2', 'v3'], zone: ['east', 'west'] },
  unselectedLabels: {},
};

function labelsArbitrary(alphabet: LabelAlphabet): fc.Arbitrary<Labels> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const [key, values] of Object.entries(alphabet)) model[key] = fc.constantFrom(...values);
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Labels>;
}

function requirementArbitrary(alphabet: LabelAlphabet): fc.Arbitrary<LabelSelectorRequirement> {
  // `unknown` is a key no object carries, to exercise NotIn and DoesNotExist on absent keys.
  const keys = [...Object.keys(alphabet), 'unknown'];
  return fc.constantFrom(...keys).chain((key) => {
    const values = fc.uniqueArray(fc.constantFrom(...(alphabet[key] ?? []), 'other'), { minLength: 1, maxLength: 2 });
    return fc.oneof(
      fc.record({ key: fc.constant(key), operator: fc.constantFrom('In' as const, 'NotIn' as const), values }),
      fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
    );
  });
}

function selectorArbitrary(alphabet: LabelAlphabet): fc.Arbitrary<LabelSelector> {
  return fc.oneof(
    fc.constant({}),
    labelsArbitrary(alphabet).map((matchLabels) => ({ matchLabels })),
    fc.record(
      { matchLabels: labelsArbitrary(alphabet), matchExpressions: fc.array(requirementArbitrary(alphabet), { minLength: 1, maxLength: 2 }) },
      { requiredKeys: ['matchExpressions'] },
    ),
  );
}

function peerArbitrary(podLabels: LabelAlphabet): fc.Arbitrary<NetworkPolicyPeer> {
  const podSelector = selectorArbitrary(podLabels);
  const namespaceSelector = selectorArbitrary(NAMESPACE_SELECTOR_LABELS);
  return fc.oneof(
    podSelector.map((selector) => ({ podSelector: selector })),
    namespaceSelector.map((selector) => ({ namespaceSelector: selector })),
    fc.record({ podSelector, namespaceSelector }),
    fc.constantFrom(...IP_BLOCKS).map((ipBlock) => ({ ipBlock })),
  );
}

const portNumberArbitrary = fc.oneof(fc.constantFrom(53, 80, 443, 8080, 9090), fc.integer({ min: 1, max: 65535 }));

const protocolArbitrary = fc.constantFrom(...PROTOCOLS);

const policyPortArbitrary: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  // Protocol only (or nothing at all: every TCP port).
  fc.record({ protocol: protocolArbitrary }, { requiredKeys: [] }),
  fc.record({ protocol: protocolArbitrary, port: portNumberArbitrary }, { requiredKeys: ['port'] }),
  fc
    .record({ protocol: protocolArbitrary, port: portNumberArbitrary, width: fc.integer({ min: 0, max: 200 }) }, { requiredKeys: ['port', 'width'] })
    .map(({ width, ...entry }) => ({ ...entry, endPort: Math.min(65535, entry.port + width) })),
  fc.record({ protocol: protocolArbitrary, port: fc.constantFrom(...PORT_NAMES) }, { requiredKeys: ['port'] }),
);

/** A rule's peers or ports when present: `[]` or a few elements. */
function listArbitrary<T>(element: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.oneof(fc.constant<T[]>([]), fc.array(element, { minLength: 1, maxLength: 2 }));
}

/** A direction's rules when present: `[]`, `[{}]` (allow everything) or a few random rules. */
function rulesArbitrary<R extends object>(rule: fc.Arbitrary<R>, allowEverything: R): fc.Arbitrary<R[]> {
  return fc.oneof(fc.constant<R[]>([]), fc.constant<R[]>([allowEverything]), fc.array(rule, { minLength: 1, maxLength: 2 }));
}

function policySpecArbitrary(podLabels: LabelAlphabet): fc.Arbitrary<NetworkPolicySpec> {
  const peers = listArbitrary(peerArbitrary(podLabels));
  const ports = listArbitrary(policyPortArbitrary);
  const ingress: fc.Arbitrary<NetworkPolicyIngressRule> = fc.record({ from: peers, ports }, { requiredKeys: [] });
  const egress: fc.Arbitrary<NetworkPolicyEgressRule> = fc.record({ to: peers, ports }, { requiredKeys: [] });
  // [] is defaulted like a missing list by the API server (SetDefaults_NetworkPolicy tests len == 0).
  const policyTypes = fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress'], []);
  return fc.record(
    { podSelector: selectorArbitrary(podLabels), policyTypes, ingress: rulesArbitrary(ingress, {}), egress: rulesArbitrary(egress, {}) },
    { requiredKeys: ['podSelector'] },
  );
}

interface GeneratedNamespace {
  readonly name: string;
  /** False: the namespace exists only because objects name it. */
  readonly explicit: boolean;
  readonly labels: Labels;
}

interface Placement {
  readonly namespace: string;
  /** Leave `metadata.namespace` out when the namespace is `default`. */
  readonly implicitDefault: boolean;
}

function placementArbitrary(namespaces: readonly string[]): fc.Arbitrary<Placement> {
  return fc.record({ namespace: fc.constantFrom(...namespaces), implicitDefault: fc.boolean() });
}

function metadataFor(name: string, placement: Placement): { name: string; namespace?: string } {
  return placement.namespace === 'default' && placement.implicitDefault ? { name } : { name, namespace: placement.namespace };
}

interface GeneratedPort extends ContainerPortSpec {
  readonly sidecar: boolean;
}

const containerPortArbitrary: fc.Arbitrary<GeneratedPort> = fc.record(
  { name: fc.constantFrom(...PORT_NAMES), containerPort: fc.oneof(fc.constantFrom(53, 80, 443, 8080, 9090), fc.integer({ min: 1, max: 65535 })), protocol: protocolArbitrary, sidecar: fc.boolean() },
  { requiredKeys: ['containerPort', 'sidecar'] },
);

/**
 * Pod spec with 0-2 ports spread over one or two containers, the second one a container or a sidecar (an init container
 * with `restartPolicy: Always`); port names and containerPort/protocol pairs stay unique. Init containers that are no
 * sidecars are left out: Calico maps their ports too (workload_endpoint_default.go), which the engine does not model.
 */
function podSpecArbitrary(portChoices: ClusterShape['portChoices']): fc.Arbitrary<PodSpec> {
  const ports =
    portChoices === undefined
      ? fc.array(containerPortArbitrary, { maxLength: 2 }).filter((list) => {
          const names = list.flatMap((port) => (port.name === undefined ? [] : [port.name]));
          const pairs = list.map((port) => `${port.containerPort}/${port.protocol ?? 'TCP'}`);
          return new Set(names).size === names.length && new Set(pairs).size === pairs.length;
        })
      : fc.constantFrom(...portChoices).map((list) => list.map((port): GeneratedPort => ({ ...port, sidecar: false })));
  const hostNetwork = fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 6, arbitrary: fc.constant(false) });
  return fc.record({ ports, hostNetwork, sidecarAsInit: fc.boolean() }).map(({ ports: list, hostNetwork: onHost, sidecarAsInit }): PodSpec => {
    const containerOf = (sidecar: boolean, name: string) => {
      const own = list.filter((port) => port.sidecar === sidecar).map(({ sidecar: _sidecar, ...port }) => port);
      return own.length === 0 ? { name } : { name, ports: own };
    };
    const main = containerOf(false, 'main');
    const withSidecar = !list.some((port) => port.sidecar)
      ? { containers: [main] }
      : sidecarAsInit
        ? { containers: [main], initContainers: [{ ...containerOf(true, 'sidecar'), restartPolicy: 'Always' as const }] }
        : { containers: [main, containerOf(true, 'sidecar')] };
    return onHost ? { hostNetwork: true, ...withSidecar } : withSidecar;
  });
}

interface GeneratedWorkload {
  readonly kind: 'Pod' | 'Deployment';
  readonly placement: Placement;
  readonly labels: Labels;
  readonly spec: PodSpec;
}

interface GeneratedPolicy {
  readonly placement: Placement;
  readonly spec: NetworkPolicySpec;
}

function toObjects(namespaces: readonly GeneratedNamespace[], workloads: readonly GeneratedWorkload[], policies: readonly GeneratedPolicy[]): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const namespace of namespaces) {
    if (!namespace.explicit) continue;
    const labels = Object.keys(namespace.labels).length === 0 ? {} : { labels: namespace.labels };
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace.name, ...labels } });
  }
  workloads.forEach((workload, index) => {
    if (workload.kind === 'Pod') {
      const labels = Object.keys(workload.labels).length === 0 ? {} : { labels: workload.labels };
      objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { ...metadataFor(`pod-${index}`, workload.placement), ...labels }, spec: workload.spec });
    } else {
      // apps/v1 needs a non-empty selector matching the template's labels; every shape has `app`.
      const labels = Object.keys(workload.labels).length === 0 ? { app: 'a' } : workload.labels;
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: metadataFor(`deploy-${index}`, workload.placement),
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: workload.spec } },
      });
    }
  });
  policies.forEach((policy, index) => {
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadataFor(`np-${index}`, policy.placement), spec: policy.spec });
  });
  return objects;
}

/** A random valid cluster as the plain objects a manifest would hold. */
export function clusterArbitrary(shape: ClusterShape): fc.Arbitrary<KubeObject[]> {
  const namespaceArbitrary = fc.record({ name: fc.constantFrom(...NAMESPACE_NAMES), explicit: fc.boolean(), labels: labelsArbitrary(NAMESPACE_LABELS) });
  const namespaces = fc.uniqueArray(namespaceArbitrary, { selector: (namespace) => namespace.name, minLength: shape.namespaces.min, maxLength: shape.namespaces.max });
  return namespaces.chain((generated) => {
    const names = generated.map((namespace) => namespace.name);
    const workload = fc.record({
      kind: fc.constantFrom('Pod' as const, 'Deployment' as const),
      placement: placementArbitrary(names),
      labels: labelsArbitrary({ ...shape.podLabels, ...shape.unselectedLabels }),
      spec: podSpecArbitrary(shape.portChoices),
    });
    const policy = fc.record({ placement: placementArbitrary(names), spec: policySpecArbitrary(shape.podLabels) });
    return fc
      .tuple(
        fc.array(workload, { minLength: shape.workloads.min, maxLength: shape.workloads.max }),
        fc.array(policy, { minLength: shape.policies.min, maxLength: shape.policies.max }),
      )
      .map(([workloads, policies]) => toObjects(generated, workloads, policies));
  });
}
