import { expect, it } from 'vitest';
import rule from './overridden-allow.js';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { ADMIN_PODS, FROM_CLIENT, pluginAgent, serverAnp } from './testing/admin-manifests.js';
import { documents } from './testing/manifests.js';
import { spanOf } from './testing/text-span.js';

// client/web (team a) => server/api (team b, 8080 named http), as ADMIN_PODS has them.
const apiIn = (ports = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: server}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: a}}
${ports}`;
const webOut = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: client}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {team: b}}
`;
const ingressPeer = spanOf(apiIn(), 'namespaceSelector: {matchLabels: {team: a}}');
const egressPeer = spanOf(webOut, 'namespaceSelector: {matchLabels: {team: b}}');

const anp = (action: string, extra = '') =>
  serverAnp('guard', 10, `    - {action: ${action}, ${FROM_CLIENT}${extra}}\n`);
const banpDeny = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
    - {action: Deny, ${FROM_CLIENT}}
`;
const clientEgressDeny = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: client-out}
spec:
  priority: 20
  subject: {namespaces: {matchLabels: {team: a}}}
  egress:
    - {action: Deny, to: [{namespaces: {matchLabels: {team: b}}}]}
`;
// A third namespace whose pod the NetworkPolicy also admits, and an ingress rule admitting every namespace.
const partner = `apiVersion: v1
kind: Namespace
metadata: {name: partner, labels: {team: c}}
---
apiVersion: v1
kind: Pod
metadata: {name: gateway, namespace: partner, labels: {app: gateway}}
spec: {containers: [{name: c, image: x}]}
`;
const apiInFromAll = apiIn().replace(
  'namespaceSelector: {matchLabels: {team: a}}',
  'namespaceSelector: {matchLabels: {}}',
);

const calico = pluginAgent('calico-node');
const gnp = (order: number, ingress: string, tier = '') => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ${tier === '' ? '' : `${tier}.`}guard}
spec:
${tier === '' ? '' : `  tier: ${tier}\n`}  order: ${order}
  selector: app == 'api'
  types: [Ingress]
  ingress: ${ingress}
