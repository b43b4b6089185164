import rule from './missing-default-deny.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const deployment = (name: string, namespace: string, podSpec = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {${podSpec}containers: [{name: c, image: x}]}
`;
const policy = (name: string, namespace: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}
`;
const namespaceObject = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const join = (...documents: string[]) => documents.join('---\n');

const denyIngress = policy('deny', 'shop', '{podSelector: {}, policyTypes: [Ingress]}');
const shop = join(deployment('web', 'shop'), deployment('api', 'shop'));

const fourOpen = join(
  namespaceObject,
  deployment('web', 'shop'),
  deployment('api', 'shop'),
  deployment('db', 'shop'),
  deployment('cache', 'shop'),
);
const implied = join(
  deployment('web', 'shop'),
  deployment('api', 'shop'),
  policy('api', 'shop', '{podSelector: {matchLabels: {app: api}}}'),
);
const egressOnly = join(
  deployment('web', 'shop'),
  policy('out', 'shop', '{podSelector: {}, policyTypes: [Egress]}'),
);
const noTypes = join(deployment('web', 'shop'), policy('none', 'shop', '{podSelector: {}, policyTypes: []}'));
const system = deployment('coredns', 'kube-system');
const calicoDenyAll = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: default-deny}\nspec:\n  selector: all()\n  types: [Ingress, Egress]\n';
const calicoPassTier = join(
  'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: platform}\nspec: {order: 10, defaultAction: Pass}\n',
  "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: log}\nspec:\n  tier: platform\n  selector: all()\n  ingress: [{action: Log}]\n",
);
/** A Calico policy in a Pass tier closing with a deny of everything its allow rules leave: a default deny of its own. */
const calicoClosing = (closing: string) =>
  join(
    'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: platform}\nspec: {order: 10, defaultAction: Pass}\n',
    `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: office}\nspec:\n  tier: platform\n  selector: all()\n  types: [Ingress]\n  ingress:\n    - {action: Allow, source: {nets: [198.51.100.0/24]}}\n${closing}`,
  );
