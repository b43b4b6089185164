// Workspace state: files on disk, open documents' unsaved text, the config file and settings; one analysis per state.
import { fileURLToPath } from 'node:url';
import { posix, win32 } from 'node:path';
import { loadManifests, mergeLoadResults, parseConfig, RULES, type InputIssue, type KubereachConfig, type LoadResult, type SourceText } from '@kubereach/core';
import { globToRegExp, matchesAny } from '@kubereach/core';
import { LineIndexes } from './positions.js';
import { DEFAULT_SETTINGS, resolveSettings, type ResolvedSettings } from './settings.js';
import { Snapshot } from './snapshot.js';

export interface ConfigState {
  readonly uri: string;
  readonly config: KubereachConfig;
  readonly issues: readonly InputIssue[];
  readonly source: SourceText;
  /** The config's ignore globs, compiled once. */
  readonly ignore: readonly RegExp[];
}

/** The load of one file's text, kept until the text changes. */
interface FileLoad {
  readonly text: string;
  readonly load: LoadResult;
}

/** `file:` URIs to `/`-separated paths; other schemes (untitled:) have none. */
function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const path = fileURLToPath(uri);
    return path.includes('\\') ? path.split(win32.sep).join('/') : path;
  } catch {
    return undefined;
  }
}

export class Workspace {
  private readonly disk = new Map<string, string>();
  private readonly open = new Map<string, string>();
  private configState: ConfigState | undefined;
  private settingsState: ResolvedSettings = DEFAULT_SETTINGS;
  private current: Snapshot | undefined;
  /** Per-file loads of the last analysis: after an edit only the edited file is loaded again, and all are merged. */
  private readonly loads = new Map<string, FileLoad>();
  private readonly lineIndexes = new LineIndexes();
  /** The analyzed URIs, kept while no file is added or removed and the config stays: an edit changes a text only. */
  private uris: readonly string[] | undefined;
  /** URIs whose text changed, were added or removed since `takeTouched` was last called. */
  private readonly touched = new Set<string>();

  /** A file read from disk (scan or watcher); open documents keep their unsaved text over it. */
  setDiskFile(uri: string, text: string): void {
    if (this.disk.get(uri) === text) return;
    const added = !this.disk.has(uri);
    this.disk.set(uri, text);
    this.changed(added, uri);
  }

  deleteDiskFile(uri: string): void {
    if (this.disk.delete(uri)) this.changed(true, uri);
  }

  openDocument(uri: string, text: string): void {
    if (this.open.get(uri) === text) return;
    const added = !this.open.has(uri);
    this.open.set(uri, text);
    this.changed(added, uri);
  }

  /** Closing drops the unsaved text: the file on disk (if any) is analyzed again. */
  closeDocument(uri: string): void {
    if (this.open.delete(uri)) this.changed(true, uri);
  }

  /**
   * The URIs whose text changed (or that were added or removed) since the last call: the files whose diagnostics a
   * server sends first after an edit. Config and settings changes touch no URI; they concern every file.
   */
  takeTouched(): ReadonlySet<string> {
    const touched = new Set(this.touched);
    this.touched.clear();
    return touched;
  }

  /** The `.kubereach.yaml` in effect, or undefined for none. */
  setConfigFile(source: { uri: string; text: string } | undefined): void {
    if (source === undefined) this.configState = undefined;
    else {
      const parsed = parseConfig({ path: source.uri, text: source.text }, RULES);
      this.configState = {
        uri: source.uri,
        config: parsed.config,
        issues: parsed.issues,
        source: { path: source.uri, text: source.text },
        ignore: parsed.config.ignore.map(globToRegExp),
      };
    }
    this.changed(true);
  }

  get config(): ConfigState | undefined {
    return this.configState;
  }

  /** Applies editor settings; returns one message per invalid setting (the valid ones still apply). */
  setSettings(raw: unknown): string[] {
    const { settings, problems } = resolveSettings(raw);
    this.settingsState = settings;
    this.changed();
    return problems;
  }

  get settings(): ResolvedSettings {
    return this.settingsState;
  }

  /** Every analyzed URI, sorted: open documents and disk files, less the config file and ignored files. */
  analyzedUris(): readonly string[] {
    if (this.uris === undefined) {
      const uris = new Set([...this.disk.keys(), ...this.open.keys()]);
      if (this.configState !== undefined) uris.delete(this.configState.uri);
      this.uris = [...uris].filter((uri) => !this.isIgnored(uri)).sort();
    }
    return this.uris;
  }

  isIgnored(uri: string): boolean {
    const state = this.configState;
    const path = filePath(uri);
    const configPath = state === undefined ? undefined : filePath(state.uri);
    if (state === undefined || state.ignore.length === 0 || path === undefined || configPath === undefined) return false;
    const relative = posix.relative(posix.dirname(configPath), path);
    return matchesAny(relative, state.ignore);
  }

  textOf(uri: string): string | undefined {
    return this.open.get(uri) ?? this.disk.get(uri);
  }

  /** The analysis of the current state, computed on first use after a change. */
  snapshot(): Snapshot {
    this.current ??= new Snapshot(this.load(), this.configState, this.settingsState, this.lineIndexes);
    return this.current;
  }

  /** What loading every analyzed file at once gives, from the kept per-file loads and new loads of changed texts. */
  private load(): LoadResult {
    const uris = this.analyzedUris();
    const loads = uris.map((uri) => {
      const text = this.textOf(uri)!;
      let kept = this.loads.get(uri);
      if (kept?.text !== text) {
        kept = { text, load: loadManifests([{ path: uri, text }]) };
        this.loads.set(uri, kept);
      }
      return kept.load;
    });
    const analyzed = new Set(uris);
    for (const uri of this.loads.keys()) if (!analyzed.has(uri)) this.loads.delete(uri);
    this.lineIndexes.retain((uri) => analyzed.has(uri) || uri === this.configState?.uri);
    return mergeLoadResults(loads);
  }

  /** `files`: the set of analyzed URIs may have changed too; `uri`: the file whose text changed. */
  private changed(files = false, uri?: string): void {
    this.current = undefined;
    if (files) this.uris = undefined;
    if (uri !== undefined) this.touched.add(uri);
  }
}
