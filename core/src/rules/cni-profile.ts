// cni-profile: says which network plugin the analysis assumes, when it was detected or not declared.
import { z } from 'zod';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'cni-profile',
    category: 'portability',
    defaultSeverity: 'info',
    description: 'The network plugin was not declared: which profile the analysis assumes, and why',
    messages: {
      detected: 'network plugin recognised as {{plugin}} from {{evidence}}: the analysis follows what it enforces (set --cni or `cni:` in .kubereach.yaml to choose another)',
      notDeclared:
        'network plugin not declared: the analysis assumes upstream semantics, every NetworkPolicy feature enforced; set --cni or `cni:` in .kubereach.yaml (kubenet and Flannel enforce nothing)',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const { cni } = analysis;
    if (cni.how === 'detected') {
      report({ messageId: 'detected', data: { plugin: cni.profile.family.displayName, evidence: cni.description }, location: cni.evidence });
    } else if (cni.how === 'default') {
      // Said once, at the first policy: without policies the plugin changes nothing.
      const first = analysis.model.policies[0];
      if (first !== undefined) report({ messageId: 'notDeclared', location: first.location });
    }
  },
});
