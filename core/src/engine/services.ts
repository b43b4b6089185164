// The service layer: reachability through Services and Ingresses, composed from the pod-level engine's verdicts on backends.
import type { Analysis } from '../analyze.js';
import type { ContainerPort, Workload } from '../model/cluster.js';
import {
  buildServiceModel,
  type ClusterComponent,
  type IngressInfo,
  type IngressRoute,
  type ServiceInfo,
  type ServiceModel,
  type ServiceModelOptions,
  type ServicePortInfo,
  type VirtualEndpoint,
  workloadsOfController,
} from '../model/services.js';
import { ConnectionSet, type PortProtocol } from '../semantics/connection-set.js';
import { rangeContains, type IpRange } from '../semantics/ip.js';
import { selectorMatches, selectsEveryNamespace, type Labels } from '../semantics/label-selector.js';
import {
  resolvePorts,
  type CompiledPolicy,
  type Direction,
  type NamedPortTable,
  type Peer,
  type PolicyRule,
} from '../semantics/policy-ir.js';
import { pairVerdict, type ConnectivityResult, type RuleContribution } from './connectivity.js';
import type { Endpoint, ExternalEndpoint, WorkloadEndpoint } from './endpoints.js';

/** An endpoint of a path: a workload, an external range, or a cluster component that is not in the manifests. */
export type PathEndpoint = Endpoint | VirtualEndpoint;

/** One side of a hop, like the engine's SideVerdict but for any path endpoint. */
export interface PathSide {
  readonly direction: Direction;
  readonly subject: PathEndpoint;
  readonly exemptBecause: 'external' | 'host-network' | 'unknown-policies' | undefined;
  readonly isolatedBy: readonly CompiledPolicy[];
  readonly allowedBy: readonly RuleContribution[];
  readonly connections: ConnectionSet;
}

export interface HopVerdict {
  readonly source: PathEndpoint;
  readonly destination: PathEndpoint;
  readonly egress: PathSide;
  readonly ingress: PathSide;
  readonly connections: ConnectionSet;
}

/** One backend of a Service port as seen from one client: the port after DNAT and what the pod-level verdict allows. */
export interface BackendReach {
  readonly workload: Workload;
  readonly endpoint: WorkloadEndpoint;
  readonly protocol: PortProtocol;
  readonly targetPort: number;
  /** Everything the client may open to the backend (the pod matrix cell). */
  readonly connections: ConnectionSet;
  readonly allowed: boolean;
}

export interface ServiceViewRow {
  readonly client: PathEndpoint;
  readonly service: ServiceInfo;
  readonly port: ServicePortInfo;
  /** Set for rows reached through an Ingress route (the client is then an ingress controller). */
  readonly ingress: { readonly ingress: IngressInfo; readonly route: IngressRoute } | undefined;
  /** Every backend with a resolved targetPort, allowed or not. */
  readonly backends: readonly BackendReach[];
}

/** What a workload exposure's outside clients look like to the pod's policies. */
export type ExposureSources =
  /** The client address is preserved (externalTrafficPolicy: Local): these external ranges are admitted. */
  | { readonly kind: 'client-addresses'; readonly ranges: readonly ExternalEndpoint[] }
  /** SNAT to a node address (externalTrafficPolicy: Cluster): every client, if the pod admits the node's address. */
  | { readonly kind: 'node-address'; readonly onlyIfNodeIn: readonly string[] | undefined }
  /** Through the ingress controller, which proxies every client the controller itself admits. */
  | { readonly kind: 'ingress-controller'; readonly controller: PathEndpoint };

/** One port of a NodePort or LoadBalancer Service through which clients outside the cluster reach a workload. */
export interface PublishedPort {
  readonly workload: Workload;
  readonly service: ServiceInfo;
  readonly port: ServicePortInfo;
  readonly targetPort: number;
  readonly sources: ExposureSources;
}

