import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './run-cli.js';

const podA = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: a}\nspec:\n  containers: [{name: c, image: x}]\n';
const podB = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  labels: {app: b}\nspec:\n  containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]\n';
const allowAtoB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: b-from-a
spec:
  podSelector:
    matchLabels: {app: b}
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: a}
      ports:
        - port: http
`;
const cluster = { 'pods.yaml': `${podA}---\n${podB}`, 'policy.yaml': allowAtoB };
const expectedConnlist = [
  '0.0.0.0-255.255.255.255 => default/a[Pod] : All Connections',
  'default/a[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
  'default/a[Pod] => default/b[Pod] : TCP 8080',
  'default/b[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
  'default/b[Pod] => default/a[Pod] : All Connections',
  '',
].join('\n');

describe('kubereach matrix', () => {
  it('prints connlist lines for a directory', () => {
    const run = runCli(['matrix', tempTree(cluster), '--format', 'connlist']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(expectedConnlist);
    expect(run.status).toBe(0);
  });

  it('reads stdin with -', () => {
    const run = runCli(['matrix', '-', '-o', 'connlist'], { input: `${podA}---\n${podB}---\n${allowAtoB}` });
    expect(run.stdout).toBe(expectedConnlist);
    expect(run.status).toBe(0);
  });

  it('prints a readable table by default, without colour when not on a terminal', () => {
    const run = runCli(['matrix', tempTree(cluster)]);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+DESTINATION\s+ALLOWED$/);
    expect(lines).toContain('default/a[Pod]           default/b[Pod]           TCP 8080');
    expect(run.stdout).toContain('5 allowed pairs between 2 workloads and 1 external address range');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('writes versioned JSON with structured connections', () => {
    const run = runCli(['matrix', tempTree(cluster), '--format', 'json']);
    const document = JSON.parse(run.stdout) as { schema: string; connections: { source: string; destination: string; allowed: string; connections: unknown }[] };
    expect(document.schema).toBe('kubereach.dev/matrix/v1');
    expect(document.connections).toContainEqual({
      source: 'default/a[Pod]',
      destination: 'default/b[Pod]',
      allowed: 'TCP 8080',
      connections: { all: false, protocols: { TCP: [[8080, 8080]] } },
    });
  });

  it.each([
    ['csv', 'default/a[Pod],default/b[Pod],TCP 8080\r\n'],
    ['md', '| `default/a[Pod]` | `default/b[Pod]` | TCP 8080 |\n'],
    ['dot', '"default/a[Pod]" -> "default/b[Pod]" [label="TCP 8080"];\n'],
  ])('writes %s', (format, expected) => {
    const run = runCli(['matrix', tempTree(cluster), '--format', format]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(expected);
  });

  it('summarises at namespace granularity', () => {
    const run = runCli(['matrix', tempTree(cluster), '--format', 'connlist', '--granularity', 'namespace']);
    expect(run.stdout).toBe(
      ['0.0.0.0-255.255.255.255 => default : All Connections', 'default => 0.0.0.0-255.255.255.255 : All Connections', 'default => default : All Connections', ''].join('\n'),
    );
  });

  it('summarises at class granularity, one node per class of workloads no policy tells apart', () => {
    const podC = podA.replace('name: a', 'name: c').replace('app: a', 'app: other');
    const tree = tempTree({ ...cluster, 'more.yaml': podC });
    const run = runCli(['matrix', tree, '-o', 'connlist', '-g', 'class']);
    expect(run.stdout).toContain('default/{app=b} => default/{app=*} : All Connections\n');
    expect(run.stdout).toContain('default/{app=a} => default/{app=b} : TCP 8080\n');
    const json = JSON.parse(runCli(['matrix', tree, '-o', 'json', '-g', 'class']).stdout) as { nodes: { id: string; members?: string[] }[] };
    expect(json.nodes.find((n) => n.id === 'default/{app=*}')?.members).toEqual(['default/c[Pod]']);
    expect(runCli(['matrix', tree, '-g', 'class']).stdout).toContain('between 3 classes (3 workloads) and 1 external address range');
  });

  it('places objects without a namespace in --namespace', () => {
    const run = runCli(['matrix', tempTree(cluster), '--format', 'connlist', '--namespace', 'team']);
    expect(run.stdout).toContain('team/a[Pod] => team/b[Pod] : TCP 8080');
  });
});

describe('bad input', () => {
  it('reports malformed YAML with file, line and column, still analyses the rest, and exits 2', () => {
    const root = tempTree({ ...cluster, 'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: c\n' });
    const run = runCli(['matrix', root, '--format', 'connlist']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/broken\.yaml:\d+:\d+: error .*\[yaml-syntax\]/);
    expect(run.stdout).toBe(expectedConnlist);
  });

  it('gives one error for an unrendered Helm template', () => {
    const root = tempTree({ 'templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' });
    const run = runCli(['matrix', root, '--format', 'connlist']);
    expect(run.status).toBe(2);
    const errors = run.stderr.split('\n').filter((line) => line.includes('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/deployment\.yaml:4:9: error .*helm template.*\[helm-template\]/);
  });

  it('skips unknown kinds and non-Kubernetes documents with an info summary, exit 0', () => {
    const root = tempTree({ ...cluster, 'other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\nfoo: bar\n' });
    const run = runCli(['matrix', root, '--format', 'connlist']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(expectedConnlist);
    expect(run.stderr).toContain('info: 2 documents skipped');
    const verbose = runCli(['matrix', root, '--format', 'connlist', '--verbose']);
    expect(verbose.stderr).toMatch(/other\.yaml:2:7: info .*ConfigMap.*\[unknown-kind\]/);
  });

  it('reports an empty directory and a missing path, exit 2', () => {
    const empty = tempTree({ 'README.md': '# nothing here\n' });
    const run = runCli(['matrix', empty, '/no/such/path', '--format', 'connlist']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no .yaml, .yml or .json files in directory');
    expect(run.stderr).toContain('no such file or directory: /no/such/path');
  });

  it('rejects unknown options and formats with exit 2 and a hint on stderr', () => {
    const run = runCli(['matrix', '.', '--format', 'xml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("argument 'xml' is invalid");
    expect(runCli(['matrix']).status).toBe(2);
    expect(runCli(['frobnicate']).status).toBe(2);
  });

  it('prints help and version with exit 0', () => {
    for (const args of [['--help'], ['matrix', '--help'], ['explain', '--help'], ['--version'], []]) {
      const run = runCli(args);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout.length).toBeGreaterThan(0);
    }
  });

  it('prints no internal default in help, such as the empty map --rule collects into', () => {
    const lint = runCli(['lint', '--help']).stdout;
    expect(lint).toMatch(/--rule <id=severity> +set a rule to off, info, warn or error\s+\(repeatable\)\n/);
    const diff = runCli(['diff', '--help']).stdout;
    expect(diff).toMatch(/--fail-on <kinds>[^]*\(default: none\)/);
    for (const help of [lint, diff]) expect(help).not.toMatch(/\{\}|\[\]/);
  });
});

describe('kubereach explain', () => {
  it('explains an allowed pair with the rule and its file:line', () => {
    const root = tempTree(cluster);
    const run = runCli(['explain', 'a', 'default/b[Pod]', root]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('default/a[Pod] => default/b[Pod]: TCP 8080');
    expect(run.stdout).toContain('egress of default/a[Pod]: not isolated');
    expect(run.stdout).toMatch(/ingress of default\/b\[Pod\]: isolated by 1 policy: allows TCP 8080/);
    expect(run.stdout).toMatch(/policy default\/b-from-a \(ingress by default\) at .*policy\.yaml:\d+:\d+/);
    expect(run.stdout).toMatch(/ingress rule 1 allows TCP 8080 at .*policy\.yaml:9:7/);
  });

  it('answers for one port with exit 1 when denied', () => {
    const root = tempTree(cluster);
    const denied = runCli(['explain', 'b', 'a', root, '--port', '80']);
    expect(denied.status).toBe(0);
    const run = runCli(['explain', 'a', 'b', root, '--port', '80']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('on TCP 80: DENIED');
    const udp = runCli(['explain', 'a', 'b', root, '--port', '8080', '--protocol', 'udp']);
    expect(udp.status).toBe(1);
  });

  it('explains external addresses and rejects unknown endpoints with exit 2', () => {
    const root = tempTree(cluster);
    const run = runCli(['explain', '203.0.113.7', 'b', root]);
    expect(run.stdout).toContain('0.0.0.0-255.255.255.255 => default/b[Pod]: No Connections');
    const unknown = runCli(['explain', 'nope', 'b', root]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no workload matches "nope"');
  });
});
