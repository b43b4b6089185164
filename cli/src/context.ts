// What every command shares: I/O streams, exit codes, common options, and reading + analysing the inputs.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import {
  analyzeLoaded,
  DEFAULT_LOAD_LIMITS,
  globToRegExp,
  loadManifests,
  matchesAny,
  resolveProfile,
  type Analysis,
  type ClusterComponentSettings,
  type InputIssue,
  type LoadLimits,
  type SourceText,
} from '@kubereach/core';
import type { ClusterInputs } from './cluster/read-cluster.js';
import { loadConfig } from './config-file.js';
import { readInputs } from './inputs.js';
import { Locations, reportIssues } from './report-issues.js';
import { colorWanted, createStyle } from './terminal.js';

/**
 * Exit codes, documented in the README. `outputClosed` is 128 + SIGPIPE: the status a shell shows for kubectl or git
 * when the reader of their output goes away (`| head -1`) and SIGPIPE ends them; Node ignores SIGPIPE, so kubereach
 * exits with that status itself.
 */
export const EXIT = { ok: 0, problems: 1, inputOrUsage: 2, internal: 70, outputClosed: 141 } as const;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves once stdout has taken what was written: a pipe whose reader is slower holds the rest in memory. */
  stdoutDrained: () => Promise<void>;
  readStdin: () => string;
}

const watchedStreams = new WeakSet<NodeJS.WriteStream>();

/** Writes to stdout or stderr, ending the process as SIGPIPE would once the stream's reader has gone away. */
function writeToProcessStream(stream: NodeJS.WriteStream, text: string): void {
  if (!watchedStreams.has(stream)) {
    // Watched from the first write only: `kubereach lsp` talks over stdout through its own connection.
    watchedStreams.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT.outputClosed);
      throw error;
    });
  }
  stream.write(text);
}

export const processIo: Io = {
  stdout: (text) => writeToProcessStream(process.stdout, text),
  stderr: (text) => writeToProcessStream(process.stderr, text),
  stdoutDrained: () =>
    // An errored stdout never drains: its 'error' event, due on this turn of the event loop, ends the process.
    process.stdout.writableNeedDrain || process.stdout.errored !== null
      ? new Promise((resolve) => process.stdout.once('drain', resolve))
      : Promise.resolve(),
  readStdin: () => readFileSync(0, 'utf8'),
};

export interface CommonOptions {
  config?: string;
  cni?: string;
  namespace?: string;
  color?: boolean;
  verbose?: boolean;
  maxYamlAliases?: number;
  maxDepth?: number;
  maxDocumentSize?: number;
  maxDocuments?: number;
}

/** The options `addClusterOptions` adds. */
export interface ClusterCommandOptions {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  /** Seconds. */
  requestTimeout: number;
}

export interface CommandEnv {
  readonly io: Io;
  setExitCode(code: number): void;
}

/** Validates `--cni`: one profile, or (where the command compares, `matrix`) two separated by a comma. */
function cniParser(compares: boolean): (value: string) => string {
  return (value) => {
    const ids = value.split(',');
    if (ids.length > (compares ? 2 : 1)) {
      throw new InvalidArgumentError(compares ? 'expected one network plugin, or two separated by a comma to compare them' : 'expected one network plugin (kubereach matrix --cni a,b compares two)');
    }
    for (const id of ids) {
      const profile = resolveProfile(id);
      if ('error' in profile) throw new InvalidArgumentError(profile.error);
    }
    return value;
  };
}

