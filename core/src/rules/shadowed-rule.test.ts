import rule from './shadowed-rule.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { ADMIN_PODS, FROM_CLIENT, serverAnp } from './testing/admin-manifests.js';

const port = (n: number) => `ports: [{portNumber: {protocol: TCP, port: ${n}}}]`;

/** A GlobalNetworkPolicy on the server pods (ADMIN_PODS: server/api, app=api, port http 8080). */
const gnp = (name: string, rules: string, extra = '') => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ${name}}
spec:
${extra}  selector: app == 'api'
  ingress:
${rules}`;

ruleTester(rule, {
  valid: [
    {
      name: 'Calico: a narrower rule before a broader one; a Log rule shadows nothing',
      code: { 'pods.yaml': ADMIN_PODS, 'g.yaml': gnp('g', "    - {action: Log}\n    - {action: Allow, protocol: TCP, destination: {ports: [8080]}}\n    - {action: Deny}\n") },
    },
    {
      name: 'Calico: a policy in another tier does not shadow (Pass sends on)',
      code: {
        'pods.yaml': ADMIN_PODS,
        't.yaml': 'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: first}\nspec: {order: 10}\n',
        'a.yaml': gnp('a', '    - {action: Deny, protocol: TCP}\n', '  tier: first\n'),
        'b.yaml': gnp('b', '    - {action: Allow, protocol: TCP}\n'),
      },
    },
    {
      name: 'a narrower rule before a broader one',
      code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': serverAnp('a', 1, `    - {action: Allow, ${FROM_CLIENT}, ${port(8080)}}\n    - {action: Deny, ${FROM_CLIENT}}\n`) },
    },
    {
      name: 'a rule that matches nothing is not shadowed (it selects nothing)',
      code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': serverAnp('a', 1, `    - {action: Deny, from: [{namespaces: {matchLabels: {team: z}}}]}\n`) },
    },
  ],
  invalid: [
    {
      name: 'Calico: a broader Deny first in the same policy',
      code: { 'pods.yaml': ADMIN_PODS, 'g.yaml': gnp('g', "    - {action: Deny}\n    - {action: Log}\n    - {action: Allow, protocol: TCP, destination: {ports: [8080]}}\n") },
      errors: [
        {
          messageId: 'shadowed',
          message: 'GlobalNetworkPolicy/g ingress rule 3 never takes effect: ingress rule 1 decides every connection it matches first',
          file: 'g.yaml',
          line: 9,
          column: 7,
          endLine: 9,
          endColumn: 67,
        },
      ],
    },
    {
      name: 'Calico: a Pass in an earlier policy of the tier decides first',
      code: {
        'pods.yaml': ADMIN_PODS,
        'a.yaml': gnp('a', "    - {action: Pass, protocol: TCP}\n", '  order: 1\n'),
        'b.yaml': gnp('b', "    - {action: Allow, protocol: TCP, destination: {ports: [8080]}}\n    - {action: Allow, protocol: UDP}\n", '  order: 2\n'),
      },
      errors: [{ messageId: 'shadowed', message: 'GlobalNetworkPolicy/b ingress rule 1 never takes effect: GlobalNetworkPolicy/a ingress rule 1 decides every connection it matches first', file: 'b.yaml', line: 8, column: 7, endLine: 8, endColumn: 67 }],
    },
    {
      name: 'Calico: Kubernetes NetworkPolicies (order 1000 in the default tier) decide before a policy at order 2000',
      code: {
        'pods.yaml': ADMIN_PODS,
        'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: open, namespace: server}\nspec:\n  podSelector: {}\n  ingress: [{}]\n',
        'g.yaml': gnp('late', '    - {action: Deny, protocol: TCP}\n', '  order: 2000\n'),
      },
      errors: [
        {
          messageId: 'shadowed',
          message: "GlobalNetworkPolicy/late ingress rule 1 never takes effect: the default tier's Kubernetes NetworkPolicy block decides every connection it matches first",
          file: 'g.yaml',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 36,
        },
      ],
    },
    {
      name: 'a broader rule first in the same policy',
      code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': serverAnp('a', 1, `    - {action: Deny, ${FROM_CLIENT}}\n    - {action: Allow, ${FROM_CLIENT}, ${port(8080)}}\n`) },
      errors: [
        {
          messageId: 'shadowed',
          message: 'AdminNetworkPolicy/a ingress rule 2 never takes effect: ingress rule 1 decides every connection it matches first',
          file: 'a.yaml',
          line: 9,
          column: 7,
          endLine: 9,
          endColumn: 122,
        },
      ],
    },
    {
      name: "under Calico's tiers too (the kube-admin tier)",
      code: {
        'pods.yaml': ADMIN_PODS,
        'a.yaml': serverAnp('a', 1, `    - {action: Deny, ${FROM_CLIENT}}\n    - {action: Allow, ${FROM_CLIENT}, ${port(8080)}}\n`),
        'calico.yaml': "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec: {selector: app == 'none'}\n",
      },
      errors: [{ messageId: 'shadowed', file: 'a.yaml', line: 9, column: 7, endLine: 9, endColumn: 122 }],
    },
    {
      name: 'a higher-priority policy decides first',
      code: {
        'pods.yaml': ADMIN_PODS,
        'a.yaml': serverAnp('first', 1, `    - {action: Pass, ${FROM_CLIENT}}\n`),
        'b.yaml': serverAnp('second', 2, `    - {action: Allow, ${FROM_CLIENT}, ${port(8080)}}\n`),
      },
      errors: [{ messageId: 'shadowed', file: 'b.yaml', line: 8, column: 7, endLine: 8, endColumn: 122 }],
    },
  ],
});
