// Which files a command reads: each file once, whatever the number of paths naming it, and never the config file.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './run-cli.js';

const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector: {matchLabels: {app: nope}}
  policyTypes: [Ingress]
`;
const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c, image: x}]}\n';
const lint = (args: readonly string[], cwd?: string) => runCli(['lint', ...args, '-f', 'compact', '--cni', 'generic'], cwd === undefined ? {} : { cwd });

describe('a file named twice is read once', () => {
  it('as a folder and a file in it, and in the folder named twice', () => {
    const once = runCli(['lint', 'examples/shop', '-f', 'compact']);
    for (const args of [['examples/shop', 'examples/shop/policies.yaml'], ['examples/shop', 'examples/shop'], ['examples/shop', './examples/shop/']]) {
      const twice = runCli(['lint', ...args, '-f', 'compact']);
      expect(twice.stdout, args.join(' ')).not.toContain('duplicate-policy-name');
      expect(twice.stdout, args.join(' ')).toBe(once.stdout);
      expect(twice.stderr, args.join(' ')).toBe(once.stderr);
      expect(twice.status, args.join(' ')).toBe(once.status);
    }
  });

  it('under two spellings of its path, reported under the first', () => {
    const root = tempTree({ 'a.yaml': policy, 'pod.yaml': pod });
    const run = lint(['./a.yaml', 'a.yaml', 'pod.yaml', join(root, 'a.yaml')], root);
    expect(run.stdout).not.toContain('duplicate');
    expect(run.stdout).toMatch(/^\.\/a\.yaml:5:16: warning policy-selects-nothing /m);
    expect(run.stdout).not.toMatch(/^a\.yaml/m);
  });

  it('through a symbolic link in a folder', () => {
    const root = tempTree({ 'a.yaml': policy, 'pod.yaml': pod });
    symlinkSync('a.yaml', join(root, 'link.yaml'));
    const run = lint(['.'], root);
    expect(run.stdout).not.toContain('duplicate');
    expect(run.stdout).toContain('a.yaml:5:16: warning policy-selects-nothing');
    expect(run.stdout).not.toContain('link.yaml');
  });
});

describe('the config file', () => {
  it('is not read as a manifest when its folder is searched', () => {
    const root = tempTree({ '.kubereach.yaml': 'rules:\n  missing-default-deny: off\n', 'pod.yaml': pod });
    const run = runCli(['matrix', root, '-o', 'connlist']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const verbose = runCli(['lint', root, '--verbose', '-f', 'compact']);
    expect(verbose.stderr).not.toContain('.kubereach.yaml');
  });
});
