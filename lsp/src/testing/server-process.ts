// The built server in a child process, driven by a real JSON-RPC client, with bounded waits for what it publishes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

const serverBin = fileURLToPath(new URL('../../bin/kubereach-lsp.js', import.meta.url));
export const TIMEOUT_MS = 10_000;

export interface ServerProcess {
  readonly connection: MessageConnection;
  /** Every publication, in order. */
  readonly received: PublishDiagnosticsParams[];
  /** The exit code once the process has exited, else undefined. */
  exitCode(): number | null | undefined;
  /** The last diagnostics published for `uri` once they satisfy `accept`; rejects after TIMEOUT_MS. */
  diagnosticsFor(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  stop(): void;
}

/** `setup` registers the client's handlers (server-to-client requests) before the connection listens. */
export function startServerProcess(setup: (connection: MessageConnection) => void = () => undefined): ServerProcess {
  const child = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let exit: number | null | undefined;
  child.on('exit', (code) => (exit = code));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const received: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    received.push(params);
    for (const wake of waiters.splice(0)) wake();
  });
  setup(connection);
  connection.listen();
  return {
    connection,
    received,
    exitCode: () => exit,
    diagnosticsFor: (uri, accept) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        const check = () => {
          const last = received.filter((p) => p.uri === uri).at(-1);
          if (last !== undefined && accept(last.diagnostics)) {
            clearTimeout(timer);
            resolve(last.diagnostics);
          } else waiters.push(check);
        };
        check();
      }),
    stop: () => {
      connection.dispose();
      child.kill();
    },
  };
}

export const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));
