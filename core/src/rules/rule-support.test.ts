import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import type { Endpoint } from '../engine/endpoints.js';
import { compileSelector, selectorMatches } from '../semantics/label-selector.js';
import { classView, firstPairsByClass } from './rule-support.js';
import { documents, workload } from './testing/manifests.js';

// Classes of several members (Deployments and bare Pods that no selector tells apart), one of one member, a
// hostNetwork twin, and external ranges cut by an ipBlock; ids sort differently from the classes' order.
const text = documents(
  workload('b-api', { labels: { role: 'api' } }),
  workload('a-web', { labels: { role: 'web' } }),
  workload('c-api', { labels: { role: 'api' } }),
  workload('p1', { kind: 'Pod', labels: { role: 'peer' } }),
  workload('p2', { kind: 'Pod', labels: { role: 'peer' } }),
  workload('solo', { kind: 'Pod', labels: { role: 'solo' } }),
  workload('h-api', { labels: { role: 'api' } }).replace('spec: {containers', 'spec: {hostNetwork: true, containers'),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: role, operator: In, values: [api, web, peer, solo]}]}
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
`,
);

describe('firstPairsByClass', () => {
  const analysis = analyze([{ path: 'w.yaml', text }]);
  const view = classView(analysis.result);
  const { result } = view;
  const peerKey = (peer: Endpoint): string => (peer.kind === 'workload' ? `class ${result.classOfWorkload(peer.workload).index}` : peer.id);

  it('yields, in order, the first pair of the full walk for every pair of a subject class and a peer', () => {
    // The walk the rules used to make: every subject workload, every other endpoint, both in the engine's order.
    const isSubject = (index: number) => result.classes[index]!.representative.name !== 'a-web';
    const firstMet = new Map<string, string>();
    for (const subject of result.workloads) {
      if (!isSubject(result.classOfWorkload(subject.workload).index)) continue;
      for (const peer of result.endpoints) {
        if (peer === subject) continue;
        const key = `${result.classOfWorkload(subject.workload).index} -> ${peerKey(peer)}`;
        if (!firstMet.has(key)) firstMet.set(key, `${subject.id} -> ${peer.id}`);
      }
    }
    const pairs = [...firstPairsByClass(view, (c) => isSubject(c.index))].map(({ subject, peer }) => `${subject.id} -> ${peer.id}`);
    expect(pairs).toEqual([...firstMet.values()]);
    expect(result.classes.some((c) => c.members.length > 1 && isSubject(c.index))).toBe(true);
    expect(result.externals.length).toBeGreaterThan(1);
  });

  it('leaves out a class of one bare Pod paired with itself', () => {
    const solo = result.classes.find((c) => c.representative.name === 'solo')!;
    const pairs = [...firstPairsByClass(view, (c) => c === solo)];
    expect(pairs.some(({ subject, peer }) => peer.kind === 'workload' && peer.workload === subject.workload)).toBe(false);
    expect(pairs).toHaveLength(result.classes.length - 1 + result.externals.length);
  });
});

describe('namespacesOf', () => {
  const namespace = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {${labels}}}\n`;
  const analysis = analyze([
    {
      path: 'n.yaml',
      text: documents(
        namespace('zeta', 'team: red, env: prod'),
        namespace('alpha', 'team: red, env: dev'),
        namespace('mid', 'team: blue, env: prod'),
        namespace('bare', 'other: x'),
      ),
    },
  ]);
  const view = classView(analysis.result);
  const selected = (selector: Parameters<typeof compileSelector>[0]) =>
    view.namespacesOf({ kind: 'selected', selector: compileSelector(selector) });

  it('answers as a scan of every namespace, in name order, whether or not the selector names a value', () => {
    const cases: Parameters<typeof compileSelector>[0][] = [
      { matchLabels: { team: 'red' } },
      { matchLabels: { team: 'red', env: 'prod' } },
      { matchExpressions: [{ key: 'team', operator: 'In', values: ['blue', 'red'] }] },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }, { key: 'team', operator: 'NotIn', values: ['red'] }] },
      { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] },
      { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] },
      { matchLabels: { 'kubernetes.io/metadata.name': 'mid' } },
      { matchLabels: { team: 'green' } },
      {},
    ];
    for (const selector of cases) {
      const scan = analysis.model.namespaces.filter((n) => selectorMatches(compileSelector(selector), n.labels)).map((n) => n.name);
      expect(selected(selector), JSON.stringify(selector)).toEqual(scan);
    }
    expect(selected({ matchExpressions: [{ key: 'team', operator: 'In', values: ['blue', 'red'] }] })).toEqual(['alpha', 'mid', 'zeta']);
  });
});
