import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import rule from './half-open-path.js';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { LineIndex } from '../source/source.js';
import { pluginAgent } from './testing/admin-manifests.js';
import { documents, workload } from './testing/manifests.js';
import { spanOf } from './testing/text-span.js';

const policy = (name: string, selector: string, body: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: {${selector}}}
${body}`;

const workloads = documents(
  workload('web', { ports: '[{name: http, containerPort: 8080}]' }),
  workload('api', { ports: '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9102}]' }),
);
const webToApi = (ports: string) =>
  policy('web-out', 'app: web', `  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector: {matchLabels: {app: api}}\n      ports: ${ports}\n`);
const apiIn = (ports: string) =>
  policy('api-in', 'app: api', `  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: web}}\n      ports: ${ports}\n`);
const webOut = policy('web-out', 'app: web', '  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector: {matchLabels: {app: db}}\n');

const egressPeer = (text: string) => spanOf(text, 'podSelector: {matchLabels: {app: api}}', { after: 'egress:' });
const ingressPeer = (text: string) => spanOf(text, 'podSelector: {matchLabels: {app: web}}', { after: 'ingress:' });

const clients = documents(...['c1', 'c2', 'c3', 'c4', 'c5'].map((name) => workload(name, { labels: { role: 'client' } })), workload('api'));
const clientsOut = policy('clients-out', 'role: client', '  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: api}}}]\n');
const selfPolicy = policy('peer', 'app: peer', '  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: peer}}}]\n');
const denyApi = policy('api-in', 'app: api', '  ingress: []\n');
// Workloads no selector tells apart share a class: the engine answers once for them all, findings still name each.
const twins = (second: string) => documents(workload('web'), workload('api-a', { labels: { role: 'api' } }), second);
const apiTwin = workload('api-b', { labels: { role: 'api' } });
const webToRole = policy('web-out', 'app: web', '  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {role: api}}}]\n');
const twinsDenied = documents(webToRole, policy('api-in', 'role: api', '  ingress: []\n'));
const podTwins = documents(workload('p1', { kind: 'Pod', labels: { role: 'peer' } }), workload('p2', { kind: 'Pod', labels: { role: 'peer' } }));
// A Calico tier above the NetworkPolicies (the default tier's order 1000) that denies one side of web => api.
const calicoDeny = (selector: string, direction: 'Egress' | 'Ingress') => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-${direction.toLowerCase()}}
spec:
  order: 100
  selector: ${selector}
  types: [${direction}]
  ${direction.toLowerCase()}: [{action: Deny}]
`;
const podTwinsPolicy = policy('peer', 'role: peer', '  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {role: peer}}}]\n');

