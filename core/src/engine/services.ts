// The service layer: reachability through Services and Ingresses, composed from the pod-level engine's verdicts on backends.
import { adminPartyTiers } from '../admin/party.js';
import { AdminConnectivityResult } from '../admin/evaluate.js';
import type { Analysis } from '../analyze.js';
import { CalicoConnectivityResult } from '../calico/evaluate.js';
import type { Workload } from '../model/cluster.js';
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
import { formatIp, formatIpRange, rangeContains, type IpRange } from '../semantics/ip.js';
import type { Labels } from '../semantics/label-selector.js';
import type { CompiledPolicy, Direction, Peer } from '../semantics/policy-ir.js';
import { pairVerdict, type ConnectivityResult, type RuleContribution, type SideDenial } from './connectivity.js';
import type { Endpoint, ExternalEndpoint, WorkloadEndpoint } from './endpoints.js';
import {
  exactLabels,
  foldUncertain,
  joinRanges,
  NetworkPolicyParties,
  peerTruth,
  unknownNamespaceLabels,
  UNKNOWN_LABELS,
  type NetworkPolicyEnforcement,
  type PartialPod,
  type Party,
  type PartyDecision,
  type PartyVerdict,
  type UncertainTier,
} from './party.js';

/** An endpoint of a path: a workload, an external range, or a cluster component that is not in the manifests. */
export type PathEndpoint = Endpoint | VirtualEndpoint;

/**
 * One side of a hop, like the engine's SideVerdict but for any path endpoint. Between two endpoints of the engine it is
 * the engine's explanation (with the admin or Calico chain it carries); where a party is a virtual component, the side
 * is walked through every tier of the plugin with three-valued matching (docs/services.md).
 */
export interface PathSide {
  readonly direction: Direction;
  readonly subject: PathEndpoint;
  /** `unknown-policies`: a component whose namespace is unknown, which no policy of the input is known to select. */
  readonly exemptBecause: 'external' | 'host-network' | 'unknown-policies' | undefined;
  /** The NetworkPolicies isolating the subject for this direction. */
  readonly isolatedBy: readonly CompiledPolicy[];
  /** Their rules that match the peer (surely, for a virtual party). */
  readonly allowedBy: readonly RuleContribution[];
  /** What the side allows: for a virtual party, wherever it runs and whatever its labels. */
  readonly connections: ConnectionSet;
  /** What it may allow: more than `connections` where a rule may or may not match a virtual party. */
  readonly possible: ConnectionSet;
  /** What the NetworkPolicies alone allow, where admin or Calico tiers decide the side too. */
  readonly networkPolicyConnections?: ConnectionSet;
  /**
   * For a side with a virtual party: each rule (of every tier, NetworkPolicies included) and tier default that decides
   * some connections, or may; empty between endpoints of the engine, whose explanation carries its own chain.
   */
  readonly decisions: readonly PartyDecision[];
}

export interface HopVerdict {
  readonly source: PathEndpoint;
  readonly destination: PathEndpoint;
  readonly egress: PathSide;
  readonly ingress: PathSide;
  /** What both sides allow (for a virtual party, wherever it runs). */
  readonly connections: ConnectionSet;
  /** What both sides may allow. */
  readonly possible: ConnectionSet;
}

/** One backend of a Service port as seen from one client: the port after DNAT and what the pod-level verdict allows. */
export interface BackendReach {
  /** Undefined for an address backend: an endpoint of a Service without a selector that is no workload of the input. */
  readonly workload: Workload | undefined;
  /** The workload, or the external range holding the address. */
  readonly endpoint: WorkloadEndpoint | ExternalEndpoint;
  /** The workload's id, or the address as written. */
  readonly id: string;
  readonly protocol: PortProtocol;
  readonly targetPort: number;
  /** Everything the client may open to the backend (the pod matrix cell; for a virtual client, wherever it runs). */
  readonly connections: ConnectionSet;
  readonly allowed: boolean;
  /** Allowed for some placement of a virtual client: `allowed`, or a verdict that depends on where it runs. */
  readonly possiblyAllowed: boolean;
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
  /** Whether some policy (of any tier) governs the workload's ingress: when false, it admits everything from everyone. */
  readonly isolated: boolean;
  /** What a pod of another namespace that is not in the manifests is sure to be admitted on. */
  readonly anyPod: ConnectionSet;
  /** What such a pod may be admitted on, depending on its namespace and labels: a superset of `anyPod`. */
  readonly anyPodPossible: ConnectionSet;
  /** Workloads of other namespaces admitted on something (the ingress side only), in id order. */
  readonly from: readonly { readonly source: Workload; readonly connections: ConnectionSet }[];
}

