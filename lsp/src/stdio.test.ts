// End to end over stdio: the built server, driven by a real JSON-RPC client.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const serverBin = fileURLToPath(new URL('../bin/kubereach-lsp.js', import.meta.url));

describe('kubereach-lsp over stdio', () => {
  const child = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  afterAll(() => {
    connection.dispose();
    child.kill();
  });

  it('initializes, publishes diagnostics for an opened and a changed document, and shuts down', async () => {
    const initialize = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
      serverInfo: { name: string };
    };
    expect(initialize.serverInfo.name).toBe('kubereach');
    await connection.sendNotification('initialized', {});

    const received: { uri: string; diagnostics: { code: string; range: { start: { line: number } } }[] }[] = [];
    let notify: (() => void) | undefined;
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      received.push(params as (typeof received)[number]);
      notify?.();
    });
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        notify = () => {
          if (received.length >= count) resolve();
        };
        notify();
      });

    const uri = 'file:///work/policy.yaml';
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Sideways]\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await next(1);
    expect(received[0]!.uri).toBe(uri);
    expect(received[0]!.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['invalid-value', 6]]);

    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: text.replace('Sideways', 'Egress') }],
    });
    await new Promise<void>((resolve) => {
      notify = () => {
        if (received.at(-1)!.diagnostics.length === 0) resolve();
      };
    });
    expect(received.at(-1)!.diagnostics).toEqual([]);

    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  });
});
