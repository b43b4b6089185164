// cni-ignores-policies: every NetworkPolicy, when the network plugin enforces none (kubenet, Flannel).
import { z } from 'zod';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'cni-ignores-policies',
    category: 'portability',
    defaultSeverity: 'error',
    description: 'A NetworkPolicy on a network plugin that enforces no NetworkPolicy at all',
    messages: {
      ignored: '{{plugin}} enforces no NetworkPolicy: {{policy}} has no effect, and every path it meant to close stays open',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    for (const effect of analysis.cni.effects) {
      if (effect.kind !== 'not-enforced') continue;
      report({
        messageId: 'ignored',
        data: { plugin: analysis.cni.profile.family.displayName, policy: effect.policy.id },
        location: effect.location,
        ...(analysis.cni.how === 'detected' ? { related: [{ location: analysis.cni.evidence, message: `the plugin was recognised from ${analysis.cni.description}` }] } : {}),
      });
    }
  },
});
