// Conformance: the built CLI's connlist matrix for each hand-written fixture in test/fixtures.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixturesRoot = join(repoRoot, 'test', 'fixtures');
const cliEntry = join(repoRoot, 'cli', 'bin', 'kubereach.js');

const fixtureNames = readdirSync(fixturesRoot)
  .filter((name) => statSync(join(fixturesRoot, name)).isDirectory())
  .sort();

// Lines make vitest's diff point at the exact pairs that differ.
function toLines(text: string): string[] {
  return text.split('\n');
}

describe('conformance: kubereach matrix --format connlist', () => {
  it('finds fixtures', () => {
    expect(fixtureNames.length).toBeGreaterThan(0);
  });

  it.each(fixtureNames)('%s', (name) => {
    const folder = join(fixturesRoot, name);
    const expected = readFileSync(join(folder, 'expected.connlist'), 'utf8');
    const run = spawnSync(process.execPath, [cliEntry, 'matrix', folder, '--format', 'connlist'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (run.error) throw run.error;
    // Soft, so a failing run shows both its stderr and the line diff.
    expect.soft(run.status, `exit status; stderr:\n${run.stderr}`).toBe(0);
    expect(toLines(run.stdout)).toEqual(toLines(expected));
  });
});
