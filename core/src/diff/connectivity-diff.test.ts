import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { diffConnectivity } from './connectivity-diff.js';

const pods = `apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec: {containers: [{name: c, image: x}]}
`;
const egress = (cidr: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: ${cidr}}}]}]
`;
const result = (text: string) => analyze([{ path: 'm.yaml', text }]).result;

describe('diffConnectivity', () => {
  it('finds nothing when a policy only moved or was reformatted', () => {
    const before = result(pods + egress('10.0.0.0/8'));
    const after = result(`# moved\n${pods}${egress('10.0.0.0/8').replace('[Egress]', '\n    - Egress')}`);
    expect(diffConnectivity(before, after)).toMatchObject({ changes: [], policies: [] });
  });

  it('refines external ranges cut differently on each side and names the responsible policy', () => {
    const diff = diffConnectivity(result(pods + egress('10.0.0.0/8')), result(pods + egress('10.0.0.0/16')));
    expect(diff.policies.map((p) => [p.id, p.kind])).toEqual([['default/out', 'changed']]);
    const lost = diff.changes.filter((c) => c.source.id === 'default/a[Pod]' && c.kind === 'removed');
    expect(lost.map((c) => c.destination.id)).toEqual(['10.1.0.0-10.255.255.255']);
    expect(lost[0]!.causes).toEqual([expect.objectContaining({ kind: 'policy', direction: 'egress' })]);
    expect(diff.changes.every((c) => c.kind === 'removed')).toBe(true);
  });

  it('puts new ingress from outside first', () => {
    const open = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
    const diff = diffConnectivity(result(pods + open), result(pods));
    expect(diff.changes[0]).toMatchObject({ kind: 'added', exposure: 'ingress-from-outside', source: { kind: 'external' } });
    expect(diff.changes.at(-1)!.exposure).toBeUndefined();
  });
});

describe('diffConnectivity: namespace causes', () => {
  const pod = (name: string, namespace: string, app: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {app: ${app}}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n`;
  const namespace = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}\n`;
  const webFrom = (peer: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [${peer}]}]\n`;
  const cliTo = (peer: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: cli, namespace: other}\nspec:\n  podSelector: {matchLabels: {app: cli}}\n  policyTypes: [Egress]\n  egress: [{to: [${peer}]}]\n`;
  const anp = (subject: string, peer: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: lock}\nspec:\n  priority: 10\n  subject: {namespaces: ${subject}}\n  ingress: [{action: Deny, from: [{namespaces: ${peer}}]}]\n`;
  const gnp = (namespaceSelector: string) =>
    `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: lock}\nspec:\n  namespaceSelector: ${namespaceSelector}\n  types: [Ingress]\n`;
  const web = pod('web', 'shop', 'web');
  const cli = pod('cli', 'other', 'cli');
  const teamA = '{namespaceSelector: {matchLabels: {team: a}}}';
  const teamACli = '{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: cli}}}';

  /** Two sets of documents, and each changed pair between them with its causes as `kind name`. */
  type Case = readonly [name: string, before: readonly string[], after: readonly string[], changes: Readonly<Record<string, readonly string[]>>];
  const cases: readonly Case[] = [
    [
      'names the namespace a peer selector reads, not one relabelled elsewhere',
      [web, cli, webFrom(teamA)],
      [web, cli, webFrom(teamA), namespace('other', '{team: a}'), namespace('unrelated', '{foo: bar}')],
      { 'added other/cli[Pod] => shop/web[Pod]': ['namespace other'] },
    ],
    [
      'names the namespace with the workload when both changes were needed',
      [web, pod('cli', 'other', 'old'), webFrom(teamACli)],
      [web, cli, webFrom(teamACli), namespace('other', '{team: a}')],
      { 'added other/cli[Pod] => shop/web[Pod]': ['workload other/cli[Pod]', 'namespace other'] },
    ],
    [
      "leaves out an endpoint's namespace whose new labels no selector reads",
      [web, pod('cli', 'other', 'old'), webFrom(teamACli), namespace('other', '{team: a}')],
      [web, cli, webFrom(teamACli), namespace('other', '{team: a, env: prod}')],
      { 'added other/cli[Pod] => shop/web[Pod]': ['workload other/cli[Pod]'] },
    ],
    [
      "reads egress peers against the destination's namespace",
      [web, cli, cliTo('{namespaceSelector: {matchLabels: {team: s}}}')],
      [web, cli, cliTo('{namespaceSelector: {matchLabels: {team: s}}}'), namespace('shop', '{team: s}'), namespace('other', '{team: s}')],
      { 'added other/cli[Pod] => shop/web[Pod]': ['namespace shop'] },
    ],
    [
      "reads an admin policy's subject namespaces",
      [web, cli, anp('{matchLabels: {locked: "true"}}', '{}')],
      [web, cli, anp('{matchLabels: {locked: "true"}}', '{}'), namespace('shop', '{locked: "true"}'), namespace('unrelated', '{locked: "true"}')],
      { 'removed other/cli[Pod] => shop/web[Pod]': ['namespace shop'] },
    ],
    [
      "reads an admin rule's peer namespaces, on the side that lost a rule as on the side that gained one",
      [web, cli, anp('{}', '{matchLabels: {team: bad}}'), namespace('other', '{team: bad}')],
      [web, cli, anp('{}', '{matchLabels: {team: bad}}'), namespace('other', '{team: good}'), namespace('shop', '{team: good}')],
      { 'added other/cli[Pod] => shop/web[Pod]': ['namespace other'] },
    ],
    [
      "names under Calico the endpoints' namespaces that changed (Calico selectors are not traced), no other",
      [web, cli, gnp(`"locked == 'true'"`)],
      [web, cli, gnp(`"locked == 'true'"`), namespace('shop', '{locked: "true"}'), namespace('unrelated', '{locked: "true"}')],
      { 'removed 0.0.0.0-255.255.255.255 => shop/web[Pod]': ['namespace shop'], 'removed other/cli[Pod] => shop/web[Pod]': ['namespace shop'] },
    ],
  ];

  it.each(cases)('%s', (_name, before, after, changes) => {
    const diff = diffConnectivity(result(before.join('---\n')), result(after.join('---\n')));
    const found = diff.changes.map((c) => [
      `${c.kind} ${c.source.id} => ${c.destination.id}`,
      c.causes.map((cause) => (cause.kind === 'namespace' ? `namespace ${cause.change.name}` : `${cause.kind} ${cause.change.id}`)),
    ]);
    expect(Object.fromEntries(found)).toEqual(changes);
  });
});