/** The options of every command reading manifests; `comparesCni`: `--cni` also takes two profiles (matrix). */
export function addCommonOptions(command: Command, { comparesCni = false } = {}): Command {
  const cniHelp = 'network plugin: what it enforces decides the matrix (kubenet, calico, cilium@1.15, ...; default: detected, else generic)';
  return command
    .option('-c, --config <file>', 'use this config file instead of the nearest .kubereach.yaml')
    .option('--cni <profile>', comparesCni ? `${cniHelp}; two, comma-separated, print only the paths that differ` : cniHelp, cniParser(comparesCni))
    .option('-n, --namespace <name>', 'namespace of objects that name none (default: "default")')
    .option('--no-color', 'never colour the output (colour is used only on a terminal)')
    .option('-v, --verbose', 'list every skipped document (non-Kubernetes documents, kinds kubereach does not read)')
    .option('--max-yaml-aliases <n>', `nodes YAML aliases may add per document (default: ${DEFAULT_LOAD_LIMITS.maxAliasExpansion})`, parsePositiveInteger)
    .option('--max-depth <n>', `nesting depth per document (default: ${DEFAULT_LOAD_LIMITS.maxDepth})`, parsePositiveInteger)
    .option('--max-document-size <bytes>', `size of one document (default: ${DEFAULT_LOAD_LIMITS.maxDocumentSize})`, parsePositiveInteger)
    .option('--max-documents <n>', `documents per file (default: ${DEFAULT_LOAD_LIMITS.maxDocuments})`, parsePositiveInteger);
}

/** `--cluster` and its connection options: matrix, lint, explain (and diff) read a live cluster with them. */
export function addClusterOptions(command: Command): Command {
  return command
    .option('--cluster', 'also read the objects of a live cluster (read-only; see docs/live-cluster-and-limits.md)')
    .option('--kubeconfig <file>', 'kubeconfig for --cluster (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context for --cluster (default: its current context)')
    .option('--request-timeout <seconds>', 'give up on a cluster request after this long', parsePositiveInteger, 30);
}

/** The paths to read: the current directory when none are given, unless the cluster is the input. */
export function inputPaths(paths: readonly string[], options: Pick<ClusterCommandOptions, 'cluster'>): readonly string[] {
  return paths.length > 0 || options.cluster === true ? paths : ['.'];
}

/** Reads the live cluster when `--cluster` is given; undefined otherwise. */
export async function readClusterOption(options: ClusterCommandOptions): Promise<ClusterInputs | undefined> {
  if (options.cluster !== true) return undefined;
  // Loaded here: commands reading files never load the HTTP client.
  const { readClusterInputs } = await import('./cluster/read-cluster.js');
  return readClusterInputs({
    ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
    ...(options.context === undefined ? {} : { context: options.context }),
    requestTimeoutMs: options.requestTimeout * 1000,
  });
}

/**
 * What `.kubereach.yaml` (`--config`, else the nearest one up from the first input) gives every command that reads
 * manifests, options winning over it: the network plugin, the namespace of objects that name none, the files to leave
 * out, and where the ingress controllers and cluster DNS run. Its mistakes are reported with the input's.
 */
export interface ConfiguredSettings {
  /** `cni` as given: with `--cni a,b` (matrix), both profiles. */
  readonly analysis: AnalysisSettings & { readonly ignore: readonly IgnoreGlobs[] };
  readonly components: ClusterComponentSettings;
  readonly config: ReturnType<typeof loadConfig>;
}

export function configuredSettings(paths: readonly string[], options: CommonOptions): ConfiguredSettings {
  const loaded = loadConfig(options.config, paths);
  const { config } = loaded;
  return {
    analysis: {
      defaultNamespace: options.namespace ?? config.namespace ?? 'default',
      cni: options.cni ?? config.cni,
      ignore: config.ignore.length === 0 ? [] : [{ globs: config.ignore, folder: loaded.folder }],
      extraIssues: loaded.issues,
      extraSources: loaded.source === undefined ? [] : [loaded.source],
    },
    components: { ingressControllers: config.ingressControllers, clusterDns: config.clusterDns },
    config: loaded,
  };
}

/** Globs of files to leave out, relative to a folder. */
export interface IgnoreGlobs {
  readonly globs: readonly string[];
  readonly folder: string;
}

/** The sources no ignore glob matches (stdin is always read). */
export function withoutIgnored<S extends { readonly path: string }>(sources: readonly S[], ignore: readonly IgnoreGlobs[]): readonly S[] {
  let kept = sources;
  for (const { globs, folder } of ignore) {
    if (globs.length === 0) continue;
    const patterns = globs.map(globToRegExp);
    kept = kept.filter((s) => s.path === '-' || !matchesAny(relative(folder, resolve(s.path)).split(sep).join('/'), patterns));
  }
  return kept;
}

