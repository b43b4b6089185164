// The composite action (action.yml) executed step by step as the GitHub runner would, on temporary
// repositories, from a clean clone of this checkout (its own `npm ci` install step included).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Log } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.js';
import {
  annotations,
  evaluate,
  loadCompositeAction,
  parseEnvironmentFile,
  runCompositeAction,
  stepCondition,
  substitute,
  type ActionRun,
  type ActionStep,
  type CompositeAction,
  type ExpressionContext,
} from './composite-action.js';
import { BROKEN_CIDR, DENY_ALL_WITH_DNS, git, gitIdentity, OPEN_WEB, WEB_TO_API, writeTree } from './shop-fixtures.js';

const policies = DENY_ALL_WITH_DNS + WEB_TO_API;
const openWeb = OPEN_WEB;
const broken = BROKEN_CIDR;


/** A git repository (as actions/checkout leaves the workspace) holding `files` in one commit. */
function repository(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'kubereach-workspace-'));
  writeTree(root, files);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

/**
 * `git clone` of this checkout (its committed state: other work in progress stays out), with the work
 * tree's action.yml, the file under test, laid over it; then `.git` removed, as the runner downloads an
 * action as an archive without its history. The folder name holds a space, as a self-hosted runner's
 * work folder may.
 */
function cleanCloneOfCheckout(): string {
  const clone = join(mkdtempSync(join(tmpdir(), 'kubereach-action-')), 'kubereach action');
  execFileSync('git', ['clone', '-q', repoRoot, clone]);
  cpSync(join(repoRoot, 'action.yml'), join(clone, 'action.yml'));
  rmSync(join(clone, '.git'), { recursive: true, force: true });
  return clone;
}

