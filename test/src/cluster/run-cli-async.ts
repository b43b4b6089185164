// Runs the built `kubereach` binary without blocking the event loop, so a server in this process can answer it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, type CliRun } from '../cli/run-cli.js';

export function runCliAsync(args: readonly string[], options: { cwd?: string } = {}): Promise<CliRun & { readonly elapsedMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'cli', 'bin', 'kubereach.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', KUBECONFIG: '/nonexistent/kubeconfig' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}
