// Calico rules that never take effect: earlier rules of their policy, or policies before it in its tier, decide every
// connection they match first, for every subject the policy applies to and every peer.
import { workloadEndpoint, type Endpoint, type WorkloadEndpoint } from '../engine/endpoints.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { Direction } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import type { CalicoPolicy } from './compile.js';
import type { FoldSide, FoldStep } from '../admin/tier-fold.js';
import type { WorkloadClass } from '../engine/classes.js';
import type { CalicoConnectivityResult, CalicoStepPolicy } from './evaluate.js';

export interface CalicoShadowedRule {
  readonly policy: CalicoPolicy;
  readonly direction: Direction;
  readonly index: number;
  readonly location: SourceLocation;
  /** The earlier rules that decide its connections first. */
  readonly by: readonly string[];
}

interface RuleState {
  matchesSome: boolean;
  shadowed: boolean;
  readonly by: Set<string>;
}

function ruleName(policy: CalicoStepPolicy, direction: Direction, index: number): string {
  const who = policy.kind === 'KubernetesNetworkPolicy' ? `Kubernetes NetworkPolicy ${policy.id}` : policy.id;
  return `${who} ${direction} rule ${index + 1}`;
}

/**
 * Walks each (subject class, peer) pair once per direction, class representatives standing for their members (the
 * result's classes keep apart what Calico selectors tell apart), and each distinct way a peer looks to the subject's
 * compiled tiers once. A Log rule decides nothing, so it shadows nothing and is never reported. A representative
 * paired with itself stands for distinct members only when its class has some. `judged`: the policies whose rules
 * are wanted (a lint of some files); a rule's verdict depends on the rules before it only, so it is the same whatever
 * else is judged.
 */
