import rule from './host-network-selected.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const daemonSet = (name: string, namespace: string, hostNetwork: boolean) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, tier: node}}
    spec: {hostNetwork: ${hostNetwork}, containers: [{name: c, image: x}]}
`;
const policy = (selector: string, namespace = 'monitoring') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ${namespace}}
spec:
  podSelector: ${selector}
  ingress: []
`;

const exporter = daemonSet('exporter', 'monitoring', true);
const byLabel = policy('{matchLabels: {app: exporter}}');
const everyPod = policy('{}');
const block = policy('\n    matchExpressions:\n      - {key: tier, operator: In, values: [node]}');

ruleTester(rule, {
  valid: [
    {
      name: 'a pod on the pod network',
      code: { 'ds.yaml': daemonSet('exporter', 'monitoring', false), 'p.yaml': byLabel },
    },
    {
      name: 'labels that do not match',
      code: { 'ds.yaml': exporter, 'p.yaml': policy('{matchLabels: {app: prometheus}}') },
    },
    { name: 'a policy of another namespace', code: { 'ds.yaml': exporter, 'p.yaml': policy('{}', 'shop') } },
  ],
  invalid: [
    {
      name: 'a selector naming the hostNetwork workload',
      code: { 'ds.yaml': exporter, 'p.yaml': byLabel },
      errors: [
        {
          messageId: 'hostNetwork',
          message:
            "policy monitoring/p cannot protect hostNetwork workload monitoring/exporter[DaemonSet]: podSelector app=exporter matches by label, but hostNetwork pods use the node's network and NetworkPolicy does not apply to them",
          file: 'p.yaml',
          ...spanOf(byLabel, '{matchLabels: {app: exporter}}'),
        },
      ],
    },
    {
      name: 'a default deny in a namespace with hostNetwork workloads, one finding for all of them',
      code: {
        'ds.yaml': [exporter, daemonSet('agent', 'monitoring', true)].join('---\n'),
        'p.yaml': everyPod,
      },
      errors: [
        {
          messageId: 'hostNetwork',
          message:
            "policy monitoring/p cannot protect hostNetwork workloads monitoring/agent[DaemonSet] and monitoring/exporter[DaemonSet]: podSelector {} matches by label, but hostNetwork pods use the node's network and NetworkPolicy does not apply to them",
          file: 'p.yaml',
          ...spanOf(everyPod, '{}'),
        },
      ],
    },
    {
      name: 'a block selector with matchExpressions',
      code: { 'ds.yaml': exporter, 'p.yaml': block },
      errors: [
        {
          messageId: 'hostNetwork',
          file: 'p.yaml',
          ...spanOf(block, 'matchExpressions', { last: '[node]}' }),
        },
      ],
    },
  ],
});
