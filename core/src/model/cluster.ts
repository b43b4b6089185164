// The cluster model: namespaces (explicit or implied), workloads from pod templates and pods, compiled policies.
import type { SourceLocation } from '../source/source.js';
import type { FieldPath, ManifestObject } from '../manifest/types.js';
import type { ContainerSpec, KnownKind, ObjectMeta, OwnerReference, PodSpec, PodTemplateSpec } from '../manifest/kubernetes-types.js';
import { locationAt } from '../manifest/index.js';
import { isPortProtocol, type PortProtocol } from '../semantics/connection-set.js';
import { parseIp, type IpFamily } from '../semantics/ip.js';
import type { Labels } from '../semantics/label-selector.js';
import { compilePolicy, type CompiledPolicy } from '../semantics/policy-ir.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamespaceInfo {
  readonly name: string;
  /** Labels including the implicit `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  /** The Namespace object, when one was given; implied namespaces have none. */
  readonly location: SourceLocation | undefined;
}

export interface ContainerPort {
  readonly container: string;
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: PortProtocol;
}

export interface Workload {
  /** `namespace/name[Kind]`, the connlist notation. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  /** Labels of the pods (the pod template's labels for controllers). */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** hostNetwork pods use the node's address: pod selectors neither select nor match them. */
  readonly hostNetwork: boolean;
  /**
   * Whether the pods send their DNS queries to the cluster DNS (the kube-dns Service), by their effective `dnsPolicy`
   * (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy): ClusterFirst, the
   * default, and ClusterFirstWithHostNet do; Default (the node's resolver configuration) and None (only
   * `spec.dnsConfig`) do not; and a hostNetwork pod with ClusterFirst "will fallback to the behavior of the Default
   * policy".
   */
  readonly usesClusterDns: boolean;
  readonly serviceAccount: string;
  /**
   * The pod's IP addresses (status.podIP, status.podIPs), distinct: only a bare Pod read from a cluster or an export has
   * them; a controller's pods share no address, so its workload has none.
   */
  readonly addresses: readonly PodAddress[];
  /** The object's metadata.name (or the owning Pod's when reported as its owner). */
  readonly location: SourceLocation;
}

export interface PodAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface ClusterModel {
  /** Sorted by name. */
  readonly namespaces: readonly NamespaceInfo[];
  /** Sorted by id. */
  readonly workloads: readonly Workload[];
  /** Accepted NetworkPolicies, sorted by id. */
  readonly policies: readonly CompiledPolicy[];
  /** The namespace of namespaced objects that name none (ModelOptions.defaultNamespace, else `default`). */
  readonly defaultNamespace: string;
}

export interface ModelOptions {
  /** Namespace for namespaced objects that name none (kubectl's `--namespace`); `default` by default. */
  readonly defaultNamespace?: string;
  /**
   * The objects' texts, by file: where some selector names one pod of a StatefulSet (`statefulset.kubernetes.io/pod-name`,
   * `apps.kubernetes.io/pod-index`), its pods become workloads of their own (see statefulSetPods).
   */
  readonly sources?: ReadonlyMap<string, { readonly text: string }>;
}

/**
 * Locations in `object`; each range is resolved when first read (see locationAt). A document's own object (no base
 * path) takes the paths as they are: paths are read-only, and a policy locates every rule, peer and port.
 */
export function objectLocator(object: ManifestObject) {
  const { document, basePath } = object;
  return (path: FieldPath, options?: { key?: boolean }): SourceLocation =>
    locationAt(document, basePath.length === 0 ? path : [...basePath, ...path], options);
}

/** The object each workload's and policy's location (its metadata.name) is in. */
const locatedObjects = new WeakMap<SourceLocation, ManifestObject>();

/**
 * The object a workload's or a compiled policy's location is in, if the model made it: comparing documents first
 * spares reading the ranges (and so the trees) of documents that cannot hold one another.
 */
export function objectOfLocation(location: SourceLocation): ManifestObject | undefined {
  return locatedObjects.get(location);
}

function nameLocation(object: ManifestObject, location: SourceLocation = locateName(object)): SourceLocation {
  locatedObjects.set(location, object);
  return location;
}

const NAME_PATH: FieldPath = ['metadata', 'name'];

/** The location of an object's metadata.name: the path of a document's own object is one array for all. */
function locateName(object: ManifestObject): SourceLocation {
  const { basePath } = object;
  return locationAt(object.document, basePath.length === 0 ? NAME_PATH : [...basePath, ...NAME_PATH]);
}

