// End to end over stdio: the built server, driven by a real JSON-RPC client, on a workspace folder on disk.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CodeAction, Hover } from 'vscode-languageserver';
import { MATRIX_REQUEST, type MatrixResult } from './protocol.js';
import { EGRESS, POLICY, positionOf, rangeOf, WORKLOADS } from './testing/fixtures.js';
import { codes, startServerProcess } from './testing/server-process.js';

describe('kubereach-lsp over stdio', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kubereach-lsp-'));
  writeFileSync(join(folder, 'workloads.yaml'), WORKLOADS);
  writeFileSync(join(folder, 'web-egress.yaml'), EGRESS);
  writeFileSync(join(folder, 'policy.yaml'), POLICY);
  writeFileSync(join(folder, 'logo.png.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
  const uri = pathToFileURL(join(folder, 'policy.yaml')).href;
  const workloadsUri = pathToFileURL(join(folder, 'workloads.yaml')).href;

  const server = startServerProcess();
  const { connection, diagnosticsFor } = server;
  afterAll(() => server.stop());

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
