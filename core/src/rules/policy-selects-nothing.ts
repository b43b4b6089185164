// policy-selects-nothing: a NetworkPolicy whose podSelector matches no workload of its namespace.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import { formatSelector } from '../semantics/label-selector.js';
import { classView } from './rule-support.js';

export default createRule({
  meta: {
    id: 'policy-selects-nothing',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A NetworkPolicy whose podSelector matches no workload in its namespace',
    messages: {
      noWorkload: 'policy {{policy}} selects no workload: no pod in namespace {{namespace}} matches {{selector}}',
      emptyNamespace: 'policy {{policy}} selects no workload: namespace {{namespace}} has no workloads in the input',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const { model, result } = analysis;
    const view = classView(result);
    for (const policy of model.policies) {
      if (view.groupsSelectedBy(policy).length > 0) continue;
      const namespaceHasWorkloads = view.workloadsIn(policy.namespace).some((w) => !w.hostNetwork);
      report({
        messageId: namespaceHasWorkloads ? 'noWorkload' : 'emptyNamespace',
        data: { policy: policy.id, namespace: policy.namespace, selector: formatSelector(policy.podSelector) },
        location: policy.locate(['spec', 'podSelector']),
      });
    }
  },
});