/** Builds the model from loaded objects; objects the API server would reject are left out. */
export function buildClusterModel(objects: readonly ManifestObject[], options: ModelOptions = {}): ClusterModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const accepted = objects.filter((o) => !o.rejected);
  const namespaceOf = (object: ManifestObject): string => object.namespace ?? defaultNamespace;

  // Indexed loops: this runs once per analysis, over every object, mostly before the code is optimized, when an
  // iterator allocates per item.
  const namespaces = new Map<string, NamespaceInfo>();
  for (let k = 0; k < accepted.length; k++) {
    const object = accepted[k]!;
    if (object.kind === 'Namespace') namespaces.set(object.name, declaredNamespace(object as ManifestObject<'Namespace'>));
  }

  const workloads = buildWorkloads(accepted, namespaceOf, readsPodIdentity(accepted, options.sources));
  // Every other object implies its namespace (a workload's is its object's).
  const policies: CompiledPolicy[] = [];
  for (let k = 0; k < accepted.length; k++) {
    const object = accepted[k]!;
    if (object.kind === 'Namespace') continue;
    const namespace = namespaceOf(object);
    if (!namespaces.has(namespace)) namespaces.set(namespace, impliedNamespace(namespace));
    if (object.kind === 'NetworkPolicy') policies.push(compiledPolicy(object as ManifestObject<'NetworkPolicy'>, namespace));
  }

  return {
    namespaces: [...namespaces.values()].sort((a, b) => compareStrings(a.name, b.name)),
    workloads: workloads.sort((a, b) => compareStrings(a.id, b.id)),
    policies: policies.sort((a, b) => compareStrings(a.id, b.id)),
    defaultNamespace,
  };
}

function buildWorkloads(
  objects: readonly ManifestObject[],
  namespaceOf: (o: ManifestObject) => string,
  podsApart: boolean,
): Workload[] {
  // Objects by kind, namespace and name, for following owners: made the first time an object has a controller.
  let byKey: Map<string, ManifestObject> | undefined;
  const ownerObject = (key: string): ManifestObject | undefined => {
    if (byKey === undefined) {
      byKey = new Map();
      for (const object of objects) byKey.set(objectKey(object.kind, namespaceOf(object), object.name), object);
    }
    return byKey.get(key);
  };

  // A pod (or ReplicaSet, Job) is reported as its pod controller, followed up through the owners that are in the input.
  const reportedAs = (object: ManifestObject, meta: ObjectMeta | undefined): { readonly kind: string; readonly name: string } => {
    let reported: { readonly kind: string; readonly name: string } = object;
    let owners = meta?.ownerReferences;
    // Most objects have no owner: nothing is allocated for them.
    let seen: Set<string> | undefined;
    for (;;) {
      const controller = owners?.find(isPodController);
      if (controller === undefined) return reported;
      reported = controller;
      const key = objectKey(controller.kind, namespaceOf(object), controller.name);
      if (seen?.has(key) === true) return reported;
      (seen ??= new Set()).add(key);
      const owner = ownerObject(key);
      owners = owner === undefined ? undefined : (owner.value as { metadata: ObjectMeta }).metadata.ownerReferences;
    }
  };

  const result = new Map<string, Workload>();
  for (let k = 0; k < objects.length; k++) {
    const object = objects[k]!;
    const template = podTemplateOf(object);
    if (template === undefined) continue;
    const namespace = namespaceOf(object);
    const meta = (object.value as { metadata: ObjectMeta }).metadata;
    // A StatefulSet's pods apart, where a selector names one of them.
    if (podsApart && object.kind === 'StatefulSet' && !hasPodController(meta)) {
      const pods = statefulSetPods(object as ManifestObject<'StatefulSet'>, namespace, template);
      if (pods !== undefined) {
        for (const pod of pods) if (!result.has(pod.id)) result.set(pod.id, pod);
        continue;
      }
    }
    // The same object read as the same workload gives the same value: an unchanged file's workloads are kept. One
    // without a controller is reported as itself, in its namespace: its kept workload is then known by those alone.
    const kept = workloadsRead.get(object);
    if (kept !== undefined && kept.namespace === namespace && !hasPodController(meta) && kept.kind === object.kind) {
      if (!result.has(kept.id)) result.set(kept.id, kept);
      continue;
    }
    const owner = reportedAs(object, meta);
    const id = `${namespace}/${owner.name}[${owner.kind}]`;
    if (result.has(id)) continue;
    if (kept?.id === id) {
      result.set(id, kept);
      continue;
    }
    const { spec } = template;
    const workload: Workload = {
      id,
      namespace,
      name: owner.name,
      kind: owner.kind,
      labels: podLabels(object, owner === object, template),
      ports: containerPorts(spec),
      hostNetwork: spec.hostNetwork === true,
      usesClusterDns: usesClusterDns(spec),
      serviceAccount: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
      addresses: object.kind === 'Pod' && owner.kind === 'Pod' ? podAddresses((object as ManifestObject<'Pod'>).value.status) : NO_ADDRESSES,
      location: nameLocation(object),
    };
    workloadsRead.set(object, workload);
    result.set(id, workload);
  }
  return [...result.values()];
}

