// Reachability with admin policies: the admin tier, then NetworkPolicy, then the baseline tier, per side of a connection.
import { ConnectivityResult, type PairExplanation, type SideVerdict } from '../engine/connectivity.js';
import { namedPortTable } from '../engine/classes.js';
import { externalEndpoint, workloadEndpoint, type Endpoint, type ExternalEndpoint, type WorkloadEndpoint } from '../engine/endpoints.js';
import { layeredPeers, TierFold, type FoldSide, type FoldStep, type FoldTier } from './tier-fold.js';
import type { NamespaceInfo } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { cutAddressSpace, rangeContains } from '../semantics/ip.js';
import { selectorMatches } from '../semantics/label-selector.js';
import { peerCidrs, type Direction, type PolicyRule } from '../semantics/policy-ir.js';
import type { Capabilities } from '../cni/profile.js';
import {
  adminCapability,
  adminCidrs,
  resolveAdminPorts,
  type AdminAction,
  type AdminPolicy,
  type AdminRule,
  type AdminTier,
} from './compile.js';

/** One admin rule's share of a side's verdict: it matched the peer and decided these connections first. */
export interface AdminStep {
  readonly policy: AdminPolicy;
  readonly rule: AdminRule;
  readonly action: AdminAction;
  /** The connections this rule decided (those no earlier rule had decided). */
  readonly connections: ConnectionSet;
}

/** How a side was decided, stage by stage. */
export interface AdminChain {
  /** Admin-tier rules that decided something, in evaluation order. */
  readonly admin: readonly AdminStep[];
  /** What reached the NetworkPolicy tier (undecided by the admin tier, or passed). */
  readonly toNetworkPolicy: ConnectionSet;
  /** True when some NetworkPolicy isolates the subject for this direction: it then decides all of `toNetworkPolicy`. */
  readonly networkPolicyIsolates: boolean;
  /** Baseline-tier rules that decided something (only when NetworkPolicy does not isolate). */
  readonly baseline: readonly AdminStep[];
  /** What no rule decided and the default allowed (or a Baseline-tier Pass sent there). */
  readonly defaultAllowed: ConnectionSet;
}

/** A side with the admin tiers' chain; `connections` is then the final verdict and `networkPolicyConnections` NetworkPolicy's alone. */
export type AdminSideVerdict = SideVerdict & { readonly adminChain?: AdminChain; readonly networkPolicyConnections?: ConnectionSet };

/** A PairExplanation whose sides may carry an admin chain (a plain PairExplanation is one). */
export interface AdminPairExplanation extends PairExplanation {
  readonly egress: AdminSideVerdict;
  readonly ingress: AdminSideVerdict;
}

/**
 * The NetworkPolicy result with admin policies layered on top; `allowed` and `explain` follow the tiers, the rest
 * is the NetworkPolicy engine's. External ranges are also cut at the admin policies' `networks` CIDRs.
 */
export class AdminConnectivityResult extends ConnectivityResult {
  override readonly externals: readonly ExternalEndpoint[];
  private readonly namespaceLabels: ReadonlyMap<string, NamespaceInfo['labels']>;
  private readonly coarse = new Map<ExternalEndpoint, Endpoint>();
  private baseExternalIndex: Map<ExternalEndpoint, number> | undefined;
  private readonly fold: TierFold;

  constructor(
    private readonly networkPolicies: ConnectivityResult,
    /** In evaluation order (compileAdminPolicies sorts them). */
    readonly adminPolicies: readonly AdminPolicy[],
  ) {
    super(networkPolicies.model);
    const model = networkPolicies.model;
    this.namespaceLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
    const extra = adminCidrs(adminPolicies);
    if (extra.length === 0) {
      this.externals = networkPolicies.externals;
      for (const e of this.externals) this.coarse.set(e, e);
    } else {
      this.externals = cutAddressSpace([...model.policies.flatMap(peerCidrs), ...extra]).map(externalEndpoint);
      for (const e of this.externals) {
        const outer = networkPolicies.externalAt(e.range.family, e.range.start);
        if (outer === undefined) throw new Error(`no NetworkPolicy range holds ${e.id}`);
        this.coarse.set(e, outer);
      }
    }
    this.fold = new TierFold({
      classes: this.classes,
      externals: this.externals,
      classOfWorkload: (workload) => this.classOfWorkload(workload),
      compileSide: (direction, subject) => this.compileSide(direction, subject),
      blockConnections: (direction, subject, peer) => {
        const [source, destination] = direction === 'egress' ? [subject, peer] : [peer, subject];
        return this.networkPolicies.explain(this.toBase(source), this.toBase(destination))[direction].connections;
      },
      slowSide: (direction, subject, peer) => {
        const [source, destination] = direction === 'egress' ? [subject, peer] : [peer, subject];
        return this.explain(source, destination)[direction].connections;
      },
    });
  }

