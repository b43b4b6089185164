// Services and Ingresses over the cluster model: backends, targetPort per backend, ingress controllers and cluster DNS.
import { z } from 'zod';
import type { SourceLocation } from '../source/source.js';
import type { ManifestObject } from '../manifest/types.js';
import { defaultedServicePort } from '../manifest/validation.js';
import type { EndpointPort, EndpointReference, IngressBackend, Service, ServicePort } from '../manifest/kubernetes-types.js';
import { isPortProtocol, type PortProtocol } from '../semantics/connection-set.js';
import { compileSelector, selectorMatches, type Labels } from '../semantics/label-selector.js';
import type { Locate } from '../semantics/policy-ir.js';
import { parseIp } from '../semantics/ip.js';
import { compareStrings, NAMESPACE_NAME_LABEL, objectLocator, type ClusterModel, type ContainerPort, type PodAddress, type Workload } from './cluster.js';

/** One `.kubereach.yaml` entry naming where a cluster component runs: a namespace and the labels of its pods. */
export const componentSettingSchema = z.strictObject({
  namespace: z.string().min(1),
  /** matchLabels of the component's pods; `{}` (the default) is every pod of the namespace. */
  selector: z.record(z.string(), z.string()).default({}),
});

export type ComponentSetting = z.infer<typeof componentSettingSchema>;

