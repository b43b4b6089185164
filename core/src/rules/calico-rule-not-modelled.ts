// calico-rule-not-modelled: parts of Calico rules that kubereach reads approximately, and how it reads them.
import { z } from 'zod';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'calico-rule-not-modelled',
    category: 'correctness',
    defaultSeverity: 'info',
    description: 'A Calico rule field that kubereach does not model exactly (source ports, ICMP types, Services outside the input, HTTP, host endpoint policies)',
    messages: {
      note: '{{note}}',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    if (analysis.cni.profile.capabilities.calicoPolicies !== 'supported') return;
    for (const note of analysis.calico.notes) {
      report({ messageId: 'note', data: { note: note.message }, location: note.location });
    }
  },
});