  /** Without building explanations: each side through the compiled tiers of TierFold (explain walks the same tiers). */
  override allowed(source: Endpoint, destination: Endpoint): ConnectionSet {
    if (source.kind === 'external' && destination.kind === 'external') return ConnectionSet.NONE;
    const egress = source.kind === 'workload' && !source.workload.hostNetwork ? this.fold.side('egress', source, destination) : ConnectionSet.ALL;
    if (egress.isEmpty) return egress;
    const ingress =
      destination.kind === 'workload' && !destination.workload.hostNetwork ? this.fold.side('ingress', destination, source) : ConnectionSet.ALL;
    return egress.intersect(ingress);
  }

  /**
   * The admin tier (what no rule decides passes on), then, where NetworkPolicy isolates the subject, its allow block
   * in a tier that drops the rest; otherwise the baseline tier (passing on to the default allow).
   */
  private compileSide(direction: Direction, subject: WorkloadEndpoint): FoldSide {
    const applicable = this.adminPolicies.filter((p) => p[direction].length > 0 && this.subjectSelects(p, subject));
    let peerDependent = false;
    const steps = (tier: AdminTier): FoldStep[] =>
      applicable
        .filter((p) => p.tier === tier)
        .flatMap((policy) =>
          policy[direction].map((rule): FoldStep => {
            const named = rule.ports !== 'any' && rule.ports.some((p) => p.kind === 'named');
            const fixed = direction === 'ingress' || !named ? resolveAdminPorts(rule.ports, direction === 'ingress' ? namedPortTable(subject.workload) : undefined) : undefined;
            if (fixed === undefined) peerDependent = true;
            return {
              kind: 'rule',
              action: rule.action,
              bits: this.fold.bitsOf(rule, (peer) => this.peerMatches(rule, peer)),
              fixed,
              perPeer: fixed === undefined ? (peer) => resolveAdminPorts(rule.ports, peer.kind === 'workload' ? namedPortTable(peer.workload) : undefined) : undefined,
            };
          }),
        );
    const tiers: FoldTier[] = [];
    const admin = steps('admin');
    if (admin.length > 0) tiers.push({ defaultPass: true, steps: admin });
    if (this.networkPolicies.policiesSelecting(subject.workload)[direction].length > 0) tiers.push({ defaultPass: false, steps: [{ kind: 'block' }] });
    else {
      const baseline = steps('baseline');
      if (baseline.length > 0) tiers.push({ defaultPass: true, steps: baseline });
    }
    return { tiers, peerDependent };
  }

  override explain(source: Endpoint, destination: Endpoint): AdminPairExplanation {
    const base = this.networkPolicies.explain(this.toBase(source), this.toBase(destination));
    if (source.kind === 'external' && destination.kind === 'external') {
      return { ...base, source, destination, connections: ConnectionSet.NONE };
    }
    const egress = this.decideSide('egress', source, destination, base.egress);
    const ingress = this.decideSide('ingress', destination, source, base.ingress);
    // Each side decides independently and both must allow: an admin Allow on the egress side does not open the
    // destination's ingress (semantics point 7, as for NetworkPolicy).
    return { source, destination, egress, ingress, connections: egress.connections.intersect(ingress.connections) };
  }

  /** A sound superset of the peers a class's egress may reach (undefined: every peer), for the matrix to skip the rest. */
  override egressPeers(classIndex: number): readonly number[] | undefined {
    const subjectClass = this.classes[classIndex]!;
    if (subjectClass.hostNetwork) return undefined;
    return this.fold.candidatePeers('egress', workloadEndpoint(subjectClass.representative), () =>
      layeredPeers(this.networkPolicies.egressPeers(classIndex), this.classes.length, this.externals, (e) => this.baseIndex(e)),
    );
  }

  private baseIndex(external: ExternalEndpoint): number {
    this.baseExternalIndex ??= new Map(this.networkPolicies.externals.map((e, k) => [e, k]));
    const base = this.toBase(external);
    return this.classes.length + (base.kind === 'external' ? (this.baseExternalIndex.get(base) ?? -1) : -1);
  }

  override peersMatchedBy(rule: PolicyRule): Endpoint[] {
    const matched = this.networkPolicies.peersMatchedBy(rule);
    // Each finer range lies inside one range of the NetworkPolicy result, so membership carries over exactly.
    const matchedSet = new Set<Endpoint>(matched);
    return [...matched.filter((e) => e.kind === 'workload'), ...this.externals.filter((e) => matchedSet.has(this.toBase(e)))];
  }

  /** Whether an admin policy's subject selects an endpoint (host-networked pods never: "Note that host-networked pods are not included in subject selection"). */
  subjectSelects(policy: AdminPolicy, endpoint: Endpoint): boolean {
    if (endpoint.kind !== 'workload' || endpoint.workload.hostNetwork) return false;
    const { workload } = endpoint;
    return (
      selectorMatches(policy.subject.namespaces, this.namespaceLabels.get(workload.namespace) ?? {}) &&
      selectorMatches(policy.subject.pods, workload.labels)
    );
  }

