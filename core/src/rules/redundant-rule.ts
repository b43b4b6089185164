// redundant-rule: a rule, or a whole policy, that allows no connection the other rules for the same pods do not already allow.
import { z } from 'zod';
import type { SideVerdict } from '../engine/connectivity.js';
import type { Endpoint, WorkloadEndpoint } from '../engine/endpoints.js';
import { createRule } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { CompiledPolicy, Direction, PolicyRule } from '../semantics/policy-ir.js';
import { formatList, isSinglePod, ruleLabel, workloadIndex } from './rule-support.js';

/** The rules that allow, for every pair a rule applies to, everything the rule allows there. */
interface Coverage {
  /** False when the rule allows nothing anywhere (it matches no peer, or its named ports resolve nowhere). */
  readonly allowsSomething: boolean;
  /** The other rules that share some of its connections, in the order met. */
  readonly covering: ReadonlyMap<PolicyRule, CompiledPolicy>;
}

export default createRule({
  meta: {
    id: 'redundant-rule',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A rule, or a whole policy, that allows no connection beyond what other rules for the same pods already allow',
    messages: {
      redundantRule: '{{rule}} adds no connection: everything it allows is also allowed by {{covering}}',
      redundantPolicy:
        'policy {{policy}} adds nothing: everything it allows is also allowed by {{covering}}, and other policies isolate every pod it selects',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    // The policies the engine evaluated (after the network plugin's profile), so they are the ones its verdicts name.
    const { result } = analysis;
    const { model } = result;
    const endpoints = new Map<Workload, WorkloadEndpoint>(result.workloads.map((e) => [e.workload, e]));
    const index = workloadIndex(model);
    const verdicts = new Map<string, SideVerdict>();
    const verdict = (direction: Direction, subject: Workload, peer: Endpoint): SideVerdict => {
      const key = `${direction}|${subject.id}|${peer.id}`;
      let side = verdicts.get(key);
      if (side === undefined) {
        const own = endpoints.get(subject)!;
        side = direction === 'ingress' ? result.explain(peer, own).ingress : result.explain(own, peer).egress;
        verdicts.set(key, side);
      }
      return side;
    };
    // Reported rules and policies are taken out of later checks, so that removing everything reported
    // together changes nothing: of two identical rules, only one is reported (the later one).
    const removedPolicies = new Set<CompiledPolicy>();
    const removedRules = new Set<PolicyRule>();

    const coverage = (policy: CompiledPolicy, rule: PolicyRule, withoutPolicy: boolean): Coverage | undefined => {
      const subjects = index.selectedBy(policy);
      const counts = (q: CompiledPolicy): boolean => !removedPolicies.has(q) && !(withoutPolicy && q === policy);
      const hasOtherRules = (subject: Workload): boolean => {
        const isolating = result.policiesSelecting(subject)[rule.direction];
        return isolating.some((q) => counts(q) && q[rule.direction]!.rules.some((r) => r !== rule && !removedRules.has(r)));
      };
      // Cheap before the pairs: with no other rule for any subject, only a rule that allows nothing could be covered.
      if (!subjects.some(hasOtherRules)) return undefined;
      const covering = new Map<PolicyRule, CompiledPolicy>();
      let allowsSomething = false;
      const peers = result.peersMatchedBy(rule);
      for (const subject of subjects) {
        for (const peer of peers) {
          if (peer.kind === 'workload' && peer.workload === subject && isSinglePod(subject)) continue;
          const side = verdict(rule.direction, subject, peer);
          // The engine's contributions resolve named ports on each pair's destination (semantics point 6).
          const own = side.allowedBy.find((c) => c.rule === rule)?.connections ?? ConnectionSet.NONE;
          if (own.isEmpty) continue;
          allowsSomething = true;
          let others = ConnectionSet.NONE;
          const helping = side.allowedBy.filter(
            (c) =>
              c.rule !== rule &&
              !removedRules.has(c.rule) &&
              counts(c.policy) &&
              !c.connections.intersect(own).isEmpty,
          );
          for (const c of helping) others = others.union(c.connections);
          if (!own.isSubsetOf(others)) return undefined;
          for (const c of helping) covering.set(c.rule, c.policy);
        }
      }
      return { allowsSomething, covering };
    };

    const policies = [...model.policies].reverse();
    for (const policy of policies) {
      const directions = (['ingress', 'egress'] as const).filter((d) => policy[d] !== undefined);
      const rules = directions.flatMap((d) => policy[d]!.rules);
      const selected = index.selectedBy(policy);
      if (rules.length === 0 || selected.length === 0) continue;
      // A policy that is the only one isolating some pod in a direction is never redundant: it isolates.
      const isolatedElsewhere = directions.every((d) =>
        selected.every((w) => result.policiesSelecting(w)[d].some((q) => q !== policy && !removedPolicies.has(q))),
      );
      if (!isolatedElsewhere) continue;
      const coverages: Coverage[] = [];
      for (const rule of rules) {
        const found = coverage(policy, rule, true);
        if (found === undefined) break;
        coverages.push(found);
      }
      if (coverages.length < rules.length || !coverages.some((c) => c.allowsSomething)) continue;
      const covering = [...new Set(coverages.flatMap((c) => [...c.covering.values()]))];
      report({
        messageId: 'redundantPolicy',
        data: { policy: policy.id, covering: formatList(covering.map((p) => p.id)) },
        location: policy.location,
        related: covering.map((p) => ({ location: p.location, message: `${p.id} allows the same connections to the same pods` })),
      });
      removedPolicies.add(policy);
    }

    for (const policy of policies) {
      if (removedPolicies.has(policy)) continue;
      for (const direction of ['egress', 'ingress'] as const) {
        for (const rule of [...(policy[direction]?.rules ?? [])].reverse()) {
          const found = coverage(policy, rule, false);
          if (found === undefined || !found.allowsSomething) continue;
          const covering = [...found.covering].map(([r, p]) => ({ label: ruleLabel(p, r), location: r.location }));
          report({
            messageId: 'redundantRule',
            data: { rule: ruleLabel(policy, rule), covering: formatList(covering.map((c) => c.label)) },
            location: rule.location,
            related: covering.map((c) => ({ location: c.location, message: `${c.label} also allows these connections` })),
          });
          removedRules.add(rule);
        }
      }
    }
  },
});
