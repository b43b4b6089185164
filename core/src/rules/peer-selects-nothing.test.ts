import rule from './peer-selects-nothing.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const deployment = (name: string, namespace: string, labels: string, podSpec = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: ${labels}}
    spec: {${podSpec}containers: [{name: c, image: x}]}
`;

const cluster = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: payments, labels: {team: payments}}\n',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: empty, labels: {team: empty}}\n',
  deployment('frontend', 'shop', '{app: frontend, tier: web}'),
  deployment('api', 'shop', '{app: api, tier: backend}'),
  deployment('agent', 'shop', '{app: agent}', 'hostNetwork: true, '),
  deployment('ledger', 'payments', '{app: ledger}'),
].join('---\n');

/** A policy of namespace shop whose ingress rule has `peers` as its `from` (a YAML block, indented 8). */
const policy = (peers: string, extra = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
${extra}  ingress:
    - from:
${peers}`;

const code = (peers: string, extra = '') => ({ 'cluster.yaml': cluster, 'p.yaml': policy(peers, extra) });

const typo = policy('        - podSelector: {matchLabels: {app: frontnd}}\n');
const caseOnly = policy('        - podSelector:\n            matchLabels: {app: Frontend}\n');
const expression = policy(
  '        - podSelector:\n            matchExpressions: [{key: app, operator: In, values: [ledgr, x]}]\n          namespaceSelector: {}\n',
);
const namespaceTypo = policy(
  '        - namespaceSelector: {matchLabels: {team: paymnts}}\n          podSelector: {matchLabels: {app: nothing}}\n',
);
const namespaceNameTypo = policy(
  '        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: paymets}}\n',
);
const absentNamespace = policy('        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n');
const emptyNamespace = policy('        - namespaceSelector: {matchLabels: {team: empty}}\n');
const otherNamespace = policy('        - podSelector: {matchLabels: {app: ledger}}\n');
const hostNetwork = policy('        - podSelector: {matchLabels: {app: agent}}\n');
const twoMisses = policy('        - podSelector: {matchLabels: {app: frontnd, tier: backend}}\n');
const shortValue = policy('        - podSelector: {matchLabels: {app: ab}}\n');
const egress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: payments}
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock: {cidr: 10.0.0.0/8}
        - podSelector: {matchLabels: {app: ledger}}
        - namespaceSelector: {matchLabels: {team: shop}}
          podSelector: {matchLabels: {app: fronted}}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a podSelector matching a pod of the policy namespace',
      code: code('        - podSelector: {matchLabels: {app: frontend}}\n'),
    },
    {
      name: 'a namespaceSelector matching a namespace with workloads',
      code: code('        - namespaceSelector: {matchLabels: {team: payments}}\n'),
    },
    {
      name: 'the implicit kubernetes.io/metadata.name label',
      code: code(
        '        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: payments}}\n          podSelector: {matchLabels: {app: ledger}}\n',
      ),
    },
    {
      name: 'NotIn matches pods without the key',
      code: code(
        '        - podSelector: {matchExpressions: [{key: canary, operator: NotIn, values: ["true"]}]}\n',
      ),
    },
    {
      name: "ipBlock peers are not this rule's concern",
      code: code('        - ipBlock: {cidr: 192.168.0.0/16}\n'),
    },
    {
      name: 'rules of a direction left out of policyTypes are not checked here',
      code: {
        'cluster.yaml': cluster,
        'p.yaml':
          policy('        - podSelector: {}\n', '  policyTypes: [Ingress]\n') +
          '  egress:\n    - to: [{podSelector: {matchLabels: {app: nothing}}}]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a namespace named by kubernetes.io/metadata.name that is not in the input: info, not a typo',
      code: { 'cluster.yaml': cluster, 'p.yaml': absentNamespace },
      errors: [
        {
          messageId: 'namespaceNotInInput',
          message:
            'namespaceSelector kubernetes.io/metadata.name=kube-system names kube-system, which is not in the input: kubereach cannot check this peer (add its manifests to the run to check it)',
          file: 'p.yaml',
          ...spanOf(absentNamespace, '{matchLabels: {kubernetes.io/metadata.name: kube-system}}'),
        },
      ],
    },
    {
      name: 'a typo in a pod label value',
      code: { 'cluster.yaml': cluster, 'p.yaml': typo },
      errors: [
        {
          messageId: 'noPodTypo',
          message: 'podSelector app=frontnd matches no pod in namespace shop: did you mean app=frontend?',
          file: 'p.yaml',
          ...spanOf(typo, '{matchLabels: {app: frontnd}}'),
        },
      ],
    },
    {
      name: 'a value that differs only by case (a block selector: the range ends at its last value)',
      code: { 'cluster.yaml': cluster, 'p.yaml': caseOnly },
      errors: [
        {
          messageId: 'noPodTypo',
          message: 'podSelector app=Frontend matches no pod in namespace shop: did you mean app=frontend?',
          file: 'p.yaml',
          ...spanOf(caseOnly, 'matchLabels: {app: Frontend}', { after: '- podSelector:' }),
        },
      ],
    },
    {
      name: 'an In expression, with a namespaceSelector {} reaching every namespace',
      code: { 'cluster.yaml': cluster, 'p.yaml': expression },
      errors: [
        {
          messageId: 'noPodTypo',
          message:
            'podSelector app in (ledgr,x) matches no pod in namespaces empty, payments and shop: did you mean app=ledger?',
          file: 'p.yaml',
          ...spanOf(expression, 'matchExpressions', { last: 'x]}]' }),
        },
      ],
    },
    {
      name: 'a namespaceSelector matching no namespace is reported there, not at the podSelector',
      code: { 'cluster.yaml': cluster, 'p.yaml': namespaceTypo },
      errors: [
        {
          messageId: 'noNamespaceTypo',
          message:
            'namespaceSelector team=paymnts matches no namespace in the input: did you mean team=payments?',
          file: 'p.yaml',
          ...spanOf(namespaceTypo, '{matchLabels: {team: paymnts}}'),
        },
      ],
    },
    {
      name: 'a typo in a namespace name',
      code: { 'cluster.yaml': cluster, 'p.yaml': namespaceNameTypo },
      errors: [
        {
          messageId: 'noNamespaceTypo',
          message:
            'namespaceSelector kubernetes.io/metadata.name=paymets matches no namespace in the input: did you mean kubernetes.io/metadata.name=payments?',
          file: 'p.yaml',
          ...spanOf(namespaceNameTypo, '{matchLabels: {kubernetes.io/metadata.name: paymets}}'),
        },
      ],
    },
    {
      name: 'a namespaceSelector without podSelector whose namespaces hold no workload',
      code: { 'cluster.yaml': cluster, 'p.yaml': emptyNamespace },
      errors: [
        {
          messageId: 'emptyNamespaces',
          message:
            'namespaceSelector team=empty matches namespace empty, where the input has no selectable workload',
          file: 'p.yaml',
          ...spanOf(emptyNamespace, '{matchLabels: {team: empty}}'),
        },
      ],
    },
    {
      name: 'a podSelector alone stays in the policy namespace, whatever other namespaces hold',
      code: { 'cluster.yaml': cluster, 'p.yaml': otherNamespace },
      errors: [
        {
          messageId: 'podsElsewhere',
          message:
            'podSelector app=ledger matches no pod in namespace shop; it matches pods in namespace payments, which this peer does not reach',
          file: 'p.yaml',
          ...spanOf(otherNamespace, '{matchLabels: {app: ledger}}'),
        },
      ],
    },
    {
      name: 'hostNetwork pods never count as matches',
      code: { 'cluster.yaml': cluster, 'p.yaml': hostNetwork },
      errors: [
        {
          messageId: 'onlyHostNetwork',
          message:
            'podSelector app=agent matches only hostNetwork workloads (shop/agent[Deployment]), which pod selectors cannot select',
          file: 'p.yaml',
          ...spanOf(hostNetwork, '{matchLabels: {app: agent}}'),
        },
      ],
    },
    {
      name: 'no suggestion when a second label misses too',
      code: { 'cluster.yaml': cluster, 'p.yaml': twoMisses },
      errors: [
        {
          messageId: 'noPod',
          message: 'podSelector app=frontnd, tier=backend matches no pod in namespace shop',
          file: 'p.yaml',
          ...spanOf(twoMisses, '{matchLabels: {app: frontnd, tier: backend}}'),
        },
      ],
    },
    {
      name: 'no suggestion when the edits are as many as the shorter value has characters (ab, api)',
      code: { 'cluster.yaml': cluster, 'p.yaml': shortValue },
      errors: [{ messageId: 'noPod', file: 'p.yaml', ...spanOf(shortValue, '{matchLabels: {app: ab}}') }],
    },
    {
      name: 'egress peers, ipBlocks skipped',
      code: { 'cluster.yaml': cluster, 'out.yaml': egress },
      errors: [
        {
          messageId: 'noPodTypo',
          message: 'podSelector app=fronted matches no pod in namespace shop: did you mean app=frontend?',
          file: 'out.yaml',
          ...spanOf(egress, '{matchLabels: {app: fronted}}'),
        },
      ],
    },
  ],
});
