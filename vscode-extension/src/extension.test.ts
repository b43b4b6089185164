import { describe, expect, it, vi } from 'vitest';

const started: { id: string; options: unknown; clientOptions: unknown }[] = [];
vi.mock('vscode', () => ({}));
vi.mock('vscode-languageclient/node', () => ({
  TransportKind: { stdio: 0 },
  LanguageClient: class {
    constructor(id: string, _name: string, options: unknown, clientOptions: unknown) {
      started.push({ id, options, clientOptions });
    }
    start = vi.fn(async () => undefined);
    stop = vi.fn(async () => undefined);
  },
}));

describe('extension activation', () => {
  it('starts the bundled server over stdio for YAML documents', async () => {
    const { activate, deactivate } = await import('./extension.js');
    await activate({ asAbsolutePath: (p: string) => `/ext/${p}` } as never);
    expect(started).toHaveLength(1);
    expect(started[0]!.options).toEqual({
      run: { module: '/ext/server/kubereach-lsp.js', transport: 0 },
      debug: { module: '/ext/server/kubereach-lsp.js', transport: 0 },
    });
    expect(started[0]!.clientOptions).toMatchObject({ documentSelector: [{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }] });
    await deactivate();
  });
});
