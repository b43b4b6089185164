// Reachability with admin policies: the admin tier, then NetworkPolicy, then the baseline tier, per side of a connection.
import { pairVerdict, type ConnectivityResult, type PairExplanation, type SideDenial, type SideVerdict } from '../engine/connectivity.js';
import { namedPortTable, type WorkloadClass } from '../engine/classes.js';
import type { Endpoint, WorkloadEndpoint } from '../engine/endpoints.js';
import { LayeredResult } from './layered.js';
import type { FoldOrigin, FoldSide, FoldStep, FoldTier, TierFold } from './tier-fold.js';
import { podAddressFamilies, type NamespaceInfo } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { holdsUnknownAddress, rangeContains, type Cidr } from '../semantics/ip.js';
import { selectorMatches } from '../semantics/label-selector.js';
import type { Direction } from '../semantics/policy-ir.js';
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

/**
 * An admin rule as a step of `subject`'s compiled side, in the admin result or in a result layering it (Calico's
 * kube-admin and kube-baseline tiers): its peer bitmap over `fold`'s peers, and its connections, per peer only where a
 * named port resolves on the egress peer.
 */
export function adminRuleStep(
  fold: TierFold,
  admin: AdminConnectivityResult,
  rule: AdminRule,
  direction: Direction,
  subject: WorkloadEndpoint,
  origin?: FoldOrigin,
): Extract<FoldStep, { kind: 'rule' }> {
  const named = rule.ports !== 'any' && rule.ports.some((p) => p.kind === 'named');
  // Named ports resolve on the destination: the subject for ingress, the peer for egress.
  const fixed = !named
    ? fold.ruleConnections(rule, () => resolveAdminPorts(rule.ports, undefined))
    : direction === 'ingress'
      ? resolveAdminPorts(rule.ports, namedPortTable(subject.workload))
      : undefined;
  return {
    kind: 'rule',
    action: rule.action,
    ...(origin === undefined ? {} : { origin }),
    bits: fold.bitsOf(rule, (peer) => admin.peerMatches(rule, peer)),
    fixed,
    perPeer:
      fixed === undefined
        ? (peer) => resolveAdminPorts(rule.ports, peer.kind === 'workload' ? namedPortTable(peer.workload) : undefined)
        : undefined,
  };
}

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
export type AdminSideVerdict = SideVerdict & {
  readonly adminChain?: AdminChain;
  readonly networkPolicyConnections?: ConnectionSet;
};

/** A PairExplanation whose sides may carry an admin chain (a plain PairExplanation is one). */
export interface AdminPairExplanation extends PairExplanation {
  readonly egress: AdminSideVerdict;
  readonly ingress: AdminSideVerdict;
}

/**
 * The NetworkPolicy result with admin policies layered on top; `allowed` and `explain` follow the tiers, the rest
 * is the NetworkPolicy engine's. External ranges are also cut at the admin policies' `networks` CIDRs.
 */
export class AdminConnectivityResult extends LayeredResult {
  private readonly namespaceLabels: ReadonlyMap<string, NamespaceInfo['labels']>;
  /** By a `networks` peer's CIDRs: whether they surely hold an address the input does not give (networksHoldUnknownAddress). */
  private readonly unknownAddressHeld = new WeakMap<readonly Cidr[], boolean>();

  constructor(
    networkPolicies: ConnectivityResult,
    /** In evaluation order (compileAdminPolicies sorts them). */
    readonly adminPolicies: readonly AdminPolicy[],
  ) {
    super(networkPolicies, adminCidrs(adminPolicies));
    this.namespaceLabels = new Map(networkPolicies.model.namespaces.map((n) => [n.name, n.labels]));
  }

  /**
   * The admin tier (what no rule decides passes on), then, where NetworkPolicy isolates the subject, its allow block
   * in a tier that drops the rest; otherwise the baseline tier (passing on to the default allow).
   */
  protected compileSide(direction: Direction, subject: WorkloadEndpoint): FoldSide {
    const applicable = this.adminPolicies.filter(
      (p) => p[direction].length > 0 && this.subjectSelects(p, subject),
    );
    let peerDependent = false;
    const steps = (tier: AdminTier): FoldStep[] =>
      applicable
        .filter((p) => p.tier === tier)
        .flatMap((policy) =>
          policy[direction].map((rule): FoldStep => {
            const step = adminRuleStep(this.fold, this, rule, direction, subject);
            if (step.fixed === undefined) peerDependent = true;
            return step;
          }),
        );
    const tiers: FoldTier[] = [];
    const admin = steps('admin');
    if (admin.length > 0) tiers.push({ defaultPass: true, steps: admin });
    if (this.networkPolicies.policiesSelecting(subject.workload)[direction].length > 0)
      tiers.push({ defaultPass: false, steps: [{ kind: 'block' }] });
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
    return pairVerdict(source, destination, egress, ingress);
  }