/** Where the ingress controllers and cluster DNS run, when the manifests alone do not say. */
export interface ClusterComponentSettings {
  readonly ingressControllers?: readonly ComponentSetting[] | undefined;
  readonly clusterDns?: ComponentSetting | undefined;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** One selected workload of a Service port and the container port its traffic is DNATed to. */
export interface ServiceBackend {
  readonly workload: Workload;
  /** Undefined when the named targetPort is not declared by this workload: then it is no endpoint of the port. */
  readonly targetPort: number | undefined;
}

/**
 * An endpoint of a Service without a selector that is no workload of the input: an address its owner wrote in an
 * EndpointSlice or Endpoints (an external database, say).
 */
export interface AddressBackend {
  readonly address: PodAddress;
  /** As written. */
  readonly text: string;
  /** The endpoint port the Service port is DNATed to. */
  readonly targetPort: number;
  /** The address in its EndpointSlice or Endpoints. */
  readonly location: SourceLocation;
}

/** An EndpointSlice or Endpoints object giving the endpoints of a Service without a selector. */
export interface EndpointsSource {
  readonly kind: 'EndpointSlice' | 'Endpoints';
  readonly name: string;
  readonly location: SourceLocation;
}

export interface ServicePortInfo {
  /** Index in spec.ports. */
  readonly index: number;
  readonly name: string | undefined;
  readonly protocol: PortProtocol;
  readonly port: number;
  /** As written; the port number itself when targetPort is absent, 0 or "" (the API server's default). */
  readonly targetPort: number | string;
  readonly nodePort: number | undefined;
  /**
   * Every selected workload, with the port it is reached on (semantics point 18). For a Service without a selector,
   * the workloads its EndpointSlices and Endpoints name (by targetRef or by a pod's status address).
   */
  readonly backends: readonly ServiceBackend[];
  /** For a Service without a selector, the other addresses its EndpointSlices and Endpoints give for this port. */
  readonly addressBackends: readonly AddressBackend[];
  /** The ports entry. */
  readonly location: SourceLocation;
  /** The targetPort value, or the port value when the API server defaults targetPort to it. */
  readonly targetPortLocation: SourceLocation;
}

export interface ServiceInfo {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /** clusterIP: None: no virtual address and no DNAT; clients connect to the pods' own addresses. */
  readonly headless: boolean;
  /** Undefined when the Service has no (or an empty) selector: its endpoints are managed by hand. */
  readonly selector: Labels | undefined;
  /** Workloads of the Service's namespace its selector matches, in id order. */
  readonly selected: readonly Workload[];
  /**
   * For a Service without a selector, the objects its endpoints come from (empty: they are not in the input, and what
   * a client reaches through it is unknown).
   */
  readonly endpointSources: readonly EndpointsSource[];
  readonly ports: readonly ServicePortInfo[];
  /** `Cluster` (the default) or `Local` for NodePort and LoadBalancer; undefined for other types. */
  readonly externalTrafficPolicy: 'Cluster' | 'Local' | undefined;
  readonly loadBalancerSourceRanges: readonly string[];
  readonly externalName: string | undefined;
  readonly location: SourceLocation;
  readonly locate: Locate;
}

/** A service port an Ingress names: by number or by name. */
export type IngressPortRef = { readonly kind: 'number'; readonly number: number } | { readonly kind: 'name'; readonly name: string };

export interface IngressRoute {
  /** `shop.example.com/api`, `*` plus the path for a rule without host, `(default backend)`. */
  readonly label: string;
  readonly host: string | undefined;
  readonly path: string | undefined;
  /** Undefined for a resource backend (not a Service). */
  readonly serviceName: string | undefined;
  readonly portRef: IngressPortRef | undefined;
  /** The Service of the Ingress's namespace, when it exists in the input. */
  readonly service: ServiceInfo | undefined;
  /** The Service port the backend names, when it exists. */
  readonly servicePort: ServicePortInfo | undefined;
  /** The backend's service.name (or the backend itself for a resource backend). */
  readonly location: SourceLocation;
  /** The backend's service.port.number or .name. */
  readonly portLocation: SourceLocation;
}

/** An IngressClass object (cluster-scoped). */
export interface IngressClassInfo {
  readonly name: string;
  /** spec.controller, e.g. `k8s.io/ingress-nginx`. */
  readonly controller: string;
  /** Annotated `ingressclass.kubernetes.io/is-default-class: "true"`. */
  readonly isDefault: boolean;
  /** The recognised controller (a KNOWN_INGRESS_CONTROLLERS name) whose controller string this is; undefined for another. */
  readonly recognised: string | undefined;
  readonly location: SourceLocation;
}

export interface IngressInfo {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** The Ingress's class: spec.ingressClassName, else the kubernetes.io/ingress.class annotation, else the one default IngressClass. */
  readonly className: string | undefined;
  /** Where className comes from; undefined when the Ingress has no class. */
  readonly classSource: 'spec' | 'annotation' | 'default' | undefined;
  /** The IngressClass object of a class named by spec.ingressClassName or by default, when it is in the input. */
  readonly ingressClass: IngressClassInfo | undefined;
  /**
   * The recognised controller (a KNOWN_INGRESS_CONTROLLERS name) that serves the Ingress, when the input tells:
   * its IngressClass's controller string is one it watches, or the deprecated annotation names ingress-nginx's
   * default class `nginx`. Undefined when unknown: then any controller may be the one.
   */
  readonly servedBy: string | undefined;
  readonly tlsHosts: readonly string[];
  readonly routes: readonly IngressRoute[];
  readonly location: SourceLocation;
  readonly locate: Locate;
}

/** `any-pod` stands for a pod of the cluster that the manifests do not hold. */
export type ComponentRole = 'ingress-controller' | 'cluster-dns' | 'any-pod';

/**
 * A cluster component that is not in the manifests. `namespace` and `labels` are what is known of
 * its pods; undefined means unknown, and then only peers that match every namespace (or every pod)
 * are sure to match it (see docs/services.md).
 */
export interface VirtualEndpoint {
  readonly kind: 'virtual';
  /** `{ingress-controller}` or `{cluster-dns}`. */
  readonly id: string;
  readonly role: ComponentRole;
  readonly namespace: string | undefined;
  /** Labels of the namespace, when the namespace is known. */
  readonly namespaceLabels: Labels | undefined;
  readonly labels: Labels | undefined;
  readonly ports: readonly ContainerPort[];
}

export interface ClusterComponent {
  readonly role: ComponentRole;
  /** `config` (.kubereach.yaml), `recognised` (well-known labels in the manifests) or `virtual` (neither). */
  readonly source: 'config' | 'recognised' | 'virtual';
  /** The workloads running it; empty when virtual. */
  readonly workloads: readonly Workload[];
  readonly virtual: VirtualEndpoint | undefined;
}

export interface ServiceModel {
  /** Sorted by id. */
  readonly services: readonly ServiceInfo[];
  /** Sorted by id. */
  readonly ingresses: readonly IngressInfo[];
  /** IngressClass objects of the input, sorted by name. */
  readonly ingressClasses: readonly IngressClassInfo[];
  readonly ingressController: ClusterComponent;
  readonly clusterDns: ClusterComponent;
}

export interface ServiceModelOptions extends ClusterComponentSettings {
  /** Namespace of objects that name none; by default the one the cluster model gave them. */
  readonly defaultNamespace?: string;
}

export interface KnownIngressController {
  readonly name: string;
  /** The labels its chart gives its pods. */
  readonly labels: Labels;
  /** The IngressClass spec.controller it watches by default. */
  readonly controller: string;
  /** Whether `<controller>/<anything>` is its too (a controller name the controller builds from a flag). */
  readonly controllerSuffixes: boolean;
  /** The deprecated kubernetes.io/ingress.class value it serves by default, where its documentation gives one. */
  readonly annotationClass: string | undefined;
}

/**
 * Well-known ingress controllers: their pods by their charts' labels, and the IngressClass controller strings they watch.
 * - ingress-nginx: `k8s.io/ingress-nginx`, the default of --controller-class (and the Kubernetes docs' example,
 *   https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class); its default class name for the
 *   annotation is `nginx` (internal/ingress/annotations/class: DefaultClass).
 * - Traefik: `traefik.io/ingress-controller` (its Kubernetes Ingress provider, and the IngressClass of its chart).
 * - HAProxy Kubernetes Ingress (haproxytech/kubernetes-ingress): `haproxy.org/ingress-controller` (pkg/k8s CONTROLLER),
 *   with `/<ingress.class>` appended when started with --ingress.class.
 * - HAProxy Ingress (jcmoraisjr/haproxy-ingress): `haproxy-ingress.github.io/controller`, with `/<name>` appended by
 *   --controller-class.
 */
export const KNOWN_INGRESS_CONTROLLERS: readonly KnownIngressController[] = [
  {
    name: 'ingress-nginx',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    controller: 'k8s.io/ingress-nginx',
    controllerSuffixes: false,
    annotationClass: 'nginx',
  },
  { name: 'Traefik', labels: { 'app.kubernetes.io/name': 'traefik' }, controller: 'traefik.io/ingress-controller', controllerSuffixes: false, annotationClass: undefined },
  {
    name: 'HAProxy Kubernetes Ingress',
    labels: { 'app.kubernetes.io/name': 'kubernetes-ingress' },
    controller: 'haproxy.org/ingress-controller',
    controllerSuffixes: true,
    annotationClass: undefined,
  },
  {
    name: 'HAProxy Ingress',
    labels: { 'app.kubernetes.io/name': 'haproxy-ingress' },
    controller: 'haproxy-ingress.github.io/controller',
    controllerSuffixes: true,
    annotationClass: undefined,
  },
];

/** The recognised controller whose IngressClass controller string this is. */
export function recognisedController(controller: string): KnownIngressController | undefined {
  return KNOWN_INGRESS_CONTROLLERS.find(
    (known) => controller === known.controller || (known.controllerSuffixes && controller.startsWith(`${known.controller}/`)),
  );
}

/** The workloads of a recognised ingress controller component that run the controller named `name`. */
export function workloadsOfController(component: ClusterComponent, name: string): readonly Workload[] {
  const known = KNOWN_INGRESS_CONTROLLERS.find((k) => k.name === name);
  if (known === undefined || component.source !== 'recognised') return [];
  const selector = compileSelector({ matchLabels: known.labels });
  return component.workloads.filter((w) => selectorMatches(selector, w.labels));
}

const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** CoreDNS and kube-dns keep the `k8s-app: kube-dns` label in kubeadm, GKE, EKS, AKS and k3s. */
export const DEFAULT_CLUSTER_DNS: ComponentSetting = { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } };

