// Vitest global setup shared by the packages whose tests write temporary folders: every folder a run makes (its own,
// and those of the pre-commit, npm, git and editor processes it starts) goes under one fresh folder, removed when the
// run ends. Some of them hold a whole install of this repository, so a run that left them behind would fill the disk
// within a few dozen runs. A run that is stopped (turbo stops the others when one task fails) never reaches its
// teardown: each folder is named after the process that made it, and a run removes those whose process is gone.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'kubereach-test-run-';

export default function setup() {
  removeAbandoned(tmpdir());
  const root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  // As open as the system temp folder (less its sticky bit): a test runs the CLI as another user (nobody), which must
  // reach the folders under it; mkdtemp makes it 0700.
  chmodSync(root, 0o755);
  // Workers are started after global setup and inherit this environment; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}

/** Removes the run folders whose process no longer exists (runs of other packages may be going on beside this one). */
function removeAbandoned(parent) {
  for (const name of readdirSync(parent)) {
    const pid = name.startsWith(PREFIX) ? /^(\d+)-/.exec(name.slice(PREFIX.length))?.[1] : undefined;
    if (pid !== undefined && !alive(Number(pid))) rmSync(join(parent, name), { recursive: true, force: true, maxRetries: 3 });
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return error.code === 'EPERM';
  }
}