  /**
   * What keeps the side from allowing the rest: each admin or baseline Deny rule that decided some of it, and for
   * what reached the NetworkPolicies and they do not allow, the NetworkPolicies isolating the subject.
   */
  override sideDenials(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): readonly SideDenial[] {
    const base = this.networkPolicies.networkPolicySide(direction, subject, this.toBase(peer));
    const side = this.decideSide(direction, subject, peer, base);
    const chain = side.adminChain;
    if (chain === undefined) return this.networkPolicies.sideDenials(direction, subject, this.toBase(peer));
    const denials: SideDenial[] = [...chain.admin, ...chain.baseline]
      .filter((step) => step.action === 'deny')
      .map((step) => ({ policy: step.policy.id, how: 'denies', location: step.rule.location, connections: step.connections }));
    const dropped = chain.networkPolicyIsolates ? chain.toNetworkPolicy.subtract(base.connections) : ConnectionSet.NONE;
    if (!dropped.isEmpty)
      for (const policy of base.isolatedBy)
        denials.push({ policy: policy.id, how: 'isolates', location: policy.location, connections: dropped });
    return denials;
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

  /**
   * The classes a policy's subject selects, in index order: its namespace selector read once per namespace, its pod
   * selector on the classes of the namespaces it selects (`subjectSelects` on every class representative).
   */
  subjectClasses(policy: AdminPolicy): WorkloadClass[] {
    const found: WorkloadClass[] = [];
    for (const [namespace, classes] of this.classesIn) {
      if (!selectorMatches(policy.subject.namespaces, this.namespaceLabels.get(namespace) ?? {})) continue;
      for (const c of classes) {
        if (!c.hostNetwork && selectorMatches(policy.subject.pods, c.representative.labels)) found.push(c);
      }
    }
    return found.sort((a, b) => a.index - b.index);
  }

  /** Whether a rule's peers match an endpoint, and the connections its ports cover toward the destination. */
  ruleMatch(rule: AdminRule, peer: Endpoint, destination: Endpoint): ConnectionSet {
    if (!this.peerMatches(rule, peer)) return ConnectionSet.NONE;
    return resolveAdminPorts(
      rule.ports,
      destination.kind === 'workload' ? namedPortTable(destination.workload) : undefined,
    );
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
          // "cluster-internal traffic will be checked against the rule as well. So if you Accept or Deny traffic to
          // "0.0.0.0/0", that will allow or deny all IPv4 pod-to-pod traffic as well" (clusternetworkpolicy_types.go,
          // Networks). A pod is matched by its address when the input has it (a bare Pod's status.podIP; a
          // host-networked pod's is its node's); a pod template has none yet, and only a network covering its whole
          // address family surely holds it, as Calico nets read it.
          if (peer.workload.addresses.length === 0) return this.networksHoldUnknownAddress(match.cidrs);
          return peer.workload.addresses.some((address) =>
            match.cidrs.some(
              (cidr) => cidr.family === address.family && cidr.start <= address.value && address.value <= cidr.end,
            ),
          );
        case 'unmodelled':
          return false;
      }
    });
  }

  /**
   * Whether a `networks` peer surely holds a pod address the input does not give (a pod template's): its CIDRs cover a
   * whole family the cluster's pods may have (found once per peer).
   */
  networksHoldUnknownAddress(cidrs: readonly Cidr[]): boolean {
    let held = this.unknownAddressHeld.get(cidrs);
    if (held === undefined) {
      held = holdsUnknownAddress([{ ranges: cidrs, excluded: [] }], podAddressFamilies(this.model));
      this.unknownAddressHeld.set(cidrs, held);
    }
    return held;
  }

  /**
   * One side: (1) admin-tier policies in priority order, first matching rule decides (Allow, Deny, or Pass to
   * NetworkPolicy); (2) what is left goes to NetworkPolicy if some NetworkPolicy isolates the subject, which then
   * decides it all; (3) otherwise the baseline tier, first match (Allow, Deny; a v1alpha2 Pass goes on to the
   * default); (4) the default: allowed. adminnetworkpolicy_types.go (actions), clusternetworkpolicy_types.go (Tier).
   */
  private decideSide(
    direction: Direction,
    subject: Endpoint,
    peer: Endpoint,
    base: SideVerdict,
  ): AdminSideVerdict {
    // Not governed here: the NetworkPolicy result's verdict, about this result's endpoint (its ranges are finer).
    if (subject.kind === 'external' || subject.workload.hostNetwork) return { ...base, subject };
    const destination = direction === 'egress' ? peer : subject;
    const applicable = this.adminPolicies.filter(
      (p) => p[direction].length > 0 && this.subjectSelects(p, subject),
    );
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
    const adminChain: AdminChain = {
      admin: admin.steps,
      toNetworkPolicy: admin.next,
      networkPolicyIsolates,
      baseline,
      defaultAllowed,
    };
    return { ...base, connections, networkPolicyConnections: base.connections, adminChain };
  }
}

/** The admin policies a plugin enforces: `unknown` counts as enforced (upstream semantics, with an info finding). */
export function enforcedAdminPolicies(
  policies: readonly AdminPolicy[],
  capabilities: Capabilities,
): AdminPolicy[] {
  return policies.filter((p) => capabilities[adminCapability(p.kind)] !== 'unsupported');
}