ruleTester(rule, {
  valid: [
    { name: 'both sides agree', code: { 'w.yaml': workloads, 'p.yaml': documents(webToApi('[{port: 8080}]'), apiIn('[{port: 8080}]')) } },
    { name: 'the destination is not isolated for ingress', code: { 'w.yaml': workloads, 'p.yaml': webToApi('[{port: 8080}]') } },
    {
      name: 'a named port resolves on the destination: http is 8080 on api',
      code: { 'w.yaml': workloads, 'p.yaml': documents(webToApi('[{port: http}]'), apiIn('[{port: 8080}]')) },
    },
    {
      name: 'a named port the destination lacks allows nothing (port-not-served reports it)',
      code: { 'w.yaml': workloads, 'p.yaml': documents(webToApi('[{port: grpc}]'), denyApi) },
    },
    {
      name: 'a rule without to names no one in particular',
      code: { 'w.yaml': workloads, 'p.yaml': documents(policy('web-out', 'app: web', '  policyTypes: [Egress]\n  egress:\n    - ports: [{port: 8080}]\n'), denyApi) },
    },
    {
      name: 'egress rules under policyTypes: [Ingress] do nothing',
      code: {
        'w.yaml': workloads,
        'p.yaml': documents(webToApi('[{port: 8080}]').replace('policyTypes: [Egress]', 'policyTypes: [Ingress]'), denyApi),
      },
    },
    { name: 'the source egress allows what the ingress admits', code: { 'w.yaml': workloads, 'p.yaml': documents(apiIn('[{port: http}]'), webToApi('[{port: 8080}]')) } },
    {
      name: 'a bare pod talking to itself is loopback',
      code: {
        'w.yaml': workload('solo', { kind: 'Pod' }),
        'p.yaml': policy('solo', 'app: solo', '  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: solo}}}]\n'),
      },
    },
    {
      name: "a Calico tier denies the rule's own side: the other side admits, so the path is not open on one side only",
      code: {
        'w.yaml': workloads,
        'p.yaml': documents(webToApi('[{port: 8080}]'), calicoDeny("app == 'web'", 'Egress')),
        'cni.yaml': pluginAgent('calico-node'),
      },
    },
  ],
  invalid: [
    {
      name: "a Calico tier of the other side denies: the destination's ingress, all its tiers, does not admit it",
      code: {
        'w.yaml': workloads,
        'p.yaml': documents(webToApi('[{port: 8080}]'), calicoDeny("app == 'api'", 'Ingress')),
        'cni.yaml': pluginAgent('calico-node'),
      },
      errors: [
        {
          messageId: 'ingressDenies',
          message: 'egress allows shop/web[Deployment] => shop/api[Deployment] on TCP 8080, but the ingress of shop/api[Deployment] does not admit it',
          file: 'p.yaml',
          ...egressPeer(webToApi('[{port: 8080}]')),
        },
      ],
    },
    {
      name: 'egress allows a port the destination ingress does not admit',
      code: { 'w.yaml': workloads, 'p.yaml': documents(webToApi('[{port: 8080}]'), apiIn('[{port: 80}]')) },
      errors: [
        {
          messageId: 'ingressDenies',
          message: 'egress allows shop/web[Deployment] => shop/api[Deployment] on TCP 8080, but the ingress of shop/api[Deployment] does not admit it',
          file: 'p.yaml',
          ...egressPeer(webToApi('[{port: 8080}]')),
        },
        {
          messageId: 'egressDenies',
          message: 'ingress admits shop/web[Deployment] => shop/api[Deployment] on TCP 80, but the egress of shop/web[Deployment] does not allow it',
          file: 'p.yaml',
          ...ingressPeer(documents(webToApi('[{port: 8080}]'), apiIn('[{port: 80}]'))),
        },
      ],
    },
    {
      name: 'only the part the other side denies, with named ports resolved on the destination',
      code: { 'w.yaml': workloads, 'p.yaml': documents(webToApi('[{port: http}, {port: metrics}, {port: 53, protocol: UDP}]'), apiIn('[{port: 9102}, {port: 53, protocol: UDP}]')) },
      errors: [
        {
          messageId: 'ingressDenies',
          message: 'egress allows shop/web[Deployment] => shop/api[Deployment] on TCP 8080, but the ingress of shop/api[Deployment] does not admit it',
          file: 'p.yaml',
          ...egressPeer(webToApi('')),
        },
      ],
    },
    {
      name: 'an ingress rule naming a source whose egress goes elsewhere',
      code: { 'w.yaml': workloads, 'p.yaml': documents(webOut, apiIn('[{port: http}]')) },
      errors: [
        {
          messageId: 'egressDenies',
          message: 'ingress admits shop/web[Deployment] => shop/api[Deployment] on TCP 8080, but the egress of shop/web[Deployment] does not allow it',
          file: 'p.yaml',
          ...ingressPeer(documents(webOut, apiIn('[{port: http}]'))),
        },
      ],
    },
    {
      name: 'several sources through one peer: one finding, three named and a count',
      code: { 'w.yaml': clients, 'p.yaml': documents(clientsOut, denyApi) },
      errors: [
        {
          messageId: 'ingressDenies',
          message:
            'egress allows shop/c1[Deployment], shop/c2[Deployment], shop/c3[Deployment] and 2 more => shop/api[Deployment] on All Connections, but the ingress of shop/api[Deployment] does not admit it',
          file: 'p.yaml',
          ...spanOf(clientsOut, '{podSelector: {matchLabels: {app: api}}}'),
        },
      ],
    },
    {
      name: 'replicas of a Deployment talk to each other over the network',
      code: {
        'w.yaml': workload('peer'),
        'p.yaml': selfPolicy,
      },
      errors: [
        {
          messageId: 'ingressDenies',
          message: 'egress allows shop/peer[Deployment] => shop/peer[Deployment] on All Connections, but the ingress of shop/peer[Deployment] does not admit it',
          file: 'p.yaml',
          ...spanOf(selfPolicy, '{podSelector', { last: '}}}' }),
        },
      ],
    },
    {
      name: 'two Deployments in one class are both named',
      code: { 'w.yaml': twins(apiTwin), 'p.yaml': twinsDenied },
      errors: [
        {
          messageId: 'ingressDenies',
          message:
            'egress allows shop/web[Deployment] => shop/api-a[Deployment] and shop/api-b[Deployment] on All Connections, but the ingress of shop/api-a[Deployment] and shop/api-b[Deployment] does not admit it',
          file: 'p.yaml',
          ...spanOf(webToRole, '{podSelector', { last: '}}}' }),
        },
      ],
    },
    {
      name: 'a hostNetwork workload with the same labels is not matched by the peer',
      code: { 'w.yaml': twins(apiTwin.replace('spec: {containers', 'spec: {hostNetwork: true, containers')), 'p.yaml': twinsDenied },
      errors: [
        {
          messageId: 'ingressDenies',
          message:
            'egress allows shop/web[Deployment] => shop/api-a[Deployment] on All Connections, but the ingress of shop/api-a[Deployment] does not admit it',
          file: 'p.yaml',
          ...spanOf(webToRole, '{podSelector', { last: '}}}' }),
        },
      ],
    },
    {
      name: 'two bare pods in one class: each with itself is loopback, each with the other is not',
      code: { 'w.yaml': podTwins, 'p.yaml': podTwinsPolicy },
      errors: [
        {
          messageId: 'ingressDenies',
          message: 'egress allows shop/p1[Pod] => shop/p2[Pod] on All Connections, but the ingress of shop/p2[Pod] does not admit it',
          file: 'p.yaml',
          ...spanOf(podTwinsPolicy, '{podSelector', { last: '}}}' }),
        },
        {
          messageId: 'ingressDenies',
          message: 'egress allows shop/p2[Pod] => shop/p1[Pod] on All Connections, but the ingress of shop/p1[Pod] does not admit it',
          file: 'p.yaml',
          ...spanOf(podTwinsPolicy, '{podSelector', { last: '}}}' }),
        },
      ],
    },
  ],
});

