// Calico rules that never take effect: earlier rules of their policy, or policies before it in its tier, decide every
// connection they match first, for every subject the policy applies to and every peer.
import { workloadEndpoint, type Endpoint } from '../engine/endpoints.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { Direction } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import type { CalicoPolicy } from './compile.js';
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
 * result's classes keep apart what Calico selectors tell apart). A Log rule decides nothing, so it shadows nothing and
 * is never reported. A representative paired with itself stands for distinct members only when its class has some.
 */
export function calicoShadowedRules(result: CalicoConnectivityResult): CalicoShadowedRule[] {
  const states = new Map<string, RuleState>();
  const key = (policy: string, direction: Direction, index: number) => `${policy}|${direction}|${index}`;
  const peers: { endpoint: Endpoint; members: number }[] = [
    ...result.classes.map((c) => ({ endpoint: workloadEndpoint(c.representative), members: c.members.length })),
    ...result.externals.map((e) => ({ endpoint: e, members: 1 })),
  ];
  for (const subjectClass of result.classes) {
    if (subjectClass.hostNetwork) continue;
    const subject = workloadEndpoint(subjectClass.representative);
    for (const direction of ['ingress', 'egress'] as const) {
      for (const peer of peers) {
        if (peer.endpoint.kind === 'workload' && peer.endpoint.workload === subject.workload && peer.members < 2) continue;
        const applied = result.appliedPolicies(direction, subject, peer.endpoint);
        // Which policies apply depends on the subject alone: without a Calico one, no peer needs looking at.
        if (!applied.some((a) => a.policy.kind === 'NetworkPolicy' || a.policy.kind === 'GlobalNetworkPolicy')) break;
        applied.forEach((entry, position) => {
          if (entry.policy.kind !== 'NetworkPolicy' && entry.policy.kind !== 'GlobalNetworkPolicy') return;
          const earlier = applied
            .slice(0, position)
            .filter((a) => a.tier === entry.tier)
            .flatMap((a) => a.rules.filter((r) => r.action !== 'log').map((r) => ({ name: ruleName(a.policy, direction, r.index), connections: r.connections })));
          entry.rules.forEach((rule, k) => {
            const previous = entry.rules[k - 1];
            if (previous !== undefined && previous.action !== 'log') earlier.push({ name: `${direction} rule ${previous.index + 1}`, connections: previous.connections });
            if (rule.action === 'log' || rule.connections.isEmpty) return;
            const state = states.get(key(entry.policy.id, direction, rule.index)) ?? { matchesSome: false, shadowed: true, by: new Set<string>() };
            states.set(key(entry.policy.id, direction, rule.index), state);
            state.matchesSome = true;
            if (!state.shadowed) return;
            let decided = ConnectionSet.NONE;
            for (const e of earlier) {
              if (e.connections.intersect(rule.connections).subtract(decided).isEmpty) continue;
              state.by.add(e.name);
              decided = decided.union(e.connections);
            }
            if (!rule.connections.isSubsetOf(decided)) state.shadowed = false;
          });
        });
      }
    }
  }
  const shadowed: CalicoShadowedRule[] = [];
  for (const policy of result.calico.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of policy[direction] ?? []) {
        const state = states.get(key(policy.id, direction, rule.index));
        if (state?.matchesSome === true && state.shadowed) {
          shadowed.push({ policy, direction, index: rule.index, location: rule.location, by: [...state.by] });
        }
      }
    }
  }
  return shadowed;
}