/** How clients outside the cluster reach an ingress controller: hop 1 of every path through an Ingress. */
export type OutsideReach =
  /** A controller that is not in the input (a virtual endpoint): assumed reachable. */
  | { readonly kind: 'assumed' }
  /** Through these ports of its NodePort and LoadBalancer Services. */
  | { readonly kind: 'services'; readonly ports: readonly PublishedPort[] }
  /** No NodePort or LoadBalancer Service of the input selects it, and its policies admit some outside address: a hostPort or a load balancer outside the manifests may reach it. */
  | { readonly kind: 'unpublished' }
  /** Nothing outside reaches it: its Services' ports admit no outside client, or (without a Service) its policies admit no outside address. */
  | { readonly kind: 'unreachable'; readonly because: 'services-admit-none' | 'policies-admit-none' };

export interface ServiceExposure {
  readonly workload: Workload;
  readonly protocol: PortProtocol;
  readonly targetPort: number;
  readonly service: ServiceInfo;
  readonly port: ServicePortInfo;
  readonly ingress: { readonly ingress: IngressInfo; readonly route: IngressRoute } | undefined;
  readonly sources: ExposureSources;
}

/**
 * What a client may open toward the target of an ExternalName Service: cluster DNS answers with a CNAME, and the
 * client connects to whatever address the name resolves to, which the manifests do not give.
 */
export interface ExternalTargetReach {
  /** The addresses outside the cluster the client may open the port to, adjacent ranges joined, in address order. */
  readonly allowed: readonly IpRange[];
  /** The external ranges it may not open the port to: empty when every outside address is allowed. */
  readonly denied: readonly ExternalEndpoint[];
}

export interface CrossNamespaceAdmission {
  readonly workload: Workload;
  readonly isolated: boolean;
  /** What a pod of another namespace that is not in the manifests is sure to be admitted on. */
  readonly anyPod: ConnectionSet;
  /** Workloads of other namespaces admitted on something (the ingress side only), in id order. */
  readonly from: readonly { readonly source: Workload; readonly connections: ConnectionSet }[];
}

interface Party {
  readonly namespace: string | undefined;
  readonly namespaceLabels: Labels | undefined;
  readonly labels: Labels | undefined;
  readonly hostNetwork: boolean;
  readonly external: ExternalEndpoint | undefined;
}

/** A pod whose namespace and labels are unknown: matched only by peers that match every pod. */
export const UNKNOWN_POD: VirtualEndpoint = {
  kind: 'virtual',
  id: '{any pod}',
  role: 'any-pod',
  namespace: undefined,
  namespaceLabels: undefined,
  labels: undefined,
  ports: [],
};

export class ServiceLayer {
  readonly services: readonly ServiceInfo[];
  readonly ingresses: readonly IngressInfo[];
  private readonly endpointOf: ReadonlyMap<Workload, WorkloadEndpoint>;
  private readonly namespaceLabels: ReadonlyMap<string, Labels>;

  constructor(
    readonly result: ConnectivityResult,
    readonly model: ServiceModel,
  ) {
    this.services = model.services;
    this.ingresses = model.ingresses;
    this.endpointOf = new Map(result.workloads.map((e) => [e.workload, e]));
    this.namespaceLabels = new Map(result.model.namespaces.map((n) => [n.name, n.labels]));
  }

  endpoint(workload: Workload): WorkloadEndpoint {
    const endpoint = this.endpointOf.get(workload);
    if (endpoint === undefined) throw new Error(`workload ${workload.id} does not belong to this result`);
    return endpoint;
  }

  /** The endpoints of a component: its workloads, or its virtual endpoint. */
  componentEndpoints(component: ClusterComponent): PathEndpoint[] {
    return component.virtual !== undefined
      ? [component.virtual]
      : component.workloads.map((w) => this.endpoint(w));
  }

  get ingressControllers(): PathEndpoint[] {
    return this.componentEndpoints(this.model.ingressController);
  }