const pod = (name: string, port: number) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: ${name}}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: ${port}}]}]}
---
`;
const cleanFiles = { 'deploy/app.yaml': pod('web', 8080) + pod('api', 9090), 'deploy/policies.yaml': policies, '.kubereach.yaml': 'cni: calico\n', 'README.md': 'docs\n' };

let actionPath: string;
let action: CompositeAction;
let brokenWorkspace: string;
let firstRun: ActionRun;

const isInstall = (step: ActionStep) => step.run !== undefined && /\bnpm ci\b/.test(step.run);

/** The `uses:` steps the runner would download: only actions/setup-node, emulated by checking the Node that runs the steps. */
function emulateUses(step: ActionStep): void {
  const match = /^actions\/setup-node@v(\d+)$/.exec(step.uses ?? '');
  if (match === null) throw new Error(`the action uses ${step.uses}, which this test does not emulate`);
  const wanted = String(step.with?.['node-version']);
  const node = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
  if (!node.startsWith(`v${wanted}.`)) throw new Error(`setup-node asks for Node ${wanted}, the steps would run on ${node}`);
}

function run(workspace: string, inputs: Record<string, string>): ActionRun {
  return runCompositeAction(action, { actionPath, workspace, inputs, uses: emulateUses, env: gitIdentity, alreadyDone: isInstall });
}

function failure(result: ActionRun): string {
  return result.steps.map((s) => `--- ${s.step.name ?? s.step.id ?? s.step.uses} (status ${String(s.status)})\n${s.stdout}${s.stderr}`).join('\n');
}

describe('the expression emulation is strict', () => {
  const context: ExpressionContext = { inputs: { a: 'x', empty: '' }, github: { workspace: '/w' }, steps: { s: { outputs: { o: 'v' } } }, env: { E: 'e' }, failed: false };
  it('evaluates what action.yml uses and rejects anything else', () => {
    expect(substitute('${{ inputs.a }}-${{github.workspace}}-${{ steps.s.outputs.o }}-${{ env.E }}-${{ steps.s.outputs.none }}', context)).toBe('x-/w-v-e-');
    expect(stepCondition("${{ inputs.empty != '' && !cancelled() }}", context)).toBe(false);
    expect(stepCondition("${{ inputs.a != '' && !cancelled() }}", { ...context, failed: true })).toBe(true);
    expect(stepCondition("inputs.a == 'X'", context)).toBe(true);
    expect(stepCondition("inputs.a == 'X'", { ...context, failed: true })).toBe(false);
    expect(stepCondition(undefined, { ...context, failed: true })).toBe(false);
    expect(() => substitute('${{ inputs.nope }}', context)).toThrow(/no such input/);
    expect(() => substitute('${{ github.ref }}', context)).toThrow(/not emulated/);
    expect(() => substitute('${{ runner.temp }}', context)).toThrow(/only inputs/);
    expect(() => substitute('${{ steps.other.outputs.o }}', context)).toThrow(/no earlier step/);
    expect(() => evaluate("contains(inputs.a, 'x')", context)).toThrow();
    expect(() => evaluate("format('{0}', inputs.a)", context)).toThrow();
    expect(() => evaluate('inputs.a > 1', context)).toThrow();
    expect(() => stepCondition('hashFiles()', context)).toThrow(/not emulated/);
  });

  it('reads environment files, including name<<DELIMITER values over several lines', () => {
    expect([...parseEnvironmentFile('a=1\nb=x=y\ntext<<EOF_1\nline 1\n\nline=3\nEOF_1\nc=\n')]).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
      ['text', 'line 1\n\nline=3'],
      ['c', ''],
    ]);
    expect(() => parseEnvironmentFile('text<<EOF\nno end\n')).toThrow(/no closing EOF/);
  });
});

interface WorkflowStep {
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
}

/** The steps of the complete workflow shown in docs/pull-request-gate.md. */
function documentedWorkflowSteps(): WorkflowStep[] {
  const text = readFileSync(join(repoRoot, 'docs', 'pull-request-gate.md'), 'utf8');
  const block = /A complete workflow[\s\S]*?```yaml\n([\s\S]*?)```/.exec(text);
  if (block === null) throw new Error('no workflow in docs/pull-request-gate.md');
  const workflow = yaml.load(block[1]!) as { jobs: Record<string, { steps: WorkflowStep[] }> };
  return Object.values(workflow.jobs)[0]!.steps;
}

/** The documented workflow's conditions and expressions on the action's outputs, after a run of the action. */
function documentedWorkflowAfter(result: ActionRun) {
  const context: ExpressionContext = { inputs: {}, github: {}, steps: { kubereach: { outputs: result.outputs } }, env: {}, failed: !result.succeeded };
  const steps = documentedWorkflowSteps();
  const uploadStep = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
  const commentStep = steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment@'))!;
  return {
    declaredInputs: Object.keys(steps.find((s) => s.id === 'kubereach')!.with ?? {}).every((name) => name in action.inputs),
    upload: stepCondition(uploadStep.if, context) ? substitute(uploadStep.with!['sarif_file']!, context) : undefined,
    comment: stepCondition(commentStep.if, context) ? substitute(commentStep.with!['path']!, context) : undefined,
  };
}

describe('action.yml run as the GitHub runner runs a composite action', () => {
  beforeAll(() => {
    actionPath = cleanCloneOfCheckout();
    action = loadCompositeAction(join(actionPath, 'action.yml'));
    expect(action.steps.filter(isInstall)).toHaveLength(1);
    brokenWorkspace = repository({ ...cleanFiles, 'deploy/broken.yaml': broken });
    // The first run installs kubereach in the clone (npm ci, which builds every package); the later runs reuse it.
    firstRun = runCompositeAction(action, { actionPath, workspace: brokenWorkspace, inputs: { paths: 'deploy' }, uses: emulateUses, env: gitIdentity });
  }, 600_000);

  it('installs from the clone with npm ci, then fails on a broken manifest with SARIF, annotations and a summary', () => {
    const install = firstRun.steps.find((s) => isInstall(s.step))!;
    expect(install.ran).toBe(true);
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(actionPath, 'cli', 'dist', 'kubereach.cjs'))).toBe(true);

    expect(firstRun.succeeded).toBe(false);
    expect(firstRun.outputs['lint-exit-code']).toBe('1');
    expect(firstRun.outputs['sarif-file']).toBe('kubereach.sarif');
    expect(firstRun.outputs['diff-file']).toBe('');
    const sarif = JSON.parse(readFileSync(join(brokenWorkspace, firstRun.outputs['sarif-file']!), 'utf8')) as Log;
    const results = sarif.runs[0]!.results!;
    const errors = results.filter((r) => r.level === 'error');
    expect(errors.map((r) => r.ruleId)).toEqual(['invalid-manifest']);
    expect(errors[0]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/broken.yaml', uriBaseId: '%SRCROOT%' },
      region: expect.objectContaining({ startLine: 6, startColumn: 35, endLine: 6, endColumn: 46 }),
    });

    expect(annotations(firstRun.stdout).filter((a) => a.level === 'error')).toEqual([
      {
        level: 'error',
        properties: { file: 'deploy/broken.yaml', line: '6', endLine: '6', col: '35', endColumn: '46', title: 'kubereach invalid-manifest' },
        message: expect.stringContaining('"10.0.0.0/99" is not a valid CIDR'),
      },
    ]);
    expect(firstRun.summary).toContain('deploy/broken.yaml');
    // The documented workflow uploads the SARIF file even though the action failed, and comments no diff.
    expect(documentedWorkflowAfter(firstRun)).toMatchObject({ declaredInputs: true, upload: 'kubereach.sarif', comment: undefined });
    // The later steps are skipped when their inputs are empty.
    expect(firstRun.steps.filter((s) => !s.ran).map((s) => s.step.id)).toEqual(['diff', 'test']);
  });

  it('follows fail-on-findings and annotate', () => {
    const lenient = run(brokenWorkspace, { paths: 'deploy', 'fail-on-findings': 'false', annotate: 'false', 'sarif-file': 'reports/out.sarif' });
    expect(lenient.succeeded, failure(lenient)).toBe(true);
    expect(lenient.outputs['lint-exit-code']).toBe('1');
    expect(lenient.outputs['sarif-file']).toBe('reports/out.sarif');
    expect((JSON.parse(readFileSync(join(brokenWorkspace, 'reports/out.sarif'), 'utf8')) as Log).runs[0]!.results!.filter((r) => r.level === 'error')).toHaveLength(1);
    expect(annotations(lenient.stdout)).toEqual([]);
    expect(lenient.summary).toBe('');

    // Input errors (exit 2) fail even with fail-on-findings off.
    const missing = run(brokenWorkspace, { paths: 'no-such-folder', 'fail-on-findings': 'false' });
    expect(missing.succeeded).toBe(false);
    expect(missing.outputs['lint-exit-code']).toBe('2');
    expect(missing.steps.find((s) => s.step.id === 'lint')!.stderr).toContain('no-such-folder');
  });

  it('passes on a clean workspace', () => {
    const workspace = repository(cleanFiles);
    const result = run(workspace, { paths: 'deploy' });
    expect(result.succeeded, failure(result)).toBe(true);
    expect(result.outputs['lint-exit-code']).toBe('0');
    expect(annotations(result.stdout).filter((a) => a.level === 'error')).toEqual([]);
    expect((JSON.parse(readFileSync(join(workspace, 'kubereach.sarif'), 'utf8')) as Log).runs[0]!.results!.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('writes the connectivity diff against diff-base into the job summary and diff-file', () => {
    // origin holds the base branch; the workspace is a clone with a pull request's commit on top (actions/checkout, fetch-depth 0).
    const origin = repository(cleanFiles);
    const workspace = join(mkdtempSync(join(tmpdir(), 'kubereach-pr-')), 'repo');
    git(tmpdir(), 'clone', '-q', origin, workspace);
    git(workspace, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(workspace, 'deploy/policies.yaml'), policies.replace('ports: [{port: 9090}]', 'ports: [{port: 9091}]') + openWeb);
    git(workspace, 'commit', '-q', '-am', 'open web, move api');

    const result = run(workspace, { paths: 'deploy', 'diff-base': 'origin/main' });
    expect(result.succeeded, failure(result)).toBe(true);
    expect(result.outputs['diff-file']).toBe('kubereach-diff.md');
    const markdown = readFileSync(join(workspace, result.outputs['diff-file']!), 'utf8');
    expect(markdown).toContain('### kubereach connectivity diff');
    expect(markdown).toContain('**new ingress from outside the cluster**: `0.0.0.0-255.255.255.255` → `shop/web[Pod]` : TCP 8080');
    expect(markdown).toMatch(/\| ~ \| `shop\/web\[Pod\]` \| `shop\/api\[Pod\]` \| TCP 9090 \| TCP 9091 \| policy shop\/api \(ingress\) changed at deploy\/policies\.yaml:\d+:\d+ \|/);
    expect(result.summary).toContain(markdown);
    expect(result.steps.find((s) => s.step.id === 'diff')!.summary).toBe(markdown);
    expect(documentedWorkflowAfter(result)).toMatchObject({ upload: 'kubereach.sarif', comment: 'kubereach-diff.md' });

    const gated = run(workspace, { paths: 'deploy', 'diff-base': 'origin/main', 'diff-file': 'out/diff.md', 'diff-fail-on': 'added' });
    expect(gated.succeeded).toBe(false);
    expect(gated.steps.find((s) => s.step.id === 'diff')!.status).toBe(1);
    expect(gated.outputs['diff-file']).toBe('out/diff.md');
    expect(readFileSync(join(workspace, 'out/diff.md'), 'utf8')).toBe(markdown);

    const unknownBase = run(workspace, { paths: 'deploy', 'diff-base': 'origin/no-such-branch' });
    expect(unknownBase.succeeded).toBe(false);
    expect(unknownBase.steps.find((s) => s.step.id === 'diff')!.stderr).toContain('cannot read git revision "origin/no-such-branch"');
    // No diff, so no diff-file for the pull-request comment (the documented workflow comments only when it is set).
    expect(unknownBase.outputs['diff-file']).toBe('');
    expect(documentedWorkflowAfter(unknownBase).comment).toBeUndefined();
  });

  it('fails when an expectation breaks, and runs the expectations even after lint failed', () => {
    const expectations = `expectations:
  - name: web reaches the api
    from: shop/web
    to: shop/api
    ports: [9090]
    expect: allow
