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
    expect(line('cilium@1.15')).toBe('default/client[Pod] => default/server[Pod] : TCP 8000');
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

  it('reports every policy as an error on a plugin that enforces none, and rejects unknown plugins', () => {
    const run = runCli(['lint', root, '--cni', 'flannel', '-f', 'compact']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/policy\.yaml:3:18: error cni-ignores-policies Flannel enforces no NetworkPolicy/);
    const bad = runCli(['matrix', root, '--cni', 'calico@next']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"next" is not a version');
  });

  it('reads cni from .kubereach.yaml', () => {
    const configured = tempTree({ 'pods.yaml': pods, 'policy.yaml': policy, '.kubereach.yaml': 'cni: cilium@1.15\n' });
    const run = runCli(['lint', configured, '-f', 'compact']);
    expect(run.stdout).toMatch(/policy\.yaml:7:15: warning cni-unsupported-feature Cilium ignores endPort: only TCP 8000 is allowed, not 8000-8090/);
  });
});