  /**
   * The ingress controllers that may serve an Ingress. `known`: the input says which recognised controller serves it
   * (IngressInfo.servedBy) and that controller's pods are among the recognised ones; then only they are listed.
   * Otherwise (no class, a class without an IngressClass object, a controller string kubereach does not know,
   * controllers set in .kubereach.yaml or not in the input) every ingress controller may be the one.
   */
  ingressControllersOf(ingress: IngressInfo): { readonly controllers: PathEndpoint[]; readonly known: boolean } {
    if (ingress.servedBy !== undefined) {
      const workloads = workloadsOfController(this.model.ingressController, ingress.servedBy);
      if (workloads.length > 0) return { controllers: workloads.map((w) => this.endpoint(w)), known: true };
    }
    return { controllers: this.ingressControllers, known: false };
  }

  get clusterDns(): PathEndpoint[] {
    return this.componentEndpoints(this.model.clusterDns);
  }

  /** The connections `source` may open to `destination`; the engine's answer when both are in the manifests. */
  reach(source: PathEndpoint, destination: PathEndpoint): ConnectionSet {
    if (source.kind !== 'virtual' && destination.kind !== 'virtual')
      return this.result.allowed(source, destination);
    if (source.kind === 'external' && destination.kind === 'external') return ConnectionSet.NONE;
    return this.side('egress', source, destination).connections.intersect(
      this.side('ingress', destination, source).connections,
    );
  }

  /** Both sides of one hop, with the policies and rules behind them. */
  hop(source: PathEndpoint, destination: PathEndpoint): HopVerdict {
    const egress = this.side('egress', source, destination);
    const ingress = this.side('ingress', destination, source);
    return pairVerdict(source, destination, egress, ingress);
  }

  /** The verdict of `subject`'s `direction` policies on traffic with `peer` (semantics points 2-7). */
  side(direction: Direction, subject: PathEndpoint, peer: PathEndpoint): PathSide {
    if (subject.kind !== 'virtual' && peer.kind !== 'virtual') {
      const explained =
        direction === 'egress'
          ? this.result.explain(subject, peer).egress
          : this.result.explain(peer, subject).ingress;
      return { ...explained, subject };
    }
    const base = { direction, subject };
    if (subject.kind === 'external')
      return {
        ...base,
        exemptBecause: 'external',
        isolatedBy: [],
        allowedBy: [],
        connections: ConnectionSet.ALL,
      };
    const isolatedBy = this.policiesSelecting(subject, direction);
    const exemptBecause =
      subject.kind === 'workload'
        ? subject.workload.hostNetwork
          ? 'host-network'
          : undefined
        : subject.namespace === undefined
          ? 'unknown-policies'
          : undefined;
    if (isolatedBy.length === 0)
      return { ...base, exemptBecause, isolatedBy, allowedBy: [], connections: ConnectionSet.ALL };
    const party = this.party(peer);
    // Semantics point 6: named ports resolve on the destination, the subject for ingress and the peer for egress.
    const table = portTable(this.portsOf(direction === 'ingress' ? subject : peer));
    const allowedBy: RuleContribution[] = [];
    let connections = ConnectionSet.NONE;
    for (const policy of isolatedBy) {
      for (const rule of policy[direction]!.rules) {
        if (!ruleMatches(rule, party)) continue;
        const ruleConnections = resolvePorts(rule.ports, table);
        allowedBy.push({ policy, rule, connections: ruleConnections });
        connections = connections.union(ruleConnections);
      }
    }
    return { ...base, exemptBecause, isolatedBy, allowedBy, connections };
  }

  /** Each backend of a Service port with a resolved targetPort, as reached from one client. */
  backendsReached(client: PathEndpoint, port: ServicePortInfo): BackendReach[] {
    return port.backends.flatMap((backend) => {
      if (backend.targetPort === undefined) return [];
      const endpoint = this.endpoint(backend.workload);
      const connections = this.reach(client, endpoint);
      return [
        {
          workload: backend.workload,
          endpoint,
          protocol: port.protocol,
          targetPort: backend.targetPort,
          connections,
          allowed: connections.allows(port.protocol, backend.targetPort),
        },
      ];
    });
  }