/** The ports CoreDNS declares, for a cluster DNS that is not in the manifests. */
const DNS_PORTS: readonly ContainerPort[] = [
  { container: 'coredns', name: 'dns', port: 53, protocol: 'UDP' },
  { container: 'coredns', name: 'dns-tcp', port: 53, protocol: 'TCP' },
  { container: 'coredns', name: 'metrics', port: 9153, protocol: 'TCP' },
];

/** Builds Services, Ingresses and the ingress controller and cluster DNS from loaded objects. */
export function buildServiceModel(
  objects: readonly ManifestObject[],
  cluster: ClusterModel,
  options: ServiceModelOptions = {},
): ServiceModel {
  const defaultNamespace = options.defaultNamespace ?? cluster.defaultNamespace;
  const accepted = objects.filter((o) => !o.rejected);
  const namespaceOf = (object: ManifestObject): string => object.namespace ?? defaultNamespace;

  const written = writtenEndpoints(accepted, namespaceOf);
  const services = accepted
    .filter((o): o is ManifestObject<'Service'> => o.kind === 'Service')
    .map((o) => buildService(o, namespaceOf(o), cluster, written))
    .sort((a, b) => compareStrings(a.id, b.id));
  const byId = new Map(services.map((s) => [s.id, s]));
  const ingressClasses = accepted
    .filter((o): o is ManifestObject<'IngressClass'> => o.kind === 'IngressClass')
    .map(buildIngressClass)
    .sort((a, b) => compareStrings(a.name, b.name));
  const ingresses = accepted
    .filter((o): o is ManifestObject<'Ingress'> => o.kind === 'Ingress')
    .map((o) => buildIngress(o, namespaceOf(o), byId, ingressClasses))
    .sort((a, b) => compareStrings(a.id, b.id));

  return {
    services,
    ingresses,
    ingressClasses,
    ingressController: findComponent('ingress-controller', cluster, options.ingressControllers),
    clusterDns: findComponent('cluster-dns', cluster, options.clusterDns === undefined ? undefined : [options.clusterDns]),
  };
}

