// Thin handlers wiring the language service to an LSP connection: read files, debounce, call the service, send.
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EXPLAIN_REQUEST, MATRIX_REQUEST, SETTINGS_SECTION, type ExplainParams, type MatrixParams } from './protocol.js';
import {
  canonicalUri,
  codeActions,
  codeLenses,
  definitions,
  explain,
  hover,
  matrix,
  PublishedDiagnostics,
  references,
  Workspaces,
  type FileChange,
  type Snapshot,
} from './service/index.js';
import { nodeFileSystem } from './workspace-files.js';

/** Long enough to coalesce a burst of keystrokes, short enough for the 100 ms budget after an edit. */
const DEBOUNCE_MS = 15;

/**
 * After the edited files' diagnostics, the others wait for this much quiet: while typing goes on, the next change
 * finds the server idle instead of linting files whose diagnostics that change will outdate.
 */
const QUIET_MS = 100;

/**
 * Then the others are linted this many at a time, each batch in its own turn of the event loop, so that a change
 * arriving meanwhile is read after one batch rather than after the whole workspace.
 */
const FILES_PER_TURN = 4;

const CHANGE_TYPES: Readonly<Record<FileChangeType, FileChange['type']>> = {
  [FileChangeType.Created]: 'created',
  [FileChangeType.Changed]: 'changed',
  [FileChangeType.Deleted]: 'deleted',
};

