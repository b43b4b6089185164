// The VS Code client: starts the bundled kubereach language server for YAML and JSON and adds the matrix and explain commands.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { EXPLAIN_REQUEST, MATRIX_REQUEST, SETTINGS_SECTION, type ExplainParams, type ExplainResult, type MatrixParams, type MatrixResult } from '@kubereach/lsp/protocol';
import { matrixHtml } from './matrix-view.js';

let client: LanguageClient | undefined;

/** The server bundled next to the client by esbuild. */
export function serverModule(context: Pick<vscode.ExtensionContext, 'asAbsolutePath'>): string {
  return context.asAbsolutePath(path.join('dist', 'server.js'));
}

/** The documents the server analyzes as the user edits them: YAML and JSON, as it reads `.yaml`, `.yml` and `.json` files. */
export function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: ['yaml', 'json'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    diagnosticCollectionName: 'kubereach',
    synchronize: { configurationSection: SETTINGS_SECTION },
  };
}

/** Where an explanation line points, as `path:line:column` (1-based, as people read it). */
function place(uri: string, line: number, character: number): string {
  const where = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  return `${where}:${line + 1}:${character + 1}`;
}

/** The active editor's document: the server answers from its workspace folder's analysis (the first folder's without one). */
function activeDocument(): { uri?: string } {
  const uri = vscode.window.activeTextEditor?.document.uri.toString();
  return uri === undefined ? {} : { uri };
}

async function showMatrix(languageClient: LanguageClient): Promise<void> {
  const params: MatrixParams = { granularity: 'workload', ...activeDocument() };
  const matrix = await languageClient.sendRequest<MatrixResult | null>(MATRIX_REQUEST, params);
  if (matrix === null) {
    void vscode.window.showErrorMessage('kubereach: the workspace could not be analyzed (see the kubereach output)');
    return;
  }
  const panel = vscode.window.createWebviewPanel('kubereach.matrix', 'kubereach: connectivity matrix', vscode.ViewColumn.Active, { enableScripts: true });
  panel.webview.html = matrixHtml(matrix, randomBytes(16).toString('hex'), panel.webview.cspSource);
}

async function explainPath(languageClient: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  const folder = activeDocument();
  const matrix = await languageClient.sendRequest<MatrixResult | null>(MATRIX_REQUEST, { granularity: 'workload', ...folder } satisfies MatrixParams);
  const ids = (matrix?.nodes ?? []).map((n) => n.id);
  if (ids.length === 0) {
    void vscode.window.showInformationMessage('kubereach: no workloads in the workspace');
    return;
  }
  const source = await vscode.window.showQuickPick(ids, { placeHolder: 'Source workload' });
  if (source === undefined) return;
  const destination = await vscode.window.showQuickPick(ids.filter((id) => id !== source), { placeHolder: `Destination of ${source}` });
  if (destination === undefined) return;
  const params: ExplainParams = { source, destination, ...folder };
  const result = await languageClient.sendRequest<ExplainResult | null>(EXPLAIN_REQUEST, params);
  if (result === null || !result.found) {
    void vscode.window.showWarningMessage(`kubereach: ${result === null ? 'the path could not be explained' : result.message}`);
    return;
  }
  output.clear();
  output.appendLine(result.verdict);
  for (const line of result.lines) {
    output.appendLine(line.location === undefined ? line.text : `${line.text}  ${place(line.location.uri, line.location.line, line.location.character)}`);
  }
  output.show(true);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = serverModule(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  const languageClient = new LanguageClient('kubereach', 'kubereach', serverOptions, clientOptions());
  client = languageClient;
  const output = vscode.window.createOutputChannel('kubereach: explain');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('kubereach.showMatrix', () => showMatrix(languageClient)),
    vscode.commands.registerCommand('kubereach.explainPath', () => explainPath(languageClient, output)),
  );
  await languageClient.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
