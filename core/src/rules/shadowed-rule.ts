// shadowed-rule: an admin or Calico policy rule that earlier rules (of its policy, or of policies before it in its tier) always decide first.
import { z } from 'zod';
import type { AdminPolicy, AdminRule } from '../admin/compile.js';
import type { AdminConnectivityResult } from '../admin/evaluate.js';
import { adminLayerOf, CalicoConnectivityResult } from '../calico/evaluate.js';
import { calicoShadowedRules } from '../calico/shadowing.js';
import { createRule } from '../lint/types.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { classView, firstPairsByClass } from './rule-support.js';

export default createRule({
  meta: {
    id: 'shadowed-rule',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'An admin network policy or Calico policy rule that earlier rules always decide first, so it never takes effect',
    messages: {
      shadowed: '{{policy}} {{direction}} rule {{index}} never takes effect: {{by}} decide{{s}} every connection it matches first',
    },
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    if (analysis.result instanceof CalicoConnectivityResult) {
      for (const shadowed of calicoShadowedRules(analysis.result, (policy) => inScope(policy.location.file))) {
        report({
          messageId: 'shadowed',
          data: { policy: shadowed.policy.id, direction: shadowed.direction, index: shadowed.index + 1, by: shadowed.by.join(', '), s: shadowed.by.length === 1 ? 's' : '' },
          location: shadowed.location,
        });
      }
    }
    // Under Calico's tiers the admin policies keep their own layer (the kube-admin and kube-baseline tiers).
    const result = adminLayerOf(analysis.result);
    if (result === undefined) return;
    result.adminPolicies.forEach((policy, position) => {
      // Findings are located at the policy's rules.
      if (!inScope(policy.location.file)) return;
      const before = result.adminPolicies.slice(0, position).filter((p) => p.tier === policy.tier);
      for (const direction of ['ingress', 'egress'] as const) {
        policy[direction].forEach((rule, index) => {
          const by = shadowingRules(result, policy, before, rule, index);
          if (by === undefined) return;
          report({
            messageId: 'shadowed',
            data: { policy: policy.id, direction, index: index + 1, by: by.join(', '), s: by.length === 1 ? 's' : '' },
            location: rule.location,
          });
        });
      }
    });
  },
});

/** The earlier rules that decide all of `rule`'s connections on every pair it matches; undefined if it decides some, or matches none. */
function shadowingRules(
  result: AdminConnectivityResult,
  policy: AdminPolicy,
  before: readonly AdminPolicy[],
  rule: AdminRule,
  index: number,
): string[] | undefined {
  const direction = rule.direction;
  const names = new Set<string>();
  let matchesSome = false;
  const view = classView(result);
  for (const { subject, peer } of firstPairsByClass(view, (c) => result.subjectSelects(policy, view.endpoint(c.representative)))) {
    const destination = direction === 'egress' ? peer : subject;
    const covered = result.ruleMatch(rule, peer, destination);
    if (covered.isEmpty) continue;
    matchesSome = true;
    const earlier: { name: string; rule: AdminRule }[] = [
      ...before.filter((p) => result.subjectSelects(p, subject)).flatMap((p) => p[direction].map((r) => ({ name: `${p.id} ${direction} rule ${r.index + 1}`, rule: r }))),
      ...policy[direction].slice(0, index).map((r) => ({ name: `${direction} rule ${r.index + 1}`, rule: r })),
    ];
    let decided = ConnectionSet.NONE;
    for (const e of earlier) {
      const part = result.ruleMatch(e.rule, peer, destination);
      if (part.intersect(covered).subtract(decided).isEmpty) continue;
      names.add(e.name);
      decided = decided.union(part);
    }
    if (!covered.isSubsetOf(decided)) return undefined;
  }
  return matchesSome ? [...names] : undefined;
}