export function loadLimits(options: CommonOptions): Partial<LoadLimits> {
  const limits: { -readonly [K in keyof LoadLimits]?: number } = {};
  if (options.maxYamlAliases !== undefined) limits.maxAliasExpansion = options.maxYamlAliases;
  if (options.maxDepth !== undefined) limits.maxDepth = options.maxDepth;
  if (options.maxDocumentSize !== undefined) limits.maxDocumentSize = options.maxDocumentSize;
  if (options.maxDocuments !== undefined) limits.maxDocuments = options.maxDocuments;
  return limits;
}

export interface AnalysisRun {
  readonly analysis: Analysis;
  readonly locations: Locations;
  /** Unreadable paths, empty directories. */
  readonly pathIssues: readonly InputIssue[];
  /** True when any error (path or input) kept something out of the analysis. */
  readonly inputFailed: boolean;
  /** Milliseconds spent reading the inputs, loading them (parse, decode, validate) and building the engine's result. */
  readonly phases: { readonly read: number; readonly load: number; readonly analysis: number };
}

export interface AnalysisSettings {
  readonly defaultNamespace: string;
  /** Network plugin profile; undefined: detected from the manifests, else generic. */
  readonly cni?: string | undefined;
  /** Files to leave out. */
  readonly ignore?: readonly IgnoreGlobs[];
  /** Single files to leave out, however the inputs name them (compared as absolute paths). */
  readonly excludeFiles?: readonly string[];
  /** Issues found before the analysis (the config file's), printed with the others. */
  readonly extraIssues?: readonly InputIssue[];
  readonly extraSources?: readonly SourceText[];
  /** Objects read from a live cluster (`--cluster`), analysed with the files. */
  readonly cluster?: ClusterInputs;
  /**
   * The command reports the loader's errors and warnings as findings (lint: invalid-manifest and the rules it leaves
   * them to), so stderr does not print them a second time; its infos are still summarised there.
   */
  readonly loadIssuesAreFindings?: boolean;
}

/** Reads the inputs, analyses them once, and prints input issues on stderr. */
export function runAnalysis(paths: readonly string[], options: CommonOptions, settings: AnalysisSettings, io: Io): AnalysisRun {
  const started = performance.now();
  const files = readInputs(paths, io.readStdin);
  const inputs = { sources: files.sources, issues: [...files.issues, ...(settings.cluster?.issues ?? [])] };
  const excluded = new Set((settings.excludeFiles ?? []).map((path) => resolve(path)));
  const sources = withoutIgnored(inputs.sources, settings.ignore ?? []).filter((s) => s.path === '-' || !excluded.has(resolve(s.path)));
  const read = performance.now();
  const limits = loadLimits(options);
  const load = loadManifests([...sources, ...(settings.cluster?.sources ?? [])], { limits });
  const loaded = performance.now();
  const analysis = analyzeLoaded(load, {
    defaultNamespace: settings.defaultNamespace,
    ...(settings.cni === undefined ? {} : { cni: settings.cni }),
    limits,
  });
  const analyzed = performance.now();
  const extra = settings.extraIssues ?? [];
  const allSources = new Map(analysis.load.sources);
  for (const source of settings.extraSources ?? []) allSources.set(source.path, source);
  const locations = new Locations(allSources);
  const style = createStyle(colorWanted(process.stderr, options.color));
  const all = [...extra, ...inputs.issues, ...analysis.issues];
  const loadIssuesPrinted = settings.loadIssuesAreFindings === true ? analysis.issues.filter((issue) => issue.severity === 'info') : analysis.issues;
  reportIssues([...extra, ...inputs.issues, ...loadIssuesPrinted], locations, style, (line) => io.stderr(`${line}\n`), options.verbose === true);
  return {
    analysis,
    locations,
    pathIssues: inputs.issues,
    inputFailed: all.some((issue) => issue.severity === 'error'),
    phases: { read: read - started, load: loaded - read, analysis: analyzed - loaded },
  };
}

export function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}