describe('half-open-path related locations', () => {
  it('names every member of a class the other side isolates', () => {
    const { findings } = runRule(rule, { 'w.yaml': twins(apiTwin), 'p.yaml': twinsDenied });
    expect(findings.map((f) => f.related.map((r) => ({ message: r.message, start: r.location.range.start })))).toEqual([
      [{ message: 'shop/api-in isolates the ingress of shop/api-a[Deployment] and shop/api-b[Deployment] and does not allow it', start: twinsDenied.indexOf('api-in') }],
    ]);
  });

  const related = (code: Record<string, string>) =>
    runRule(rule, code).findings.map((f) => f.related.map((r) => ({ message: r.message, file: r.location.file, start: r.location.range.start })));

  it("points at a Calico rule that denies the other side, above the NetworkPolicies", () => {
    const text = documents(webToApi('[{port: 8080}]'), calicoDeny("app == 'api'", 'Ingress'));
    expect(related({ 'w.yaml': workloads, 'p.yaml': text, 'cni.yaml': pluginAgent('calico-node') })).toEqual([
      [{ message: 'a rule of GlobalNetworkPolicy/deny-ingress denies it in the ingress of shop/api[Deployment]', file: 'p.yaml', start: text.indexOf('{action: Deny}') }],
    ]);
  });

  it('points at the Calico policies whose tier drops what no rule decides, though no NetworkPolicy isolates the other side', () => {
    // A GlobalNetworkPolicy of the default tier that applies to api's ingress: web is left to the end of the tier.
    const gnp = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: api-from-admin}
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress: [{action: Allow, source: {selector: app == 'admin'}}]
`;
    const text = documents(webToApi('[{port: 8080}]'), gnp);
    expect(related({ 'w.yaml': workloads, 'p.yaml': text, 'cni.yaml': pluginAgent('calico-node') })).toEqual([
      [{ message: 'GlobalNetworkPolicy/api-from-admin isolates the ingress of shop/api[Deployment] and does not allow it', file: 'p.yaml', start: text.indexOf('api-from-admin') }],
    ]);
  });

  it('points at an admin rule that denies the other side', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-web}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}
  ingress:
    - {name: deny-web, action: Deny, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]}
`;
    const text = documents(webToApi('[{port: 8080}]'), anp);
    expect(related({ 'w.yaml': workloads, 'p.yaml': text })).toEqual([
      [{ message: 'a rule of AdminNetworkPolicy/no-web denies it in the ingress of shop/api[Deployment]', file: 'p.yaml', start: text.indexOf('{name: deny-web') }],
    ]);
  });

  it('points at the policies that isolate the other side', () => {
    const text = documents(webToApi('[{port: 8080}]'), denyApi);
    const { findings } = runRule(rule, { 'w.yaml': workloads, 'p.yaml': text });
    expect(findings.map((f) => f.related.map((r) => ({ message: r.message, start: r.location.range.start })))).toEqual([
      [{ message: 'shop/api-in isolates the ingress of shop/api[Deployment] and does not allow it', start: text.indexOf('api-in') }],
    ]);
  });
});

