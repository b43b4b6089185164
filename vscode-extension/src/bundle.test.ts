// The server bundled by esbuild into dist/ (what the .vsix ships) runs on its own and publishes diagnostics.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const bundled = fileURLToPath(new URL('../dist/server.js', import.meta.url));

describe('bundled server', () => {
  expect(existsSync(bundled), 'run npm run build first').toBe(true);
  const child = spawn(process.execPath, [bundled, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  afterAll(() => {
    connection.dispose();
    child.kill();
  });

  it('initializes and reports a finding at its range', async () => {
    const published = new Promise<{ diagnostics: { code: string; range: unknown }[] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no diagnostics within 10 s')), 10_000);
      connection.onNotification('textDocument/publishDiagnostics', (params: { diagnostics: { code: string; range: unknown }[] }) => {
        clearTimeout(timer);
        resolve(params);
      });
    });
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Sideways]\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///x/p.yaml', languageId: 'yaml', version: 1, text } });
    expect((await published).diagnostics).toContainEqual(
      expect.objectContaining({ code: 'invalid-manifest', range: { start: { line: 6, character: 25 }, end: { line: 6, character: 33 } } }),
    );
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  });
});
