// The pull-request report formats of `kubereach lint`: SARIF against the official schema, GitHub workflow commands, JUnit XML.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../cli/run-cli.js';

const require = createRequire(import.meta.url);
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
/** The SARIF 2.1.0 JSON schema (rtm.5, the one schemastore and code scanning use), as Microsoft ships it. */
const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;

const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
const typoPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector:
    matchLabels: {app: wbe}
  ingress: []
`;
/** One line of JSON with astral characters before the finding: columns must count UTF-16 code units. */
const unicodePolicy =
  '{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "u", "annotations": {"note": "é😀, 100%"}}, "spec": {"podSelector": {"matchLabels": {"app": "nope"}}}}\n';
/** The flagged podSelector; `indexOf` counts UTF-16 code units, as SARIF columns must. */
const SELECTOR = '{"matchLabels": {"app": "nope"}}';
const badCidr = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/99}}]}]
`;
const CIDR_COLUMN = badCidr.split('\n')[5]!.indexOf('10.0.0.0/99') + 1;

/** A git repository holding the manifests under deploy/, so repository-relative paths differ from cwd-relative ones. */
function repository(): string {
  const root = tempTree({
    'deploy/web.yaml': web,
    'deploy/policy.yaml': typoPolicy,
    'deploy/unicode, 100%.json': unicodePolicy,
    'deploy/q.yaml': badCidr,
  });
  execFileSync('git', ['init', '-q', root]);
  return root;
}

const common = ['--rule', 'missing-default-deny=off', '--rule', 'cni-profile=off'];

