import rule from './shadowed-rule.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { ADMIN_PODS, FROM_CLIENT, serverAnp } from './testing/admin-manifests.js';

const port = (n: number) => `ports: [{portNumber: {protocol: TCP, port: ${n}}}]`;

ruleTester(rule, {
  valid: [
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
