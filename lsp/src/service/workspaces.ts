// The editor's workspace: one analysis per workspace folder, as `kubereach lint <folder>` gives it, and the documents open outside them.
import type { Diagnostic } from 'vscode-languageserver-types';
import { workspaceDiagnostics } from './diagnostics.js';
import { CONFIG_FILE_NAMES } from '@kubereach/core';
import {
  documentKey,
  FileNames,
  isConfigPath,
  isManifestPath,
  isSkippedBelow,
  pathBelow,
  pathsFor,
  pathUri,
  uriPath,
} from './file-names.js';
import { DEFAULT_SETTINGS, resolveSettings, type ResolvedSettings } from './settings.js';
import type { Snapshot } from './snapshot.js';
import { Workspace } from './workspace.js';

/** What the workspace reads from disk; the server passes the real file system, tests one in memory. */
export interface WorkspaceFileSystem {
  /** Manifest files below a folder (`isManifestPath`), sorted, the skipped folders left out. */
  listManifestFiles(folder: string): readonly string[];
  /** A file's text; undefined when it is missing, unreadable, too big or binary. */
  readTextFile(path: string): string | undefined;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
}

/** A watcher's event, as `workspace/didChangeWatchedFiles` reports it; the path may be a folder's. */
export interface FileChange {
  readonly uri: string;
  readonly type: 'created' | 'changed' | 'deleted';
}

/** One analysis: a workspace folder's, or that of the documents outside every folder that share a config file. */
interface Group {
  readonly workspace: Workspace;
  /** The workspace folder; undefined for documents outside every folder. */
  readonly folder: string | undefined;
  /** Outside folders: the config the documents found, which is what groups them (the key in `looseGroups`). */
  readonly looseConfig: string | undefined;
  /** The config file given to the workspace. */
  config: { readonly path: string; readonly text: string } | undefined;
}

/** An open document that is no config file: its URI as the client spells it, and its unsaved text. */
interface OpenDocument {
  readonly uri: string;
  readonly text: string;
}

/**
 * Each workspace folder is analyzed on its own, under the `.kubereach.yaml` nearest to it (in it or above it, the
 * `configFile` setting winning), as `kubereach lint <folder>` analyzes it: its files, less `node_modules` and `.git`
 * and what the config ignores. A file in nested folders belongs to the innermost. A document open outside every folder
 * is analyzed with the others open there that find the same config, nearest to the document, as `kubereach lint
 * <file>` would; a document without a path (`untitled:`) joins the first folder. An open config file's unsaved text is
 * the config. Documents are known by their path, however the client spells their URIs.
 */