const admin = (kind: string, rule: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: ${kind}
metadata: {name: ${kind === 'BaselineAdminNetworkPolicy' ? 'default' : 'a'}}
spec:
${kind === 'BaselineAdminNetworkPolicy' ? '' : '  priority: 10\n'}  subject: {namespaces: {}}
  ingress:
    - ${rule}
`;
/** The baseline denying every pod: the admin API's cluster-wide default deny. */
const baselineDenyPods = admin('BaselineAdminNetworkPolicy', '{name: no-pods, action: Deny, from: [{namespaces: {}}]}');

ruleTester(rule, {
  valid: [
    { name: 'a default deny covers every workload', code: join(shop, denyIngress) },
    // SetDefaults_NetworkPolicy defaults on len(policyTypes) == 0: `policyTypes: []` isolates ingress.
    { name: 'policyTypes: [] is defaulted to [Ingress], so it denies ingress', code: noTypes },
    {
      name: 'every workload selected by some ingress policy, without a {} policy',
      code: join(
        shop,
        policy('web', 'shop', '{podSelector: {matchLabels: {app: web}}}'),
        policy('api', 'shop', '{podSelector: {matchLabels: {app: api}}}'),
      ),
    },
    {
      name: 'hostNetwork workloads cannot be isolated',
      code: deployment('agent', 'shop', 'hostNetwork: true, '),
    },
    { name: 'kube-system is ignored by default', code: system },
    { name: 'egress is not required by default', code: join(shop, denyIngress) },
    { name: 'a namespace with policies and no workloads', code: denyIngress },
    { name: 'ignoreNamespaces', code: shop, options: { ignoreNamespaces: ['shop'] } },
    { name: "Calico: a rule-less GlobalNetworkPolicy in the default tier denies what nothing allows", code: join(shop, calicoDenyAll), options: { egress: true } },
    { name: 'Calico: a policy of a Pass tier closing with a Deny of everything denies by default', code: join(shop, calicoClosing('    - {action: Deny}\n')) },
    { name: 'a BaselineAdminNetworkPolicy denying every pod denies by default', code: join(shop, baselineDenyPods) },
    { name: 'an AdminNetworkPolicy denying every pod denies by default', code: join(shop, admin('AdminNetworkPolicy', '{name: all, action: Deny, from: [{namespaces: {}}]}')) },
  ],
  invalid: [
    {
      name: 'Calico: a tier that passes what its rules leave undecided isolates nothing',
      code: join(shop, calicoPassTier),
      errors: [
        {
          messageId: 'ingressPassed',
          message: 'namespace shop has no default-deny ingress policy: no tier denies api[Deployment] and web[Deployment] by default the ingress its rules leave undecided',
          line: 15,
          column: 9,
          endLine: 15,
          endColumn: 12,
        },
      ],
    },
    {
      name: 'Calico: a policy of a Pass tier that denies one port leaves the rest undecided',
      code: join(namespaceObject, deployment('web', 'shop'), calicoClosing('    - {action: Deny, protocol: TCP, destination: {ports: [22]}}\n')),
      errors: [{ messageId: 'ingressPassed', ...spanOf(namespaceObject, 'shop') }],
    },
    {
      name: 'an AdminNetworkPolicy denying one namespace is no default deny',
      code: join(namespaceObject, deployment('web', 'shop'), admin('AdminNetworkPolicy', '{name: x, action: Deny, from: [{namespaces: {matchLabels: {team: x}}}]}')),
      errors: [
        {
          messageId: 'ingressPassed',
          message: 'namespace shop has no default-deny ingress policy: no tier denies web[Deployment] by default the ingress its rules leave undecided',
          ...spanOf(namespaceObject, 'shop'),
        },
      ],
    },
    {
      name: 'at the Namespace name, naming three workloads and a count',
      code: fourOpen,
      errors: [
        {
          messageId: 'ingress',
          message:
            'namespace shop has no default-deny ingress policy: no policy isolates api[Deployment], cache[Deployment], db[Deployment] and 1 more for ingress',
          ...spanOf(fourOpen, 'shop'),
        },
      ],
    },
    {
      name: 'without a Namespace object: at the first unisolated workload',
      code: implied,
      errors: [
        {
          messageId: 'ingress',
          message:
            'namespace shop has no default-deny ingress policy: no policy isolates web[Deployment] for ingress',
          ...spanOf(implied, 'web'),
        },
      ],
    },
    {
      name: 'a policy with only Egress does not isolate ingress',
      code: egressOnly,
      errors: [{ messageId: 'ingress', ...spanOf(egressOnly, 'web') }],
    },
    {
      name: 'egress: true also requires egress isolation',
      code: { 'shop.yaml': join(namespaceObject, shop), 'deny.yaml': denyIngress },
      options: { egress: true },
      errors: [
        {
          messageId: 'egress',
          message:
            'namespace shop has no default-deny egress policy: no policy isolates api[Deployment] and web[Deployment] for egress',
          file: 'shop.yaml',
          ...spanOf(namespaceObject, 'shop'),
        },
      ],
    },
    {
      name: 'both directions, separately',
      code: join(namespaceObject, deployment('web', 'shop')),
      options: { egress: true },
      errors: [
        { messageId: 'ingress', ...spanOf(namespaceObject, 'shop') },
        { messageId: 'egress', ...spanOf(namespaceObject, 'shop') },
      ],
    },
    {
      name: 'ignoreNamespaces replaces the default list',
      code: system,
      options: { ignoreNamespaces: [] },
      errors: [
        {
          messageId: 'ingress',
          message:
            'namespace kube-system has no default-deny ingress policy: no policy isolates coredns[Deployment] for ingress',
          ...spanOf(system, 'coredns'),
        },
      ],
    },
  ],
});
