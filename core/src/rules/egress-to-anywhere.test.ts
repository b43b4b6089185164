import rule from './egress-to-anywhere.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const workloads = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: other}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: x, ports: [{name: https, containerPort: 8443}]}]}
`;
const policy = (egress: string, types = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
${types}  egress:
${egress}`;

const defaultedEgress = policy('    - {}\n');
const everyNamespace = policy('    - to:\n        - podSelector: {matchLabels: {app: db}}\n        - namespaceSelector: {}\n      ports:\n        - port: https\n');
const everyAddress = policy('    - to:\n        - ipBlock: {cidr: 0.0.0.0/0}\n      ports: [{port: 443}, {port: 53, protocol: UDP}]\n');

ruleTester(rule, {
  valid: [
    { name: 'egress: [] does not even isolate', code: { 'w.yaml': workloads, 'p.yaml': policy('    []\n') } },
    { name: 'egress rules of a policy whose policyTypes leaves Egress out do nothing', code: { 'w.yaml': workloads, 'p.yaml': policy('    - {}\n', '  policyTypes: [Ingress]\n') } },
    { name: 'a namespace that selects something', code: { 'w.yaml': workloads, 'p.yaml': policy('    - to: [{namespaceSelector: {matchLabels: {team: a}}}]\n') } },
    { name: 'ports all allowed', code: { 'w.yaml': workloads, 'p.yaml': policy('    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n      ports: [{port: 443}]\n') }, options: { allowPorts: [443] } },
    {
      name: 'a named port resolves on the destination pods (8443 here)',
      code: { 'w.yaml': workloads, 'p.yaml': policy('    - to: [{namespaceSelector: {}}]\n      ports: [{port: https}]\n') },
      options: { allowPorts: [8443] },
    },
    {
      name: 'a named port matches no external address, so toward an ipBlock it opens nothing',
      code: { 'w.yaml': workloads, 'p.yaml': policy('    - to: [{ipBlock: {cidr: ::/0}}]\n      ports: [{port: https}]\n') },
      options: { allowPorts: [443] },
    },
  ],
  invalid: [
    {
      name: 'egress with one element isolates without policyTypes, and this one allows everything',
      code: { 'w.yaml': workloads, 'p.yaml': defaultedEgress },
      errors: [
        {
          messageId: 'everything',
          message: 'shop/web spec.egress[0] has no to, so it allows every destination, inside and outside the cluster, on every port',
          file: 'p.yaml',
          ...spanOf(defaultedEgress, '{}', { after: 'egress:' }),
        },
      ],
    },
    {
      name: 'the open peer is reported, not its neighbour; https is 8443 on the destination',
      code: { 'w.yaml': workloads, 'p.yaml': everyNamespace },
      options: { allowPorts: [443] },
      errors: [
        {
          messageId: 'everyPod',
          message: 'shop/web spec.egress[0] allows every pod of every namespace (namespaceSelector: {}) on TCP https',
          file: 'p.yaml',
          ...spanOf(everyNamespace, 'namespaceSelector: {}'),
        },
      ],
    },
    {
      name: 'the whole IPv4 space on a port outside allowPorts',
      code: { 'w.yaml': workloads, 'p.yaml': everyAddress },
      options: { allowPorts: [443] },
      errors: [
        {
          messageId: 'everyAddress',
          message: 'shop/web spec.egress[0] allows every IPv4 address (0.0.0.0/0) on TCP 443, UDP 53',
          file: 'p.yaml',
          ...spanOf(everyAddress, 'ipBlock: {cidr: 0.0.0.0/0}'),
        },
      ],
    },
  ],
});
