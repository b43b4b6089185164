// cni-ignores-admin-policies: AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy on a plugin that does not enforce the kind.
import { z } from 'zod';
import { adminCapability, compileAdminPolicies } from '../admin/compile.js';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'cni-ignores-admin-policies',
    category: 'portability',
    defaultSeverity: 'warning',
    description: 'An admin network policy (policy.networking.k8s.io) on a network plugin that does not enforce its kind',
    messages: {
      ignored: '{{plugin}} does not enforce {{kind}}: {{policy}} is ignored, and the matrix is computed without it',
      unknown: 'whether {{plugin}} enforces {{kind}} depends on its configuration (a feature gate or flag): {{policy}} is analysed as enforced',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const { profile } = analysis.cni;
    for (const policy of compileAdminPolicies(analysis.load.objects).policies) {
      const capability = adminCapability(policy.kind);
      const support = profile.capabilities[capability];
      if (support === 'supported') continue;
      const source = profile.family.sources[capability];
      report({
        messageId: support === 'unsupported' ? 'ignored' : 'unknown',
        data: { plugin: profile.family.displayName, kind: policy.kind, policy: policy.id },
        location: policy.locate(['kind']),
        ...(support === 'unknown' ? { maxSeverity: 'info' as const } : {}),
        ...(source === undefined ? {} : { related: [{ location: policy.location, message: `source: ${source.url}` }] }),
      });
    }
  },
});
