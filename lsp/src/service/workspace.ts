// Workspace state: files on disk, open documents' unsaved text, the config file and settings; one analysis per state.
import { fileURLToPath } from 'node:url';
import { posix, win32 } from 'node:path';
import { parseConfig, RULES, type InputIssue, type KubereachConfig, type SourceText } from '@kubereach/core';
import { globToRegExp, matchesAny } from '@kubereach/core';
import { DEFAULT_SETTINGS, resolveSettings, type ResolvedSettings } from './settings.js';
import { Snapshot } from './snapshot.js';

export interface ConfigState {
  readonly uri: string;
  readonly config: KubereachConfig;
  readonly issues: readonly InputIssue[];
  readonly source: SourceText;
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

  /** A file read from disk (scan or watcher); open documents keep their unsaved text over it. */
  setDiskFile(uri: string, text: string): void {
    if (this.disk.get(uri) === text) return;
    this.disk.set(uri, text);
    this.changed();
  }

  deleteDiskFile(uri: string): void {
    if (this.disk.delete(uri)) this.changed();
  }

  openDocument(uri: string, text: string): void {
    if (this.open.get(uri) === text) return;
    this.open.set(uri, text);
    this.changed();
  }

  /** Closing drops the unsaved text: the file on disk (if any) is analyzed again. */
  closeDocument(uri: string): void {
    if (this.open.delete(uri)) this.changed();
  }

  /** The `.kubereach.yaml` in effect, or undefined for none. */
  setConfigFile(source: { uri: string; text: string } | undefined): void {
    if (source === undefined) this.configState = undefined;
    else {
      const parsed = parseConfig({ path: source.uri, text: source.text }, RULES);
      this.configState = { uri: source.uri, config: parsed.config, issues: parsed.issues, source: { path: source.uri, text: source.text } };
    }
    this.changed();
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
  analyzedUris(): string[] {
    const uris = new Set([...this.disk.keys(), ...this.open.keys()]);
    if (this.configState !== undefined) uris.delete(this.configState.uri);
    return [...uris].filter((uri) => !this.isIgnored(uri)).sort();
  }

  isIgnored(uri: string): boolean {
    const state = this.configState;
    const path = filePath(uri);
    const configPath = state === undefined ? undefined : filePath(state.uri);
    if (state === undefined || state.config.ignore.length === 0 || path === undefined || configPath === undefined) return false;
    const relative = posix.relative(posix.dirname(configPath), path);
    return matchesAny(relative, state.config.ignore.map(globToRegExp));
  }

  textOf(uri: string): string | undefined {
    return this.open.get(uri) ?? this.disk.get(uri);
  }

  /** The analysis of the current state, computed on first use after a change. */
  snapshot(): Snapshot {
    this.current ??= new Snapshot(
      this.analyzedUris().map((uri) => ({ path: uri, text: this.textOf(uri)! })),
      this.configState,
      this.settingsState,
    );
    return this.current;
  }

  private changed(): void {
    this.current = undefined;
  }
}