  /**
   * Every client workload to every Service port it reaches on some backend, then every ingress
   * controller to every Ingress route it reaches: the pod matrix composed with the Service mapping.
   */
  serviceView(): ServiceViewRow[] {
    const rows: ServiceViewRow[] = [];
    for (const client of this.result.workloads) {
      for (const service of this.services) {
        for (const port of service.ports) {
          const backends = this.backendsReached(client, port);
          if (backends.some((b) => b.allowed))
            rows.push({ client, service, port, ingress: undefined, backends });
        }
      }
    }
    for (const ingress of this.ingresses) {
      for (const route of ingress.routes) {
        if (route.service === undefined || route.servicePort === undefined) continue;
        for (const client of this.ingressControllersOf(ingress).controllers) {
          const backends = this.backendsReached(client, route.servicePort);
          if (backends.some((b) => b.allowed)) {
            rows.push({
              client,
              service: route.service,
              port: route.servicePort,
              ingress: { ingress, route },
              backends,
            });
          }
        }
      }
    }
    return rows;
  }

  /** What outside clients reach: NodePort and LoadBalancer Service ports, then Ingress routes. */
  exposures(): ServiceExposure[] {
    const exposures: ServiceExposure[] = this.publishedPorts(this.services).map((published) => ({
      ...published,
      protocol: published.port.protocol,
      ingress: undefined,
    }));
    // An Ingress route is reachable from outside only through a controller that is (hop 1 of explain's Ingress path).
    const published = new Set(this.ingressControllers.filter((c) => this.outsideReach(c).kind !== 'unreachable'));
    for (const ingress of this.ingresses) {
      const controllers = this.ingressControllersOf(ingress).controllers.filter((c) => published.has(c));
      for (const route of ingress.routes) {
        if (route.service === undefined || route.servicePort === undefined) continue;
        for (const controller of controllers) {
          for (const backend of this.backendsReached(controller, route.servicePort)) {
            if (!backend.allowed) continue;
            exposures.push({
              workload: backend.workload,
              protocol: backend.protocol,
              targetPort: backend.targetPort,
              service: route.service,
              port: route.servicePort,
              ingress: { ingress, route },
              sources: { kind: 'ingress-controller', controller },
            });
          }
        }
      }
    }
    return exposures;
  }

  /**
   * How clients outside the cluster reach an ingress controller. Through its NodePort and LoadBalancer Services
   * when the input has some; without one, a hostPort or a load balancer outside the manifests may still reach
   * it, but only if its policies admit some address outside the cluster (the client's, or a node's after SNAT).
   */
  outsideReach(controller: PathEndpoint): OutsideReach {
    if (controller.kind !== 'workload') return { kind: 'assumed' };
    const { workload } = controller;
    const services = this.services.filter((s) => s.externalTrafficPolicy !== undefined && s.selected.includes(workload));
    if (services.length === 0) {
      const admitsOutside = this.result.externals.some((e) => !this.result.allowed(e, controller).isEmpty);
      return admitsOutside ? { kind: 'unpublished' } : { kind: 'unreachable', because: 'policies-admit-none' };
    }
    const ports = this.publishedPorts(services, workload);
    return ports.length === 0 ? { kind: 'unreachable', because: 'services-admit-none' } : { kind: 'services', ports };
  }

  /** The ports of NodePort and LoadBalancer Services that admit some outside client, per backend (only `workload`'s when given). */
  private publishedPorts(services: readonly ServiceInfo[], workload?: Workload): PublishedPort[] {
    return services.flatMap((service) => {
      if (service.externalTrafficPolicy === undefined) return [];
      return service.ports.flatMap((port) =>
        port.backends.flatMap((backend): PublishedPort[] => {
          if (backend.targetPort === undefined || (workload !== undefined && backend.workload !== workload)) return [];
          const sources = this.outsideSources(service, backend.workload, port.protocol, backend.targetPort);
          return sources === undefined ? [] : [{ workload: backend.workload, service, port, targetPort: backend.targetPort, sources }];
        }),
      );
    });
  }