  /** Whether a rule's peers match an endpoint, and the connections its ports cover toward the destination. */
  ruleMatch(rule: AdminRule, peer: Endpoint, destination: Endpoint): ConnectionSet {
    if (!this.peerMatches(rule, peer)) return ConnectionSet.NONE;
    return resolveAdminPorts(rule.ports, destination.kind === 'workload' ? namedPortTable(destination.workload) : undefined);
  }

  /** Whether a rule's peers match an endpoint (ports aside). */
  peerMatches(rule: AdminRule, peer: Endpoint): boolean {
    if (rule.peers === 'all') return true;
    return rule.peers.some((match) => {
      switch (match.kind) {
        case 'pods':
          // "Note that host-networked pods are not included in this type of peer" (shared_types.go).
          return (
            peer.kind === 'workload' &&
            !peer.workload.hostNetwork &&
            selectorMatches(match.namespaces, this.namespaceLabels.get(peer.workload.namespace) ?? {}) &&
            selectorMatches(match.pods, peer.workload.labels)
          );
        case 'networks':
          if (peer.kind === 'external') return match.cidrs.some((cidr) => rangeContains(cidr, peer.range));
          // "cluster-internal traffic will be checked against the rule as well" (clusternetworkpolicy_types.go,
          // Networks): a pod is matched by its address when the input has it (a bare Pod's status.podIP);
          // pod templates have none, and a host-networked pod has the node's.
          return (
            !peer.workload.hostNetwork &&
            peer.workload.addresses.some((address) =>
              match.cidrs.some((cidr) => cidr.family === address.family && cidr.start <= address.value && address.value <= cidr.end),
            )
          );
        case 'unmodelled':
          return false;
      }
    });
  }

  /**
   * One side: (1) admin-tier policies in priority order, first matching rule decides (Allow, Deny, or Pass to
   * NetworkPolicy); (2) what is left goes to NetworkPolicy if some NetworkPolicy isolates the subject, which then
   * decides it all; (3) otherwise the baseline tier, first match (Allow, Deny; a v1alpha2 Pass goes on to the
   * default); (4) the default: allowed. adminnetworkpolicy_types.go (actions), clusternetworkpolicy_types.go (Tier).
   */
  private decideSide(direction: Direction, subject: Endpoint, peer: Endpoint, base: SideVerdict): AdminSideVerdict {
    if (subject.kind === 'external' || subject.workload.hostNetwork) return base;
    const destination = direction === 'egress' ? peer : subject;
    const applicable = this.adminPolicies.filter((p) => p[direction].length > 0 && this.subjectSelects(p, subject));
    if (applicable.length === 0) return base;

    const walk = (tier: 'admin' | 'baseline', start: ConnectionSet) => {
      let undecided = start;
      let allowed = ConnectionSet.NONE;
      let passed = ConnectionSet.NONE;
      const steps: AdminStep[] = [];
      for (const policy of applicable) {
        if (policy.tier !== tier) continue;
        for (const rule of policy[direction]) {
          if (undecided.isEmpty) break;
          const decided = this.ruleMatch(rule, peer, destination).intersect(undecided);
          if (decided.isEmpty) continue;
          steps.push({ policy, rule, action: rule.action, connections: decided });
          if (rule.action === 'allow') allowed = allowed.union(decided);
          else if (rule.action === 'pass') passed = passed.union(decided);
          undecided = undecided.subtract(decided);
        }
      }
      return { steps, allowed, next: undecided.union(passed) };
    };

    const admin = walk('admin', ConnectionSet.ALL);
    const networkPolicyIsolates = base.isolatedBy.length > 0;
    let connections = admin.allowed;
    let baseline: AdminStep[] = [];
    let defaultAllowed = ConnectionSet.NONE;
    if (networkPolicyIsolates) connections = connections.union(admin.next.intersect(base.connections));
    else {
      const result = walk('baseline', admin.next);
      baseline = result.steps;
      defaultAllowed = result.next;
      connections = connections.union(result.allowed).union(result.next);
    }
    const adminChain: AdminChain = { admin: admin.steps, toNetworkPolicy: admin.next, networkPolicyIsolates, baseline, defaultAllowed };
    return { ...base, connections, networkPolicyConnections: base.connections, adminChain };
  }

  private toBase(endpoint: Endpoint): Endpoint {
    return endpoint.kind === 'workload' ? endpoint : (this.coarse.get(endpoint) ?? endpoint);
  }
}

/** The admin policies a plugin enforces: `unknown` counts as enforced (upstream semantics, with an info finding). */
export function enforcedAdminPolicies(policies: readonly AdminPolicy[], capabilities: Capabilities): AdminPolicy[] {
  return policies.filter((p) => capabilities[adminCapability(p.kind)] !== 'unsupported');
}