`;
const denyWeb = "[{action: Deny, source: {selector: app == 'web'}}]";
const calicoNp = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-guard, namespace: server}
spec:
  order: 100
  selector: app == 'api'
  types: [Ingress]
  ingress: [{action: Deny, protocol: TCP, source: {selector: app == 'web', namespaceSelector: all()}, destination: {ports: [8080]}}]
`;
const securityTier = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100, defaultAction: Deny}
`;

// Tier security, before the default one, drops what its policy (on api, admitting only a monitor) leaves undecided.
const droppedByTier = {
  'pods.yaml': ADMIN_PODS,
  'np.yaml': apiIn(),
  'gnp.yaml': documents(
    securityTier,
    gnp(100, "[{action: Allow, source: {selector: app == 'monitor'}}]", 'security'),
  ),
  'cni.yaml': calico,
};

ruleTester(rule, {
  valid: [
    {
      name: 'NetworkPolicies alone: a side allows what each of its rules allows',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn() },
    },
    {
      name: 'an admin Pass hands the connection to the NetworkPolicies',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'anp.yaml': anp('Pass') },
    },
    {
      name: 'an admin Allow decides first, but the path works',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'anp.yaml': anp('Allow') },
    },
    {
      name: 'a BaselineAdminNetworkPolicy comes after the NetworkPolicies',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'banp.yaml': banpDeny },
    },
    {
      name: 'an admin Deny on a port the rule does not allow',
      code: {
        'pods.yaml': ADMIN_PODS,
        'np.yaml': apiIn('      ports: [{port: 8080}]\n'),
        'anp.yaml': anp('Deny', ', ports: [{portNumber: {protocol: TCP, port: 9090}}]'),
      },
    },
    {
      name: 'a guardrail narrowing a peer: the NetworkPolicy still admits the partner namespace',
      code: { 'pods.yaml': documents(ADMIN_PODS, partner), 'np.yaml': apiInFromAll, 'anp.yaml': anp('Deny') },
    },
    {
      name: 'a Calico Deny ordered after the NetworkPolicies (order 2000 > 1000)',
      code: {
        'pods.yaml': ADMIN_PODS,
        'np.yaml': apiIn(),
        'gnp.yaml': gnp(2000, denyWeb),
        'cni.yaml': calico,
      },
    },
    {
      name: 'a Calico Pass before the NetworkPolicies hands the connection to the next tier',
      code: {
        'pods.yaml': ADMIN_PODS,
        'np.yaml': apiIn(),
        'gnp.yaml': documents(
          securityTier,
          gnp(100, "[{action: Pass, source: {selector: app == 'web'}}]", 'security'),
        ),
        'cni.yaml': calico,
      },
    },
    {
      name: 'the admin Deny covers the other side only: half-open-path reports that',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'anp.yaml': clientEgressDeny },
    },
  ],
  invalid: [
    {
      name: 'an AdminNetworkPolicy Deny overrides the ingress rule for every pair',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'anp.yaml': anp('Deny') },
      errors: [
        {
          messageId: 'ingressOverridden',
          message:
            'ingress admits client/web[Pod] => server/api[Pod] on All Connections, but AdminNetworkPolicy/guard denies it first',
          file: 'np.yaml',
          ...ingressPeer,
        },
      ],
    },
    {
      name: 'only the ports the admin policy denies',
      code: {
        'pods.yaml': ADMIN_PODS,
        'np.yaml': apiIn('      ports: [{port: 8080}, {port: 9090}]\n'),
        'anp.yaml': anp('Deny', ', ports: [{portNumber: {protocol: TCP, port: 9090}}]'),
      },
      errors: [
        {
          messageId: 'ingressOverridden',
          message:
            'ingress admits client/web[Pod] => server/api[Pod] on TCP 9090, but AdminNetworkPolicy/guard denies it first',
          file: 'np.yaml',
          ...ingressPeer,
        },
      ],
    },
    {
      name: 'an egress rule whose own side an admin policy denies',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': webOut, 'anp.yaml': clientEgressDeny },
      errors: [
        {
          messageId: 'egressOverridden',
          message:
            'egress allows client/web[Pod] => server/api[Pod] on All Connections, but AdminNetworkPolicy/client-out denies it first',
          file: 'np.yaml',
          ...egressPeer,
        },
      ],
    },
    {
      name: 'a Calico GlobalNetworkPolicy ordered before the NetworkPolicies (order 100 < 1000)',
      code: {
        'pods.yaml': ADMIN_PODS,
        'np.yaml': apiIn(),
        'gnp.yaml': gnp(100, denyWeb),
        'cni.yaml': calico,
      },
      errors: [
        {
          messageId: 'ingressOverridden',
          message:
            'ingress admits client/web[Pod] => server/api[Pod] on All Connections, but GlobalNetworkPolicy/guard denies it first',
          file: 'np.yaml',
          ...ingressPeer,
        },
      ],
    },
    {
      name: 'a Calico NetworkPolicy of the same namespace is named as Calico’s',
      code: { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'cnp.yaml': calicoNp, 'cni.yaml': calico },
      errors: [
        {
          messageId: 'ingressOverridden',
          message:
            'ingress admits client/web[Pod] => server/api[Pod] on TCP 8080, but Calico NetworkPolicy server/api-guard denies it first',
          file: 'np.yaml',
          ...ingressPeer,
        },
      ],
    },
    {
      name: 'a tier before the default one drops what its policies do not allow',
      code: droppedByTier,
      errors: [
        {
          messageId: 'ingressOverridden',
          message:
            'ingress admits client/web[Pod] => server/api[Pod] on All Connections, but GlobalNetworkPolicy/security.guard denies it first',
          file: 'np.yaml',
          ...ingressPeer,
        },
      ],
    },
  ],
});

it('points at the rule that denies, or the policy whose tier drops', () => {
  const denied = runRule(rule, { 'pods.yaml': ADMIN_PODS, 'np.yaml': apiIn(), 'anp.yaml': anp('Deny') })
    .findings[0]!;
  expect(denied.related.map((r) => [r.location.file, r.message])).toEqual([
    ['anp.yaml', 'a rule of AdminNetworkPolicy/guard denies it'],
  ]);
  const dropped = runRule(rule, droppedByTier).findings[0]!;
  expect(dropped.related.map((r) => [r.location.file, r.message])).toEqual([
    [
      'gnp.yaml',
      'GlobalNetworkPolicy/security.guard applies in a tier evaluated first, which drops what its policies do not allow',
    ],
  ]);
});
