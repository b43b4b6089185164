// Vitest global setup shared by the packages whose tests write temporary folders: every folder a run makes (its own,
// and those of the pre-commit, npm, git and editor processes it starts) goes under one fresh folder, removed when the
// run ends. Some of them hold a whole install of this repository, so a run that left them behind would fill the disk
// within a few dozen runs.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const root = mkdtempSync(join(tmpdir(), 'kubereach-test-run-'));
  // As open as the system temp folder (less its sticky bit): a test runs the CLI as another user (nobody), which must
  // reach the folders under it; mkdtemp makes it 0700.
  chmodSync(root, 0o755);
  // Workers are started after global setup and inherit this environment; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
