// Property: a lint of some files (what the language server runs first after an edit) gives exactly the findings of a
// whole lint located in those files, whatever the files hold and however namespaces spread over them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyze,
  EMPTY_CONFIG,
  lint,
  resolveRules,
  RULES,
  type Finding,
  type SourceText,
} from '@kubereach/core';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { seededRandom, syntheticCluster } from '../bench/synthetic.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const rules = resolveRules(RULES, EMPTY_CONFIG, {});

/** Findings as comparable values (fix edits and related places included). */
const plain = (findings: readonly Finding[]) => JSON.parse(JSON.stringify(findings)) as unknown[];

function expectScopedEqualsWhole(
  inputs: readonly SourceText[],
  cni: string | undefined,
  scopes: readonly (readonly string[])[],
): number {
  const analysis = analyze(inputs, { cni });
  const whole = lint(analysis, rules).findings;
  for (const scope of scopes) {
    const files = new Set(scope);
    const scoped = lint(analysis, rules, { files }).findings;
    expect(plain(scoped), `lint of ${scope.join(', ')} under ${cni ?? 'detected'}`).toEqual(
      plain(whole.filter((f) => files.has(f.location.file))),
    );
  }
  return whole.length;
}

/**
 * A synthetic cluster's objects dealt at random over a few files, so that a namespace's policies, its workloads and
 * the cluster-wide policies land in different files; some NetworkPolicies are written twice under two names (which
 * of two equal policies is redundant depends on the other, wherever it is); a file opens with a suppression comment
 * now and then.
 */
function scatteredCluster(workloads: number, seed: number, fileCount: number): SourceText[] {
  const random = seededRandom(seed);
  const texts: string[][] = Array.from({ length: fileCount }, () => []);
  const deal = (object: Record<string, unknown>) =>
    texts[Math.floor(random() * fileCount)]!.push(dump(object, { noRefs: true }));
  for (const object of syntheticCluster(workloads, seed).objects) {
    deal(object);
    if (object['kind'] === 'NetworkPolicy' && random() < 0.2) {
      const metadata = object['metadata'] as { name: string };
      deal({ ...object, metadata: { ...metadata, name: `${metadata.name}-again` } });
    }
  }
  return texts.map((documents, k) => ({
    path: `scattered-${k}.yaml`,
    text: `${k % 3 === 0 ? '# kubereach-disable-file half-open-path -- seen\n' : k % 3 === 1 ? '# kubereach-disable-file no-such-rule\n' : ''}${documents.join('---\n')}`,
  }));
}

function directoryInputs(directory: string): SourceText[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter(
      (name) => /\.ya?ml$/.test(name) && !name.endsWith('.kubereach.yaml') && !name.endsWith('expect.yaml'),
    )
    .sort()
    .map((name) => ({ path: join(directory, name), text: readFileSync(join(directory, name), 'utf8') }));
}

/** Every file alone, then a few pairs. */
function scopesOf(inputs: readonly SourceText[], seed: number): string[][] {
  const random = seededRandom(seed);
  const paths = inputs.map((input) => input.path);
  const pairs = Array.from({ length: Math.min(3, paths.length) }, () => [
    paths[Math.floor(random() * paths.length)]!,
    paths[Math.floor(random() * paths.length)]!,
  ]);
  return [...paths.map((path) => [path]), ...pairs, []];
}

describe('a lint of some files equals the whole lint in those files', () => {
  for (const cni of ['calico', 'generic', undefined]) {
    it(`synthetic clusters scattered over files (${cni ?? 'plugin detected'})`, () => {
      let findings = 0;
      for (const seed of [1, 2, 3]) {
        const inputs = scatteredCluster(150, seed, 6);
        findings += expectScopedEqualsWhole(inputs, cni, scopesOf(inputs, seed));
      }
      // The clusters must give the rules something to say, or the comparison proves nothing.
      expect(findings).toBeGreaterThan(30);
    });
  }

  it('the bundled examples and the conformance fixtures', () => {
    const directories = [
      join(root, 'examples/shop'),
      ...readdirSync(join(root, 'test/fixtures')).map((name) => join(root, 'test/fixtures', name)),
    ];
    let findings = 0;
    for (const directory of directories) {
      const inputs = directoryInputs(directory);
      if (inputs.length > 0) findings += expectScopedEqualsWhole(inputs, undefined, scopesOf(inputs, 7));
    }
    expect(findings).toBeGreaterThan(10);
  });

  it("every rule doc's incorrect example, its documents dealt over two files", () => {
    const docs = join(root, 'core/docs/rules');
    let findings = 0;
    let examples = 0;
    for (const name of readdirSync(docs).filter((n) => n.endsWith('.md')).sort()) {
      const doc = readFileSync(join(docs, name), 'utf8');
      const block = /```yaml\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('\n## Incorrect\n')));
      if (block === null) continue;
      const documents = block[1]!.split(/^---\n/m);
      const inputs = [0, 1].map((k) => ({
        path: `${name.slice(0, -3)}-${k}.yaml`,
        text: documents.filter((_, j) => j % 2 === k).join('---\n'),
      }));
      findings += expectScopedEqualsWhole(inputs, undefined, [[inputs[0]!.path], [inputs[1]!.path]]);
      examples++;
    }
    expect(examples).toBeGreaterThan(30);
    expect(findings).toBeGreaterThan(examples);
  });
});