const message = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** The server on this process's stdin and stdout, whatever the command line says (`--stdio` is the only transport). */
export function startStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const workspaces = new Workspaces(nodeFileSystem);
  const documents = new TextDocuments(TextDocument);
  const published = new PublishedDiagnostics();
  /** Open documents' URIs as the client spells them, by canonical URI: diagnostics go out under the client's spelling. */
  const clientUris = new Map<string, string>();
  let initialFolders: string[] = [];
  let pullConfiguration = false;
  let registerWatchers = false;
  let folderChanges = false;
  let shutDown = false;
  let rawSettings: unknown;
  let timer: NodeJS.Timeout | undefined;
  // The rest of the workspace's diagnostics, sent after the edited files' unless another change comes first: the
  // moment of quiet before them, then the next batch of files.
  let quiet: NodeJS.Timeout | undefined;
  let rest: NodeJS.Immediate | undefined;

  /** A failure inside the analysis is logged and answered with nothing; the server stays up. */
  const guarded = <T>(what: string, fallback: T, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      connection.console.error(`kubereach: ${what} failed: ${message(error)}`);
      return fallback;
    }
  };
  /** A request to the client that fails (the client refuses it, or does not know it) is logged; the server goes on. */
  const tolerated = async (what: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      connection.console.warn(`kubereach: ${what} failed, going on without: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  /** Requests after `shutdown` are refused, as LSP asks; the others are answered from the document's analysis. */
  const running = (): void => {
    if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
  };
  const withSnapshot = <T>(what: string, uri: string, fallback: T, work: (snapshot: Snapshot) => T): T => {
    running();
    return guarded(what, fallback, () => {
      const snapshot = workspaces.snapshotFor(uri);
      return snapshot === undefined ? fallback : work(snapshot);
    });
  };
  const withMainSnapshot = <T>(what: string, uri: string | undefined, fallback: T, work: (snapshot: Snapshot) => T): T => {
    running();
    return guarded(what, fallback, () => work(workspaces.mainSnapshot(uri)));
  };

  const isOpen = (uri: string): boolean => clientUris.has(uri);
  const send = (changes: readonly [string, Diagnostic[]][]): void => {
    for (const [uri, list] of changes) {
      const target = clientUris.get(uri) ?? uri;
      void connection.sendDiagnostics({ uri: target, version: documents.get(target)?.version, diagnostics: list });
    }
  };
  /**
   * After an edit, the edited files' diagnostics first (the analysis is whole, the lint covers those files alone);
   * then, after a moment of quiet, the other files' a few at a time, each batch in its own turn, unless another change
   * comes in between: its own publication will send them. The last turn sends every list that still differs (files
   * no longer analyzed).
   */
  const publish = (): void => {
    const touched = workspaces.takeTouched();
    const uris = guarded('analysis', undefined, () => workspaces.uris());
    if (uris === undefined) return;
    const some = (files: ReadonlySet<string>): void => send(guarded('analysis', [], () => published.changes(workspaces.diagnostics(files), isOpen, { partial: true })));
    const everything = (): void => send(guarded('analysis', [], () => published.changes(workspaces.diagnostics(), isOpen)));
    if (touched.size === 0 || touched.size * 2 > uris.length) return everything();
    some(touched);
    const others = uris.filter((uri) => !touched.has(uri));
    const batch = (from: number): void => {
      rest = undefined;
      if (from >= others.length) return everything();
      some(new Set(others.slice(from, from + FILES_PER_TURN)));
      rest = setImmediate(() => batch(from + FILES_PER_TURN));
    };
    quiet = setTimeout(() => {
      quiet = undefined;
      batch(0);
    }, QUIET_MS);
  };
  const schedule = (): void => {
    clearTimeout(timer);
    clearTimeout(quiet);
    clearImmediate(rest);
    quiet = undefined;
    rest = undefined;
    timer = setTimeout(publish, DEBOUNCE_MS);
  };

  const applySettings = (raw: unknown): void => {
    rawSettings = raw;
    for (const problem of workspaces.setSettings(raw)) void connection.window.showWarningMessage(`kubereach: ${problem}`);
  };
  const pullSettings = async (): Promise<void> => {
    if (!pullConfiguration) return;
    const [section] = (await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }])) as unknown[];
    guarded('settings', undefined, () => applySettings(section ?? rawSettings));
  };

  connection.onInitialize((params: InitializeParams) => {
    // No folder given in workspaceFolders (null, or an empty list as some clients send) falls back on rootUri.
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? [];
    const root = params.rootUri ?? undefined;
    initialFolders = folders.length > 0 ? folders : root === undefined ? [] : [root];
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    registerWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    folderChanges = params.capabilities.workspace?.workspaceFolders === true;
    const options = params.initializationOptions as { settings?: unknown } | undefined;
    guarded('settings', undefined, () => applySettings(options?.settings));
    return {
      capabilities: {
        // Saves are how a client watching no file (Neovim 0.7) tells of files and configs written to disk.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        definitionProvider: true,
        referencesProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kubereach', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((event: WorkspaceFoldersChangeEvent) => {
        guarded('workspace folders', undefined, () =>
          workspaces.changeFolders(
            event.added.map((f) => f.uri),
            event.removed.map((f) => f.uri),
          ),
        );
        schedule();
      });
    }
    guarded('workspace scan', undefined, () => workspaces.changeFolders(initialFolders, []));
    if (registerWatchers) {
      await tolerated('watching files', async () => {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.{yaml,yml,json}' },
            // Spelt out for clients whose `*` leaves out names starting with a dot.
            { globPattern: '**/.kubereach.{yaml,yml}' },
            // Folders too: a client reports a folder deleted or renamed, not each file in it.
            { globPattern: '**/', kind: WatchKind.Create | WatchKind.Delete },
          ],
        });
      });
    }
    await tolerated('reading the settings', pullSettings);
    schedule();
  });

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    if (pushed !== undefined) guarded('settings', undefined, () => applySettings(pushed));
    else await tolerated('reading the settings', pullSettings);
    schedule();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    guarded('file change', undefined, () => workspaces.changeFiles(changes.map((c) => ({ uri: c.uri, type: CHANGE_TYPES[c.type] }))));
    schedule();
  });

  documents.onDidOpen(({ document }) => {
    const canonical = canonicalUri(document.uri);
    clientUris.set(canonical, document.uri);
    // Sent before under another spelling: sent again under the client's, with the document's version.
    if (canonical !== document.uri) published.forget(canonical);
    guarded('open', undefined, () => workspaces.openDocument(document.uri, document.getText()));
    schedule();
  });
  documents.onDidChangeContent(({ document }) => {
    guarded('edit', undefined, () => workspaces.openDocument(document.uri, document.getText()));
    schedule();
  });
  documents.onDidClose(({ document }) => {
    clientUris.delete(canonicalUri(document.uri));
    guarded('close', undefined, () => workspaces.closeDocument(document.uri));
    schedule();
  });
  documents.onDidSave(({ document }) => {
    guarded('save', undefined, () => workspaces.saveDocument(document.uri));
    schedule();
  });

  connection.onHover(({ textDocument, position }) => withSnapshot('hover', textDocument.uri, null, (s) => hover(s, textDocument.uri, position) ?? null));
  connection.onCodeLens(({ textDocument }) => withSnapshot('code lens', textDocument.uri, [], (s) => codeLenses(s, textDocument.uri)));
  connection.onCodeAction(({ textDocument, range }) =>
    withSnapshot('code action', textDocument.uri, [], (s) => codeActions(s, textDocument.uri, range, documents.get(textDocument.uri)?.languageId)),
  );
  connection.onDefinition(({ textDocument, position }) => withSnapshot('definition', textDocument.uri, [], (s) => definitions(s, textDocument.uri, position)));
  connection.onReferences(({ textDocument, position }) => withSnapshot('references', textDocument.uri, [], (s) => references(s, textDocument.uri, position)));
  connection.onRequest(MATRIX_REQUEST, (params: MatrixParams | undefined) => withMainSnapshot('matrix', params?.uri, null, (s) => matrix(s, params ?? {})));
  connection.onRequest(EXPLAIN_REQUEST, (params: ExplainParams) => withMainSnapshot('explain', params?.uri, null, (s) => explain(s, params)));
  connection.onShutdown(() => {
    shutDown = true;
  });

  documents.listen(connection);
  connection.listen();
}
