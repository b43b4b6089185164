// Thin handlers wiring the language service to an LSP connection: read files, debounce, call the service, send.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EXPLAIN_REQUEST, MATRIX_REQUEST, SETTINGS_SECTION, type ExplainParams, type MatrixParams } from './protocol.js';
import { codeActions, codeLenses, definitions, explain, hover, matrix, PublishedDiagnostics, references, workspaceDiagnostics, Workspace, type Snapshot } from './service/index.js';
import { findConfigFile, isManifestPath, listManifestFiles, readTextFile } from './workspace-files.js';

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

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** The server on this process's stdin and stdout, whatever the command line says (`--stdio` is the only transport). */
export function startStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const workspace = new Workspace();
  const documents = new TextDocuments(TextDocument);
  const published = new PublishedDiagnostics();
  let folders: string[] = [];
  let pullConfiguration = false;
  let registerWatchers = false;
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
      connection.console.error(`kubereach: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
  const withSnapshot = <T>(what: string, fallback: T, work: (snapshot: Snapshot) => T): T =>
    guarded(what, fallback, () => work(workspace.snapshot()));

  const isOpen = (uri: string): boolean => documents.get(uri) !== undefined;
  const send = (changes: readonly [string, Diagnostic[]][]): void => {
    for (const [uri, list] of changes) void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics: list });
  };
  /**
   * After an edit, the edited files' diagnostics first (the analysis is whole, the lint covers those files alone);
   * then, after a moment of quiet, the other files' a few at a time, each batch in its own turn, unless another change
   * comes in between: its own publication will send them. The last turn sends every list that still differs (files
   * no longer analyzed).
   */
  const publish = (): void => {
    const touched = workspace.takeTouched();
    const snapshot = guarded('analysis', undefined, () => workspace.snapshot());
    if (snapshot === undefined) return;
    const some = (files: ReadonlySet<string>): void =>
      send(guarded('analysis', [], () => published.changes(workspaceDiagnostics(snapshot, files), isOpen, { partial: true })));
    const everything = (): void => send(guarded('analysis', [], () => published.changes(workspaceDiagnostics(snapshot), isOpen)));
    if (touched.size === 0 || touched.size * 2 > snapshot.uris.length) return everything();
    some(touched);
    const others = snapshot.uris.filter((uri) => !touched.has(uri));
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

  const loadConfig = (): void => {
    const path = findConfigFile(folders, workspace.settings.configFile);
    const text = path === undefined ? undefined : readTextFile(path);
    workspace.setConfigFile(path === undefined || text === undefined ? undefined : { uri: pathToFileURL(path).href, text });
  };
  const applySettings = (raw: unknown): void => {
    rawSettings = raw;
    const problems = workspace.setSettings(raw);
    for (const problem of problems) void connection.window.showWarningMessage(`kubereach: ${problem}`);
    loadConfig();
  };
  const pullSettings = async (): Promise<void> => {
    if (!pullConfiguration) return;
    const [section] = (await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }])) as unknown[];
    applySettings(section ?? rawSettings);
  };
  const readDiskFile = (uri: string): void => {
    const path = uriToPath(uri);
    const text = path === undefined ? undefined : readTextFile(path);
    if (text === undefined) workspace.deleteDiskFile(uri);
    else workspace.setDiskFile(uri, text);
  };

  connection.onInitialize((params: InitializeParams) => {
    const roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri === null || params.rootUri === undefined ? [] : [params.rootUri]);
    folders = roots.flatMap((uri) => uriToPath(uri) ?? []);
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    registerWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const options = params.initializationOptions as { settings?: unknown } | undefined;
    guarded('settings', undefined, () => applySettings(options?.settings));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        definitionProvider: true,
        referencesProvider: true,
      },
      serverInfo: { name: 'kubereach', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    guarded('workspace scan', undefined, () => {
      for (const folder of folders) {
        for (const path of listManifestFiles(folder)) {
          const text = readTextFile(path);
          if (text !== undefined) workspace.setDiskFile(pathToFileURL(path).href, text);
        }
      }
    });
    if (registerWatchers) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/.kubereach.{yaml,yml}' }],
      });
    }
    await guarded('settings', Promise.resolve(), pullSettings);
    schedule();
  });

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    if (pushed !== undefined) guarded('settings', undefined, () => applySettings(pushed));
    else await guarded('settings', Promise.resolve(), pullSettings);
    schedule();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    guarded('file change', undefined, () => {
      for (const change of changes) {
        const path = uriToPath(change.uri);
        if (path === undefined) continue;
        if (path.endsWith('.kubereach.yaml') || path.endsWith('.kubereach.yml') || change.uri === workspace.config?.uri) loadConfig();
        else if (!isManifestPath(path)) continue;
        else if (change.type === FileChangeType.Deleted) workspace.deleteDiskFile(change.uri);
        else readDiskFile(change.uri);
      }
    });
    schedule();
  });

  documents.onDidOpen(({ document }) => {
    workspace.openDocument(document.uri, document.getText());
    schedule();
  });
  documents.onDidChangeContent(({ document }) => {
    workspace.openDocument(document.uri, document.getText());
    schedule();
  });
  documents.onDidClose(({ document }) => {
    workspace.closeDocument(document.uri);
    schedule();
  });

  connection.onHover(({ textDocument, position }) => withSnapshot('hover', null, (s) => hover(s, textDocument.uri, position) ?? null));
  connection.onCodeLens(({ textDocument }) => withSnapshot('code lens', [], (s) => codeLenses(s, textDocument.uri)));
  connection.onCodeAction(({ textDocument, range }) => withSnapshot('code action', [], (s) => codeActions(s, textDocument.uri, range)));
  connection.onDefinition(({ textDocument, position }) => withSnapshot('definition', [], (s) => definitions(s, textDocument.uri, position)));
  connection.onReferences(({ textDocument, position }) => withSnapshot('references', [], (s) => references(s, textDocument.uri, position)));
  connection.onRequest(MATRIX_REQUEST, (params: MatrixParams | undefined) => withSnapshot('matrix', null, (s) => matrix(s, params ?? {})));
  connection.onRequest(EXPLAIN_REQUEST, (params: ExplainParams) => withSnapshot('explain', null, (s) => explain(s, params)));

  documents.listen(connection);
  connection.listen();
}
