import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './run-cli.js';

const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
const typoPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector:
    matchLabels: {app: wbe}
  ingress: []
`;
const badCidr = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/99}}]}]
`;

describe('kubereach lint', () => {
  it('prints stylish findings with a code frame and a summary; warnings alone exit 0', () => {
    const run = runCli(['lint', tempTree({ 'web.yaml': web, 'policy.yaml': typoPolicy }), '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/policy\.yaml\n {2}6:5 {2}warning {2}policy default\/p selects no workload: no pod in namespace default matches app=wbe {2}policy-selects-nothing\n/);
    expect(run.stdout).toContain('    > 6 |     matchLabels: {app: wbe}\n');
    expect(run.stdout).toContain('        |     ^^^^^^^^^^^^^^^^^^^^^^^\n');
    expect(run.stdout).toMatch(/✖ 1 problem \(0 errors, 1 warning\)\n$/);
  });

  it('exits 1 on errors and prints compact lines', () => {
    const run = runCli(['lint', tempTree({ 'web.yaml': web, 'q.yaml': badCidr }), '--format', 'compact', '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/q\.yaml:6:35: error invalid-manifest spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: .*\(invalid-cidr\)\n/);
  });

  it('writes JSON with exact regions and docs links, to a file when asked', () => {
    const root = tempTree({ 'web.yaml': web, 'policy.yaml': typoPolicy });
    const out = join(root, 'reports', 'lint.json');
    const run = runCli(['lint', root, '-f', 'json', '--output-file', out, '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(run.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8')) as { schema: string; findings: Record<string, unknown>[]; summary: unknown };
    expect(report.schema).toBe('kubereach.dev/lint/v1');
    expect(report.findings[0]).toMatchObject({
      ruleId: 'policy-selects-nothing',
      severity: 'warning',
      line: 6,
      column: 5,
      endLine: 6,
      endColumn: 28,
      docs: 'https://github.com/kubereach/kubereach/blob/main/core/docs/rules/policy-selects-nothing.md',
    });
    expect(report.summary).toEqual({ errors: 0, warnings: 1, infos: 0, suppressed: 0 });
  });

  it('reports each loader problem once, as a finding that --rule, --quiet and suppressions govern', () => {
    // A label kubectl reads as a boolean (yaml-type-gotcha), a schema error and a syntax error (invalid-manifest).
    const broken = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: yes}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: "80"}]}]}\n---\nfoo: [\n';
    const root = tempTree({ 'broken.yaml': broken });
    const args = ['lint', root, '-f', 'compact', '--rule', 'missing-default-deny=off', '--cni', 'generic'];
    const run = runCli(args);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n').filter((line) => line !== '').map((line) => line.replace(/^.*broken\.yaml:/, ''))).toEqual([
      '3:33: error yaml-type-gotcha the value yes is read by kubectl (YAML 1.1) as the boolean true; quote it: "yes"',
      '4:65: error invalid-manifest spec.containers[0].ports[0].containerPort: expected a number, got "80" (schema)',
      '7:1: error invalid-manifest unexpected end of the stream within a flow collection (yaml-syntax)',
    ]);
    // stderr does not repeat them (it did, as `... [schema]` lines, before).
    expect(run.stderr).toBe('');
    // A rule turned off reports nothing, on either stream.
    const off = runCli([...args, '--rule', 'invalid-manifest=off', '--rule', 'yaml-type-gotcha=off']);
    expect([off.status, off.stdout, off.stderr]).toEqual([0, '', '']);
    // Warnings from the loader are findings too: --quiet hides them.
    const octal = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 0443}]}]}\n';
    const warned = runCli(['lint', tempTree({ 'octal.yaml': octal }), '-f', 'compact', '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect([warned.status, warned.stderr]).toEqual([0, '']);
    expect(warned.stdout).toMatch(/octal\.yaml:4:65: warning yaml-type-gotcha the value 0443 is read by kubectl \(YAML 1\.1\) as the octal number 291/);
    const quiet = runCli(['lint', tempTree({ 'octal.yaml': octal }), '-f', 'compact', '--quiet', '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
  });

  it('applies --max-warnings, --quiet and --rule', () => {
    const root = tempTree({ 'web.yaml': web, 'policy.yaml': typoPolicy });
    const tooMany = runCli(['lint', root, '--max-warnings', '0', '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(tooMany.status).toBe(1);
    expect(tooMany.stderr).toContain('too many warnings (maximum: 0)');
    // As ESLint: --quiet hides the warnings, --max-warnings still counts them; -1 sets no limit.
    const quiet = runCli(['lint', root, '--quiet', '--max-warnings', '0', '--cni', 'generic']);
    expect(quiet.stdout).toContain('no problems');
    expect(quiet.stderr).toContain('too many warnings (maximum: 0): 2, not reported under --quiet');
    expect(quiet.status).toBe(1);
    expect(runCli(['lint', root, '--quiet', '--max-warnings', '2', '--cni', 'generic']).status).toBe(0);
    const unlimited = runCli(['lint', root, '--max-warnings', '-1', '--cni', 'generic']);
    expect(unlimited.stdout).toContain('2 warnings');
    expect(unlimited.status).toBe(0);
    expect(runCli(['lint', root, '--max-warnings', 'many']).status).toBe(2);
    const promoted = runCli(['lint', root, '--rule', 'policy-selects-nothing=error', '-f', 'compact']);
    expect(promoted.status).toBe(1);
    expect(runCli(['lint', root, '--rule', 'no-such-rule=error']).status).toBe(2);
    expect(runCli(['lint', root, '--rule', 'policy-selects-nothing=loud']).status).toBe(2);
  });

  it('with --quiet, fixes only the errors it reports', () => {
    const file = `# kubereach-disable-file peer-selects-nothing -- nothing to hide here\n${web.replace('labels: {app: web}', 'labels: {app: web, v: 1}')}`;
    const root = tempTree({ 'web.yaml': file });
    const run = runCli(['lint', root, '--fix', '--quiet', '-f', 'compact', '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
    // The error's fix (yaml-type-gotcha) is applied; the warning's (unused-suppression) is not.
    expect(readFileSync(join(root, 'web.yaml'), 'utf8')).toBe(file.replace('v: 1', 'v: "1"'));
    expect(runCli(['lint', root, '-f', 'compact', '--rule', 'missing-default-deny=off', '--cni', 'generic']).stdout).toMatch(/^\S*web\.yaml:1:1: warning unused-suppression /);
  });

  it('honours suppression comments and reports unused ones', () => {
    const suppressed = typoPolicy.replace('  podSelector:\n', '  podSelector:\n    # kubereach-disable-next-line policy-selects-nothing -- pods come from another repo\n');
    const stale = `# kubereach-disable-file peer-selects-nothing -- nothing to hide here\n${web}`;
    const run = runCli(['lint', tempTree({ 'web.yaml': stale, 'policy.yaml': suppressed }), '-f', 'compact', '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(run.stdout).not.toContain('policy-selects-nothing');
    expect(run.stdout).toMatch(/web\.yaml:1:1: warning unused-suppression /);
  });

  it('finds .kubereach.yaml by walking up, applies its rules and ignore globs, and reports its mistakes with ranges', () => {
    const root = tempTree({
      '.kubereach.yaml': 'rules:\n  policy-selects-nothing: error\n  missing-default-deny: off\nignore: ["generated/**"]\ncni: calico\n',
      'apps/web.yaml': web,
      'apps/policy.yaml': typoPolicy,
      'generated/q.yaml': badCidr,
    });
    const run = runCli(['lint', join(root, 'apps'), join(root, 'generated'), '-f', 'compact']);
    expect(run.stdout).toMatch(/policy\.yaml:6:5: error policy-selects-nothing/);
    expect(run.stdout).not.toContain('q.yaml');
    expect(run.status).toBe(1);

    const broken = tempTree({ 'kr.yaml': 'rules:\n  policy-selects-nothing: loud\n', 'web.yaml': web });
    const bad = runCli(['lint', broken, '--config', join(broken, 'kr.yaml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/kr\.yaml:2:27: error .*\[schema\]/);
  });

  it('reads ignore globs like .gitignore lines, with globs inside braces', () => {
    const root = tempTree({
      '.kubereach.yaml': 'ignore: ["**/{*.generated,tmp-*}.yaml", charts]\n',
      'apps/web.yaml': web,
      'apps/q.generated.yaml': badCidr,
      'tmp-q.yaml': badCidr,
      // A bare folder name leaves out that folder at any depth, and everything beneath it.
      'deploy/charts/x/q.yaml': badCidr,
      'charts/q.yaml': badCidr,
    });
    const run = runCli(['lint', root, '-f', 'compact', '--rule', 'missing-default-deny=off']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  it('shows a window of a long line in its code frames, the caret under the finding', () => {
    // Minified JSON: one line holding every object.
    const pods = Array.from({ length: 200 }, (_, k) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${k}`, labels: { app: `p${k}`, v: 1 } }, spec: { containers: [{ name: 'c', image: 'x' }] } }));
    const root = tempTree({ 'list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }) });
    const run = runCli(['lint', root, '--rule', 'missing-default-deny=off', '--cni', 'generic']);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(200);
    const frames = lines.flatMap((line, i) => (line.startsWith('    > 1 | ') ? [{ text: line.slice('    > 1 | '.length), carets: lines[i + 1]!.slice('        | '.length) }] : []));
    expect(frames).toHaveLength(200);
    for (const { text, carets } of frames) {
      expect(text).toMatch(/^…/);
      expect(text.length).toBeLessThanOrEqual(102);
      // The caret is under the unquoted 1 of "v":1.
      expect(carets.trim()).toBe('^');
      expect(text.slice(carets.indexOf('^') - 4, carets.indexOf('^') + 1)).toBe('"v":1');
    }
  });

  it('exits 2 for a missing path', () => {
    const run = runCli(['lint', '/no/such/dir']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no such file or directory');
  });

  it('with TIMING set, as ESLint, prints the phases and the slowest rules on stderr, leaving the report alone', () => {
    const args = ['lint', 'examples', '-f', 'json', '--rule', 'half-open-path=off'];
    const plain = runCli(args);
    const timed = runCli(args, { env: { TIMING: '1' } });
    // The report is the same JSON; the tables go to stderr, after whatever else stderr says.
    expect(JSON.parse(timed.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(timed.status).toBe(plain.status);
    expect(plain.stderr).not.toContain('Time (ms)');
    const table = (label: string, stderr: string) => {
      const lines = stderr.slice(stderr.indexOf(`\n${label} `) + 1).split('\n');
      const end = lines.indexOf('');
      const rows = lines.slice(2, end).map((line) => line.split('|').map((cell) => cell.trim()));
      return { header: lines[0]!, alignment: lines[1]!, rows };
    };
    const phases = table('Phase', timed.stderr);
    expect(phases.header).toMatch(/^Phase +\| Time \(ms\) \| Relative$/);
    expect(phases.rows.map(([name]) => name)).toEqual(['read files', 'load (parse, decode, validate)', 'analysis (engine)', 'rules']);
    const rules = table('Rule', timed.stderr);
    expect(rules.alignment).toMatch(/^:-+\|-+:\|-+:$/);
    expect(rules.rows).toHaveLength(10);
    const times = rules.rows.map(([, ms]) => Number(ms));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const [name, ms, relative] of rules.rows) {
      expect(name).toMatch(/^(?:[a-z0-9-]+|\(suppressions\))$/);
      expect(ms).toMatch(/^\d+\.\d{3}$/);
      expect(relative).toMatch(/^\d+\.\d%$/);
    }
    // TIMING=all lists every rule that ran (half-open-path is off) and the suppression pass.
    const all = table('Rule', runCli(args, { env: { TIMING: 'all' } }).stderr);
    const ran = runCli(['rules']).stdout.split('\n').slice(1).map((line) => line.split(' ')[0]!).filter((id) => /^[a-z]/.test(id) && id !== 'half-open-path' && id !== 'unused-suppression');
    expect(all.rows.map(([name]) => name).sort()).toEqual([...ran, '(suppressions)'].sort());
  });

  it('finds the deliberate mistakes of the example shop', () => {
    const run = runCli(['lint', 'examples', '-f', 'compact']);
    expect(run.stdout).toContain('examples/seeds/network-policy.yaml:8:5: warning policy-selects-nothing');
  });
});

describe('kubereach rules', () => {
  it('lists every rule with its docs link, and each link names a doc that exists', () => {
    const run = runCli(['rules', '-f', 'json']);
    expect(run.status).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; docs: string }[];
    expect(rules.map((r) => r.id)).toContain('policy-selects-nothing');
    for (const rule of rules) {
      const local = rule.docs.replace('https://github.com/kubereach/kubereach/blob/main/', '');
      expect(existsSync(join(__dirname, '..', '..', '..', local)), rule.id).toBe(true);
    }
    expect(runCli(['rules']).stdout).toMatch(/^RULE\s+CATEGORY\s+DEFAULT\s+DESCRIPTION/);
  });
});
