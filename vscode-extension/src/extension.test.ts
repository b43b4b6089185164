// The client against a mocked `vscode` module: activation, the two commands, and the matrix page.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExplainResult, MatrixResult } from '@kubereach/lsp/protocol';
import { matrixHtml, matrixNamespaces } from './matrix-view.js';

const MATRIX: MatrixResult = {
  granularity: 'workload',
  nodes: [
    { id: 'shop/api[Deployment]', kind: 'workload', namespace: 'shop' },
    { id: 'shop/web[Deployment]', kind: 'workload', namespace: 'shop' },
    { id: 'kube-system/coredns[Deployment]', kind: 'workload', namespace: 'kube-system' },
    { id: '0.0.0.0-255.255.255.255', kind: 'external', namespace: null },
  ],
  rows: [{ source: 'shop/web[Deployment]', destination: 'shop/api[Deployment]', connections: 'TCP 8080' }],
};
const EXPLAINED: ExplainResult = {
  found: true,
  verdict: 'shop/web[Deployment] => shop/api[Deployment]: ALLOWED: TCP 8080',
  lines: [
    { text: 'ingress of shop/api[Deployment]: isolated by 1 policy, allows TCP 8080' },
    { text: '  policy shop/api-ingress', location: { uri: 'file:///ws/policy.yaml', line: 3, character: 8 } },
  ],
};

const h = vi.hoisted(() => ({
  started: [] as { id: string; options: unknown; clientOptions: unknown }[],
  requests: [] as { method: string; params: unknown }[],
  commands: new Map<string, () => Promise<void>>(),
  panels: [] as { webview: { html: string; cspSource: string } }[],
  picks: [] as (string | undefined)[],
  output: [] as string[],
  messages: [] as string[],
  activeUri: undefined as string | undefined,
}));

vi.mock('vscode', () => ({
  ViewColumn: { Active: -1 },
  commands: {
    registerCommand: (id: string, run: () => Promise<void>) => {
      h.commands.set(id, run);
      return { dispose: () => h.commands.delete(id) };
    },
  },
  window: {
    get activeTextEditor() {
      return h.activeUri === undefined ? undefined : { document: { uri: { toString: () => h.activeUri } } };
    },
    createWebviewPanel: () => {
      const panel = { webview: { html: '', cspSource: 'vscode-resource:' } };
      h.panels.push(panel);
      return panel;
    },
    createOutputChannel: () => ({ clear: () => h.output.splice(0), appendLine: (line: string) => h.output.push(line), show: () => undefined, dispose: () => undefined }),
    showQuickPick: async (items: string[]) => {
      const pick = h.picks.shift();
      return pick === undefined ? undefined : items.find((i) => i === pick);
    },
    showWarningMessage: async (message: string) => h.messages.push(message),
    showErrorMessage: async (message: string) => h.messages.push(message),
    showInformationMessage: async (message: string) => h.messages.push(message),
  },
}));
vi.mock('vscode-languageclient/node', () => ({
  TransportKind: { stdio: 0 },
  LanguageClient: class {
    constructor(id: string, _name: string, options: unknown, clientOptions: unknown) {
      h.started.push({ id, options, clientOptions });
    }
    start = vi.fn(async () => undefined);
    stop = vi.fn(async () => undefined);
    sendRequest = vi.fn(async (method: string, params: unknown) => {
      h.requests.push({ method, params });
      return method === 'kubereach/matrix' ? MATRIX : EXPLAINED;
    });
  },
}));

