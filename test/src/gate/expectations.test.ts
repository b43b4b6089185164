// `kubereach test` end to end: expectations that pass, fail with their deciding policies, and mistakes reported with ranges.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../cli/run-cli.js';

const expectations = `expectations:
  - name: ingress reaches the frontend
    from: ingress-nginx/ingress-nginx-controller
    to: shop/frontend
    ports: [8080]
    expect: allow
  - from: shop/api
    to: {namespace: shop, selector: {matchLabels: {app: postgres}}}
    ports: [5432]
    expect: allow
  - from: {namespace: shop}
    to: 198.51.100.7
    expect: deny
  - isolated: ingress
    namespace: shop
  - isolated: egress
    workload: shop/api
  - name: the frontend reaches the api
    from: shop/frontend
    to: shop/api
    ports: [8080]
    expect: allow
`;

describe('kubereach test', () => {
  it('checks expectations against the example shop; a failure names the deciding policies', () => {
    const root = tempTree({ 'net.yaml': expectations });
    const run = runCli(['test', join(root, 'net.yaml'), 'examples/shop']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('✔ ingress reaches the frontend');
    expect(lines).toContain('✔ shop/api => namespace shop {"matchLabels":{"app":"postgres"}} on TCP 5432: allow');
    expect(lines).toContain('✔ shop/api is isolated for egress');
    expect(lines).toContain(`✖ the frontend reaches the api  ${join(root, 'net.yaml')}:18:5`);
    expect(run.stdout).toContain('    shop/frontend[Deployment] => shop/api[Deployment]: expected to allow TCP 8080, but ingress of shop/api[Deployment] allows TCP 80');
    expect(run.stdout).toMatch(/ {6}deciding: policy shop\/api-ingress \(ingress\) at examples\/shop\/policies\.yaml:\d+:\d+\n/);
    expect(run.stdout).toMatch(/\n6 expectations: 5 passed, 1 failed\n$/);
  });

  it('writes json and junit', () => {
    const root = tempTree({ 'net.yaml': expectations });
    const json = JSON.parse(runCli(['test', join(root, 'net.yaml'), 'examples/shop', '-f', 'json']).stdout) as {
      schema: string;
      results: { name: string; passed: boolean; failures: { deciding: { policy: string; direction: string }[] }[] }[];
      summary: unknown;
    };
    expect(json.schema).toBe('kubereach.dev/expectations/v1');
    expect(json.summary).toEqual({ passed: 5, failed: 1 });
    const failed = json.results.find((r) => !r.passed)!;
    expect(failed.name).toBe('the frontend reaches the api');
    expect(failed.failures[0]!.deciding).toEqual(expect.arrayContaining([{ policy: 'shop/api-ingress', direction: 'ingress', at: expect.any(String) }]));

    const xml = runCli(['test', join(root, 'net.yaml'), 'examples/shop', '-f', 'junit']).stdout;
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { testcase: { name: string; failure?: unknown }[] } };
    };
    expect(parsed.testsuites).toMatchObject({ tests: '6', failures: '1' });
    expect(parsed.testsuites.testsuite.testcase.map((c) => c.name)[0]).toBe('ingress reaches the frontend');
  });

  it('passes with exit 0 when every expectation holds', () => {
    const root = tempTree({ 'ok.yaml': expectations.slice(0, expectations.indexOf('  - name: the frontend')) });
    const run = runCli(['test', join(root, 'ok.yaml'), 'examples/shop']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\n5 expectations: 5 passed, 0 failed\n$/);
  });

  it('reads isolation as the network plugin enforces it: a Calico tier that denies by default isolates', () => {
    const root = tempTree({
      'net.yaml': 'expectations:\n  - isolated: egress\n    workload: team/batch\n',
      'manifests/pods.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: batch, namespace: team, labels: {app: batch}}\nspec: {containers: [{name: c, image: x}]}\n',
      'manifests/gnp.yaml':
        "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: batch-egress}\nspec:\n  selector: app == 'batch'\n  egress: [{action: Allow, protocol: UDP}]\n",
    });
    expect(runCli(['test', join(root, 'net.yaml'), join(root, 'manifests')]).status).toBe(0);
    // kubenet enforces no policy at all.
    const open = runCli(['test', join(root, 'net.yaml'), join(root, 'manifests'), '--cni', 'kubenet']);
    expect(open.status).toBe(1);
    expect(open.stdout).toContain('not isolated for egress (no policy selects it for egress): team/batch[Pod]');
  });

  it('reports mistakes in the file at their range and exits 2', () => {
    const root = tempTree({
      'bad.yaml': `expectations:
  - from: shop/api
    to: shop/nothing
    expect: allow
  - from: shop/api
    to: shop/frontend
    expect: maybe
  - isolated: sideways
    workload: shop/api
`,
    });
    const run = runCli(['test', join(root, 'bad.yaml'), 'examples/shop']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'bad.yaml')}:7:13: error expect: expected one of "allow", "deny", got "maybe"`);
    expect(run.stderr).toMatch(/bad\.yaml:8:15: error isolated: expected one of "ingress", "egress"/);
    expect(run.stderr).toContain(`${join(root, 'bad.yaml')}:3:9: error to: no workload matches "shop/nothing"`);
  });

  it('leaves out the expectations file only: a manifest of the same name in a folder below is read', () => {
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: x}]}\n`;
    const root = tempTree({
      'network-policies.yaml': 'expectations:\n  - {from: shop/client, to: shop/web, expect: deny}\n',
      'pods.yaml': `${pod('client')}---\n${pod('web')}`,
      'deploy/network-policies.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec: {podSelector: {}}\n',
    });
    // Without the deny-all policy in deploy/ the pair would be allowed and the expectation fail.
    for (const paths of [['.'], ['pods.yaml', 'deploy'], [root]]) {
      const run = runCli(['test', 'network-policies.yaml', ...paths], { cwd: root });
      expect([run.status, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toContain('✔ shop/client => shop/web: deny');
    }
    // Named with ./ and read with -v (which lists skipped documents), the expectations file is left out, not skipped.
    const verbose = runCli(['test', './network-policies.yaml', root, '-v'], { cwd: root });
    expect([verbose.status, verbose.stderr]).toEqual([0, '']);
  });

  it('reads every document of the file: a failing expectation in the second fails the run', () => {
    const root = tempTree({
      'net.yaml': 'expectations:\n  - {from: shop/frontend, to: shop/api, expect: deny}\n---\nexpectations:\n  - {from: ingress-nginx/ingress-nginx-controller, to: shop/frontend, ports: [8080], expect: deny}\n',
    });
    const run = runCli(['test', join(root, 'net.yaml'), 'examples/shop']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('✔ shop/frontend => shop/api: deny');
    expect(run.stdout).toContain(`✖ ingress-nginx/ingress-nginx-controller => shop/frontend on TCP 8080: deny  ${join(root, 'net.yaml')}:5:5`);
    expect(run.stdout).toMatch(/\n2 expectations: 1 passed, 1 failed\n$/);
  });

  it('fails a file that lists no expectations, as test runners fail when they find no tests', () => {
    const root = tempTree({ 'net.yaml': 'expectations: []\n' });
    const run = runCli(['test', join(root, 'net.yaml'), 'examples/shop']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'net.yaml')}:1:15: error expectations: lists no expectations`);
  });
});
