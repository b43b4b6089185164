// Hostile files through the CLI: encodings, binary data, symlink loops, FIFOs, unreadable files, limits, and writes.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempTree } from '../cli/run-cli.js';

/**
 * The CLI bundle (bin and dist, which need nothing else) copied where nobody can read it: the repository may sit in
 * a directory only its owner can enter, as a clone into `mktemp -d` does.
 */
function cliReadableByAnyone(): string {
  const copy = mkdtempSync(join(tmpdir(), 'kubereach-cli-'));
  chmodSync(copy, 0o755);
  for (const part of ['bin', 'dist']) cpSync(join(repoRoot, 'cli', part), join(copy, part), { recursive: true });
  return copy;
}

const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: x}]}\n';

describe('hostile files', () => {
  it('reads UTF-8 with a BOM, CRLF and UTF-16 with a BOM like plain UTF-8', () => {
    const root = tempTree({ 'plain.yaml': pod });
    const plain = runCli(['matrix', join(root, 'plain.yaml'), '-o', 'connlist']);
    writeFileSync(join(root, 'bom.yaml'), `\uFEFF${pod.replaceAll('\n', '\r\n')}`);
    writeFileSync(join(root, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod, 'utf16le')]));
    for (const file of ['bom.yaml', 'utf16.yaml']) {
      const run = runCli(['matrix', join(root, file), '-o', 'connlist']);
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: plain.stdout, stderr: '' });
    }
  });

  it('gives one clear error for a binary file and for invalid UTF-8, and still reads the other files', () => {
    const root = tempTree({ 'good.yaml': pod });
    writeFileSync(join(root, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    writeFileSync(join(root, 'latin1.yaml'), Buffer.from('metadata: {name: caf\xe9}\n', 'latin1'));
    const run = runCli(['lint', root, '-f', 'compact'], { cwd: root });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'image.yaml')}:1:1: error binary file (a NUL byte at offset 8), not a YAML or JSON manifest: ${join(root, 'image.yaml')} [invalid-encoding]`);
    expect(run.stderr).toContain(`error invalid UTF-8 at byte 20; save the file as UTF-8: ${join(root, 'latin1.yaml')} [invalid-encoding]`);
    const matrix = runCli(['matrix', root, '-o', 'connlist']);
    expect(matrix.stdout).toContain('a/p[Pod]');
  });

  it('reports a symlink loop named like a manifest, follows a directory cycle once, and skips FIFOs while walking', () => {
    const root = tempTree({ 'sub/good.yaml': pod });
    symlinkSync(join(root, 'loop-a.yaml'), join(root, 'loop-b.yaml'));
    symlinkSync(join(root, 'loop-b.yaml'), join(root, 'loop-a.yaml'));
    symlinkSync(root, join(root, 'sub', 'cycle'));
    expect(spawnSync('mkfifo', [join(root, 'pipe.yaml')]).status).toBe(0);
    const run = runCli(['matrix', root, '-o', 'connlist']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('a/p[Pod]');
    expect(run.stderr.split('\n').filter((line) => line.includes('error'))).toEqual([
      `${join(root, 'loop-a.yaml')}:1:1: error too many levels of symbolic links: ${join(root, 'loop-a.yaml')} [unreadable]`,
      `${join(root, 'loop-b.yaml')}:1:1: error too many levels of symbolic links: ${join(root, 'loop-b.yaml')} [unreadable]`,
    ]);
  });

  it('reports an unreadable file and reads the others', () => {
    // chmod 000 does not stop root: as root, the CLI runs as nobody (uid 65534) to meet a real EACCES.
    const root = tempTree({ 'good.yaml': pod, 'secret.yaml': pod.replace('name: p', 'name: q') });
    chmodSync(root, 0o755);
    chmodSync(join(root, 'secret.yaml'), 0o000);
    const asRoot = process.getuid?.() === 0;
    const copy = asRoot ? cliReadableByAnyone() : undefined;
    const result = spawnSync(process.execPath, [copy === undefined ? join(repoRoot, 'cli', 'bin', 'kubereach.js') : join(copy, 'bin', 'kubereach.js'), 'matrix', root, '-o', 'connlist'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
    expect(result.stderr).toContain(`error permission denied: ${join(root, 'secret.yaml')} [unreadable]`);
    expect(result.stdout).toContain('a/p[Pod]');
    expect(result.status).toBe(2);
  });

  it('names the limit and the flag that raises it, and the flag raises it', () => {
    const deep = `${'['.repeat(150)}${']'.repeat(150)}\n---\n${pod}`;
    const root = tempTree({ 'deep.yaml': deep });
    const run = runCli(['matrix', join(root, 'deep.yaml'), '-o', 'connlist']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('error the nesting depth of this document exceeds the limit of 100 (--max-depth raises it) [limit-exceeded]');
    expect(run.stdout).toContain('a/p[Pod]');
    const raised = runCli(['matrix', join(root, 'deep.yaml'), '-o', 'connlist', '--max-depth', '200']);
    expect(raised.stderr).not.toContain('limit-exceeded');
    const few = runCli(['lint', join(root, 'deep.yaml'), '--max-documents', '1', '-f', 'compact']);
    // lint reports it as an invalid-manifest finding, and only there.
    expect(few.stdout).toContain('error invalid-manifest the number of documents in this file exceeds the limit of 1 (--max-documents raises it) (limit-exceeded)');
    expect(few.stderr).toBe('');
  });
});

describe('writes', () => {
  const gotcha = [
    '# the web tier',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: shop}   # keep this comment',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web, version: 1.10}}',
    '    spec: {containers: [{name: web, image: web}]}',
    '',
  ].join('\r\n');

  it('lint without --fix leaves every file as it was, contents and times', () => {
    const root = tempTree({ 'web.yaml': gotcha });
    const file = join(root, 'web.yaml');
    utimesSync(file, new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    const before = statSync(file);
    runCli(['lint', root]);
    expect(readFileSync(file, 'utf8')).toBe(gotcha);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(root)).toEqual(['web.yaml']);
  });

  it('lint --fix rewrites only the edited text, atomically, keeping comments, CRLF and the mode', () => {
    const root = tempTree({ 'web.yaml': gotcha });
    const file = join(root, 'web.yaml');
    chmodSync(file, 0o640);
    const run = runCli(['lint', root, '--fix', '-f', 'compact']);
    expect(run.stderr).toContain('fixed 1 problem in 1 file');
    expect(readFileSync(file, 'utf8')).toBe(gotcha.replace('version: 1.10', 'version: "1.10"'));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(root)).toEqual(['web.yaml']);
    expect(run.stdout).not.toContain('yaml-type-gotcha');
  });

  it('lint --fix through a symlink rewrites the target and keeps the link', () => {
    const root = tempTree({ 'real/web.yaml': gotcha });
    mkdirSync(join(root, 'linked'));
    symlinkSync(join(root, 'real', 'web.yaml'), join(root, 'linked', 'web.yaml'));
    runCli(['lint', join(root, 'linked'), '--fix']);
    expect(readFileSync(join(root, 'real', 'web.yaml'), 'utf8')).toContain('version: "1.10"');
    expect(readdirSync(join(root, 'real'))).toEqual(['web.yaml']);
  });
});
