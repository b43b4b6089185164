// The VS Code client: starts the kubereach language server for YAML files; all logic lives in the server.
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The server module: bundled next to the extension when packaged, else the workspace's built server. */
export function serverModule(context: Pick<ExtensionContext, 'asAbsolutePath'>): string {
  return context.asAbsolutePath(path.join('server', 'kubereach-lsp.js'));
}

export function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [{ scheme: 'file', language: 'yaml' }, { scheme: 'untitled', language: 'yaml' }],
    diagnosticCollectionName: 'kubereach',
  };
}

export async function activate(context: ExtensionContext): Promise<void> {
  const module = serverModule(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  client = new LanguageClient('kubereach', 'kubereach', serverOptions, clientOptions());
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
