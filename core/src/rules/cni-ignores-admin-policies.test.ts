import rule from './cni-ignores-admin-policies.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { ADMIN_PODS, FROM_CLIENT, pluginAgent, serverAnp } from './testing/admin-manifests.js';

const anp = serverAnp('deny', 10, `    - {action: Deny, ${FROM_CLIENT}}\n`);

ruleTester(rule, {
  valid: [
    { name: 'generic enforces every kind', code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': anp } },
    { name: 'OVN-Kubernetes enforces ANP', code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': anp, 'cni.yaml': pluginAgent('ovnkube-node') } },
  ],
  invalid: [
    {
      name: 'Cilium does not enforce ANP',
      code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': anp, 'cni.yaml': pluginAgent('cilium') },
      errors: [
        {
          messageId: 'ignored',
          message: 'Cilium does not enforce AdminNetworkPolicy: AdminNetworkPolicy/deny is ignored, and the matrix is computed without it',
          file: 'anp.yaml',
          line: 2,
          column: 7,
          endLine: 2,
          endColumn: 25,
        },
      ],
    },
    {
      name: 'Antrea: behind a feature gate (info)',
      code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': anp, 'cni.yaml': pluginAgent('antrea-agent') },
      errors: [{ messageId: 'unknown', file: 'anp.yaml', line: 2, column: 7, endLine: 2, endColumn: 25 }],
    },
  ],
});
