// cni-ignores-calico-policies: Calico NetworkPolicy or GlobalNetworkPolicy on a network plugin that does not enforce Calico policy.
import { z } from 'zod';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'cni-ignores-calico-policies',
    category: 'portability',
    defaultSeverity: 'warning',
    description: "A Calico NetworkPolicy or GlobalNetworkPolicy on a network plugin that does not enforce Calico's policies",
    messages: {
      ignored: '{{plugin}} does not enforce Calico policies: {{policy}} is ignored, and the matrix is computed without it',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const { profile } = analysis.cni;
    if (profile.capabilities.calicoPolicies === 'supported') return;
    for (const policy of analysis.calico.policies) {
      report({
        messageId: 'ignored',
        data: { plugin: profile.family.displayName, policy: policy.id },
        location: policy.locate(['kind']),
      });
    }
  },
});
