import rule from './ingress-from-anywhere.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{name: https, containerPort: 8443}, {name: http, containerPort: 80}]}]}
`;
const policy = (ingress: string, extra = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
${extra}  ingress:
${ingress}`;

const emptyRule = policy('    - {}\n');
const emptyFrom = policy('    - from: []\n      ports:\n        - port: 80\n');
const everyNamespace = policy('    - from:\n        - namespaceSelector: {}\n');
const everyNamespaceByName = policy('    - from:\n        - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: Exists}]}\n');
const bothEmpty = policy('    - from:\n        - podSelector: {}\n          namespaceSelector: {}\n      ports: [{port: 80}, {port: http, protocol: UDP}]\n');
const everyAddress = policy('    - from:\n        - ipBlock: {cidr: 0.0.0.0/0}\n        - ipBlock:\n            cidr: ::/0\n');
const mixedPorts = policy('    - ports: [{port: 443}, {port: 80}]\n');
const namedPort = policy('    - ports: [{port: https}]\n');
const portRange = policy('    - ports: [{port: 440, endPort: 450}]\n');

ruleTester(rule, {
  valid: [
    { name: 'a podSelector alone stays in the namespace', code: { 'web.yaml': web, 'p.yaml': policy('    - from: [{podSelector: {}}]\n') } },
    {
      name: 'a namespaceSelector leaving one namespace out',
      code: { 'web.yaml': web, 'p.yaml': policy('    - from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [dev]}]}}]\n') },
    },
    {
      name: 'namespaceSelector {} with a podSelector',
      code: { 'web.yaml': web, 'p.yaml': policy('    - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: x}}}]\n') },
    },
    {
      name: 'namespaceSelector that selects something',
      code: { 'web.yaml': web, 'p.yaml': policy('    - from: [{namespaceSelector: {matchLabels: {team: a}}}]\n') },
    },
    {
      name: '0.0.0.0/0 with an except',
      code: { 'web.yaml': web, 'p.yaml': policy('    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n') },
    },
    {
      name: 'ingress rules of a policy whose policyTypes leaves Ingress out do nothing',
      code: { 'web.yaml': web, 'p.yaml': policy('    - {}\n', '  policyTypes: [Egress]\n') },
    },
    { name: 'every port is in allowPorts', code: { 'web.yaml': web, 'p.yaml': policy('    - ports: [{port: 443}, {port: 80, protocol: UDP}]\n') }, options: { allowPorts: [80, 443] } },
    { name: 'a named port that resolves to an allowed port', code: { 'web.yaml': web, 'p.yaml': namedPort }, options: { allowPorts: [8443] } },
    { name: 'a range inside allowPorts', code: { 'web.yaml': web, 'p.yaml': portRange }, options: { allowPorts: [440, 441, 442, 443, 444, 445, 446, 447, 448, 449, 450] } },
    { name: 'egress rules are egress-to-anywhere business', code: { 'web.yaml': web, 'p.yaml': policy('    - from: [{podSelector: {}}]\n  egress:\n    - {}\n') } },
  ],
  invalid: [
    {
      name: 'a rule without from: reported at the rule',
      code: { 'web.yaml': web, 'p.yaml': emptyRule },
      errors: [
        {
          messageId: 'everything',
          message: 'shop/web spec.ingress[0] has no from, so it admits every source, inside and outside the cluster, on every port',
          file: 'p.yaml',
          ...spanOf(emptyRule, '{}', { after: 'ingress:' }),
        },
      ],
    },
    {
      name: 'an empty from is no from',
      code: { 'web.yaml': web, 'p.yaml': emptyFrom },
      errors: [
        {
          messageId: 'everything',
          message: 'shop/web spec.ingress[0] has no from, so it admits every source, inside and outside the cluster, on TCP 80',
          file: 'p.yaml',
          ...spanOf(emptyFrom, 'from: []', { last: '80' }),
        },
      ],
    },
    {
      name: 'namespaceSelector {} alone: every pod of every namespace',
      code: { 'web.yaml': web, 'p.yaml': everyNamespace },
      errors: [
        {
          messageId: 'everyPod',
          message: 'shop/web spec.ingress[0] admits every pod of every namespace (namespaceSelector: {}) on every port',
          file: 'p.yaml',
          ...spanOf(everyNamespace, 'namespaceSelector: {}'),
        },
      ],
    },
    {
      name: 'a namespaceSelector asking only for kubernetes.io/metadata.name, which every namespace carries',
      code: { 'web.yaml': web, 'p.yaml': everyNamespaceByName },
      errors: [
        {
          messageId: 'everyPod',
          message:
            'shop/web spec.ingress[0] admits every pod of every namespace (its namespaceSelector asks for kubernetes.io/metadata.name, which every namespace has) on every port',
          file: 'p.yaml',
          ...spanOf(everyNamespaceByName, 'namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: Exists}]}'),
        },
      ],
    },
    {
      name: 'namespaceSelector {} with podSelector {}, on ports',
      code: { 'web.yaml': web, 'p.yaml': bothEmpty },
      errors: [
        {
          messageId: 'everyPod',
          message: 'shop/web spec.ingress[0] admits every pod of every namespace (namespaceSelector: {}) on TCP 80, UDP http',
          file: 'p.yaml',
          ...spanOf(bothEmpty, 'podSelector: {}', { last: 'namespaceSelector: {}' }),
        },
      ],
    },
    {
      name: 'each whole address family, once per peer',
      code: { 'web.yaml': web, 'p.yaml': everyAddress },
      errors: [
        {
          messageId: 'everyAddress',
          message: 'shop/web spec.ingress[0] admits every IPv4 address (0.0.0.0/0) on every port',
          file: 'p.yaml',
          ...spanOf(everyAddress, 'ipBlock: {cidr: 0.0.0.0/0}'),
        },
        {
          messageId: 'everyAddress',
          message: 'shop/web spec.ingress[0] admits every IPv6 address (::/0) on every port',
          file: 'p.yaml',
          ...spanOf(everyAddress, 'ipBlock:\n            cidr: ::/0'),
        },
      ],
    },
    {
      name: 'one port outside allowPorts is enough',
      code: { 'web.yaml': web, 'p.yaml': mixedPorts },
      options: { allowPorts: [443] },
      errors: [
        {
          messageId: 'everything',
          message: 'shop/web spec.ingress[0] has no from, so it admits every source, inside and outside the cluster, on TCP 443, TCP 80',
          file: 'p.yaml',
          ...spanOf(mixedPorts, 'ports: [{port: 443}, {port: 80}]'),
        },
      ],
    },
    {
      name: 'a named port resolves on the selected pods: https is 8443 there, not 443',
      code: { 'web.yaml': web, 'p.yaml': namedPort },
      options: { allowPorts: [443] },
      errors: [{ messageId: 'everything', file: 'p.yaml', ...spanOf(namedPort, 'ports: [{port: https}]') }],
    },
    {
      name: 'a range that is not wholly allowed',
      code: { 'web.yaml': web, 'p.yaml': portRange },
      options: { allowPorts: [443] },
      errors: [{ messageId: 'everything', file: 'p.yaml', ...spanOf(portRange, 'ports: [{port: 440, endPort: 450}]') }],
    },
  ],
});