/** A side with a virtual party, as the three-valued walk decides it (memoized by what the parties look like to policies). */
interface PartySideVerdict extends PartyVerdict {
  /** Some policy of some tier applies to the subject for the direction. */
  readonly governed: boolean;
  readonly isolatedBy: readonly CompiledPolicy[];
  readonly allowedBy: readonly RuleContribution[];
  readonly networkPolicyConnections: ConnectionSet | undefined;
}

/** A pod whose namespace and labels are unknown: a peer surely matches it only when it matches every pod. */
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
  private readonly networkPolicies: NetworkPolicyParties;
  /** Sides with a virtual party, by direction and what the two parties look like to policies (partyKey). */
  private readonly verdicts = new Map<string, PartySideVerdict>();
  /** The pods known in part that virtual endpoints stand for. */
  private readonly partials = new Map<VirtualEndpoint, PartialPod>();
  /** Clients placed in any namespace (inAnyNamespace). */
  private readonly anywhere = new Map<PathEndpoint, PartialPod | undefined>();
  /** Pods of a namespace other than the key (outsider). */
  private readonly outsiders = new Map<string, PartialPod>();

  constructor(
    readonly result: ConnectivityResult,
    readonly model: ServiceModel,
    /** How the plugin enforces NetworkPolicies, as the engine behind `result` was told (analyze's capabilities). */
    enforcement: NetworkPolicyEnforcement = { ipBlocksMatchPods: false, inactiveRulesAllow: false },
  ) {
    this.services = model.services;
    this.ingresses = model.ingresses;
    this.endpointOf = new Map(result.workloads.map((e) => [e.workload, e]));
    this.namespaceLabels = new Map(result.model.namespaces.map((n) => [n.name, n.labels]));
    this.networkPolicies = new NetworkPolicyParties(result, enforcement);
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

  /**
   * The connections `source` may open to `destination`: the engine's answer when both are in the manifests; for a
   * virtual component, what both sides allow wherever it runs.
   */
  reach(source: PathEndpoint, destination: PathEndpoint): ConnectionSet {
    return this.reachBounds(source, destination).sure;
  }

  /** Both sides of one hop, with the policies and rules behind them. */
  hop(source: PathEndpoint, destination: PathEndpoint): HopVerdict {
    const egress = this.side('egress', source, destination);
    const ingress = this.side('ingress', destination, source);
    return { ...pairVerdict(source, destination, egress, ingress), possible: egress.possible.intersect(ingress.possible) };
  }

  /**
   * The verdict of `subject`'s `direction` policies on traffic with `peer`, through every tier the plugin enforces
   * (semantics points 2-7, 11-16): the engine's explanation between endpoints of the engine; with a virtual party, the
   * three-valued walk, so that it agrees with the engine wherever the party's namespace and labels are known.
   */
  side(direction: Direction, subject: PathEndpoint, peer: PathEndpoint): PathSide {
    if (subject.kind !== 'virtual' && peer.kind !== 'virtual') {
      const explained =
        direction === 'egress'
          ? this.result.explain(subject, peer).egress
          : this.result.explain(peer, subject).ingress;
      return { ...explained, subject, possible: explained.connections, decisions: [] };
    }
    return this.partySide(direction, subject, this.partyOf(subject), this.partyOf(peer));
  }

  /**
   * What keeps a side from allowing the rest of the connections: the engine's denials between its endpoints; for a
   * virtual party, each deny rule that decides some connections (or may) and, for what a tier's default drops, the
   * tier's policies applying to the subject (the NetworkPolicies isolating it, in theirs).
   */
  sideDenials(direction: Direction, subject: PathEndpoint, peer: PathEndpoint): readonly SideDenial[] {
    if (subject.kind === 'workload' && peer.kind !== 'virtual') return this.result.sideDenials(direction, subject, peer);
    return this.side(direction, subject, peer).decisions.flatMap((decision): SideDenial[] => {
      if (decision.action === 'deny' && decision.origin !== undefined)
        return [{ policy: decision.origin.policy, how: 'denies', location: decision.origin.location, connections: decision.connections }];
      if (decision.action !== 'end-of-tier-deny') return [];
      return (decision.policies ?? []).map((policy) => ({ policy: policy.id, how: 'isolates', location: policy.location, connections: decision.connections }));
    });
  }

  /** Each backend of a Service port with a resolved targetPort, as reached from one client. */
  backendsReached(client: PathEndpoint, port: ServicePortInfo): BackendReach[] {
    const workloads = port.backends.flatMap((backend): BackendReach[] => {
      if (backend.targetPort === undefined) return [];
      const endpoint = this.endpoint(backend.workload);
      const { sure, possible } = this.reachBounds(client, endpoint);
      return [
        {
          workload: backend.workload,
          endpoint,
          id: backend.workload.id,
          protocol: port.protocol,
          targetPort: backend.targetPort,
          connections: sure,
          allowed: sure.allows(port.protocol, backend.targetPort),
          possiblyAllowed: possible.allows(port.protocol, backend.targetPort),
        },
      ];
    });
    // An address outside the workloads is judged as the external range holding it: the client's egress alone decides.
    const addresses = port.addressBackends.map((backend): BackendReach => {
      // The analysis has ranges of every family such an address is of (analyzeLoaded's ipv6).
      const endpoint = this.result.externalAt(backend.address.family, backend.address.value);
      if (endpoint === undefined) throw new Error(`no external range of this result holds ${backend.text}`);
      const { sure, possible } = this.reachBounds(client, endpoint);
      return {
        workload: undefined,
        endpoint,
        id: backend.text,
        protocol: port.protocol,
        targetPort: backend.targetPort,
        connections: sure,
        allowed: sure.allows(port.protocol, backend.targetPort),
        possiblyAllowed: possible.allows(port.protocol, backend.targetPort),
      };
    });
    return [...workloads, ...addresses];
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
            // Exposures are of workloads: an address outside them is not the cluster's to expose.
            if (!backend.allowed || backend.workload === undefined) continue;
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
   * clients apart: the pod admits every client or none, as it admits the node's address or not. A node's address is an
   * address outside the pods', which every tier judges as it judges the external ranges: admitted where it falls in one
   * the workload admits.
   */
  outsideSources(
    service: ServiceInfo,
    workload: Workload,
    protocol: PortProtocol,
    port: number,
  ): ExposureSources | undefined {
    const ranges = this.admittedOutside(workload, protocol, port);
    if (ranges.length === 0) return undefined;
    if (service.externalTrafficPolicy === 'Local') return { kind: 'client-addresses', ranges };
    return {
      kind: 'node-address',
      onlyIfNodeIn: ranges.length === this.result.externals.length ? undefined : joinRanges(ranges).map(rangeText),
    };
  }

  /** The ranges outside the cluster whose addresses the workload's ingress admits on (protocol, port), through every tier. */
  admittedOutside(workload: Workload, protocol: PortProtocol, port: number): ExternalEndpoint[] {
    const endpoint = this.endpoint(workload);
    return this.result.externals.filter((e) => this.result.sideAllowed('ingress', endpoint, e).allows(protocol, port));
  }

  /**
   * Whether the workload's ingress may admit some pod on (protocol, port): a workload of the input, or a pod the input
   * does not hold, for some namespace and labels it may have (so a rule admitting pods that the input lacks counts).
   */
  admitsSomePod(workload: Workload, protocol: PortProtocol, port: number): boolean {
    const endpoint = this.endpoint(workload);
    return (
      this.side('ingress', endpoint, UNKNOWN_POD).possible.allows(protocol, port) ||
      this.result.workloads.some((other) => this.result.sideAllowed('ingress', endpoint, other).allows(protocol, port))
    );
  }

  /**
   * Whether `subject` would admit `client` on (protocol, port) whatever namespace the client ran in (its labels kept): the
   * policies then admit it as "any pod of any namespace", not by naming where it runs. False for a client on the host
   * network, which pod selectors do not match.
   */
  admitsInAnyNamespace(subject: WorkloadEndpoint, client: PathEndpoint, protocol: PortProtocol, port: number): boolean {
    const placed = this.inAnyNamespace(client);
    return placed !== undefined && this.partySide('ingress', subject, subject, placed).connections.allows(protocol, port);
  }

  /**
   * `client` toward every address outside the cluster on (protocol, port): the target of an ExternalName Service
   * is one of them, unknown statically, so only an egress allowing all of them surely allows the connection.
   */
  externalTargetReach(client: PathEndpoint, protocol: PortProtocol, port: number): ExternalTargetReach {
    const reached = new Set(this.result.externals.filter((external) => this.reach(client, external).allows(protocol, port)));
    return { allowed: joinRanges([...reached]), denied: this.result.externals.filter((external) => !reached.has(external)) };
  }

  /**
   * For every workload: what its ingress side admits from workloads of other namespaces and from a pod of another
   * namespace that the input does not hold, through every tier.
   */
  crossNamespaceAdmissions(): CrossNamespaceAdmission[] {
    return this.result.workloads.map((endpoint) => {
      const workload = endpoint.workload;
      const from = this.result.workloads.flatMap((other) => {
        if (other.workload.namespace === workload.namespace) return [];
        const connections = this.result.sideAllowed('ingress', endpoint, other);
        return connections.isEmpty ? [] : [{ source: other.workload, connections }];
      });
      // A hostNetwork pod is governed by no policy: it admits everything.
      const verdict = workload.hostNetwork ? undefined : this.partyVerdict('ingress', endpoint, this.outsider(workload.namespace));
      return {
        workload,
        isolated: verdict?.governed ?? false,
        anyPod: verdict?.sure ?? ConnectionSet.ALL,
        anyPodPossible: verdict?.possible ?? ConnectionSet.ALL,
        from,
      };
    });
  }

  /**
   * What the workload's `direction` side lets through by default: the connections with a pod that no rule names by
   * its namespace or labels (rules matching every pod still apply) that no rule of any tier decides and every tier
   * passes on. Empty where some tier denies by default: a NetworkPolicy isolating it, a Calico tier with defaultAction
   * Deny, a rule denying every pod (an admin policy's `namespaces: {}`, a Calico `action: Deny` without selectors).
   * `governed`: some policy of some tier applies to it.
   */
  defaultVerdict(direction: Direction, endpoint: WorkloadEndpoint): { readonly governed: boolean; readonly fallsThrough: ConnectionSet } {
    const { tiers } = this.tiers(direction, endpoint, this.partialOf(UNKNOWN_POD));
    // Rules that may or may not match the pod name it selectively: they do not match one that no rule names.
    const named = tiers.map((tier) => ({ ...tier, steps: tier.steps.map((step) => ({ ...step, possible: step.sure })) }));
    // A last tier dropping everything: its default is what every tier before it passed on.
    const last = '{end}';
    const end = foldUncertain([...named, { name: last, defaultPass: false, policies: [], steps: [] }]).decisions.find((d) => d.tier === last);
    return { governed: tiers.length > 0, fallsThrough: end?.connections ?? ConnectionSet.NONE };
  }

  /** Whether one pod peer or ipBlock of a NetworkPolicy rule matches an endpoint for sure (a virtual one wherever it runs). */
  peerMatches(peer: Peer, endpoint: PathEndpoint): boolean {
    if (peer.kind === 'ipBlock') {
      // Pods in manifests have no addresses: an ipBlock matches external ranges only, as in the engine.
      return endpoint.kind === 'external' && rangeContains(peer.cidr, endpoint.range) && !peer.except.some((e) => rangeContains(e, endpoint.range));
    }
    if (endpoint.kind === 'external' || (endpoint.kind === 'workload' && endpoint.workload.hostNetwork)) return false;
    const pod =
      endpoint.kind === 'virtual'
        ? this.partialOf(endpoint)
        : this.podOf(endpoint.workload, exactLabels(this.namespaceLabels.get(endpoint.workload.namespace) ?? {}));
    return peerTruth(peer, pod) === true;
  }

  /** Both bounds of what `source` may open to `destination` (equal unless a virtual component's placement matters). */
  private reachBounds(source: PathEndpoint, destination: PathEndpoint): { readonly sure: ConnectionSet; readonly possible: ConnectionSet } {
    if (source.kind !== 'virtual' && destination.kind !== 'virtual') {
      const allowed = this.result.allowed(source, destination);
      return { sure: allowed, possible: allowed };
    }
    if (source.kind === 'external' && destination.kind === 'external') return { sure: ConnectionSet.NONE, possible: ConnectionSet.NONE };
    const { connections, possible } = this.hop(source, destination);
    return { sure: connections, possible };
  }

  /** A side with a party known in part, walked through the plugin's tiers. */
  private partySide(direction: Direction, endpoint: PathEndpoint, subject: Party, peer: Party): PathSide {
    const base = { direction, subject: endpoint, decisions: [], connections: ConnectionSet.ALL, possible: ConnectionSet.ALL };
    if (subject.kind === 'external') return { ...base, exemptBecause: 'external', isolatedBy: [], allowedBy: [] };
    if (subject.kind === 'workload' && subject.workload.hostNetwork) return { ...base, exemptBecause: 'host-network', isolatedBy: [], allowedBy: [] };
    const verdict = this.partyVerdict(direction, subject, peer);
    return {
      ...base,
      exemptBecause: subject.kind === 'partial' && subject.namespace === undefined && !verdict.governed ? 'unknown-policies' : undefined,
      isolatedBy: verdict.isolatedBy,
      allowedBy: verdict.allowedBy,
      connections: verdict.sure,
      possible: verdict.possible,
      decisions: verdict.decisions,
      ...(verdict.networkPolicyConnections === undefined ? {} : { networkPolicyConnections: verdict.networkPolicyConnections }),
    };
  }

  /** The three-valued walk of one side, memoized: members of a workload class get the same verdicts from every tier. */
  private partyVerdict(direction: Direction, subject: WorkloadEndpoint | PartialPod, peer: Party): PartySideVerdict {
    const key = `${direction}|${this.partyKey(subject)}|${this.partyKey(peer)}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      const { tiers, layered } = this.tiers(direction, subject, peer);
      const block = this.networkPolicies.tier(direction, subject, peer);
      verdict = {
        ...foldUncertain(tiers),
        governed: tiers.length > 0,
        isolatedBy: block === undefined ? [] : this.networkPolicies.selecting(direction, subject),
        allowedBy: this.networkPolicies.contributions(direction, subject, peer),
        networkPolicyConnections: !layered ? undefined : block === undefined ? ConnectionSet.ALL : foldUncertain([block]).sure,
      };
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** The tiers the plugin walks for the side (the result's layers decide which), and whether any besides NetworkPolicies' exist. */
  private tiers(direction: Direction, subject: WorkloadEndpoint | PartialPod, peer: Party): { readonly tiers: UncertainTier[]; readonly layered: boolean } {
    const { result } = this;
    if (result instanceof CalicoConnectivityResult) return { tiers: result.partyTiers(direction, subject, peer, this.networkPolicies), layered: true };
    if (result instanceof AdminConnectivityResult)
      return { tiers: adminPartyTiers(result, direction, subject, peer, this.networkPolicies), layered: true };
    const block = this.networkPolicies.tier(direction, subject, peer);
    return { tiers: block === undefined ? [] : [block], layered: false };
  }

  /** What a party looks like to policies, as a memo key: a workload's class, a range, a pod known in part. */
  private partyKey(party: Party): string {
    if (party.kind === 'workload') return `c${this.result.classOfWorkload(party.workload).index}`;
    return party.kind === 'external' ? `e${party.id}` : `p${party.id}`;
  }

  /** The party an endpoint stands for: itself, or for a virtual component a pod known as far as the component is. */
  private partyOf(endpoint: PathEndpoint): Party {
    return endpoint.kind === 'virtual' ? this.partialOf(endpoint) : endpoint;
  }

  private partialOf(endpoint: VirtualEndpoint): PartialPod {
    let pod = this.partials.get(endpoint);
    if (pod === undefined) {
      pod = {
        kind: 'partial',
        id: endpoint.id,
        namespace: endpoint.namespace,
        notIn: [],
        namespaceLabels: endpoint.namespace === undefined ? unknownNamespaceLabels([]) : exactLabels(endpoint.namespaceLabels ?? {}),
        labels: endpoint.labels === undefined ? UNKNOWN_LABELS : exactLabels(endpoint.labels),
        ports: endpoint.ports,
      };
      this.partials.set(endpoint, pod);
    }
    return pod;
  }

  /** A pod of a namespace other than `namespace` that the input does not hold (exposure's "any pod of another namespace"). */
  private outsider(namespace: string): PartialPod {
    let pod = this.outsiders.get(namespace);
    if (pod === undefined) {
      pod = {
        kind: 'partial',
        id: `{pod outside ${namespace}}`,
        namespace: undefined,
        notIn: [namespace],
        namespaceLabels: unknownNamespaceLabels([namespace]),
        labels: UNKNOWN_LABELS,
        ports: [],
      };
      this.outsiders.set(namespace, pod);
    }
    return pod;
  }

  /** A client with its labels, in a namespace not known (undefined for a hostNetwork workload, which pod peers never match). */
  private inAnyNamespace(client: PathEndpoint): PartialPod | undefined {
    if (!this.anywhere.has(client)) {
      let placed: PartialPod | undefined;
      if (client.kind === 'workload' && !client.workload.hostNetwork) placed = this.podOf(client.workload, unknownNamespaceLabels([]), true);
      else if (client.kind === 'virtual') {
        const pod = this.partialOf(client);
        placed = { ...pod, id: `${pod.id} in any namespace`, namespace: undefined, notIn: [], namespaceLabels: unknownNamespaceLabels([]) };
      }
      this.anywhere.set(client, placed);
    }
    return this.anywhere.get(client);
  }

  /** A workload as a pod with exact labels: in its namespace, or (`anyNamespace`) in one not known. */
  private podOf(workload: Workload, namespaceLabels: PartialPod['namespaceLabels'], anyNamespace = false): PartialPod {
    return {
      kind: 'partial',
      id: `${workload.id}${anyNamespace ? ' in any namespace' : ''}`,
      namespace: anyNamespace ? undefined : workload.namespace,
      notIn: [],
      namespaceLabels,
      labels: exactLabels(workload.labels),
      ports: workload.ports,
    };
  }
}

/** A range as a CIDR when it is one (`198.51.100.0/24`), else `first-last`. */
function rangeText(range: IpRange): string {
  const size = range.end - range.start + 1n;
  const hostBits = size.toString(2).length - 1;
  if (size !== 1n << BigInt(hostBits) || range.start % size !== 0n) return formatIpRange(range);
  return `${formatIp(range.family, range.start)}/${(range.family === 4 ? 32 : 128) - hostBits}`;
}

const layers = new WeakMap<ConnectivityResult, Map<string, ServiceLayer>>();

/**
 * The service layer of an analysis, built once per analysis and settings (rules share it).
 * Settings come from `.kubereach.yaml` (ingressControllers, clusterDns).
 */
export function analyzeServices(
  analysis: Pick<Analysis, 'load' | 'model' | 'result'> & Partial<Pick<Analysis, 'cni'>>,
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
    // The engine behind the result was told these by the plugin's profile (analyzeLoaded): virtual parties follow them too.
    const capabilities = analysis.cni?.profile.capabilities;
    layer = new ServiceLayer(analysis.result, buildServiceModel(analysis.load.objects, analysis.model, options), {
      ipBlocksMatchPods: capabilities?.ipBlockMatchesInCluster === true,
      inactiveRulesAllow: capabilities?.inactiveRules === 'allowed',
    });
    byOptions.set(key, layer);
  }
  return layer;
}
