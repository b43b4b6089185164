// kubereach in a pipeline: a reader that goes away before the output ends, and an empty stdin.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempTree } from './run-cli.js';

/** 300 pods and no policy: every ordered pair is a row, some 90,000 lines of connlist, far more than a pipe holds. */
const manyPods = Array.from({ length: 300 }, (_, k) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${k}}\nspec: {containers: [{name: c, image: x}]}\n`).join('---\n');

/**
 * Runs kubereach with its stdout read by a reader that stops after `keep` bytes (0: before reading anything, as
 * `| true` does; 1: after the first chunk, as `| head -1` does), and resolves with the exit status and stderr.
 */
function runWithClosingReader(args: readonly string[], keep: 0 | 1): Promise<{ status: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'cli', 'bin', 'kubereach.js'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (keep === 0) child.stdout.destroy();
  else child.stdout.once('data', () => child.stdout.destroy());
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stderr })));
}

describe('a reader that goes away', () => {
  it.each([
    ['| true', 0],
    ['| head -1', 1],
  ] as const)('ends kubereach quietly with the status of a command killed by SIGPIPE (%s)', async (_pipe, keep) => {
    const root = tempTree({ 'pods.yaml': manyPods });
    const run = await runWithClosingReader(['matrix', root, '-o', 'connlist'], keep);
    expect(run.stderr).toBe('');
    // 128 + SIGPIPE: what a shell reports for kubectl or git when the reader of their output exits first.
    expect(run.status).toBe(141);
  });

  it('also when the whole report is written at once (lint)', async () => {
    const root = tempTree({ 'pods.yaml': manyPods });
    const run = await runWithClosingReader(['lint', root, '-f', 'json', '--rule', 'missing-default-deny=error'], 0);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(141);
  });
});

describe('an empty stdin', () => {
  // What a failed `helm template ./chart | kubereach ... -` passes on: nothing, or only comments and document markers.
  const expectations = tempTree({ 'expect.yaml': 'expectations:\n  - {from: default/a, to: default/b, expect: deny}\n' });
  it.each([
    ['matrix', ['matrix', '-', '-o', 'connlist']],
    ['explain', ['explain', 'a', 'b', '-']],
    ['exposure', ['exposure', '-']],
    ['test', ['test', join(expectations, 'expect.yaml'), '-']],
    ['diff', ['diff', '-', expectations]],
    // As ESLint given no file to lint: an input error, not a clean report.
    ['lint', ['lint', '-']],
  ])('is an input error for %s (exit 2)', (_command, args) => {
    for (const input of ['', '\n', '---\n# Source: chart/templates/deployment.yaml\n']) {
      const run = runCli(args, { input });
      expect(run.stderr).toContain('<stdin>:1:1: error no manifests on stdin (it is empty, or holds only comments): did the command before the pipe fail? [no-input]');
      expect(run.status).toBe(2);
    }
  });

  it('is not a manifest holding one document', () => {
    const run = runCli(['matrix', '-', '-o', 'connlist'], { input: '# a pod\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: x}]}\n' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('default/a[Pod]');
    expect(run.status).toBe(0);
  });
});