const NO_ADDRESSES: readonly PodAddress[] = [];

/** `job-name` since Jobs have had generated selectors; `batch.kubernetes.io/job-name` from Kubernetes 1.27 (#114930). */
const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;

/**
 * The labels of a workload's pods: its template's, and for a Job the name labels the API server adds to the template
 * of every Job it accepts without `spec.manualSelector: true` (pkg/registry/batch/job/strategy.go, generateSelector).
 * A key the manifest already writes keeps its value (a value other than the Job's name gets the Job rejected). The
 * `controller-uid` labels it adds hold the Job's uid, which no manifest knows: they are left out. A CronJob's Jobs get
 * the name labels too, but their names are generated per run (`<cronjob>-<n>`), so no value is known and a CronJob's
 * workload stands for all its runs; likewise a Job reported as its controller stands for that controller's Jobs.
 */
function podLabels(object: ManifestObject, reportedAsItself: boolean, template: PodTemplateSpec): Labels {
  const written = template.metadata?.labels ?? {};
  if (object.kind === 'StatefulSet' && reportedAsItself) return statefulSetPodLabels(object as ManifestObject<'StatefulSet'>, written);
  if (object.kind !== 'Job' || !reportedAsItself || (object as ManifestObject<'Job'>).value.spec.manualSelector === true) return written;
  const labels: Record<string, string> = { ...written };
  for (const key of JOB_NAME_LABELS) if (!Object.hasOwn(labels, key)) labels[key] = object.name;
  return labels;
}

/** The labels the StatefulSet controller sets on each pod, whatever the template says (stateful_set_utils.go). */
const STATEFUL_SET_POD_NAME = 'statefulset.kubernetes.io/pod-name';
const STATEFUL_SET_POD_INDEX = 'apps.kubernetes.io/pod-index';

/**
 * A StatefulSet's pods carry the template's labels and their own name and ordinal (`statefulset.kubernetes.io/pod-name`;
 * `apps.kubernetes.io/pod-index` from Kubernetes 1.28, PodIndexLabel). A StatefulSet of one replica has one pod,
 * `<name>-<start>`, whose values are known; with more replicas the workload stands for pods whose values differ, and
 * none is given, unless a selector names one of them: then each pod is a workload (statefulSetPods).
 */
function statefulSetPodLabels(object: ManifestObject<'StatefulSet'>, written: Labels): Labels {
  const { replicas, ordinals } = object.value.spec;
  if ((replicas ?? 1) !== 1) return written;
  const ordinal = ordinals?.start ?? 0;
  return { ...written, [STATEFUL_SET_POD_NAME]: `${object.name}-${ordinal}`, [STATEFUL_SET_POD_INDEX]: String(ordinal) };
}

/** The kinds whose selectors may name one pod of a StatefulSet: policies of every API, and Services. */
const SELECTING_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'Service',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'CalicoNetworkPolicy',
  'CalicoGlobalNetworkPolicy',
]);

/**
 * Whether some policy or Service mentions a label only one pod of a StatefulSet carries. Its text is searched (Calico
 * selectors are expressions): a mention outside a selector only makes pods workloads of their own needlessly, which
 * changes no verdict.
 */
function readsPodIdentity(objects: readonly ManifestObject[], sources: ModelOptions['sources']): boolean {
  if (sources === undefined) return false;
  for (const object of objects) {
    if (!SELECTING_KINDS.has(object.kind)) continue;
    const text = sources.get(object.document.file)?.text;
    if (text === undefined) continue;
    const { start, end } = object.document.range;
    const own = text.slice(start, end);
    if (own.includes(STATEFUL_SET_POD_NAME) || own.includes(STATEFUL_SET_POD_INDEX)) return true;
  }
  return false;
}

/**
 * The pods of a StatefulSet of several replicas as workloads of their own, `<namespace>/<name>-<ordinal>[Pod]`, each
 * with its name and ordinal labels (stateful_set_utils.go): made when a selector names one of them, which the
 * StatefulSet's single workload (whose pods' values differ) cannot stand for. Undefined for one replica, whose
 * workload carries its pod's labels already.
 */
