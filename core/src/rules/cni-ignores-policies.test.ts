import rule from './cni-ignores-policies.js';
import { ruleTester } from '../lint/testing/rule-tester.js';

const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n';
const flannel = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-flannel-ds, namespace: kube-flannel}
spec:
  selector: {matchLabels: {app: flannel}}
  template:
    metadata: {labels: {app: flannel}}
    spec: {hostNetwork: true, containers: [{name: kube-flannel, image: flannel}]}
`;
const calico = flannel.replaceAll('kube-flannel-ds', 'calico-node').replaceAll('flannel', 'calico-node');

ruleTester(rule, {
  valid: [
    { name: 'no plugin declared or detected: generic', code: policy },
    { name: 'Calico enforces policies', code: { 'p.yaml': policy, 'cni.yaml': calico } },
  ],
  invalid: [
    {
      name: 'Flannel detected from its DaemonSet',
      code: { 'p.yaml': policy, 'cni.yaml': flannel },
      errors: [
        {
          messageId: 'ignored',
          message: 'Flannel enforces no NetworkPolicy: default/deny has no effect, and every path it meant to close stays open',
          file: 'p.yaml',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 13,
        },
      ],
    },
  ],
});
