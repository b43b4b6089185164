// policy-selects-nothing: a NetworkPolicy whose podSelector matches no workload of its namespace.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import { CalicoConnectivityResult } from '../calico/evaluate.js';
import { formatCalicoSelector } from '../semantics/calico-selector.js';
import { formatSelector } from '../semantics/label-selector.js';
import { classView } from './rule-support.js';

export default createRule({
  meta: {
    id: 'policy-selects-nothing',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A NetworkPolicy whose podSelector matches no workload in its namespace, or a Calico policy that applies to none',
    messages: {
      noWorkload: 'policy {{policy}} selects no workload: no pod in namespace {{namespace}} matches {{selector}}',
      emptyNamespace: 'policy {{policy}} selects no workload: namespace {{namespace}} has no workloads in the input',
      calicoNoWorkload: '{{policy}} applies to no workload: no pod matches {{what}}',
    },
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    const { model, result } = analysis;
    const view = classView(result);
    for (const policy of model.policies) {
      if (!inScope(policy.location.file) || view.groupsSelectedBy(policy).length > 0) continue;
      const namespaceHasWorkloads = view.workloadsIn(policy.namespace).some((w) => !w.hostNetwork);
      report({
        messageId: namespaceHasWorkloads ? 'noWorkload' : 'emptyNamespace',
        data: { policy: policy.id, namespace: policy.namespace, selector: formatSelector(policy.podSelector) },
        location: policy.locate(['spec', 'podSelector']),
      });
    }
    // Calico's policies, where the plugin evaluates them (elsewhere cni-ignores-calico-policies speaks for them).
    if (!(result instanceof CalicoConnectivityResult)) return;
    for (const policy of result.calico.policies) {
      if (!inScope(policy.location.file)) continue;
      // Classes keep apart what Calico selectors read: a representative answers for its members. The result tests only
      // the classes of the policy's namespace, or that have every label key its selector requires (a cluster-wide
      // policy selecting a label no pod carries is not tested against every class).
      if (policy.hostEndpointsOnly || result.classesApplying(policy).length > 0) continue;
      const spec = policy.locate(['spec']);
      const selector = policy.locate(['spec', 'selector']);
      const what = [
        `selector ${formatCalicoSelector(policy.applies.selector)}`,
        policy.namespace === undefined ? undefined : `in namespace ${policy.namespace}`,
        policy.applies.namespaceSelector === undefined ? undefined : `in namespaces matching ${formatCalicoSelector(policy.applies.namespaceSelector)}`,
        policy.applies.serviceAccountSelector === undefined ? undefined : `with a service account matching ${formatCalicoSelector(policy.applies.serviceAccountSelector)}`,
      ].filter((part) => part !== undefined);
      report({
        messageId: 'calicoNoWorkload',
        data: { policy: policy.id, what: what.join(' ') },
        // At the selector when the policy writes one (an absent selector selects all()).
        location: selector.range.start !== spec.range.start || selector.range.end !== spec.range.end ? selector : policy.location,
      });
    }
  },
});
