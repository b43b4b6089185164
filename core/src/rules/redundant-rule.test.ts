import { describe, expect, it } from 'vitest';
import rule from './redundant-rule.js';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';
import { spanOf } from './testing/text-span.js';

const policy = (name: string, selector: string, body: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: {${selector}}}
${body}`;

const workloads = documents(
  workload('web'),
  workload('api', { labels: { tier: 'backend' }, ports: '[{name: http, containerPort: 8080}]' }),
  workload('worker', { labels: { tier: 'backend' }, ports: '[{name: http, containerPort: 9090}]' }),
  workload('prometheus', { labels: { tier: 'monitoring' } }),
);

const duplicateRules = policy(
  'api',
  'app: api',
  '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 8080}]\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: http}]\n',
);
const coveredByAny = policy(
  'api',
  'app: api',
  '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 80}, {port: 81}]\n    - ports: [{port: 80, endPort: 90}]\n',
);
const coveredByTwo = policy(
  'api',
  'app: api',
  '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 80, endPort: 85}]\n    - from: [{podSelector: {matchLabels: {tier: backend}}}, {podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 86, endPort: 90}]\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 80, endPort: 90}]\n',
);
const narrow = policy('a-narrow', 'app: api', '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 8080}]\n');
const wide = policy('b-wide', 'app: api', '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n');
const backendNamed = policy('z-backend', 'tier: backend', '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: metrics}]\n');
const apiMetrics = policy(
  'a-api',
  'app: api',
  '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 9102}]\n    - from: [{podSelector: {matchLabels: {app: prometheus}}}]\n',
);
const withMetrics = workloads.replace('[{name: http, containerPort: 8080}]', '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9102}]');
// Subjects in separate classes, listed in the input against their id order: covering policies are named in the
// order their subjects' ids come, not in the input's or the classes' order.
const clients = documents(
  workload('b-client', { labels: { role: 'client', team: 'b' } }),
  workload('a-client', { labels: { role: 'client', team: 'a' } }),
  workload('db'),
);
const toDb = (name: string, selector: string) =>
  policy(name, selector, '  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: db}}}]\n      ports: [{port: 5432}]\n');
const perTeam = documents(toDb('q-b', 'team: b'), toDb('q-a', 'team: a'), toDb('z-all', 'role: client'));
const egressDns = policy(
  'web',
  'app: web',
  '  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {tier: backend}}}]\n    - to: [{podSelector: {matchLabels: {app: api}}}]\n      ports: [{port: 8080}]\n',
);

ruleTester(rule, {
  valid: [
    {
      name: 'different ports',
      code: { 'w.yaml': workloads, 'p.yaml': policy('api', 'app: api', '  ingress:\n    - ports: [{port: 80}]\n    - ports: [{port: 443}]\n') },
    },
    {
      name: 'the same port from different peers',
      code: {
        'w.yaml': workloads,
        'p.yaml': policy('api', 'tier: backend', '  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n    - from: [{podSelector: {matchLabels: {app: prometheus}}}]\n'),
      },
    },
    {
      name: 'a named port is 8080 on api but 9090 on worker, so port 8080 does not cover it',
      code: {
        'w.yaml': workloads,
        'p.yaml': policy('backend', 'tier: backend', '  ingress:\n    - ports: [{port: http}]\n    - ports: [{port: 8080}]\n'),
      },
    },
    {
      name: 'a rule that matches no peer is peer-selects-nothing business',
      code: { 'w.yaml': workloads, 'p.yaml': policy('api', 'app: api', '  ingress:\n    - from: [{podSelector: {matchLabels: {app: ghost}}}]\n    - {}\n') },
    },
    {
      name: 'a named port that resolves nowhere allows nothing: port-not-served reports it',
      code: { 'w.yaml': workloads, 'p.yaml': policy('api', 'app: api', '  ingress:\n    - ports: [{port: grpc}]\n    - {}\n') },
    },
    {
      name: 'a default-deny policy has no rules to be redundant',
      code: { 'w.yaml': workloads, 'p.yaml': documents(policy('deny', '', '  ingress: []\n'), wide) },
    },
    {
      name: 'rules of different directions never cover each other',
      code: {
        'w.yaml': workloads,
        'p.yaml': policy('api', 'app: api', '  policyTypes: [Ingress, Egress]\n  ingress:\n    - {}\n  egress:\n    - {}\n'),
      },
    },
  ],
  invalid: [
    {
      name: 'of two identical rules (one with a named port), the later one is reported',
      code: { 'w.yaml': workloads, 'p.yaml': duplicateRules },
      errors: [
        {
          messageId: 'redundantRule',
          message: 'shop/api spec.ingress[1] adds no connection: everything it allows is also allowed by shop/api spec.ingress[0]',
          file: 'p.yaml',
          ...spanOf(duplicateRules, 'from', { after: 'ports: [{port: 8080}]\n', last: '[{port: http}]' }),
        },
      ],
    },
    {
      name: 'a rule covered by a wider one',
      code: { 'w.yaml': workloads, 'p.yaml': coveredByAny },
      errors: [
        {
          messageId: 'redundantRule',
          message: 'shop/api spec.ingress[0] adds no connection: everything it allows is also allowed by shop/api spec.ingress[1]',
          file: 'p.yaml',
          ...spanOf(coveredByAny, 'from', { last: '{port: 81}]' }),
        },
      ],
    },
    {
      name: 'a rule covered by two others together',
      code: { 'w.yaml': workloads, 'p.yaml': coveredByTwo },
      errors: [
        {
          messageId: 'redundantRule',
          message: 'shop/api spec.ingress[2] adds no connection: everything it allows is also allowed by shop/api spec.ingress[0] and shop/api spec.ingress[1]',
          file: 'p.yaml',
          ...spanOf(coveredByTwo, 'from', { after: '{port: 86, endPort: 90}]\n    - ', last: 'endPort: 90}]' }),
        },
      ],
    },
    {
      name: 'a whole policy covered by another that selects the same pods',
      code: { 'w.yaml': workloads, 'p.yaml': documents(narrow, wide) },
      errors: [
        {
          messageId: 'redundantPolicy',
          message:
            'policy shop/a-narrow adds nothing: everything it allows is also allowed by shop/b-wide, and other policies isolate every pod it selects',
          file: 'p.yaml',
          ...spanOf(narrow, 'a-narrow'),
        },
      ],
    },
    {
      name: 'a policy that alone isolates worker is not redundant as a whole, but its rule is',
      code: { 'w.yaml': withMetrics, 'p.yaml': documents(apiMetrics, backendNamed) },
      errors: [
        {
          messageId: 'redundantRule',
          message: 'shop/z-backend spec.ingress[0] adds no connection: everything it allows is also allowed by shop/a-api spec.ingress[0]',
          file: 'p.yaml',
          ...spanOf(documents(apiMetrics, backendNamed), 'from', { after: 'z-backend', last: '[{port: metrics}]' }),
        },
      ],
    },
    {
      name: 'a policy covered by one policy per subject: covering named in subject order',
      code: { 'w.yaml': clients, 'p.yaml': perTeam },
      errors: [
        {
          messageId: 'redundantPolicy',
          message:
            'policy shop/z-all adds nothing: everything it allows is also allowed by shop/q-a and shop/q-b, and other policies isolate every pod it selects',
          file: 'p.yaml',
          ...spanOf(perTeam, 'z-all'),
        },
      ],
    },
    {
      name: 'egress rules too',
      code: { 'w.yaml': workloads, 'p.yaml': egressDns },
      errors: [
        {
          messageId: 'redundantRule',
          file: 'p.yaml',
          ...spanOf(egressDns, 'to', { after: 'tier: backend}}}]\n    - ', last: '[{port: 8080}]' }),
        },
      ],
    },
  ],
});

describe('redundant-rule related locations', () => {
  it('points at the covering rules', () => {
    const { findings } = runRule(rule, { 'w.yaml': workloads, 'p.yaml': coveredByAny });
    expect(findings[0]!.related.map((r) => ({ message: r.message, start: r.location.range.start }))).toEqual([
      { message: 'shop/api spec.ingress[1] also allows these connections', start: coveredByAny.indexOf('ports: [{port: 80, endPort: 90}]') },
    ]);
  });
});
