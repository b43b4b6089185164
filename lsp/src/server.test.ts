// The server's handlers over a real connection: workspace folders, URIs as VS Code spells them, saves, failing clients, shutdown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseError } from 'vscode-jsonrpc/node.js';
import type { Hover, InitializeResult } from 'vscode-languageserver';
import { lonelyPolicy, POLICY, positionOf, RULES_OFF, workloadLabelled, WORKLOADS } from './testing/fixtures.js';
import { codes, startServerProcess, type ServerProcess } from './testing/server-process.js';

/** A folder of files under the run's temporary folder. */
function folder(files: Readonly<Record<string, string>>, name = 'ws'): string {
  const root = join(mkdtempSync(join(tmpdir(), 'kubereach-server-')), name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const uri = (path: string) => pathToFileURL(path).href;

describe('kubereach-lsp server', () => {
  let server: ServerProcess | undefined;
  afterEach(() => server?.stop());

  const initialize = async (params: Record<string, unknown>, setup?: Parameters<typeof startServerProcess>[0]): Promise<InitializeResult> => {
    server = startServerProcess(setup);
    const result = (await server.connection.sendRequest('initialize', { processId: process.pid, capabilities: {}, ...params })) as InitializeResult;
    await server.connection.sendNotification('initialized', {});
    return result;
  };

  it('analyzes each workspace folder under its own config, and follows folders added and removed', async () => {
    const a = folder({ '.kubereach.yaml': RULES_OFF, 'policy.yaml': lonelyPolicy('lonely') }, 'a');
    const b = folder({ 'policy.yaml': lonelyPolicy('other-lonely') }, 'b');
    const result = await initialize({
      rootUri: uri(a),
      workspaceFolders: [{ uri: uri(a), name: 'a' }],
      capabilities: { workspace: { workspaceFolders: true } },
    });
    expect(result.capabilities.workspace?.workspaceFolders).toEqual({ supported: true, changeNotifications: true });
    expect(result.capabilities.textDocumentSync).toMatchObject({ openClose: true, save: { includeText: false } });
    const s = server!;
    expect(codes(await s.diagnosticsFor(uri(join(a, 'policy.yaml')), (d) => d.length > 0))).toEqual(['cni-profile']);

    await s.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri(b), name: 'b' }], removed: [] } });
    expect(codes(await s.diagnosticsFor(uri(join(b, 'policy.yaml')), (d) => d.length > 0)).sort()).toEqual(['cni-profile', 'policy-selects-nothing']);

    await s.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uri(a), name: 'a' }] } });
    await s.diagnosticsFor(uri(join(a, 'policy.yaml')), (d) => d.length === 0);
  });

  it('knows a file by its path when the client spells its URI as VS Code does, and answers under that spelling', async () => {
    const root = folder({ 'policy.yaml': POLICY, 'workloads.yaml': WORKLOADS }, 'team@corp');
    // vscode-uri writes `@` as %40; Node writes it as is.
    const vscodeUri = (path: string) => uri(path).replaceAll('@', '%40');
    await initialize({ rootUri: vscodeUri(root), workspaceFolders: [{ uri: vscodeUri(root), name: 'team@corp' }] });
    const s = server!;
    await s.diagnosticsFor(uri(join(root, 'workloads.yaml')), (d) => d.length > 0);
    const policy = vscodeUri(join(root, 'policy.yaml'));
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: policy, languageId: 'yaml', version: 7, text: POLICY } });
    const diagnostics = await s.diagnosticsFor(policy, (d) => codes(d).includes('port-not-served'));
    expect(codes(diagnostics)).not.toContain('duplicate-policy-name');
    expect(s.received.filter((p) => p.uri === policy).at(-1)!.version).toBe(7);
    const hover = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri: policy }, position: positionOf(POLICY, 'api-ingress') })) as Hover;
    expect(JSON.stringify(hover.contents)).toContain('selects 1 workload');

    // Deleted, as the watcher reports it: the workloads go, so the policy's port finding with them.
    rmSync(join(root, 'workloads.yaml'));
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: vscodeUri(join(root, 'workloads.yaml')), type: 3 }] });
    await s.diagnosticsFor(uri(join(root, 'workloads.yaml')), (d) => d.length === 0);
    await s.diagnosticsFor(policy, (d) => !codes(d).includes('port-not-served'));
  });

  it('reads a saved file again, for clients watching no file: once closed, the saved text is analyzed, not the one read at the start', async () => {
    const root = folder({ 'policy.yaml': lonelyPolicy('lonely'), 'workloads.yaml': workloadLabelled('something') });
    await initialize({ rootUri: uri(root), workspaceFolders: null });
    const s = server!;
    const policy = uri(join(root, 'policy.yaml'));
    const workloads = uri(join(root, 'workloads.yaml'));
    await s.diagnosticsFor(policy, (d) => codes(d).includes('policy-selects-nothing'));
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: workloads, languageId: 'yaml', version: 1, text: workloadLabelled('nothing') } });
    writeFileSync(join(root, 'workloads.yaml'), workloadLabelled('nothing'));
    await s.connection.sendNotification('textDocument/didSave', { textDocument: { uri: workloads } });
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri: workloads } });
    const lenses = (await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: policy } })) as { command: { title: string } }[];
    expect(lenses.map((l) => l.command.title)).toEqual(['selects 1 workload, admits 0 paths']);
  });

  it('falls back on rootUri when workspaceFolders is an empty list', async () => {
    const root = folder({ 'policy.yaml': lonelyPolicy('lonely') });
    await initialize({ rootUri: uri(root), workspaceFolders: [] });
    await server!.diagnosticsFor(uri(join(root, 'policy.yaml')), (d) => codes(d).includes('policy-selects-nothing'));
  });

  it('stays up when the client answers workspace/configuration and client/registerCapability with errors', async () => {
    const root = folder({ 'policy.yaml': lonelyPolicy('lonely') });
    await initialize(
      {
        rootUri: uri(root),
        workspaceFolders: [{ uri: uri(root), name: 'ws' }],
        capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
      },
      (connection) => {
        connection.onRequest('workspace/configuration', () => new ResponseError(-32601, 'no configuration here'));
        connection.onRequest('client/registerCapability', () => new ResponseError(-32601, 'no watching here'));
      },
    );
    const s = server!;
    const policy = uri(join(root, 'policy.yaml'));
    await s.diagnosticsFor(policy, (d) => codes(d).includes('policy-selects-nothing'));
    // The settings pulled again, refused again.
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const lens = await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: policy } });
    expect(lens).toHaveLength(1);
    expect(s.exitCode()).toBeUndefined();
  });

  it('refuses requests after shutdown with InvalidRequest', async () => {
    const root = folder({ 'policy.yaml': lonelyPolicy('lonely') });
    await initialize({ rootUri: uri(root) });
    const s = server!;
    await s.connection.sendRequest('shutdown');
    const hover = s.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(join(root, 'policy.yaml')) }, position: { line: 3, character: 9 } });
    await expect(hover).rejects.toMatchObject({ code: -32600 });
    await expect(s.connection.sendRequest('kubereach/matrix', {})).rejects.toMatchObject({ code: -32600 });
  });
});