export class Workspaces {
  /** Workspace folder paths, in the client's order. */
  private folders: string[] = [];
  private readonly folderGroups = new Map<string, Group>();
  /** Groups of documents outside every folder, by the config file they found ('' for none). */
  private readonly looseGroups = new Map<string, Group>();
  /** Manifest files on disk below the folders, by path. */
  private readonly disk = new Map<string, string>();
  /** Open documents, by key (`documentKey`). */
  private readonly open = new Map<string, OpenDocument>();
  /** Open config files' unsaved text, by path. */
  private readonly openConfigs = new Map<string, string>();
  /** The group analyzing each document, by key. */
  private readonly assigned = new Map<string, Group>();
  /** URIs of documents dropped with their group, whose diagnostics must be cleared. */
  private readonly dropped = new Set<string>();
  private rawSettings: unknown;
  private settings: ResolvedSettings = DEFAULT_SETTINGS;
  /** A workspace with no file, for requests when nothing is analyzed. */
  private readonly empty = new Workspace();

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly windows = process.platform === 'win32',
  ) {}

  /** Adds and removes workspace folders (by URI; other schemes than `file:` are left out), scanning the added ones. */
  changeFolders(added: readonly string[], removed: readonly string[]): void {
    const removedPaths = new Set(removed.flatMap((uri) => uriPath(uri, this.windows) ?? []));
    const addedPaths = [...new Set(added.flatMap((uri) => uriPath(uri, this.windows) ?? []))].filter((path) => !removedPaths.has(path) && !this.folders.includes(path));
    this.folders = [...this.folders.filter((folder) => !removedPaths.has(folder)), ...addedPaths];
    for (const folder of removedPaths) {
      const group = this.folderGroups.get(folder);
      if (group === undefined) continue;
      this.drop(group);
      this.folderGroups.delete(folder);
    }
    for (const folder of addedPaths) this.folderGroups.set(folder, this.newGroup(folder, undefined));
    this.refreshConfigs();
    for (const folder of addedPaths) this.scan(folder);
  }

  /** Applies editor settings to every analysis; returns one message per invalid setting (the valid ones still apply). */
  setSettings(raw: unknown): string[] {
    const { settings, problems } = resolveSettings(raw);
    this.rawSettings = raw;
    this.settings = settings;
    for (const group of this.groups()) group.workspace.setSettings(raw);
    this.refreshConfigs();
    return problems;
  }

  openDocument(uri: string, text: string): void {
    const key = documentKey(uri, this.windows);
    if (this.isConfigKey(key)) {
      const known = this.openConfigs.has(key);
      this.openConfigs.set(key, text);
      // A config opened may be one not yet on disk, found from now on; an edit changes the text of a known one.
      if (!known) this.refreshConfigs();
      else for (const group of this.groups()) if (group.config?.path === key) this.applyConfig(group);
      return;
    }
    this.open.set(key, { uri, text });
    const group = this.assigned.get(key) ?? this.route(key);
    if (group === undefined) return;
    this.assigned.set(key, group);
    group.workspace.openDocument(uri, text);
  }

  closeDocument(uri: string): void {
    const key = documentKey(uri, this.windows);
    if (this.isConfigKey(key)) {
      if (this.openConfigs.delete(key)) this.refreshConfigs();
      return;
    }
    const document = this.open.get(key);
    if (document === undefined) return;
    this.open.delete(key);
    const group = this.assigned.get(key);
    group?.workspace.closeDocument(document.uri);
    // The file as it is now, not as it was read at the start: the client may watch no file.
    if (pathsFor(this.windows).isAbsolute(key) && isManifestPath(key)) this.readDiskFile(key);
    if (!this.disk.has(key) && !this.open.has(key)) this.assigned.delete(key);
    this.pruneLooseGroups();
  }

  /** A document saved: its file is read again (the client may watch no file), and a config file taken up again. */
  saveDocument(uri: string): void {
    const path = uriPath(uri, this.windows);
    if (path === undefined) return;
    if (isConfigPath(path)) this.refreshConfigs();
    else if (isManifestPath(path)) this.readDiskFile(path);
  }

  /** A watcher's events: files read again or dropped, a folder created scanned, a folder deleted dropped with its files. */
  changeFiles(changes: readonly FileChange[]): void {
    let configs = false;
    for (const change of changes) {
      const path = uriPath(change.uri, this.windows);
      if (path === undefined) continue;
      if (isConfigPath(path)) configs = true;
      else if (change.type === 'deleted') configs = this.deleteBelow(path) || configs;
      else if (isManifestPath(path)) this.readDiskFile(path);
      else if (change.type === 'created' && this.isWatchedDirectory(path)) {
        // A folder created (or renamed to) may hold configs as well as manifests.
        this.scan(path);
        configs = true;
      }
    }
    if (configs) this.refreshConfigs();
  }

  /** The URIs whose text changed, or that were added or removed, since the last call, over every analysis. */
  takeTouched(): ReadonlySet<string> {
    const touched = new Set(this.dropped);
    this.dropped.clear();
    for (const group of this.groups()) for (const uri of group.workspace.takeTouched()) touched.add(uri);
    return touched;
  }

  /** The analysis a document belongs to; undefined when none analyzes it (skipped, or never opened). */
  snapshotFor(uri: string): Snapshot | undefined {
    return this.assigned.get(documentKey(uri, this.windows))?.workspace.snapshot();
  }

  /** The analysis of a document when one is named and analyzed, else the first folder's (or the first there is). */
  mainSnapshot(uri?: string): Snapshot {
    const named = uri === undefined ? undefined : this.snapshotFor(uri);
    return named ?? (this.folderGroups.get(this.folders[0] ?? '') ?? this.groups()[0])?.workspace.snapshot() ?? this.empty.snapshot();
  }

  /** Every analyzed URI over every analysis, sorted. */
  uris(): string[] {
    return this.groups()
      .flatMap((group) => group.workspace.snapshot().uris)
      .sort();
  }

  /**
   * Diagnostics keyed by URI, as `workspaceDiagnostics` gives them for one analysis, over every analysis; with `only`
   * (URIs), those of these documents alone, an empty list for one no longer analyzed.
   */
  diagnostics(only?: ReadonlySet<string>): Map<string, Diagnostic[]> {
    const byUri = new Map<string, Diagnostic[]>(only === undefined ? [] : [...only].map((uri) => [uri, []]));
    for (const group of this.groups()) {
      const snapshot = group.workspace.snapshot();
      const mine = only === undefined ? undefined : new Set([...only].filter((uri) => this.assigned.get(documentKey(uri, this.windows)) === group || uri === snapshot.config?.uri));
      if (mine?.size === 0) continue;
      // A config file shared by two analyses has the same diagnostics in both.
      for (const [uri, list] of workspaceDiagnostics(snapshot, mine)) byUri.set(uri, list);
    }
    return byUri;
  }

  private isConfigKey(key: string): boolean {
    return pathsFor(this.windows).isAbsolute(key) && isConfigPath(key);
  }

  private groups(): Group[] {
    return [...this.folderGroups.values(), ...this.looseGroups.values()];
  }

  private newGroup(folder: string | undefined, looseConfig: string | undefined): Group {
    const workspace = new Workspace(FileNames.paths(folder, this.windows));
    workspace.setSettings(this.rawSettings);
    return { workspace, folder, looseConfig, config: undefined };
  }

  /** A group leaving: its documents' diagnostics are cleared, and those still open are analyzed elsewhere. */
  private drop(group: Group): void {
    for (const uri of group.workspace.analyzedUris()) this.dropped.add(uri);
    for (const uri of group.workspace.takeTouched()) this.dropped.add(uri);
    for (const [key, owner] of this.assigned) if (owner === group) this.assigned.delete(key);
  }

  /** The innermost workspace folder holding a path. */
  private folderOf(path: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) if (pathBelow(folder, path, this.windows) !== undefined && (best === undefined || folder.length > best.length)) best = folder;
    return best;
  }

  /** The group a document belongs to (a loose group is made when needed); undefined when none analyzes it. */
  private route(key: string): Group | undefined {
    const paths = pathsFor(this.windows);
    if (!paths.isAbsolute(key)) return this.folderGroups.get(this.folders[0] ?? '') ?? this.looseGroup(this.configSetting());
    if (this.folderOf(key) !== undefined) return this.folderGroupOf(key);
    return this.looseGroup(this.findConfig(paths.dirname(key)));
  }

  /** The folder's group for a file below a workspace folder; undefined outside them or in a skipped folder. */
  private folderGroupOf(path: string): Group | undefined {
    const folder = this.folderOf(path);
    if (folder === undefined || isSkippedBelow(folder, path, { windows: this.windows })) return undefined;
    return this.folderGroups.get(folder);
  }

  private looseGroup(config: string | undefined): Group {
    const key = config ?? '';
    let group = this.looseGroups.get(key);
    if (group === undefined) {
      group = this.newGroup(undefined, config);
      this.looseGroups.set(key, group);
      this.applyConfig(group);
    }
    return group;
  }

  private pruneLooseGroups(): void {
    const used = new Set(this.assigned.values());
    for (const [key, group] of this.looseGroups) {
      if (used.has(group)) continue;
      this.drop(group);
      this.looseGroups.delete(key);
    }
  }

  /** The `configFile` setting as a path: absolute, or relative to the first folder. */
  private configSetting(): string | undefined {
    const setting = this.settings.configFile;
    return setting === undefined ? undefined : pathsFor(this.windows).resolve(this.folders[0] ?? '', setting);
  }

  /** The config for a folder: the setting, else the nearest config file in it or above it, open or on disk. */
  private findConfig(folder: string): string | undefined {
    const setting = this.configSetting();
    if (setting !== undefined) return setting;
    const paths = pathsFor(this.windows);
    for (let current = folder; ; current = paths.dirname(current)) {
      for (const name of CONFIG_FILE_NAMES) {
        const candidate = paths.join(current, name);
        if (this.openConfigs.has(candidate) || this.fs.isFile(candidate)) return candidate;
      }
      if (paths.dirname(current) === current) return undefined;
    }
  }

  /** Gives a group its config's current text (the open document's, else the file's); nothing when it is the same. */
  private applyConfig(group: Group): void {
    const path = group.folder === undefined ? group.looseConfig : this.findConfig(group.folder);
    const text = path === undefined ? undefined : (this.openConfigs.get(path) ?? this.fs.readTextFile(path));
    const next = path === undefined || text === undefined ? undefined : { path, text };
    if (next?.path === group.config?.path && next?.text === group.config?.text) return;
    group.config = next;
    group.workspace.setConfigFile(next === undefined ? undefined : { uri: pathUri(next.path, this.windows), text: next.text });
  }

  /**
   * After config files, folders or settings changed: every group takes its config again, and every document moves to
   * the group it now belongs to (a document outside the folders follows the config it finds).
   */
  private refreshConfigs(): void {
    for (const group of this.folderGroups.values()) this.applyConfig(group);
    for (const key of new Set([...this.disk.keys(), ...this.open.keys()])) {
      const from = this.assigned.get(key);
      const to = this.route(key);
      if (from !== to) this.move(key, from, to);
    }
    for (const group of this.looseGroups.values()) this.applyConfig(group);
    this.pruneLooseGroups();
  }

  private move(key: string, from: Group | undefined, to: Group | undefined): void {
    const document = this.open.get(key);
    let text = this.disk.get(key);
    // Only the folders are scanned and watched: a file outside them is known while it is open, from its unsaved text.
    if (text !== undefined && to?.folder === undefined) {
      this.disk.delete(key);
      text = undefined;
    }
    const uri = document?.uri ?? pathUri(key, this.windows);
    from?.workspace.deleteDiskFile(uri);
    from?.workspace.closeDocument(uri);
    if (to === undefined || (text === undefined && document === undefined)) {
      this.assigned.delete(key);
      return;
    }
    this.assigned.set(key, to);
    if (text !== undefined) to.workspace.setDiskFile(uri, text);
    if (document !== undefined) to.workspace.openDocument(document.uri, document.text);
  }

  /** Whether a created path is a folder to scan: below a workspace folder, not skipped, a directory. */
  private isWatchedDirectory(path: string): boolean {
    const folder = this.folderOf(path);
    return folder !== undefined && !isSkippedBelow(folder, path, { directory: true, windows: this.windows }) && this.fs.isDirectory(path);
  }

  private scan(directory: string): void {
    for (const path of this.fs.listManifestFiles(directory)) this.readDiskFile(path);
  }

  /** Reads a manifest file below a folder again (not one outside the folders or in a skipped folder). */
  private readDiskFile(path: string): void {
    const group = this.folderGroupOf(path);
    if (group === undefined) return;
    const text = this.fs.readTextFile(path);
    if (text === undefined) return void this.deleteDiskFile(path);
    this.disk.set(path, text);
    this.assigned.set(path, group);
    group.workspace.setDiskFile(pathUri(path, this.windows), text);
  }

  private deleteDiskFile(path: string): void {
    if (!this.disk.delete(path)) return;
    const group = this.assigned.get(path);
    group?.workspace.deleteDiskFile(pathUri(path, this.windows));
    if (!this.open.has(path)) this.assigned.delete(path);
  }

  /**
   * A path deleted: the file, or every file below the folder it was (clients report a folder deleted, not its files).
   * Returns whether a config file in use went with it.
   */
  private deleteBelow(path: string): boolean {
    // Prefix tests, not path arithmetic: a burst of events each goes over every file.
    const below = `${path}${pathsFor(this.windows).sep}`;
    if (this.disk.has(path)) this.deleteDiskFile(path);
    else for (const file of [...this.disk.keys()]) if (file.startsWith(below)) this.deleteDiskFile(file);
    return this.groups().some((group) => group.config?.path.startsWith(below) === true);
  }
}
