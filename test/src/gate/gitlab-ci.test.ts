// The GitLab CI job of docs/pull-request-gate.md, its before_script and script run in one bash as the
// GitLab runner runs them (`set -eo pipefail`), in a merge request's checkout, without GitLab.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.js';
import { BROKEN_CIDR, DENY_ALL_WITH_DNS, git, gitIdentity, OPEN_WEB, writeTree } from './shop-fixtures.js';

const openWeb = OPEN_WEB;
const broken = BROKEN_CIDR;


interface GitlabJob {
  image: string;
  variables: Record<string, string | number>;
  before_script: string[];
  script: string[];
  artifacts: { when: string; reports: { junit: string[] }; paths: string[] };
}

/** The `kubereach:` job of the yaml block under "## GitLab CI". */
function documentedJob(): GitlabJob {
  const text = readFileSync(join(repoRoot, 'docs', 'pull-request-gate.md'), 'utf8');
  const section = text.slice(text.indexOf('## GitLab CI'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error('no yaml block under "## GitLab CI"');
  const job = (yaml.load(block[1]!) as { kubereach: GitlabJob }).kubereach;
  // GitLab rejects a job whose script holds anything but strings (an unquoted `a : b` is a mapping).
  for (const key of ['before_script', 'script'] as const) {
    for (const entry of job[key] as unknown[]) if (typeof entry !== 'string') throw new Error(`${key} holds a ${typeof entry}, not a string: ${JSON.stringify(entry)}`);
  }
  return job;
}

const manifests = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
` + DENY_ALL_WITH_DNS;
const expectations = `expectations:
  - name: web is isolated for ingress
    isolated: ingress
    workload: shop/web
  - name: the internet does not reach web
    from: 203.0.113.1
    to: shop/web
    ports: [8080]
    expect: deny
`;

let installDir: string;
let job: GitlabJob;

/**
 * A merge request's checkout as the GitLab runner makes it: the project's repository (`origin`, its
 * target branch `main`) fetched at the merge request's commit only, detached; the target branch is
 * not fetched (the job's script fetches it).
 */
function mergeRequestCheckout(change: Readonly<Record<string, string>>): string {
  const origin = mkdtempSync(join(tmpdir(), 'kubereach-gitlab-origin-'));
  writeTree(origin, { '.kubereach.yaml': 'cni: calico\n', 'deploy/app.yaml': manifests, 'network-expectations.yaml': expectations });
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'base');
  git(origin, 'checkout', '-q', '-b', 'feature');
  writeTree(origin, change);
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'change');
  const head = git(origin, 'rev-parse', 'HEAD').trim();
  git(origin, 'checkout', '-q', 'main');

  const build = mkdtempSync(join(tmpdir(), 'kubereach-gitlab-build-'));
  git(build, 'init', '-q');
  git(build, 'remote', 'add', 'origin', origin);
  git(build, 'fetch', '-q', 'origin', `+refs/heads/feature:refs/pipelines/1`);
  git(build, 'checkout', '-q', head);
  return build;
}

/** before_script then script in one bash, as the GitLab runner's bash shell runs a job. */
function runJob(lines: readonly string[], cwd: string) {
  const script = ['set -eo pipefail', 'set +o noclobber', ...lines].join('\n');
  return spawnSync('bash', ['--noprofile', '--norc', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...gitIdentity,
      CI: 'true',
      GITLAB_CI: 'true',
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
      ...Object.fromEntries(Object.entries(job.variables).map(([name, value]) => [name, String(value)])),
    },
    timeout: 600_000,
  });
}

/** The documented clone location and URL, which cannot be used here, replaced (each must be there to replace). */
function localized(line: string): string {
  return line.replaceAll('https://github.com/kubereach/kubereach.git', `file://${repoRoot}`).replaceAll('/opt/kubereach', installDir);
}

describe('the GitLab CI job of docs/pull-request-gate.md', () => {
  beforeAll(() => {
    job = documentedJob();
    expect(job.image).toBe('node:20');
    expect(job.before_script.join('\n')).toContain('https://github.com/kubereach/kubereach.git');
    installDir = join(mkdtempSync(join(tmpdir(), 'kubereach-gitlab-opt-')), 'kubereach');
    const install = runJob(job.before_script.map(localized), tmpdir());
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(installDir, 'cli', 'dist', 'kubereach.cjs'))).toBe(true);
  }, 600_000);

  it('fails the job on a broken expectation, with JUnit reports and the markdown diff', () => {
    const build = mergeRequestCheckout({ 'deploy/app.yaml': manifests + openWeb });
    const run = runJob(job.script.map(localized), build);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const parser = new XMLParser({ ignoreAttributes: false });
    const lint = readFileSync(join(build, 'kubereach-lint.xml'), 'utf8');
    expect(parser.parse(lint)).toHaveProperty('testsuites');
    expect(lint).toContain('kubereach.ingress-from-anywhere');
    const tests = readFileSync(join(build, 'kubereach-expectations.xml'), 'utf8');
    expect(parser.parse(tests)).toHaveProperty('testsuites');
    expect(tests).toMatch(/name="the internet does not reach web"[^>]*>\s*<failure/);
    expect(tests).toMatch(/name="web is isolated for ingress"[^>]*\/>/);
    const diff = readFileSync(join(build, 'kubereach-diff.md'), 'utf8');
    expect(diff).toContain('### kubereach connectivity diff');
    expect(diff).toContain('`0.0.0.0-255.255.255.255` → `shop/web[Pod]` : TCP 8080');
    for (const file of [...job.artifacts.reports.junit, ...job.artifacts.paths]) expect(existsSync(join(build, file)), file).toBe(true);
  });

  it('fails the job with the highest exit code: an invalid manifest is a lint error and an input error (2) for test', () => {
    const build = mergeRequestCheckout({ 'deploy/broken.yaml': broken });
    const run = runJob(job.script.map(localized), build);
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(readFileSync(join(build, 'kubereach-lint.xml'), 'utf8')).toContain('kubereach.invalid-manifest');
  });

  it('passes a clean merge request', () => {
    const build = mergeRequestCheckout({ 'README.md': 'docs only\n' });
    const run = runJob(job.script.map(localized), build);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(join(build, 'kubereach-diff.md'), 'utf8')).toContain('0 added, 0 removed, 0 changed');
    expect(readFileSync(join(build, 'kubereach-expectations.xml'), 'utf8')).not.toContain('<failure');
  });
});
