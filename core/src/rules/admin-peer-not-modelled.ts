// admin-peer-not-modelled: admin policy peers that manifests cannot resolve (nodes, domainNames) or that fail closed.
import { z } from 'zod';
import { compileAdminPolicies } from '../admin/compile.js';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'admin-peer-not-modelled',
    category: 'correctness',
    defaultSeverity: 'info',
    description: 'An admin network policy peer that kubereach cannot resolve from manifests, or that fails closed',
    messages: {
      note: '{{note}}',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    for (const note of compileAdminPolicies(analysis.load.objects).notes) {
      report({ messageId: 'note', data: { note: note.message }, location: note.location });
    }
  },
});
