// conflicting-priority: two admin policies of one tier with the same priority whose order changes some verdict.
import { z } from 'zod';
import type { AdminConnectivityResult } from '../admin/evaluate.js';
import { adminLayerOf } from '../calico/evaluate.js';
import { sameDecisions, walkRules } from '../admin/rule-walk.js';
import { createRule } from '../lint/types.js';
import { classView, firstPairsByClass } from './rule-support.js';

export default createRule({
  meta: {
    id: 'conflicting-priority',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'Two admin network policies of one tier with the same priority whose rules disagree on some connection',
    messages: {
      conflict:
        '{{policy}} and {{other}} share priority {{priority}} and disagree on {{subject}} {{direction}} with {{peer}}; the API leaves their order undefined (kubereach evaluates {{first}} first)',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    // Under Calico's tiers the admin policies keep their own layer (the kube-admin and kube-baseline tiers).
    const result = adminLayerOf(analysis.result);
    if (result === undefined) return;
    // BANP has no priority field: only ANPs and ClusterNetworkPolicies (of one tier) can collide.
    const policies = result.adminPolicies.filter((p) => p.kind !== 'BaselineAdminNetworkPolicy');
    policies.forEach((first, k) => {
      for (const second of policies.slice(k + 1)) {
        if (second.tier !== first.tier || second.priority !== first.priority) continue;
        const conflict = findConflict(result, first, second);
        if (conflict === undefined) continue;
        report({
          messageId: 'conflict',
          data: { policy: second.id, other: first.id, priority: second.priority, first: first.id, ...conflict },
          location: second.locate(['spec', 'priority']),
          related: [{ location: first.locate(['spec', 'priority']), message: `${first.id} has the same priority` }],
        });
      }
    });
  },
});

function findConflict(
  result: AdminConnectivityResult,
  a: AdminConnectivityResult['adminPolicies'][number],
  b: AdminConnectivityResult['adminPolicies'][number],
): { subject: string; direction: string; peer: string } | undefined {
  const view = classView(result);
  for (const direction of ['ingress', 'egress'] as const) {
    if (a[direction].length === 0 || b[direction].length === 0) continue;
    for (const { subject, peer } of firstPairsByClass(view, (c) => result.subjectSelects(a, view.endpoint(c.representative)))) {
      if (!result.subjectSelects(b, subject)) continue;
      const ab = walkRules(result, [...a[direction], ...b[direction]], direction, subject, peer);
      const ba = walkRules(result, [...b[direction], ...a[direction]], direction, subject, peer);
      if (!sameDecisions(ab, ba)) return { subject: subject.id, direction, peer: peer.id };
    }
  }
  return undefined;
}
