// End to end over stdio: the built server, driven by a real JSON-RPC client, on a workspace folder on disk.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import type { CodeAction, Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver';
import { MATRIX_REQUEST, type MatrixResult } from './protocol.js';
import { EGRESS, POLICY, positionOf, rangeOf, WORKLOADS } from './testing/fixtures.js';

const serverBin = fileURLToPath(new URL('../bin/kubereach-lsp.js', import.meta.url));
const TIMEOUT_MS = 10_000;

describe('kubereach-lsp over stdio', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kubereach-lsp-'));
  writeFileSync(join(folder, 'workloads.yaml'), WORKLOADS);
  writeFileSync(join(folder, 'web-egress.yaml'), EGRESS);
  writeFileSync(join(folder, 'policy.yaml'), POLICY);
  writeFileSync(join(folder, 'logo.png.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
  const uri = pathToFileURL(join(folder, 'policy.yaml')).href;
  const workloadsUri = pathToFileURL(join(folder, 'workloads.yaml')).href;

  const child = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const received: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    received.push(params);
    for (const wake of waiters.splice(0)) wake();
  });
  connection.listen();
  afterAll(() => {
    connection.dispose();
    child.kill();
  });

  /** The next diagnostics for `target` that satisfy `accept`, or a timeout error. */
  const diagnosticsFor = (target: string, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${target} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      const check = () => {
        const last = received.filter((p) => p.uri === target).at(-1);
        if (last !== undefined && accept(last.diagnostics)) {
          clearTimeout(timer);
          resolve(last.diagnostics);
        } else waiters.push(check);
      };
      check();
    });
  const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);

  it('initializes, analyzes the folder, follows edits, answers hover, code action and matrix, and shuts down', async () => {
    const initialize = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'ws' }],
      capabilities: {},
    })) as { serverInfo: { name: string }; capabilities: Record<string, unknown> };
    expect(initialize.serverInfo.name).toBe('kubereach');
    expect(initialize.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, referencesProvider: true });
    await connection.sendNotification('initialized', {});

    // Files on disk are analyzed without being opened; the workloads file gets its own finding.
    expect(codes(await diagnosticsFor(workloadsUri, (d) => d.length > 0))).toContain('missing-default-deny');

    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: POLICY } });
    const opened = await diagnosticsFor(uri, (d) => codes(d).includes('port-not-served'));
    expect(opened.find((d) => d.code === 'port-not-served')).toMatchObject({ range: rangeOf(POLICY, 'port: 80'), severity: 2, source: 'kubereach' });

    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(POLICY, 'api-ingress') })) as Hover;
    expect(JSON.stringify(hover.contents)).toContain('selects 1 workload');

    const at = positionOf(POLICY, 'egress:');
    const actions = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: at, end: at },
      context: { diagnostics: [] },
    })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(['Fix: add Egress to policyTypes', 'Suppress policy-types-ignore-rules on this line']);

    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: rangeOf(POLICY, 'port: 80'), text: 'port: 8080' }],
    });
    const changed = await diagnosticsFor(uri, (d) => !codes(d).includes('port-not-served'));
    expect(codes(changed)).toContain('policy-types-ignore-rules');

    // A file changed on disk, announced by the client's watcher: the open policy is judged against the new workloads.
    writeFileSync(join(folder, 'workloads.yaml'), WORKLOADS.replace('containerPort: 8080', 'containerPort: 9000'));
    await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: workloadsUri, type: 2 }] });
    const rejudged = await diagnosticsFor(uri, (d) => codes(d).includes('port-not-served'));
    expect(rejudged.find((d) => d.code === 'port-not-served')!.range).toEqual(rangeOf(POLICY.replace('port: 80', 'port: 8080'), 'port: 8080'));
    writeFileSync(join(folder, 'workloads.yaml'), WORKLOADS);
    await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: workloadsUri, type: 2 }] });
    await diagnosticsFor(uri, (d) => !codes(d).includes('port-not-served'));

    const result = (await connection.sendRequest(MATRIX_REQUEST, {})) as MatrixResult;
    expect(result.rows).toContainEqual({ source: 'shop/web[Deployment]', destination: 'shop/api[Deployment]', connections: 'TCP 8080' });

    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  });
});