  /**
   * Who outside the cluster reaches `workload` on (protocol, port) through a NodePort or
   * LoadBalancer Service; undefined when nobody. With externalTrafficPolicy Local the pod sees the
   * client's address; with Cluster it sees a node's (semantics point 8), so ipBlocks cannot tell
   * clients apart: the pod admits every client or none.
   */
  outsideSources(
    service: ServiceInfo,
    workload: Workload,
    protocol: PortProtocol,
    port: number,
  ): ExposureSources | undefined {
    const endpoint = this.endpoint(workload);
    if (service.externalTrafficPolicy === 'Local') {
      const ranges = this.result.externals.filter((e) =>
        this.result.allowed(e, endpoint).allows(protocol, port),
      );
      return ranges.length === 0 ? undefined : { kind: 'client-addresses', ranges };
    }
    const policies = this.result.policiesSelecting(workload).ingress;
    if (policies.length === 0 || workload.hostNetwork)
      return { kind: 'node-address', onlyIfNodeIn: undefined };
    const cidrs: string[] = [];
    for (const policy of policies) {
      for (const rule of policy.ingress!.rules) {
        if (!resolvePorts(rule.ports, portTable(workload.ports)).allows(protocol, port)) continue;
        if (rule.peers.kind === 'any') return { kind: 'node-address', onlyIfNodeIn: undefined };
        for (const peer of rule.peers.peers) if (peer.kind === 'ipBlock') cidrs.push(ipBlockText(peer));
      }
    }
    return cidrs.length === 0 ? undefined : { kind: 'node-address', onlyIfNodeIn: [...new Set(cidrs)] };
  }

  /**
   * `client` toward every address outside the cluster on (protocol, port): the target of an ExternalName Service
   * is one of them, unknown statically, so only an egress allowing all of them surely allows the connection.
   */
  externalTargetReach(client: PathEndpoint, protocol: PortProtocol, port: number): ExternalTargetReach {
    const allowed: IpRange[] = [];
    const denied: ExternalEndpoint[] = [];
    for (const external of this.result.externals) {
      if (!this.reach(client, external).allows(protocol, port)) {
        denied.push(external);
        continue;
      }
      const last = allowed.at(-1);
      const { range } = external;
      if (last !== undefined && last.family === range.family && last.end + 1n === range.start) allowed[allowed.length - 1] = { ...last, end: range.end };
      else allowed.push(range);
    }
    return { allowed, denied };
  }

  /** For every workload: what its ingress side admits from workloads of other namespaces and from any unknown pod. */
  crossNamespaceAdmissions(): CrossNamespaceAdmission[] {
    return this.result.workloads.map((endpoint) => {
      const workload = endpoint.workload;
      const from = this.result.workloads.flatMap((other) => {
        if (other.workload.namespace === workload.namespace) return [];
        const connections = this.result.explain(other, endpoint).ingress.connections;
        return connections.isEmpty ? [] : [{ source: other.workload, connections }];
      });
      return {
        workload,
        isolated: this.result.policiesSelecting(workload).ingress.length > 0,
        anyPod: this.side('ingress', endpoint, UNKNOWN_POD).connections,
        from,
      };
    });
  }

  /** Whether one peer of a rule matches an endpoint for sure (see ruleMatches). */
  peerMatches(peer: Peer, endpoint: PathEndpoint): boolean {
    return peerMatches(peer, this.party(endpoint));
  }

  private policiesSelecting(
    subject: WorkloadEndpoint | VirtualEndpoint,
    direction: Direction,
  ): readonly CompiledPolicy[] {
    if (subject.kind === 'workload') return this.result.policiesSelecting(subject.workload)[direction];
    const { namespace, labels } = subject;
    // A component whose namespace is unknown: no policy of the input is known to select it.
    if (namespace === undefined) return [];
    return this.result.model.policies.filter(
      (p) =>
        p.namespace === namespace &&
        p[direction] !== undefined &&
        (labels === undefined ? p.podSelector.kind === 'everything' : selectorMatches(p.podSelector, labels)),
    );
  }

