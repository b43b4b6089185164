import rule from './cni-profile.js';
import { ruleTester } from '../lint/testing/rule-tester.js';

const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n';
const calico = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
spec:
  selector: {matchLabels: {k8s-app: calico-node}}
  template:
    metadata: {labels: {k8s-app: calico-node}}
    spec: {hostNetwork: true, containers: [{name: calico-node, image: calico/node}]}
`;

ruleTester(rule, {
  valid: [{ name: 'no policy: the plugin changes nothing', code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: x}]}\n' }],
  invalid: [
    {
      name: 'not declared',
      code: policy,
      errors: [{ messageId: 'notDeclared', line: 4, column: 9, endLine: 4, endColumn: 13 }],
    },
    {
      name: 'detected from the calico-node DaemonSet',
      code: { 'p.yaml': policy, 'cni.yaml': calico },
      errors: [
        {
          messageId: 'detected',
          message:
            'network plugin recognised as Calico from DaemonSet kube-system/calico-node: the analysis follows what it enforces (set --cni or `cni:` in .kubereach.yaml to choose another)',
          file: 'cni.yaml',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 20,
        },
      ],
    },
  ],
});
