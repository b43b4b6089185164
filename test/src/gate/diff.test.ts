// `kubereach diff` end to end: two folders, and git revisions in a temporary repository (the work tree untouched).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../cli/run-cli.js';
import { git, OPEN_WEB as openWeb, WEB_TO_API as webToApi } from './shop-fixtures.js';

const workloads = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 9090}]}]}
`;
const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;


describe('kubereach diff', () => {
  it('compares two folders: added connections with the policy change behind them, exposure first', () => {
    const before = tempTree({ 'app.yaml': workloads, 'policies.yaml': denyAll });
    const after = tempTree({ 'app.yaml': workloads, 'policies.yaml': denyAll + webToApi + openWeb });
    const run = runCli(['diff', before, after]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`connectivity diff ${before} -> ${after}: 2 added, 0 removed, 0 changed, 1 with new exposure outside the cluster`);
    expect(lines.slice(2, 5)).toEqual([
      'New exposure outside the cluster:',
      '  + 0.0.0.0-255.255.255.255 => shop/web[Pod] : TCP 8080 [new ingress from outside the cluster]',
      `      because policy shop/web-public (ingress) added at ${join(after, 'policies.yaml')}:24:18`,
    ]);
    expect(run.stdout).toContain('  + shop/web[Pod] => shop/api[Pod] : TCP 9090\n');
    expect(run.stdout).toContain(`      because policy shop/web (egress) added at ${join(after, 'policies.yaml')}:`);
    expect(run.stdout).toContain(`      because policy shop/api (ingress) added at ${join(after, 'policies.yaml')}:`);

    const connlist = runCli(['diff', before, after, '-o', 'connlist']);
    expect(connlist.stdout).toBe(
      'diff-type: added, source: 0.0.0.0-255.255.255.255, destination: shop/web[Pod], ref1: No Connections, ref2: TCP 8080\n' +
        'diff-type: added, source: shop/web[Pod], destination: shop/api[Pod], ref1: No Connections, ref2: TCP 9090\n',
    );
    expect(runCli(['diff', before, after, '--fail-on', 'removed']).status).toBe(0);
    expect(runCli(['diff', before, after, '--fail-on', 'added,changed']).status).toBe(1);
    expect(runCli(['diff', before, after, '--fail-on', 'moved']).status).toBe(2);
    expect(runCli(['diff', before]).status).toBe(2);
  });

  it('reads git revisions without touching the work tree, in markdown and json', () => {
    const root = tempTree({ 'k8s/app.yaml': workloads, 'k8s/policies.yaml': denyAll + webToApi, 'README.md': 'not a manifest\n' });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'base');
    // Working tree: the api policy narrowed to another port, and web opened to the internet.
    const changed = (denyAll + webToApi).replace('ports: [{port: 9090}]', 'ports: [{port: 9091}]') + openWeb;
    writeFileSync(join(root, 'k8s/policies.yaml'), changed);

    const markdown = runCli(['diff', '--base', 'main', 'k8s', '-o', 'md', '--fail-on', 'changed'], { cwd: root });
    expect(markdown.stderr).toBe('');
    expect(markdown.status).toBe(1);
    expect(markdown.stdout).toContain('### kubereach connectivity diff');
    expect(markdown.stdout).toContain('> - **new ingress from outside the cluster**: `0.0.0.0-255.255.255.255` → `shop/web[Pod]` : TCP 8080');
    expect(markdown.stdout).toMatch(/\| ~ \| `shop\/web\[Pod\]` \| `shop\/api\[Pod\]` \| TCP 9090 \| TCP 9091 \| policy shop\/api \(ingress\) changed at k8s\/policies\.yaml:\d+:\d+ \|/);
    expect(readFileSync(join(root, 'k8s/policies.yaml'), 'utf8')).toBe(changed);
    expect(git(root, 'status', '--porcelain')).toBe(' M k8s/policies.yaml\n');

    const json = JSON.parse(runCli(['diff', 'main:k8s', 'k8s', '-o', 'json'], { cwd: root }).stdout) as {
      schema: string;
      changes: { kind: string; source: { id: string }; destination: { id: string }; exposure: string | null; causes: { policy?: string; at?: string }[] }[];
      summary: Record<string, number>;
    };
    expect(json.schema).toBe('kubereach.dev/diff/v1');
    expect(json.summary).toEqual({ added: 1, removed: 0, changed: 1 });
    expect(json.changes[0]).toMatchObject({ kind: 'added', exposure: 'ingress-from-outside', destination: { id: 'shop/web[Pod]' } });
    const narrowed = json.changes.find((c) => c.kind === 'changed')!;
    expect(narrowed.causes).toEqual([expect.objectContaining({ policy: 'shop/api', at: expect.stringMatching(/^k8s\/policies\.yaml:\d+:\d+$/) })]);

    // A revision on both sides, and a policy that only moved: nothing changed.
    git(root, 'commit', '-q', '-am', 'second');
    writeFileSync(join(root, 'k8s/policies.yaml'), `# moved down\n\n${changed}`);
    expect(runCli(['diff', 'HEAD~1:k8s', 'HEAD:k8s', '-o', 'connlist'], { cwd: root }).stdout).toContain(
      'diff-type: changed, source: shop/web[Pod], destination: shop/api[Pod], ref1: TCP 9090, ref2: TCP 9091\n',
    );
    const same = runCli(['diff', '--base', 'HEAD', 'k8s', '--fail-on', 'added,removed,changed'], { cwd: root });
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('0 added, 0 removed, 0 changed');

    const unknown = runCli(['diff', '--base', 'no-such-rev', 'k8s'], { cwd: root });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('cannot read git revision "no-such-rev"');
  });

  it('reads at a revision the files it reads in the work tree: not the config file', () => {
    const root = tempTree({ '.kubereach.yaml': 'cni: calico\n', 'app.yaml': workloads });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'base');
    const run = runCli(['diff', '--base', 'main', '.', '--verbose'], { cwd: root });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names as causes the namespaces whose labels a selector behind the pair reads, not every relabelled one', () => {
    const cli = 'apiVersion: v1\nkind: Pod\nmetadata: {name: cli, namespace: other, labels: {app: cli}}\nspec: {containers: [{name: c, image: x}]}\n';
    const fromTeamA = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]
`;
    const namespaces = `apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: unrelated, labels: {foo: bar}}
`;
    const before = tempTree({ 'app.yaml': `${workloads}---\n${cli}`, 'policies.yaml': fromTeamA });
    const after = tempTree({ 'app.yaml': `${workloads}---\n${cli}`, 'policies.yaml': fromTeamA, 'namespaces.yaml': namespaces });
    const run = runCli(['diff', before, after]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      `  + other/cli[Pod] => shop/web[Pod] : All Connections\n      because labels of namespace other changed at ${join(after, 'namespaces.yaml')}:3:18\n`,
    );
    expect(run.stdout).not.toContain('namespace unrelated');
  });
});