export function calicoShadowedRules(
  result: CalicoConnectivityResult,
  judged: (policy: CalicoPolicy) => boolean = () => true,
): CalicoShadowedRule[] {
  const states = new Map<string, RuleState>();
  const policies = result.calico.policies.filter(judged);
  const calicoIds = new Set(policies.map((p) => p.id));
  const stateOf = (policy: string, direction: Direction, index: number): RuleState => {
    const key = `${policy}|${direction}|${index}`;
    let state = states.get(key);
    if (state === undefined)
      states.set(key, (state = { matchesSome: false, shadowed: true, by: new Set<string>() }));
    return state;
  };
  /** One rule's connections for one pair, against what earlier rules of its tier decided. */
  const judge = (
    state: RuleState,
    connections: ConnectionSet,
    earlier: readonly { name: string; connections: ConnectionSet }[],
  ) => {
    state.matchesSome = true;
    if (!state.shadowed) return;
    let decided = ConnectionSet.NONE;
    for (const e of earlier) {
      if (e.connections.intersect(connections).subtract(decided).isEmpty) continue;
      state.by.add(e.name);
      decided = decided.union(e.connections);
    }
    if (!connections.isSubsetOf(decided)) state.shadowed = false;
  };
  const peers: { endpoint: Endpoint; members: number }[] = [
    ...result.classes.map((c) => ({
      endpoint: workloadEndpoint(c.representative),
      members: c.members.length,
    })),
    ...result.externals.map((e) => ({ endpoint: e, members: 1 })),
  ];
  // Classes whose sides compile alike share one compiled side (the same steps and NetworkPolicy table), so they judge
  // every peer alike: each shared side is walked once, for all of its classes.
  // A judged policy's rules are steps only of the classes it applies to (and classes sharing a side share the
  // policies applying to them): when some policies are not judged, the others' classes are left out.
  const judgedClasses =
    policies.length === result.calico.policies.length
      ? undefined
      : new Set(policies.flatMap((p) => result.classesApplying(p).map((c) => c.index)));
  for (const direction of ['ingress', 'egress'] as const) {
    const sharing = new Map<FoldSide, WorkloadClass[]>();
    for (const subjectClass of result.classes) {
      if (subjectClass.hostNetwork || judgedClasses?.has(subjectClass.index) === false) continue;
      const subject = workloadEndpoint(subjectClass.representative);
      const side = result.compiledSide(direction, subject);
      if (side === null) {
        for (const peer of peers) {
          if (
            peer.endpoint.kind === 'workload' &&
            peer.endpoint.workload === subject.workload &&
            peer.members < 2
          )
            continue;
          walkSlowly(result, direction, subject, peer.endpoint, stateOf, judge);
        }
        continue;
      }
      const classes = sharing.get(side);
      if (classes === undefined) sharing.set(side, [subjectClass]);
      else classes.push(subjectClass);
    }
    for (const [side, classes] of sharing) {
      const subject = workloadEndpoint(classes[0]!.representative);
      // A peer is left out only where it would pair a single-member class with itself for every class of the side.
      const only =
        classes.length === 1 && classes[0]!.members.length < 2 ? classes[0]!.representative : undefined;
      // Only tiers with a Calico rule matter, and in each only the steps up to its last Calico rule: later steps
      // cannot shadow it. Peers that agree on those steps are judged once.
      const tiers = side.tiers.flatMap((tier) => {
        const last = tier.steps.findLastIndex(
          (step) => step.kind === 'rule' && step.origin !== undefined && calicoIds.has(step.origin.policy),
        );
        return last < 0 ? [] : [tier.steps.slice(0, last + 1)];
      });
      if (tiers.length === 0) continue;
      const steps = tiers.flat();
      const withBlock = steps.some((step) => step.kind === 'block');
      const peerDependent = steps.some((step) => step.kind === 'rule' && step.fixed === undefined);
      const seen = new Set<string>();
      // A peer no step matches gets nothing from any of them, so no rule can match it: without the NetworkPolicy
      // block, only the peers some step matches need looking at.
      const candidates = withBlock
        ? peers
        : [...new Set(steps.flatMap((step) => (step.kind === 'rule' ? result.matchedPeers(step.bits) : [])))]
            .sort((a, b) => a - b)
            .map((k) => peers[k]!);
      for (const peer of candidates) {
        if (peer.endpoint.kind === 'workload' && peer.endpoint.workload === only) continue;
        const index = result.peerIndexOf(peer.endpoint);
        const block = withBlock ? result.blockOf(direction, subject, peer.endpoint) : undefined;
        let key = peerDependent ? `${peer.endpoint.kind === 'workload' ? index : -1}|` : '';
        for (const step of steps)
          key += step.kind === 'rule' ? (step.bits[index] === 1 ? '1' : '0') : `|${block!.toString()}|`;
        if (seen.has(key)) continue;
        seen.add(key);
        const connectionsOf = (step: FoldStep): ConnectionSet => {
          if (step.kind === 'block') return block!;
          return step.bits[index] === 1 ? (step.fixed ?? step.perPeer!(peer.endpoint)) : ConnectionSet.NONE;
        };
        for (const tier of tiers) {
          const earlier: { name: string; connections: ConnectionSet }[] = [];
          for (const step of tier) {
            const connections = connectionsOf(step);
            if (step.kind === 'block') {
              earlier.push({ name: "the default tier's Kubernetes NetworkPolicy block", connections });
              continue;
            }
            if (step.action === 'log' || step.origin === undefined) continue;
            const { policy, index: rule } = step.origin;
            if (calicoIds.has(policy) && !connections.isEmpty) {
              judge(
                stateOf(policy, direction, rule),
                connections,
                earlier.map((e) => ({
                  name: e.name.startsWith(`${policy} `) ? e.name.slice(policy.length + 1) : e.name,
                  connections: e.connections,
                })),
              );
            }
            earlier.push({ name: `${policy} ${direction} rule ${rule + 1}`, connections });
          }
        }
      }
    }
  }
  const shadowed: CalicoShadowedRule[] = [];
  for (const policy of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of policy[direction] ?? []) {
        const state = states.get(`${policy.id}|${direction}|${rule.index}`);
        if (state?.matchesSome === true && state.shadowed) {
          shadowed.push({ policy, direction, index: rule.index, location: rule.location, by: [...state.by] });
        }
      }
    }
  }
  return shadowed;
}

/** The full walk for a pair the compiled tiers decline (a Calico policy sharing order 1000 with Kubernetes ones). */
function walkSlowly(
  result: CalicoConnectivityResult,
  direction: Direction,
  subject: WorkloadEndpoint,
  peer: Endpoint,
  stateOf: (policy: string, direction: Direction, index: number) => RuleState,
  judge: (
    state: RuleState,
    connections: ConnectionSet,
    earlier: readonly { name: string; connections: ConnectionSet }[],
  ) => void,
): void {
  const applied = result.appliedPolicies(direction, subject, peer);
  applied.forEach((entry, position) => {
    if (entry.policy.kind !== 'NetworkPolicy' && entry.policy.kind !== 'GlobalNetworkPolicy') return;
    const earlier = applied
      .slice(0, position)
      .filter((a) => a.tier === entry.tier)
      .flatMap((a) =>
        a.rules
          .filter((r) => r.action !== 'log')
          .map((r) => ({ name: ruleName(a.policy, direction, r.index), connections: r.connections })),
      );
    entry.rules.forEach((rule, k) => {
      const previous = entry.rules[k - 1];
      if (previous !== undefined && previous.action !== 'log')
        earlier.push({ name: `${direction} rule ${previous.index + 1}`, connections: previous.connections });
      if (rule.action === 'log' || rule.connections.isEmpty) return;
      judge(stateOf(entry.policy.id, direction, rule.index), rule.connections, earlier);
    });
  });
}
