// `kubereach lsp` starts the language server over stdio from the bundled CLI.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const cli = fileURLToPath(new URL('../../../cli/bin/kubereach.js', import.meta.url));

describe('kubereach lsp', () => {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  /** Rejects when the server exits early or does not answer in time, so no wait is unbounded. */
  const bounded = <T>(work: Promise<T>): Promise<T> =>
    Promise.race([
      work,
      new Promise<never>((_, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
        timer.unref();
        child.once('exit', (code) => reject(new Error(`kubereach lsp exited with ${String(code)}`)));
      }),
    ]);
  afterAll(() => {
    connection.dispose();
    child.kill();
  });

  it('answers initialize and publishes diagnostics for an opened manifest', async () => {
    const diagnostics = new Promise<{ uri: string; diagnostics: { code: string; range: unknown }[] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no diagnostics within 10 s')), 10_000);
      connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: { code: string; range: unknown }[] }) => {
        clearTimeout(timer);
        resolve(params);
      });
    });
    const result = (await bounded(connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }))) as { serverInfo: { name: string } };
    expect(result.serverInfo.name).toBe('kubereach');
    await connection.sendNotification('initialized', {});
    const uri = 'file:///nowhere/policy.yaml';
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/40}\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const published = await bounded(diagnostics);
    expect(published.uri).toBe(uri);
    expect(published.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'invalid-manifest', range: { start: { line: 8, character: 26 }, end: { line: 8, character: 37 } } }),
    );
    await bounded(connection.sendRequest('shutdown'));
    await connection.sendNotification('exit');
  });
});