`;
    const brokenExpectations = `${expectations}  - name: the api reaches web
    from: shop/api
    to: shop/web
    ports: [8080]
    expect: allow
`;
    const workspace = repository({ ...cleanFiles, 'network-expectations.yaml': expectations, 'broken-expectations.yaml': brokenExpectations });
    const passing = run(workspace, { paths: 'deploy', expectations: 'network-expectations.yaml' });
    expect(passing.succeeded, failure(passing)).toBe(true);
    expect(passing.steps.find((s) => s.step.id === 'test')!.stdout).toContain('✔ web reaches the api');

    const failing = run(workspace, { paths: 'deploy', expectations: 'broken-expectations.yaml' });
    expect(failing.succeeded).toBe(false);
    const test = failing.steps.find((s) => s.step.id === 'test')!;
    expect(test.status).toBe(1);
    expect(test.stdout).toContain('✖ the api reaches web');
    expect(test.stdout).toContain('1 failed');

    writeTree(workspace, { 'deploy/broken.yaml': broken });
    const afterLint = run(workspace, { paths: 'deploy', expectations: 'broken-expectations.yaml' });
    expect(afterLint.steps.find((s) => s.step.id === 'lint')!.status).toBe(1);
    expect(afterLint.steps.find((s) => s.step.id === 'test')!.ran).toBe(true);
  });
});