describe('extension', () => {
  beforeEach(() => {
    h.requests.splice(0);
    h.panels.splice(0);
    h.messages.splice(0);
    h.activeUri = undefined;
  });

  it('starts the bundled server over stdio for YAML and JSON documents and registers its commands', async () => {
    const { activate } = await import('./extension.js');
    const subscriptions: unknown[] = [];
    await activate({ asAbsolutePath: (p: string) => `/ext/${p}`, subscriptions } as never);
    expect(h.started).toHaveLength(1);
    expect(h.started[0]!.options).toEqual({
      run: { module: '/ext/dist/server.js', transport: 0 },
      debug: { module: '/ext/dist/server.js', transport: 0 },
    });
    expect(h.started[0]!.clientOptions).toMatchObject({
      // The server reads .yaml, .yml and .json files: open JSON manifests are sent as edited too.
      documentSelector: [
        { language: 'yaml', scheme: 'file' },
        { language: 'yaml', scheme: 'untitled' },
        { language: 'json', scheme: 'file' },
        { language: 'json', scheme: 'untitled' },
      ],
      synchronize: { configurationSection: 'kubereach' },
    });
    expect([...h.commands.keys()].sort()).toEqual(['kubereach.explainPath', 'kubereach.showMatrix']);
    expect(subscriptions).toHaveLength(3);
  });

  it('activates on the languages it sends the server', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { activationEvents: string[] };
    expect(manifest.activationEvents).toEqual(['onLanguage:yaml', 'onLanguage:json']);
  });

  it("asks for the active document's workspace folder's matrix and explanation", async () => {
    h.activeUri = 'file:///b/policy.yaml';
    await h.commands.get('kubereach.showMatrix')!();
    h.picks.push('shop/web[Deployment]', 'shop/api[Deployment]');
    await h.commands.get('kubereach.explainPath')!();
    expect(h.requests).toEqual([
      { method: 'kubereach/matrix', params: { granularity: 'workload', uri: 'file:///b/policy.yaml' } },
      { method: 'kubereach/matrix', params: { granularity: 'workload', uri: 'file:///b/policy.yaml' } },
      { method: 'kubereach/explain', params: { source: 'shop/web[Deployment]', destination: 'shop/api[Deployment]', uri: 'file:///b/policy.yaml' } },
    ]);
  });

  it('shows the matrix in a webview', async () => {
    await h.commands.get('kubereach.showMatrix')!();
    expect(h.requests).toEqual([{ method: 'kubereach/matrix', params: { granularity: 'workload' } }]);
    expect(h.panels).toHaveLength(1);
    expect(h.panels[0]!.webview.html).toContain('"destination":"shop/api[Deployment]","connections":"TCP 8080"');
  });

  it('explains a path between two picked workloads, with places', async () => {
    h.picks.push('shop/web[Deployment]', 'shop/api[Deployment]');
    await h.commands.get('kubereach.explainPath')!();
    expect(h.requests.at(-1)).toEqual({ method: 'kubereach/explain', params: { source: 'shop/web[Deployment]', destination: 'shop/api[Deployment]' } });
    expect(h.output).toEqual([
      'shop/web[Deployment] => shop/api[Deployment]: ALLOWED: TCP 8080',
      'ingress of shop/api[Deployment]: isolated by 1 policy, allows TCP 8080',
      '  policy shop/api-ingress  /ws/policy.yaml:4:9',
    ]);
  });

  it('does nothing when a pick is cancelled', async () => {
    h.picks.push(undefined);
    await h.commands.get('kubereach.explainPath')!();
    expect(h.requests.map((r) => r.method)).toEqual(['kubereach/matrix']);
  });

  it('stops the client on deactivation', async () => {
    const { deactivate } = await import('./extension.js');
    await expect(deactivate()).resolves.toBeUndefined();
  });
});

describe('matrix view', () => {
  it('offers every namespace as a filter and embeds the data safely', () => {
    expect(matrixNamespaces(MATRIX)).toEqual(['kube-system', 'shop']);
    const html = matrixHtml({ ...MATRIX, rows: [{ source: '</script><b>', destination: 'x', connections: 'y' }] }, 'abc123', 'vscode-resource:');
    expect(html).toContain(`script-src 'nonce-abc123'`);
    expect(html).toContain('<option value="kube-system">kube-system</option><option value="shop">shop</option>');
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('\\u003c/script>\\u003cb>');
    expect(html).toContain('<svg id="graph"');
    expect(html).toContain('<table id="table">');
  });
});
