import rule from './conflicting-priority.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { ADMIN_PODS, FROM_CLIENT, serverAnp } from './testing/admin-manifests.js';

const allow = (priority: number) => serverAnp('allow', priority, `    - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {protocol: TCP, port: 8080}}]}\n`);
const deny = (priority: number) => serverAnp('deny', priority, `    - {action: Deny, ${FROM_CLIENT}}\n`);
// Two server pods no selector tells apart share a class: the conflict is on traffic between them, never a pod with itself.
const FROM_SERVER = 'from: [{namespaces: {matchLabels: {team: b}}}]';
const twinPods = `${ADMIN_PODS}---\napiVersion: v1\nkind: Pod\nmetadata: {name: api-2, namespace: server, labels: {app: api}}\nspec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}\n`;
const allowServer = serverAnp('allow', 5, `    - {action: Allow, ${FROM_SERVER}, ports: [{portNumber: {protocol: TCP, port: 8080}}]}\n`);
const denyServer = serverAnp('deny', 5, `    - {action: Deny, ${FROM_SERVER}}\n`);
const denyOther = serverAnp('deny', 5, `    - {action: Deny, from: [{namespaces: {matchLabels: {team: z}}}]}\n`);

ruleTester(rule, {
  valid: [
    { name: 'different priorities', code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': allow(5), 'd.yaml': deny(6) } },
    { name: 'same priority, disjoint peers', code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': allow(5), 'd.yaml': denyOther } },
    { name: 'same priority, same action', code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': allow(5), 'd.yaml': allow(5).replace('name: allow', 'name: allow2') } },
  ],
  invalid: [
    {
      name: 'same priority, Allow and Deny overlap on TCP 8080',
      code: { 'pods.yaml': ADMIN_PODS, 'a.yaml': allow(5), 'd.yaml': deny(5) },
      errors: [
        {
          messageId: 'conflict',
          message:
            'AdminNetworkPolicy/deny and AdminNetworkPolicy/allow share priority 5 and disagree on server/api[Pod] ingress with client/web[Pod]; the API leaves their order undefined (kubereach evaluates AdminNetworkPolicy/allow first)',
          file: 'd.yaml',
          line: 5,
          column: 13,
          endLine: 5,
          endColumn: 14,
        },
      ],
    },
    {
      name: 'the first pair that disagrees is named, two pods of one class',
      code: { 'pods.yaml': twinPods, 'a.yaml': allowServer, 'd.yaml': denyServer },
      errors: [
        {
          messageId: 'conflict',
          message:
            'AdminNetworkPolicy/deny and AdminNetworkPolicy/allow share priority 5 and disagree on server/api-2[Pod] ingress with server/api[Pod]; the API leaves their order undefined (kubereach evaluates AdminNetworkPolicy/allow first)',
          file: 'd.yaml',
          line: 5,
          column: 13,
          endLine: 5,
          endColumn: 14,
        },
      ],
    },
  ],
});
