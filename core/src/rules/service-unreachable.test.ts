import rule from './service-unreachable.js';
import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { pluginAgent } from './testing/admin-manifests.js';
import { documents, workload } from './testing/manifests.js';

const app = documents(
  workload('api', { ports: '[{name: http, containerPort: 8080}]' }),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - {port: 80, targetPort: 8080}
`,
);
const policy = (ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  ingress: ${ingress}
`;

const anp = (ingress: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
${ingress}`;
const gnp = (ingress: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: shop}
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress: ${ingress}
`;
const calico = pluginAgent('calico-node');

ruleTester(rule, {
  valid: [
    // The admin tier decides before the NetworkPolicies: a pod of front may reach the port.
    {
      name: 'a NetworkPolicy default deny, and an AdminNetworkPolicy allowing a namespace on the targetPort',
      code: {
        'app.yaml': app,
        'p.yaml': policy('[]'),
        'anp.yaml': anp('    - {name: front, action: Allow, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: front}}}], ports: [{portNumber: {port: 8080, protocol: TCP}}]}\n'),
      },
    },
    { name: 'a Calico policy admitting an outside range', code: { 'app.yaml': app, 'gnp.yaml': gnp('[{action: Allow, source: {nets: [10.0.0.0/8]}}]'), 'cni.yaml': calico } },
    { name: 'not isolated', code: { 'app.yaml': app } },
    { name: 'some pod admitted', code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{podSelector: {}}], ports: [{port: 8080}]}]') } },
    { name: 'an outside range admitted', code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]') } },
    { name: 'a pod the input does not hold, from any namespace', code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{namespaceSelector: {}}]}]') } },
  ],
  invalid: [
    {
      name: 'deny all',
      code: { 'app.yaml': app, 'p.yaml': policy('[]') },
      errors: [
        {
          messageId: 'unreachable',
          message: 'no client can reach port TCP 80 of Service shop/api: the policies of shop/api[Deployment] admit no client on TCP 8080',
          file: 'app.yaml',
          line: 16,
          column: 30,
          endLine: 16,
          endColumn: 34,
        },
      ],
    },
    {
      // The NetworkPolicy admits pods only, and the admin tier denies every pod before it.
      name: 'an AdminNetworkPolicy denying every pod a NetworkPolicy admits',
      code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{podSelector: {}}]}]'), 'anp.yaml': anp('    - {name: pods, action: Deny, from: [{namespaces: {}}]}\n') },
      errors: [{ messageId: 'unreachable', file: 'app.yaml', line: 16, column: 30, endLine: 16, endColumn: 34 }],
    },
    {
      name: 'a Calico policy dropping all ingress',
      code: { 'app.yaml': app, 'gnp.yaml': gnp('[]'), 'cni.yaml': calico },
      errors: [{ messageId: 'unreachable', file: 'app.yaml', line: 16, column: 30, endLine: 16, endColumn: 34 }],
    },
    {
      name: 'the only rule allows the Service port',
      code: { 'app.yaml': app, 'p.yaml': policy('[{ports: [{port: 80}]}]') },
      errors: [{ messageId: 'unreachable', file: 'app.yaml', line: 16, column: 30, endLine: 16, endColumn: 34 }],
    },
  ],
});

describe('service-unreachable related locations', () => {
  it('points at the rules that deny the targetPort and the policies whose tiers drop it', () => {
    const denyPods = anp('    - {name: pods, action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 8080, protocol: TCP}}]}\n');
    const { findings } = runRule(rule, { 'app.yaml': app, 'p.yaml': policy('[{ports: [{port: 80}]}]'), 'anp.yaml': denyPods });
    expect(findings.flatMap((f) => f.related.map((r) => `${r.location.file} ${r.message}`))).toEqual([
      'anp.yaml a rule of AdminNetworkPolicy/shop denies TCP 8080 to shop/api[Deployment]',
    ]);
    const dropped = runRule(rule, { 'app.yaml': app, 'p.yaml': policy('[{ports: [{port: 80}]}]') }).findings;
    expect(dropped.flatMap((f) => f.related.map((r) => `${r.location.file} ${r.message}`))).toEqual(['p.yaml shop/api isolates shop/api[Deployment] for ingress']);
  });
});