function statefulSetPods(object: ManifestObject<'StatefulSet'>, namespace: string, template: PodTemplateSpec): Workload[] | undefined {
  const { replicas, ordinals } = object.value.spec;
  const count = replicas ?? 1;
  if (count <= 1) return undefined;
  const kept = podsRead.get(object);
  if (kept?.namespace === namespace) return kept.pods;
  const start = ordinals?.start ?? 0;
  const { spec } = template;
  const written = template.metadata?.labels ?? {};
  const shared = {
    namespace,
    kind: 'Pod',
    ports: containerPorts(spec),
    hostNetwork: spec.hostNetwork === true,
    usesClusterDns: usesClusterDns(spec),
    serviceAccount: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
    addresses: NO_ADDRESSES,
    location: nameLocation(object),
  };
  const pods: Workload[] = [];
  for (let ordinal = start; ordinal < start + count; ordinal++) {
    const name = `${object.name}-${ordinal}`;
    pods.push({
      ...shared,
      id: `${namespace}/${name}[Pod]`,
      name,
      labels: { ...written, [STATEFUL_SET_POD_NAME]: name, [STATEFUL_SET_POD_INDEX]: String(ordinal) },
    });
  }
  podsRead.set(object, { namespace, pods });
  return pods;
}

const podsRead = new WeakMap<ManifestObject, { readonly namespace: string; readonly pods: Workload[] }>();

/**
 * Loaded objects are immutable, and a language server keeps the objects of files an edit did not touch: what the
 * model reads from one object alone is kept with it, so that only the edited file's objects are read again. A
 * workload's id also depends on its owners (other objects) and a policy's namespace on the default namespace: a
 * kept value is used only when those agree.
 */
const workloadsRead = new WeakMap<ManifestObject, Workload>();
const namespacesRead = new WeakMap<ManifestObject, NamespaceInfo>();
/**
 * Implied namespaces depend on their name alone. Names typed in an editor come and go: the map is emptied when it
 * holds more than a bound (a kept value only saves work, it is never needed).
 */
const impliedNamespaces = new Map<string, NamespaceInfo>();
const IMPLIED_NAMESPACES_KEPT = 10_000;

function declaredNamespace(object: ManifestObject<'Namespace'>): NamespaceInfo {
  let info = namespacesRead.get(object);
  if (info === undefined) {
    const labels = object.value.metadata.labels ?? {};
    // The API server sets the name label itself, whatever the manifest says.
    info = {
      name: object.name,
      labels: { ...labels, [NAMESPACE_NAME_LABEL]: object.name },
      location: objectLocator(object)(['metadata', 'name']),
    };
    namespacesRead.set(object, info);
  }
  return info;
}

function impliedNamespace(name: string): NamespaceInfo {
  let info = impliedNamespaces.get(name);
  if (info === undefined) {
    info = { name, labels: { [NAMESPACE_NAME_LABEL]: name }, location: undefined };
    if (impliedNamespaces.size >= IMPLIED_NAMESPACES_KEPT) impliedNamespaces.clear();
    impliedNamespaces.set(name, info);
  }
  return info;
}
const policiesRead = new WeakMap<ManifestObject, CompiledPolicy>();

function compiledPolicy(object: ManifestObject<'NetworkPolicy'>, namespace: string): CompiledPolicy {
  const kept = policiesRead.get(object);
  if (kept?.namespace === namespace) return kept;
  const policy = compilePolicy({ namespace, name: object.name, spec: object.value.spec }, objectLocator(object));
  nameLocation(object, policy.location);
  policiesRead.set(object, policy);
  return policy;
}

/** The pod template of a workload object (a Pod is its own), or undefined for other kinds. */
function podTemplateOf(object: ManifestObject): PodTemplateSpec | undefined {
  switch (object.kind) {
    case 'Pod':
      return (object as ManifestObject<'Pod'>).value;
    case 'CronJob':
      return (object as ManifestObject<'CronJob'>).value.spec.jobTemplate.spec.template;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
      return (object as ManifestObject<'Deployment'>).value.spec.template;
    default:
      return undefined;
  }
}

function podAddresses(status: ManifestObject<'Pod'>['value']['status']): PodAddress[] {
  const addresses = new Map<string, PodAddress>();
  for (const text of [status?.podIP, ...(status?.podIPs ?? []).map((entry) => entry.ip)]) {
    const parsed = text === undefined ? undefined : parseIp(text);
    if (parsed !== undefined) addresses.set(`${parsed.family}:${parsed.value}`, parsed);
  }
  return [...addresses.values()];
}