  private party(endpoint: PathEndpoint): Party {
    switch (endpoint.kind) {
      case 'external':
        return {
          namespace: undefined,
          namespaceLabels: undefined,
          labels: undefined,
          hostNetwork: false,
          external: endpoint,
        };
      case 'workload': {
        const w = endpoint.workload;
        return {
          namespace: w.namespace,
          namespaceLabels: this.namespaceLabels.get(w.namespace) ?? {},
          labels: w.labels,
          hostNetwork: w.hostNetwork,
          external: undefined,
        };
      }
      case 'virtual':
        return {
          namespace: endpoint.namespace,
          namespaceLabels: endpoint.namespaceLabels,
          labels: endpoint.labels,
          hostNetwork: false,
          external: undefined,
        };
    }
  }

  private portsOf(endpoint: PathEndpoint): readonly ContainerPort[] | undefined {
    return endpoint.kind === 'workload'
      ? endpoint.workload.ports
      : endpoint.kind === 'virtual'
        ? endpoint.ports
        : undefined;
  }
}

/**
 * Whether a rule's from/to matches a party for sure. A pod whose namespace (or labels) is
 * unknown is matched only by a selector that matches every namespace (or every pod), so a
 * verdict about a virtual component holds wherever the component runs.
 */
function ruleMatches(rule: PolicyRule, party: Party): boolean {
  if (rule.peers.kind === 'any') return true;
  return rule.peers.peers.some((peer) => peerMatches(peer, party));
}

function peerMatches(peer: Peer, party: Party): boolean {
  if (peer.kind === 'ipBlock') {
    // Pods in manifests have no addresses: an ipBlock matches external ranges only, as in the engine.
    const external = party.external;
    return (
      external !== undefined &&
      rangeContains(peer.cidr, external.range) &&
      !peer.except.some((e) => rangeContains(e, external.range))
    );
  }
  if (party.external !== undefined || party.hostNetwork) return false;
  const namespaceMatches =
    peer.namespaces.kind === 'policy-namespace'
      ? party.namespace === peer.namespaces.namespace
      : party.namespaceLabels === undefined
        ? selectsEveryNamespace(peer.namespaces.selector)
        : selectorMatches(peer.namespaces.selector, party.namespaceLabels);
  const podMatches =
    party.labels === undefined ? peer.pods.kind === 'everything' : selectorMatches(peer.pods, party.labels);
  return namespaceMatches && podMatches;
}

function portTable(ports: readonly ContainerPort[] | undefined): NamedPortTable | undefined {
  if (ports === undefined) return undefined;
  return {
    lookup: (name, protocol) =>
      ports.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port),
  };
}

function ipBlockText(peer: Extract<Peer, { kind: 'ipBlock' }>): string {
  return `${peer.cidr.text}${peer.except.length === 0 ? '' : ` except ${peer.except.map((e) => e.text).join(', ')}`}`;
}

const layers = new WeakMap<ConnectivityResult, Map<string, ServiceLayer>>();

/**
 * The service layer of an analysis, built once per analysis and settings (rules share it).
 * Settings come from `.kubereach.yaml` (ingressControllers, clusterDns).
 */
export function analyzeServices(
  analysis: Pick<Analysis, 'load' | 'model' | 'result'>,
  options: ServiceModelOptions = {},
): ServiceLayer {
  const key = JSON.stringify([options.defaultNamespace, options.ingressControllers, options.clusterDns]);
  let byOptions = layers.get(analysis.result);
  if (byOptions === undefined) {
    byOptions = new Map();
    layers.set(analysis.result, byOptions);
  }
  let layer = byOptions.get(key);
  if (layer === undefined) {
    layer = new ServiceLayer(
      analysis.result,
      buildServiceModel(analysis.load.objects, analysis.model, options),
    );
    byOptions.set(key, layer);
  }
  return layer;
}
