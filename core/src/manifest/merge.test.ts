import { describe, expect, it } from 'vitest';
import type { SourceText } from '../source/source.js';
import { loadManifests } from './index.js';
import { mergeLoadResults } from './merge.js';

/** Documents whose mix exercises the identity check: repeats by kind, namespace and name, Lists, unnamed and broken objects. */
const DOCUMENTS: readonly string[] = [
  'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}',
  'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {ports: [{port: 80}]}',
  'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 99999}]}',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, namespace: x}',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}',
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}',
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Sideways]}',
  'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: shop}}',
  'apiVersion: v1\nkind: Service\nmetadata: {namespace: shop}\nspec: {}',
  'apiVersion: v1\nkind: Service\nmetadata: {name: [web}\n',
  'just: a mapping',
];

/** A deterministic generator (Park-Miller), so a failure names the seed that shows it. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function randomWorkspace(random: () => number): SourceText[] {
  const pick = (n: number) => Math.floor(random() * n);
  return Array.from({ length: 1 + pick(4) }, (_, file) => ({
    path: `f${file}.yaml`,
    text: Array.from({ length: pick(5) }, () => DOCUMENTS[pick(DOCUMENTS.length)]!).join('\n---\n'),
  }));
}

/** The inputs cut into consecutive groups where `cuts` has a bit set after the group's last file. */
function groups(inputs: readonly SourceText[], cuts: number): SourceText[][] {
  const result: SourceText[][] = [[]];
  inputs.forEach((input, index) => {
    result.at(-1)!.push(input);
    if (index < inputs.length - 1 && (cuts & (1 << index)) !== 0) result.push([]);
  });
  return result;
}

describe('mergeLoadResults', () => {
  it('gives exactly the whole load, for every way of cutting random workspaces into loads', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const inputs = randomWorkspace(seeded(seed));
      const whole = loadManifests(inputs);
      for (let cuts = 0; cuts < 1 << (inputs.length - 1); cuts++) {
        const merged = mergeLoadResults(groups(inputs, cuts).map((group) => loadManifests(group)));
        expect(merged, `seed ${seed}, cuts ${cuts}`).toEqual(whole);
      }
      // A merge of merges, as a server does when it keeps a merged result and replaces a part.
      const perFile = inputs.map((input) => loadManifests([input]));
      expect(mergeLoadResults([mergeLoadResults(perFile.slice(0, 1)), mergeLoadResults(perFile.slice(1))]), `seed ${seed}`).toEqual(whole);
    }
  });

  it('reports a name repeated across loads, naming the first file of all, and marks the repeats rejected', () => {
    const service = DOCUMENTS[0]!;
    const a = loadManifests([{ path: 'a.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}' }, { path: 'b.yaml', text: service }]);
    const c = loadManifests([{ path: 'c.yaml', text: `${service}\n---\n${service}` }]);
    expect(c.issues.map((issue) => issue.message)).toEqual(['metadata.name: Service "web" in namespace "default" is already defined (in c.yaml): this one is left out']);

    const merged = mergeLoadResults([a, c]);
    expect(merged.objects.map((o) => [o.document.file, o.rejected])).toEqual([
      ['b.yaml', false],
      ['c.yaml', true],
      ['c.yaml', true],
    ]);
    expect(merged.issues.map((issue) => [issue.location.file, issue.message])).toEqual([
      ['a.yaml', 'kind ConfigMap is not read by kubereach: skipped'],
      ['c.yaml', 'metadata.name: Service "web" in namespace "default" is already defined (in b.yaml): this one is left out'],
      ['c.yaml', 'metadata.name: Service "web" in namespace "default" is already defined (in b.yaml): this one is left out'],
    ]);
    expect([...merged.sources.keys()]).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });
});