/**
 * The ports of the containers that run while the pod serves: its containers, then its sidecars, the init containers
 * with `restartPolicy: Always`, which keep running alongside them. In that order, as the endpoints controller resolves
 * a Service's named targetPort (FindPort, pkg/api/v1/pod/util.go: "also support sidecar container"). Other init
 * containers have run to completion before the containers start: nothing of theirs serves.
 */
function containerPorts(spec: PodSpec): readonly ContainerPort[] {
  const ports: ContainerPort[] = [];
  addContainerPorts(spec.containers, false, ports);
  if (spec.initContainers !== undefined) addContainerPorts(spec.initContainers, true, ports);
  // An array grown by push keeps room for 17 entries, and the model keeps every workload's: a copy of its size.
  return ports.length === 0 ? NO_PORTS : ports.slice();
}

function addContainerPorts(containers: readonly ContainerSpec[], sidecarsOnly: boolean, ports: ContainerPort[]): void {
  // Indexed loops rather than flatMap or for-of: every workload passes here, mostly before the code is optimized,
  // when an iterator allocates per item.
  for (let c = 0; c < containers.length; c++) {
    const container = containers[c]!;
    const declared = container.ports;
    if (declared === undefined || (sidecarsOnly && container.restartPolicy !== 'Always')) continue;
    for (let p = 0; p < declared.length; p++) {
      const port = declared[p]!;
      const protocol = port.protocol ?? 'TCP';
      if (isPortProtocol(protocol)) ports.push({ container: container.name, name: port.name, port: port.containerPort, protocol });
    }
  }
}

const NO_PORTS: readonly ContainerPort[] = [];

/** The kubelet's choice of resolver (getPodDNSType in pkg/kubelet/network/dns/dns.go), after the API server's default. */
function usesClusterDns(spec: PodSpec): boolean {
  switch (spec.dnsPolicy ?? 'ClusterFirst') {
    case 'ClusterFirstWithHostNet':
      return true;
    case 'ClusterFirst':
      return spec.hostNetwork !== true;
    case 'Default':
    case 'None':
      return false;
  }
}

function hasPodController(meta: ObjectMeta | undefined): boolean {
  return meta?.ownerReferences?.some(isPodController) === true;
}

/**
 * The API groups of the pod controllers: the kinds whose pods all come from one template, so that one workload stands
 * for them all (extensions/v1beta1 is where the apps kinds were served before Kubernetes 1.16). Any other controlling
 * owner leaves its pods reported as themselves: a Node owns the mirror Pods of the static pods its kubelet runs, each
 * with its own labels (kubernetes.io/docs/tasks/configure-pod-container/static-pod), and a custom resource may run the
 * pods of several templates (a Volcano `Job` runs one per task).
 */
const POD_CONTROLLER_GROUPS: ReadonlyMap<string, readonly string[]> = new Map<KnownKind, readonly string[]>([
  ['Deployment', ['apps', 'extensions']],
  ['ReplicaSet', ['apps', 'extensions']],
  ['DaemonSet', ['apps', 'extensions']],
  ['StatefulSet', ['apps']],
  ['Job', ['batch']],
  ['CronJob', ['batch']],
  ['ReplicationController', ['']],
]);

/** One function for every search: an arrow written in the call is a closure made per workload. */
function isPodController(owner: OwnerReference): boolean {
  if (owner.controller !== true) return false;
  const groups = POD_CONTROLLER_GROUPS.get(owner.kind);
  // The API server requires an owner's apiVersion; a manifest written by hand may leave it out.
  return groups !== undefined && (owner.apiVersion === undefined || groups.includes(apiGroupOf(owner.apiVersion)));
}

/** `apps` of `apps/v1`; the core group, `v1`, is ''. */
function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function objectKey(kind: KnownKind | string, namespace: string, name: string): string {
  return `${kind}\0${namespace}\0${name}`;
}

/**
 * The address families of the cluster's pods, for pods whose addresses the input does not give (templates): those of
 * the pods whose addresses it gives (a dual-stack cluster's have both), IPv4 when none has one, as most clusters are.
 */
export function podAddressFamilies(model: Pick<ClusterModel, 'workloads'>): readonly IpFamily[] {
  let families = addressFamiliesOf.get(model.workloads);
  if (families === undefined) {
    const seen = new Set<IpFamily>();
    for (const workload of model.workloads) for (const address of workload.addresses) seen.add(address.family);
    families = seen.size === 0 ? IPV4_ONLY : [...seen].sort();
    addressFamiliesOf.set(model.workloads, families);
  }
  return families;
}

const IPV4_ONLY: readonly IpFamily[] = [4];
/** By workload list: a plugin's effective model shares the declared model's list. */
const addressFamiliesOf = new WeakMap<readonly Workload[], readonly IpFamily[]>();

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
