// The `kubereach-lint` hook of .pre-commit-hooks.yaml, run by the real pre-commit (`try-repo`) on a temporary repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempTree } from '../cli/run-cli.js';

const good = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`;
const bad = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/99}}]}]
`;

const env = {
  ...process.env,
  // A fresh cache: the hook environment is built from this checkout, as a user's first run would.
  PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), 'kubereach-pre-commit-')),
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t',
  NO_COLOR: '1',
};

/**
 * This checkout as a repository with one commit: the tracked and untracked (not ignored) files.
 * try-repo takes only tracked changes into its shadow commit, and the hook must be tried as it is
 * here, committed or not.
 */
function snapshotOfCheckout(): string {
  const snapshot = mkdtempSync(join(tmpdir(), 'kubereach-hook-repo-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(repoRoot, file)));
  for (const file of files) {
    mkdirSync(dirname(join(snapshot, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(snapshot, file));
  }
  execFileSync('git', ['init', '-q'], { cwd: snapshot, env });
  execFileSync('git', ['add', '.'], { cwd: snapshot, env });
  execFileSync('git', ['commit', '-q', '-m', 'snapshot'], { cwd: snapshot, env });
  return snapshot;
}

/** `pre-commit try-repo <this checkout> kubereach-lint` on what is staged in `root`, as a commit would run it. */
function tryRepo(hookRepository: string, root: string) {
  const run = spawnSync('pre-commit', ['try-repo', hookRepository, 'kubereach-lint', '--color', 'never'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.error !== undefined) throw new Error(`pre-commit could not run (apt-get install pre-commit): ${run.error.message}`);
  return run;
}

/** Files of a repository that are not manifests and that kubereach would fail on: the hook must leave them out. */
const notManifests = {
  'notes.txt': 'not linted\n',
  // JSON with comments, as TypeScript reads it.
  'tsconfig.json': '{\n  // settings\n  "compilerOptions": { "strict": true, },\n}\n',
  // A Helm chart: its templates and values hold {{ }} that only helm renders.
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml': 'image:\n  tag: "{{ .Chart.AppVersion }}"\n',
  'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n',
};

describe('pre-commit hook kubereach-lint', () => {
  it('fails a commit that stages a broken manifest and passes a good one, in a repository with a Helm chart and JSONC', () => {
    const root = tempTree({ 'k8s/app.yaml': good, ...notManifests });
    execFileSync('git', ['init', '-q'], { cwd: root, env });
    execFileSync('git', ['add', '.'], { cwd: root, env });
    const hookRepository = snapshotOfCheckout();
    const passing = tryRepo(hookRepository, root);
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/kubereach lint\.+Passed/);

    execFileSync('git', ['commit', '-q', '-m', 'good'], { cwd: root, env });
    tempTreeWrite(root, 'k8s/broken.yaml', bad);
    execFileSync('git', ['add', 'k8s/broken.yaml'], { cwd: root, env });
    const failing = tryRepo(hookRepository, root);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/kubereach lint\.+Failed/);
    expect(failing.stdout).toMatch(/k8s\/broken\.yaml\n\s+6:\d+\s+error\s+spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr/);
  }, 900_000);
});

function tempTreeWrite(root: string, path: string, text: string): void {
  execFileSync('sh', ['-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', join(root, path)], { input: text });
}
