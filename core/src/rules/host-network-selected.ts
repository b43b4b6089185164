// host-network-selected: a NetworkPolicy whose podSelector matches hostNetwork workloads, which it cannot protect.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import { formatSelector, selectorMatches } from '../semantics/label-selector.js';
import type { Workload } from '../model/cluster.js';
import { classView, formatList } from './rule-support.js';

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
  check({ analysis, inScope, report }) {
    const { model } = analysis;
    const view = classView(analysis.result);
    const hostNetworkIn = new Map<string, readonly Workload[]>();
    for (const policy of model.policies) {
      // The finding is located at the policy's podSelector.
      if (!inScope(policy.location.file)) continue;
      let candidates = hostNetworkIn.get(policy.namespace);
      if (candidates === undefined) {
        candidates = view.workloadsIn(policy.namespace).filter((w) => w.hostNetwork);
        hostNetworkIn.set(policy.namespace, candidates);
      }
      // The engine's selectedWorkloads() leaves hostNetwork pods out (semantics point 9), so match the labels here.
      const matched = candidates.filter((w) => selectorMatches(policy.podSelector, w.labels));
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
