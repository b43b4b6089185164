// half-open-path: a rule that names a workload explicitly while the other side of the path denies it.
import { z } from 'zod';
import { createRule, type RelatedLocation } from '../lint/types.js';
import type { Direction } from '../semantics/policy-ir.js';
import { classView, formatList } from './rule-support.js';
import { groupGaps, peerGaps } from './side-gaps.js';

export default createRule({
  meta: {
    id: 'half-open-path',
    category: 'unreachable',
    defaultSeverity: 'warning',
    description: 'A rule that names a workload explicitly while the other side of the path denies the connection',
    messages: {
      ingressDenies:
        'egress allows {{sources}} => {{destinations}} on {{connections}}, but the ingress of {{destinations}} does not admit it',
      egressDenies:
        'ingress admits {{sources}} => {{destinations}} on {{connections}}, but the egress of {{sources}} does not allow it',
    },
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    // The policies the engine evaluated (after the network plugin's profile), so they are the ones its verdicts name.
    const { result } = analysis;
    const { model } = result;
    const view = classView(result);
    for (const policy of model.policies) {
      // Every finding is located at a peer of the policy.
      if (!inScope(policy.location.file)) continue;
      for (const direction of ['egress', 'ingress'] as const) {
        const rules = policy[direction]?.rules ?? [];
        const otherDirection: Direction = direction === 'egress' ? 'ingress' : 'egress';
        // Every workload the policy selects is isolated by it in each direction it has.
        const selected = view.groupsSelectedBy(policy);
        for (const rule of rules) {
          if (rule.peers.kind !== 'list') continue;
          // Only peers that name workloads: a rule without from/to or an ipBlock names no one in particular.
          for (const peer of rule.peers.peers) {
            if (peer.kind !== 'pods') continue;
            const gaps = peerGaps(view, { selected, direction, rule, peer, side: 'other' });
            for (const group of groupGaps(gaps, view.rankById)) {
              const ownIds = group.owns.map((w) => w.id);
              const otherIds = group.others.map((w) => w.id);
              const related: RelatedLocation[] = [...group.deniedBy.values()].map(({ denial, others }) => {
                const workloads = formatList(others.map((w) => w.id));
                return {
                  location: denial.location,
                  message:
                    denial.how === 'isolates'
                      ? `${denial.policy} isolates the ${otherDirection} of ${workloads} and does not allow it`
                      : `a rule of ${denial.policy} denies it in the ${otherDirection} of ${workloads}`,
                };
              });
              report({
                messageId: direction === 'egress' ? 'ingressDenies' : 'egressDenies',
                data: {
                  sources: formatList(direction === 'egress' ? ownIds : otherIds),
                  destinations: formatList(direction === 'egress' ? otherIds : ownIds),
                  connections: group.denied.toString(),
                },
                location: peer.location,
                related,
              });
            }
          }
        }
      }
    }
  },
});