/**
 * The labels a Service's endpoints are selected by: undefined for an ExternalName Service, and for an empty selector,
 * which the API server drops (such a Service has hand-managed endpoints, like one without).
 */
export function endpointSelector(spec: Service['spec']): Labels | undefined {
  return spec.selector !== undefined && Object.keys(spec.selector).length > 0 && spec.type !== 'ExternalName' ? spec.selector : undefined;
}

/** A Service port's protocol and targetPort, defaulted as the API server stores them; undefined for another protocol. */
export function portTarget(port: ServicePort): { readonly protocol: PortProtocol; readonly targetPort: number | string } | undefined {
  const { protocol, targetPort } = defaultedServicePort(port);
  return isPortProtocol(protocol) ? { protocol, targetPort } : undefined;
}

/** EndpointSlices by the `namespace/name` of the Service their kubernetes.io/service-name label names, and Endpoints by their own. */
interface WrittenEndpoints {
  readonly slices: ReadonlyMap<string, readonly ManifestObject<'EndpointSlice'>[]>;
  readonly endpoints: ReadonlyMap<string, ManifestObject<'Endpoints'>>;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

function writtenEndpoints(objects: readonly ManifestObject[], namespaceOf: (object: ManifestObject) => string): WrittenEndpoints {
  const slices = new Map<string, ManifestObject<'EndpointSlice'>[]>();
  const endpoints = new Map<string, ManifestObject<'Endpoints'>>();
  for (const object of objects) {
    if (object.kind === 'EndpointSlice') {
      const slice = object as ManifestObject<'EndpointSlice'>;
      const service = slice.value.metadata.labels?.[SERVICE_NAME_LABEL];
      if (service === undefined) continue;
      const key = `${namespaceOf(object)}/${service}`;
      const list = slices.get(key);
      if (list === undefined) slices.set(key, [slice]);
      else list.push(slice);
    } else if (object.kind === 'Endpoints') {
      endpoints.set(`${namespaceOf(object)}/${object.name}`, object as ManifestObject<'Endpoints'>);
    }
  }
  return { slices, endpoints };
}

/**
 * An address of the EndpointSlices or mirrored Endpoints of a Service without a selector, as written: whether it is
 * ready, and the ports its slice (or subset) gives.
 */
export interface WrittenAddress {
  readonly text: string;
  readonly address: PodAddress;
  readonly targetRef: EndpointReference | undefined;
  readonly ready: boolean;
  /** Serving while terminating: what kube-proxy falls back to for a port without ready endpoints. */
  readonly terminatingServing: boolean;
  /** The ports with a number, protocol defaulted to TCP and name to `""`. */
  readonly ports: readonly { readonly name: string; readonly protocol: PortProtocol; readonly port: number }[];
  readonly location: SourceLocation;
}

/**
 * Every address of a Service's written endpoints: those of the EndpointSlices labelled `kubernetes.io/service-name:
 * <service>` (not FQDN ones, which kube-proxy and Calico ignore), and the addresses and not-ready addresses of the
 * Endpoints of the Service's name, which the control plane mirrors into EndpointSlices unless labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"` or annotated as a leader lock
 * (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#endpointslice-mirroring).
 */
function writtenAddresses(sources: ManualSources): WrittenAddress[] {
  const found: WrittenAddress[] = [];
  const portsOf = (ports: readonly EndpointPort[] | undefined): WrittenAddress['ports'] =>
    (ports ?? []).flatMap(({ name, protocol, port }) => {
      const defaulted = protocol ?? 'TCP';
      return port === undefined || !isPortProtocol(defaulted) ? [] : [{ name: name ?? '', protocol: defaulted, port }];
    });
  const add = (
    text: string,
    targetRef: EndpointReference | undefined,
    conditions: Pick<WrittenAddress, 'ready' | 'terminatingServing'>,
    ports: WrittenAddress['ports'],
    location: SourceLocation,
  ) => {
    const address = parseIp(text);
    if (address !== undefined) found.push({ text, address, targetRef, ...conditions, ports, location });
  };
  for (const slice of sources.slices) {
    const { value } = slice;
    if (value.addressType === 'FQDN') continue;
    const locate = objectLocator(slice);
    const ports = portsOf(value.ports);
    (value.endpoints ?? []).forEach((endpoint, index) => {
      // As kube-proxy reads them: nil ready and serving are true, nil terminating is false.
      const { ready, serving, terminating } = endpoint.conditions ?? {};
      const conditions = { ready: ready !== false, terminatingServing: serving !== false && terminating === true };
      endpoint.addresses.forEach((text, k) => add(text, endpoint.targetRef, conditions, ports, locate(['endpoints', index, 'addresses', k])));
    });
  }
  if (sources.endpoints !== undefined) {
    const locate = objectLocator(sources.endpoints);
    (sources.endpoints.value.subsets ?? []).forEach((subset, index) => {
      const ports = portsOf(subset.ports);
      // Mirrored into a slice with a ready condition alone: never terminating.
      for (const [field, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        const conditions = { ready, terminatingServing: false };
        (subset[field] ?? []).forEach((address, k) => add(address.ip, address.targetRef, conditions, ports, locate(['subsets', index, field, k, 'ip'])));
      }
    });
  }
  return found;
}

/** One endpoint address of a Service port, before it is told apart as a workload or an address. */
interface PortEndpoint {
  readonly written: WrittenAddress;
  readonly targetPort: number;
}

/**
 * The endpoints kube-proxy DNATs a port of a Service without a selector to: the ready written addresses whose ports
 * have one of the Service port's name (`""` for an unnamed one) and protocol; when none is ready, those serving while
 * terminating (kube-proxy's fallback, ProxyTerminatingEndpoints, GA in 1.28).
 */
function endpointsOfPort(sources: ManualSources, name: string | undefined, protocol: PortProtocol): PortEndpoint[] {
  const ofPort = writtenAddresses(sources).flatMap((written) => {
    const port = written.ports.find((p) => p.name === (name ?? '') && p.protocol === protocol);
    return port === undefined ? [] : [{ written, targetPort: port.port }];
  });
  const ready = ofPort.filter(({ written }) => written.ready);
  return ready.length > 0 ? ready : ofPort.filter(({ written }) => written.terminatingServing);
}

/**
 * The workload of the input a written address stands for: the Pod its targetRef names, or the workload whose status
 * address it is.
 */
export function endpointWorkload(written: WrittenAddress, namespace: string, cluster: ClusterModel): Workload | undefined {
  const { targetRef, address } = written;
  return (
    (targetRef?.kind === 'Pod'
      ? cluster.workloads.find((w) => w.kind === 'Pod' && w.name === targetRef.name && w.namespace === (targetRef.namespace ?? namespace))
      : undefined) ?? cluster.workloads.find((w) => w.addresses.some((a) => a.family === address.family && a.value === address.value))
  );
}

/**
 * The written addresses of each Service without a selector, by `namespace/name` (not ExternalName Services, which have
 * no endpoints): what a Calico service match reads of it.
 */
export function writtenServiceAddresses(objects: readonly ManifestObject[], defaultNamespace: string): Map<string, WrittenAddress[]> {
  const namespaceOf = (object: ManifestObject): string => object.namespace ?? defaultNamespace;
  const byHand = objects.filter(
    (o): o is ManifestObject<'Service'> =>
      o.kind === 'Service' &&
      !o.rejected &&
      endpointSelector((o as ManifestObject<'Service'>).value.spec) === undefined &&
      (o as ManifestObject<'Service'>).value.spec.type !== 'ExternalName',
  );
  const byService = new Map<string, WrittenAddress[]>();
  // Most inputs have no such Service: the endpoint objects are indexed only when one is there.
  if (byHand.length === 0) return byService;
  const written = writtenEndpoints(objects.filter((o) => !o.rejected), namespaceOf);
  for (const service of byHand) {
    const id = `${namespaceOf(service)}/${service.name}`;
    byService.set(id, writtenAddresses(manualSources(service, id, written)));
  }
  return byService;
}

interface ManualSources {
  readonly slices: readonly ManifestObject<'EndpointSlice'>[];
  readonly endpoints: ManifestObject<'Endpoints'> | undefined;
}

/** The written endpoints of a Service without a selector (none for an ExternalName Service, which has no endpoints). */
function manualSources(service: ManifestObject<'Service'>, id: string, written: WrittenEndpoints): ManualSources {
  if (service.value.spec.type === 'ExternalName') return { slices: [], endpoints: undefined };
  const endpoints = written.endpoints.get(id);
  const mirrored =
    endpoints !== undefined &&
    endpoints.value.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true' &&
    endpoints.value.metadata.annotations?.[LEADER_ANNOTATION] === undefined;
  return { slices: written.slices.get(id) ?? [], endpoints: mirrored ? endpoints : undefined };
}

/**
 * Tells a port's endpoints apart: workloads of the input (endpointWorkload), and other addresses, each counted once
 * per target port.
 */
function splitEndpoints(
  endpoints: readonly PortEndpoint[],
  namespace: string,
  cluster: ClusterModel,
): { backends: ServiceBackend[]; addresses: AddressBackend[] } {
  const backends: ServiceBackend[] = [];
  const addresses: AddressBackend[] = [];
  const seen = new Set<string>();
  for (const { written, targetPort } of endpoints) {
    const workload = endpointWorkload(written, namespace, cluster);
    const { address } = written;
    const key = `${workload?.id ?? `${address.family}:${address.value}`}|${targetPort}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (workload !== undefined) backends.push({ workload, targetPort });
    else addresses.push({ address, text: written.text, targetPort, location: written.location });
  }
  return { backends, addresses };
}

function buildService(object: ManifestObject<'Service'>, namespace: string, cluster: ClusterModel, written: WrittenEndpoints): ServiceInfo {
  const { spec } = object.value;
  const locate = objectLocator(object);
  const type = spec.type ?? 'ClusterIP';
  const selector = endpointSelector(spec);
  const compiled = selector === undefined ? undefined : compileSelector({ matchLabels: selector });
  // Services select pods by labels whatever their network: hostNetwork pods are endpoints too.
  const selected = compiled === undefined ? [] : cluster.workloads.filter((w) => w.namespace === namespace && selectorMatches(compiled, w.labels));
  const id = `${namespace}/${object.name}`;
  const manual = selector === undefined ? manualSources(object, id, written) : { slices: [], endpoints: undefined };
  const ports = (spec.ports ?? []).flatMap((port, index): ServicePortInfo[] => {
    const target = portTarget(port);
    if (target === undefined) return [];
    const { protocol, targetPort } = target;
    const byHand = selector === undefined ? splitEndpoints(endpointsOfPort(manual, port.name, protocol), namespace, cluster) : undefined;
    return [
      {
        index,
        name: port.name,
        protocol,
        port: port.port,
        targetPort,
        nodePort: port.nodePort,
        backends: byHand?.backends ?? selected.map((workload) => ({ workload, targetPort: resolveTargetPort(workload, targetPort, protocol) })),
        addressBackends: byHand?.addresses ?? [],
        location: locate(['spec', 'ports', index]),
        targetPortLocation: locate(['spec', 'ports', index, defaultedServicePort(port).targetPortDefaulted ? 'port' : 'targetPort']),
      },
    ];
  });
  const external = type === 'NodePort' || type === 'LoadBalancer';
  return {
    id,
    namespace,
    name: object.name,
    type,
    headless: spec.clusterIP === 'None',
    selector,
    selected,
    endpointSources: [
      ...manual.slices.map((slice) => ({ kind: 'EndpointSlice' as const, name: slice.name, location: objectLocator(slice)(['metadata', 'name']) })),
      ...(manual.endpoints === undefined ? [] : [{ kind: 'Endpoints' as const, name: manual.endpoints.name, location: objectLocator(manual.endpoints)(['metadata', 'name']) }]),
    ],
    ports,
    externalTrafficPolicy: external ? (spec.externalTrafficPolicy ?? 'Cluster') : undefined,
    loadBalancerSourceRanges: type === 'LoadBalancer' ? (spec.loadBalancerSourceRanges ?? []) : [],
    externalName: type === 'ExternalName' ? spec.externalName : undefined,
    location: locate(['metadata', 'name']),
    locate,
  };
}

/**
 * The container port a Service port reaches on one workload, as the endpoints controller's
 * FindPort does: a number is used as it is; a name is looked up in the workload's containers
 * with the Service port's protocol, and a workload without it is no endpoint.
 */
export function resolveTargetPort(workload: Pick<Workload, 'ports'>, targetPort: number | string, protocol: PortProtocol): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  return workload.ports.find((p) => p.name === targetPort && p.protocol === protocol)?.port;
}

function buildIngressClass(object: ManifestObject<'IngressClass'>): IngressClassInfo {
  // Validation rejects an IngressClass without a controller.
  const controller = object.value.spec.controller ?? '';
  return {
    name: object.name,
    controller,
    isDefault: object.value.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
    recognised: recognisedController(controller)?.name,
    location: objectLocator(object)(['metadata', 'name']),
  };
}

/**
 * An Ingress's class, as https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class gives it:
 * spec.ingressClassName; else the deprecated annotation, which names a class the controllers match against their own
 * configuration, not an IngressClass object (so only ingress-nginx's default `nginx` is known to be served); else the
 * IngressClass marked default, which the DefaultIngressClass admission plugin writes into the Ingress when it is
 * created. With several defaults the docs say the admission controller refuses such an Ingress: its class is then
 * left unknown.
 */
function ingressClassOf(
  object: ManifestObject<'Ingress'>,
  classes: readonly IngressClassInfo[],
): Pick<IngressInfo, 'className' | 'classSource' | 'ingressClass' | 'servedBy'> {
  const named = (className: string, classSource: 'spec' | 'default'): Pick<IngressInfo, 'className' | 'classSource' | 'ingressClass' | 'servedBy'> => {
    const ingressClass = classes.find((c) => c.name === className);
    return { className, classSource, ingressClass, servedBy: ingressClass?.recognised };
  };
  const { ingressClassName } = object.value.spec;
  if (ingressClassName !== undefined) return named(ingressClassName, 'spec');
  const annotation = object.value.metadata.annotations?.[CLASS_ANNOTATION];
  if (annotation !== undefined) {
    return { className: annotation, classSource: 'annotation', ingressClass: undefined, servedBy: KNOWN_INGRESS_CONTROLLERS.find((k) => k.annotationClass === annotation)?.name };
  }
  const defaults = classes.filter((c) => c.isDefault);
  if (defaults.length === 1) return named(defaults[0]!.name, 'default');
  return { className: undefined, classSource: undefined, ingressClass: undefined, servedBy: undefined };
}

function buildIngress(
  object: ManifestObject<'Ingress'>,
  namespace: string,
  services: ReadonlyMap<string, ServiceInfo>,
  classes: readonly IngressClassInfo[],
): IngressInfo {
  const { spec } = object.value;
  const locate = objectLocator(object);
  const routes: IngressRoute[] = [];
  const addRoute = (backend: IngressBackend, path: readonly (string | number)[], host: string | undefined, routePath: string | undefined, label: string): void => {
    const ref = backend.service;
    const service = ref === undefined ? undefined : services.get(`${namespace}/${ref.name}`);
    const portRef: IngressPortRef | undefined =
      ref?.port?.number !== undefined
        ? { kind: 'number', number: ref.port.number }
        : ref?.port?.name !== undefined
          ? { kind: 'name', name: ref.port.name }
          : undefined;
    // Ingress backends speak HTTP: only TCP ports serve them.
    const servicePort =
      portRef === undefined
        ? undefined
        : service?.ports.find((p) => p.protocol === 'TCP' && (portRef.kind === 'number' ? p.port === portRef.number : p.name === portRef.name));
    routes.push({
      label,
      host,
      path: routePath,
      serviceName: ref?.name,
      portRef,
      service,
      servicePort,
      location: locate(ref === undefined ? path : [...path, 'service', 'name']),
      portLocation: locate(ref === undefined ? path : [...path, 'service', 'port', ...(ref.port?.number !== undefined ? ['number'] : ref.port?.name !== undefined ? ['name'] : [])]),
    });
  };
  if (spec.defaultBackend !== undefined) addRoute(spec.defaultBackend, ['spec', 'defaultBackend'], undefined, undefined, '(default backend)');
  (spec.rules ?? []).forEach((rule, r) => {
    (rule.http?.paths ?? []).forEach((entry, p) => {
      const path = entry.path ?? '/';
      addRoute(entry.backend, ['spec', 'rules', r, 'http', 'paths', p, 'backend'], rule.host, path, `${rule.host ?? '*'}${path}`);
    });
  });
  return {
    id: `${namespace}/${object.name}`,
    namespace,
    name: object.name,
    ...ingressClassOf(object, classes),
    tlsHosts: (spec.tls ?? []).flatMap((t) => t.hosts ?? []),
    routes,
    location: locate(['metadata', 'name']),
    locate,
  };
}

function findComponent(role: 'ingress-controller' | 'cluster-dns', cluster: ClusterModel, configured: readonly ComponentSetting[] | undefined): ClusterComponent {
  const matching = (setting: ComponentSetting, anyNamespace = false): Workload[] => {
    const selector = compileSelector({ matchLabels: setting.selector });
    return cluster.workloads.filter((w) => (anyNamespace || w.namespace === setting.namespace) && selectorMatches(selector, w.labels));
  };
  if (configured !== undefined && configured.length > 0) {
    const workloads = unique(configured.flatMap((setting) => matching(setting)));
    if (workloads.length > 0) return { role, source: 'config', workloads, virtual: undefined };
    // Configured but not in the input: a virtual endpoint with the configured namespace and labels.
    const first = configured[0]!;
    return { role, source: 'config', workloads: [], virtual: virtualEndpoint(role, cluster, first.namespace, first.selector) };
  }
  const recognised =
    role === 'cluster-dns'
      ? matching(DEFAULT_CLUSTER_DNS).concat(matching({ namespace: 'kube-system', selector: { 'k8s-app': 'coredns' } }))
      : KNOWN_INGRESS_CONTROLLERS.flatMap((known) => matching({ namespace: '', selector: known.labels }, true));
  if (recognised.length > 0) return { role, source: 'recognised', workloads: unique(recognised), virtual: undefined };
  return role === 'cluster-dns'
    ? { role, source: 'virtual', workloads: [], virtual: virtualEndpoint(role, cluster, DEFAULT_CLUSTER_DNS.namespace, DEFAULT_CLUSTER_DNS.selector) }
    : { role, source: 'virtual', workloads: [], virtual: virtualEndpoint(role, cluster, undefined, undefined) };
}

function virtualEndpoint(role: 'ingress-controller' | 'cluster-dns', cluster: ClusterModel, namespace: string | undefined, labels: Labels | undefined): VirtualEndpoint {
  const namespaceLabels =
    namespace === undefined
      ? undefined
      : (cluster.namespaces.find((n) => n.name === namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace });
  return { kind: 'virtual', id: `{${role}}`, role, namespace, namespaceLabels, labels, ports: role === 'cluster-dns' ? DNS_PORTS : [] };
}

function unique(workloads: readonly Workload[]): Workload[] {
  return [...new Set(workloads)].sort((a, b) => compareStrings(a.id, b.id));
}

/**
 * A rule's raw options with the config's ingressControllers and clusterDns sections as defaults
 * (the rule's own options win); undefined when there is nothing to add. Rules whose options do not
 * take these keys reject the result, and are then given their options unchanged.
 */
export function withComponentSettings(settings: ClusterComponentSettings, rawOptions: unknown): Record<string, unknown> | undefined {
  const shared = {
    ...(settings.ingressControllers === undefined ? {} : { ingressControllers: settings.ingressControllers }),
    ...(settings.clusterDns === undefined ? {} : { clusterDns: settings.clusterDns }),
  };
  if (Object.keys(shared).length === 0 || typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions)) return undefined;
  return { ...shared, ...(rawOptions as Record<string, unknown>) };
}
