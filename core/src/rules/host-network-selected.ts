// host-network-selected: a NetworkPolicy whose podSelector matches hostNetwork workloads, which it cannot protect.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import { formatSelector, selectorMatches } from '../semantics/label-selector.js';
import { formatList } from './rule-support.js';

export default createRule({
  meta: {
    id: 'host-network-selected',
    category: 'correctness',
    defaultSeverity: 'warning',
    description:
      'A NetworkPolicy whose podSelector matches hostNetwork workloads, which policies cannot isolate',
    messages: {
      hostNetwork:
        "policy {{policy}} cannot protect {{workloads}}: podSelector {{selector}} matches by label, but hostNetwork pods use the node's network and NetworkPolicy does not apply to them",
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const { model } = analysis;
    for (const policy of model.policies) {
      // The engine's selectedWorkloads() leaves hostNetwork pods out (semantics point 9), so match the labels here.
      const matched = model.workloads.filter(
        (w) =>
          w.hostNetwork && w.namespace === policy.namespace && selectorMatches(policy.podSelector, w.labels),
      );
      if (matched.length === 0) continue;
      report({
        messageId: 'hostNetwork',
        data: {
          policy: policy.id,
          workloads: `hostNetwork ${matched.length === 1 ? 'workload' : 'workloads'} ${formatList(matched.map((w) => w.id))}`,
          selector: formatSelector(policy.podSelector),
        },
        location: policy.locate(['spec', 'podSelector']),
        related: matched.map((w) => ({ location: w.location, message: `hostNetwork workload ${w.id}` })),
      });
    }
  },
});
