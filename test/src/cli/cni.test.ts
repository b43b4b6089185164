import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './run-cli.js';

const pods =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {containers: [{name: c, image: x}]}\n---\n' +
  'apiVersion: v1\nkind: Pod\nmetadata: {name: server, labels: {app: server}}\nspec: {containers: [{name: c, image: x}]}\n';
const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
    - ports: [{port: 8000, endPort: 8090}]
`;

describe('--cni', () => {
  const root = tempTree({ 'pods.yaml': pods, 'policy.yaml': policy });

  it('changes the matrix to what the plugin enforces', () => {
    const line = (cni: string) =>
      runCli(['matrix', root, '-o', 'connlist', '--cni', cni]).stdout.split('\n').find((l) => l.startsWith('default/client[Pod] => default/server'));
    expect(line('generic')).toBe('default/client[Pod] => default/server[Pod] : TCP 8000-8090');
    expect(line('cilium@1.14')).toBe('default/client[Pod] => default/server[Pod] : TCP 8000');
    expect(line('kubenet')).toBe('default/client[Pod] => default/server[Pod] : All Connections');
  });

  it('prints the paths that differ between two plugins', () => {
    const run = runCli(['matrix', root, '-o', 'connlist', '--cni', 'cilium,kubenet']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        '0.0.0.0-255.255.255.255 => default/server[Pod] : cilium: TCP 8000-8090 ; kubenet: All Connections',
        'default/client[Pod] => default/server[Pod] : cilium: TCP 8000-8090 ; kubenet: All Connections',
        '',
      ].join('\n'),
    );
  });

  it('takes two plugins on matrix alone, and rejects them elsewhere as a usage error', () => {
    for (const args of [
      ['lint', root],
      ['explain', 'default/client', 'default/server', root],
      ['exposure', root],
      ['test', `${tempTree({ 'expect.yaml': 'expectations: []\n' })}/expect.yaml`, root],
      ['diff', root, root],
    ]) {
      const run = runCli([...args, '--cni', 'calico,kubenet']);
      expect(run.status, args[0]).toBe(2);
      expect(run.stderr, args[0]).toContain("option '--cni <profile>' argument 'calico,kubenet' is invalid. expected one network plugin (kubereach matrix --cni a,b compares two)");
      expect(run.stderr, args[0]).not.toContain('internal error');
    }
    const three = runCli(['matrix', root, '-o', 'connlist', '--cni', 'calico,kubenet,cilium']);
    expect(three.status).toBe(2);
    expect(three.stderr).toContain('expected one network plugin, or two separated by a comma to compare them');
  });

  it('reports every policy as an error on a plugin that enforces none, and rejects unknown plugins', () => {
    const run = runCli(['lint', root, '--cni', 'flannel', '-f', 'compact']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/policy\.yaml:3:18: error cni-ignores-policies Flannel enforces no NetworkPolicy/);
    const bad = runCli(['matrix', root, '--cni', 'calico@next']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"next" is not a version');
  });

  it('reads cni from .kubereach.yaml', () => {
    const configured = tempTree({ 'pods.yaml': pods, 'policy.yaml': policy, '.kubereach.yaml': 'cni: cilium@1.14\n' });
    const run = runCli(['lint', configured, '-f', 'compact']);
    expect(run.stdout).toMatch(/policy\.yaml:7:15: warning cni-unsupported-feature Cilium ignores endPort: only TCP 8000 is allowed, not 8000-8090/);
  });
});

describe('the network plugin and namespace of .kubereach.yaml, on every command reading manifests', () => {
  // `--cni` and `-n` win over the file; `--config` names another one.
  const tree = tempTree({
    '.kubereach.yaml': 'cni: kubenet\n',
    'other.yaml': 'cni: cilium@1.14\n',
    'before/pods.yaml': pods,
    'after/pods.yaml': pods,
    'after/policy.yaml': policy,
  });
  const after = `${tree}/after`;
  const expectations = tempTree({ 'expect.yaml': 'expectations:\n  - {from: default/client, to: default/server, ports: [9000], expect: deny}\n' });
  const clientToServer = (...args: string[]) =>
    runCli(['matrix', after, '-o', 'connlist', ...args]).stdout.split('\n').find((l) => l.startsWith('default/client[Pod] => default/server'));

  it('matrix', () => {
    expect(clientToServer()).toBe('default/client[Pod] => default/server[Pod] : All Connections');
    expect(clientToServer('--cni', 'generic')).toBe('default/client[Pod] => default/server[Pod] : TCP 8000-8090');
    expect(clientToServer('--config', `${tree}/other.yaml`)).toBe('default/client[Pod] => default/server[Pod] : TCP 8000');
  });

  it('explain', () => {
    expect(runCli(['explain', 'default/client', 'default/server', after, '--port', '9000']).status).toBe(0);
    expect(runCli(['explain', 'default/client', 'default/server', after, '--port', '9000', '--cni', 'generic']).status).toBe(1);
  });

  it('test', () => {
    const run = runCli(['test', `${expectations}/expect.yaml`, after]);
    expect(run.stdout).toContain('1 expectation: 0 passed, 1 failed');
    expect(run.status).toBe(1);
    expect(runCli(['test', `${expectations}/expect.yaml`, after, '--cni', 'generic']).status).toBe(0);
  });

  it('diff: both sides under one plugin', () => {
    // Under kubenet the policy changes nothing; as specified it narrows client => server.
    expect(runCli(['diff', `${tree}/before`, after, '--fail-on', 'changed']).status).toBe(0);
    const generic = runCli(['diff', `${tree}/before`, after, '--fail-on', 'changed', '--cni', 'generic']);
    expect(generic.status).toBe(1);
    expect(generic.stdout).toContain('default/client[Pod] => default/server[Pod]');
  });

  it('the namespace of objects that name none', () => {
    const namespaced = tempTree({ '.kubereach.yaml': 'namespace: team\n', 'pods.yaml': pods });
    expect(runCli(['matrix', namespaced, '-o', 'connlist']).stdout).toContain('team/client[Pod] => team/server[Pod]');
    expect(runCli(['matrix', namespaced, '-o', 'connlist', '-n', 'other']).stdout).toContain('other/client[Pod] => other/server[Pod]');
  });

  it('a mistake in the file is reported, with exit code 2', () => {
    const broken = tempTree({ '.kubereach.yaml': 'cni: no-such-plugin\n', 'pods.yaml': pods });
    const run = runCli(['matrix', broken, '-o', 'connlist']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/\.kubereach\.yaml:1:6: error .*no-such-plugin/);
  });
});

describe('diff reads its inputs as the other commands do', () => {
  it('with the load limits', () => {
    const root = tempTree({ 'pods.yaml': pods });
    const run = runCli(['diff', root, root, '--max-documents', '1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('exceeds the limit of 1 (--max-documents raises it)');
  });
});