describe('kubereach lint --format sarif', () => {
  it('is valid SARIF 2.1.0 with one rule entry per rule, exact UTF-16 regions, repository-relative URIs and levels', () => {
    const root = repository();
    const run = runCli(['lint', '.', '-f', 'sarif', ...common], { cwd: join(root, 'deploy') });
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as Log;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(sarifSchema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const sarifRun = log.runs[0]!;
    expect(sarifRun.columnKind).toBe('utf16CodeUnits');
    const rules = sarifRun.tool.driver.rules!;
    const ruleList = JSON.parse(runCli(['rules', '-f', 'json']).stdout) as { id: string }[];
    expect(rules.map((r) => r.id).sort()).toEqual([...new Set([...ruleList.map((r) => r.id), 'unused-suppression'])].sort());
    const selectsNothing = rules.find((r) => r.id === 'policy-selects-nothing')!;
    expect(selectsNothing.helpUri).toBe('https://github.com/kubereach/kubereach/blob/main/core/docs/rules/policy-selects-nothing.md');
    expect(selectsNothing.help?.text).toContain(selectsNothing.helpUri);
    expect(selectsNothing.defaultConfiguration?.level).toBe('warning');

    const results = sarifRun.results!;
    const byUri = (uri: string) => results.filter((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === uri);
    const [typo] = byUri('deploy/policy.yaml');
    expect(typo).toMatchObject({ ruleId: 'policy-selects-nothing', level: 'warning' });
    expect(rules[typo!.ruleIndex!]!.id).toBe('policy-selects-nothing');
    expect(typo!.locations![0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'deploy/policy.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6, startColumn: 5, endLine: 6, endColumn: 28 },
    });
    expect(sarifRun.originalUriBaseIds!['%SRCROOT%']!.uri).toMatch(/^file:\/\/.*\/$/);

    const [cidr] = byUri('deploy/q.yaml');
    expect(cidr).toMatchObject({ ruleId: 'invalid-manifest', level: 'error' });
    expect(cidr!.locations![0]!.physicalLocation!.region).toMatchObject({ startLine: 6, startColumn: CIDR_COLUMN, endColumn: CIDR_COLUMN + 11 });

    const [unicode] = byUri('deploy/unicode%2C%20100%25.json');
    const flagged = unicodePolicy.indexOf(SELECTOR);
    expect(unicode!.locations![0]!.physicalLocation!.region).toMatchObject({
      startLine: 1,
      startColumn: flagged + 1,
      endColumn: flagged + SELECTOR.length + 1,
      charOffset: flagged,
    });
  });

  it('gives fingerprints that are stable across runs and across lines moving', () => {
    const root = repository();
    const fingerprint = () => {
      const log = JSON.parse(runCli(['lint', 'deploy/policy.yaml', 'deploy/web.yaml', '-f', 'sarif', ...common], { cwd: root }).stdout) as Log;
      return log.runs[0]!.results![0]!.partialFingerprints!['kubereach/v1'];
    };
    const first = fingerprint();
    expect(first).toMatch(/^[0-9a-f]{32}:1$/);
    expect(fingerprint()).toBe(first);
    const moved = tempTree({ 'deploy/policy.yaml': `# a comment pushes every line down\n\n${typoPolicy}`, 'deploy/web.yaml': web });
    execFileSync('git', ['init', '-q', moved]);
    const log = JSON.parse(runCli(['lint', 'deploy', '-f', 'sarif', ...common], { cwd: moved }).stdout) as Log;
    const result = log.runs[0]!.results![0]!;
    expect(result.locations![0]!.physicalLocation!.region!.startLine).toBe(8);
    expect(result.partialFingerprints!['kubereach/v1']).toBe(first);
  });
});

describe('kubereach lint --format github', () => {
  it('prints escaped workflow commands with exact regions, a summary line, and appends the step summary', () => {
    const root = repository();
    const summary = join(root, 'summary.md');
    process.env['GITHUB_STEP_SUMMARY'] = summary;
    let run;
    try {
      run = runCli(['lint', 'deploy', '-f', 'github', ...common], { cwd: root });
    } finally {
      delete process.env['GITHUB_STEP_SUMMARY'];
    }
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain(
      '::warning file=deploy/policy.yaml,line=6,endLine=6,col=5,endColumn=28,title=kubereach policy-selects-nothing::' +
        'policy default/p selects no workload: no pod in namespace default matches app=wbe ' +
        '(https://github.com/kubereach/kubereach/blob/main/core/docs/rules/policy-selects-nothing.md)',
    );
    // `,` and `%` in a property, `%` in the message.
    const unicode = lines.find((l) => l.includes('unicode'))!;
    expect(unicode).toMatch(/^::warning file=deploy\/unicode%2C 100%25\.json,line=1,/);
    const flagged = unicodePolicy.indexOf(SELECTOR);
    expect(unicode).toContain(`,col=${flagged + 1},endColumn=${flagged + SELECTOR.length + 1},`);
    expect(unicode).toContain('title=kubereach policy-selects-nothing::');
    expect(lines.find((l) => l.startsWith(`::error file=deploy/q.yaml,line=6,endLine=6,col=${CIDR_COLUMN},endColumn=${CIDR_COLUMN + 11},`))).toBeDefined();
    expect(lines.at(-1)).toBe('kubereach: 3 problems (1 errors, 2 warnings, 0 info)');

    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('### kubereach lint');
    expect(markdown).toContain(
      '| warning | `deploy/policy.yaml:6:5` | [policy-selects-nothing](https://github.com/kubereach/kubereach/blob/main/core/docs/rules/policy-selects-nothing.md) |',
    );
  });

  it('tells when GitHub will not show every annotation', () => {
    const policies = Array.from({ length: 12 }, (_, k) => typoPolicy.replace('name: p', `name: p${k}`)).join('---\n');
    const run = runCli(['lint', '.', '-f', 'github', ...common], { cwd: tempTree({ 'web.yaml': web, 'p.yaml': policies }) });
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'kubereach: 12 problems (0 errors, 12 warnings, 0 info); GitHub shows 10 annotations of each level per step, the job summary lists them all',
    );
  });
});

describe('kubereach lint --format junit', () => {
  it('writes well-formed JUnit XML with a stable test case per rule and file', () => {
    const root = repository();
    const run = runCli(['lint', 'deploy', '-f', 'junit', ...common], { cwd: root });
    expect(run.status).toBe(1);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(
      run.stdout,
    ) as { testsuites: { tests: string; failures: string; testsuite: { name: string; tests: string; testcase: Record<string, unknown>[] }[] } };
    const suites = parsed.testsuites.testsuite;
    const selectsNothing = suites.find((s) => s.name === 'kubereach.policy-selects-nothing')!;
    const files = selectsNothing.testcase.map((c) => c['name']);
    expect(files).toEqual(expect.arrayContaining(['deploy/policy.yaml', 'deploy/unicode, 100%.json']));
    const failing = selectsNothing.testcase.find((c) => c['name'] === 'deploy/policy.yaml')!;
    expect(failing).toMatchObject({ classname: 'kubereach.policy-selects-nothing', file: 'deploy/policy.yaml' });
    expect(failing['failure']).toMatchObject({
      type: 'warning',
      message: 'policy default/p selects no workload: no pod in namespace default matches app=wbe',
      '#text': expect.stringContaining('deploy/policy.yaml:6:5: warning policy default/p selects no workload'),
    });
    expect(parsed.testsuites.failures).toBe('3');
    // The same input gives the same document: names and order are stable.
    expect(runCli(['lint', 'deploy', '-f', 'junit', ...common], { cwd: root }).stdout).toBe(run.stdout);
  });
});
