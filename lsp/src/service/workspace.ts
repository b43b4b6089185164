// One analysis: files on disk, open documents' unsaved text, the config file and settings; one snapshot per state.
import { posix } from 'node:path';
import { loadManifests, mergeLoadResults, parseConfig, RULES, type InputIssue, type KubereachConfig, type LoadResult, type SourceText } from '@kubereach/core';
import { globToRegExp, matchesAny } from '@kubereach/core';
import { FileNames, uriPath } from './file-names.js';
import { LineIndexes } from './positions.js';
import { DEFAULT_SETTINGS, resolveSettings, type ResolvedSettings } from './settings.js';
import { Snapshot } from './snapshot.js';

export interface ConfigState {
  readonly uri: string;
  readonly config: KubereachConfig;
  readonly issues: readonly InputIssue[];
  /** The config's text under the name core gives it (its issues' `location.file`). */
  readonly source: SourceText;
  /** The config's ignore globs, compiled once. */
  readonly ignore: readonly RegExp[];
}

/** The load of one file's text, kept until the text changes. */
interface FileLoad {
  readonly text: string;
  readonly load: LoadResult;
}

/** Paths with `/` separators, which ignore globs are written in. */
const slashed = (path: string): string => path.replaceAll('\\', '/');

/**
 * Every method takes URIs, however the client spells them, and keeps each document under the name `names` gives it:
 * what core's locations and messages say, what `Snapshot.fileOf` finds, what `uriOf` turns back into the URI.
 */
export class Workspace {
  private readonly disk = new Map<string, string>();
  private readonly open = new Map<string, string>();
  private configState: ConfigState | undefined;
  private settingsState: ResolvedSettings = DEFAULT_SETTINGS;
  private current: Snapshot | undefined;
  /** Per-file loads of the last analysis: after an edit only the edited file is loaded again, and all are merged. */
  private readonly loads = new Map<string, FileLoad>();
  private readonly lineIndexes = new LineIndexes();
  /** The analyzed names, kept while no file is added or removed and the config stays: an edit changes a text only. */
  private files: readonly string[] | undefined;
  /** Names whose text changed, were added or removed since `takeTouched` was last called. */
  private readonly touched = new Set<string>();

  constructor(readonly names: FileNames = FileNames.uris()) {}

  /** A file read from disk (scan or watcher); open documents keep their unsaved text over it. */
  setDiskFile(uri: string, text: string): void {
    const file = this.names.nameOf(uri);
    if (this.disk.get(file) === text) return;
    const added = !this.disk.has(file);
    this.disk.set(file, text);
    this.changed(added, file);
  }

  deleteDiskFile(uri: string): void {
    const file = this.names.nameOf(uri);
    if (this.disk.delete(file)) this.changed(true, file);
  }

  openDocument(uri: string, text: string): void {
    const file = this.names.nameOf(uri);
    if (this.open.get(file) === text) return;
    const added = !this.open.has(file);
    this.open.set(file, text);
    this.changed(added, file);
  }

  /** Closing drops the unsaved text: the file on disk (if any) is analyzed again. */
  closeDocument(uri: string): void {
    const file = this.names.nameOf(uri);
    if (this.open.delete(file)) this.changed(true, file);
  }

  /**
   * The URIs whose text changed (or that were added or removed) since the last call: the files whose diagnostics a
   * server sends first after an edit. Config and settings changes touch no URI; they concern every file.
   */
  takeTouched(): ReadonlySet<string> {
    const touched = new Set([...this.touched].map((file) => this.names.uriOf(file)));
    this.touched.clear();
    return touched;
  }

  /** The `.kubereach.yaml` in effect, or undefined for none. */
  setConfigFile(source: { uri: string; text: string } | undefined): void {
    if (source === undefined) this.configState = undefined;
    else {
      const name = this.names.nameOf(source.uri);
      const parsed = parseConfig({ path: name, text: source.text }, RULES);
      this.configState = {
        uri: this.names.uriOf(name),
        config: parsed.config,
        issues: parsed.issues,
        source: { path: name, text: source.text },
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

  /** Every analyzed URI, sorted by name: open documents and disk files, less the config file and ignored files. */
  analyzedUris(): readonly string[] {
    return this.analyzedFiles().map((file) => this.names.uriOf(file));
  }

  private analyzedFiles(): readonly string[] {
    if (this.files === undefined) {
      const files = new Set([...this.disk.keys(), ...this.open.keys()]);
      if (this.configState !== undefined) files.delete(this.configState.source.path);
      this.files = [...files].filter((file) => !this.isIgnored(file)).sort();
    }
    return this.files;
  }

  private isIgnored(file: string): boolean {
    const state = this.configState;
    if (state === undefined || state.ignore.length === 0) return false;
    const path = this.names.pathOf(file);
    const configPath = uriPath(state.uri);
    if (path === undefined || configPath === undefined) return false;
    return matchesAny(posix.relative(posix.dirname(slashed(configPath)), slashed(path)), state.ignore);
  }

  textOf(uri: string): string | undefined {
    const file = this.names.nameOf(uri);
    return this.open.get(file) ?? this.disk.get(file);
  }

  /** The analysis of the current state, computed on first use after a change. */
  snapshot(): Snapshot {
    this.current ??= new Snapshot(this.load(), this.configState, this.settingsState, this.lineIndexes, this.names);
    return this.current;
  }

  /** What loading every analyzed file at once gives, from the kept per-file loads and new loads of changed texts. */
  private load(): LoadResult {
    const files = this.analyzedFiles();
    const loads = files.map((file) => {
      const text = this.open.get(file) ?? this.disk.get(file)!;
      let kept = this.loads.get(file);
      if (kept?.text !== text) {
        kept = { text, load: loadManifests([{ path: file, text }]) };
        this.loads.set(file, kept);
      }
      return kept.load;
    });
    const analyzed = new Set(files);
    for (const file of this.loads.keys()) if (!analyzed.has(file)) this.loads.delete(file);
    this.lineIndexes.retain((file) => analyzed.has(file) || file === this.configState?.source.path);
    return mergeLoadResults(loads);
  }

  /** `files`: the set of analyzed files may have changed too; `file`: the file whose text changed. */
  private changed(files = false, file?: string): void {
    this.current = undefined;
    if (files) this.files = undefined;
    if (file !== undefined) this.touched.add(file);
  }
}