describe('half-open-path on the example shop', () => {
  const folder = fileURLToPath(new URL('../../../examples/shop/', import.meta.url));
  const code = Object.fromEntries(readdirSync(folder).map((file) => [file, readFileSync(`${folder}${file}`, 'utf8')]));
  const policies = code['policies.yaml']!;
  const at = (policyName: string, direction: string, last: string) =>
    spanOf(policies, 'podSelector', { after: [`name: ${policyName}\n`, `${direction}:\n`], last });

  it('finds the two mistakes the example documents, from both sides', () => {
    const { findings } = runRule(rule, code);
    const lines = new LineIndex(policies);
    const span = (f: (typeof findings)[number]) => {
      const start = lines.lineColumn(f.location.range.start);
      const end = lines.lineColumn(f.location.range.end);
      return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
    };
    expect(findings.map((f) => ({ file: f.location.file, message: f.message, ...span(f) }))).toEqual([
      {
        file: 'policies.yaml',
        message: 'egress allows shop/frontend[Deployment] => shop/api[Deployment] on TCP 8080, but the ingress of shop/api[Deployment] does not admit it',
        ...at('frontend', 'egress', 'app: api'),
      },
      {
        file: 'policies.yaml',
        message: 'ingress admits shop/frontend[Deployment] => shop/api[Deployment] on TCP 80, but the egress of shop/frontend[Deployment] does not allow it',
        ...at('api-ingress', 'ingress', 'app: frontend'),
      },
      {
        file: 'policies.yaml',
        message: 'ingress admits shop/worker[Deployment] => shop/api[Deployment] on TCP 80, but the egress of shop/worker[Deployment] does not allow it',
        ...spanOf(policies, 'podSelector', { after: ['name: api-ingress\n', 'app: frontend\n'], last: 'app: worker' }),
      },
      {
        file: 'policies.yaml',
        message: 'egress allows shop/worker[Deployment] => shop/api[Deployment] on TCP 8080, but the ingress of shop/api[Deployment] does not admit it',
        ...at('worker-egress', 'egress', 'app: api'),
      },
      {
        file: 'policies.yaml',
        message:
          'ingress admits shop/db-backup[CronJob] => shop/postgres[StatefulSet] on TCP 5432, but the egress of shop/db-backup[CronJob] does not allow it',
        ...spanOf(policies, 'podSelector', { after: ['name: postgres-ingress\n', 'app: api\n'], last: 'app: db-backup' }),
      },
    ]);
  });
});
