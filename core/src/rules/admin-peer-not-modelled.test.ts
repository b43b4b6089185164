import rule from './admin-peer-not-modelled.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { ADMIN_PODS, FROM_CLIENT, serverAnp } from './testing/admin-manifests.js';

const egress = (peer: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: e}
spec:
  priority: 1
  subject: {namespaces: {}}
  egress:
    - action: Deny
      to: [${peer}]
`;

ruleTester(rule, {
  valid: [
    { name: 'namespaces and pods peers', code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': serverAnp('a', 1, `    - {action: Deny, ${FROM_CLIENT}}\n`) } },
    { name: 'networks peers', code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': egress('{networks: [10.0.0.0/8]}') } },
  ],
  invalid: [
    {
      name: 'nodes peers without Node objects',
      code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': egress('{nodes: {matchLabels: {role: control-plane}}}') },
      errors: [{ messageId: 'note', file: 'anp.yaml', line: 9, column: 12, endLine: 9, endColumn: 57 }],
    },
    {
      name: 'a peer with no known field fails closed',
      code: { 'pods.yaml': ADMIN_PODS, 'anp.yaml': egress('{somethingNew: {}}') },
      errors: [{ messageId: 'note', file: 'anp.yaml', line: 8, column: 7, endLine: 9, endColumn: 31 }],
    },
  ],
});
