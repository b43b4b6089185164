// `kubereach diff`: the connectivity delta between two trees or git revisions, each change with the policy change behind it.
import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  analyze,
  diffConnectivity,
  type Analysis,
  type ChangeKind,
  type ConnectivityChange,
  type ConnectivityDiff,
  type DiffCause,
  type InputIssue,
  type SourceText,
} from '@kubereach/core';
import {
  addClusterOptions,
  addCommonOptions,
  configuredSettings,
  EXIT,
  loadLimits,
  readClusterOption,
  withoutIgnored,
  type ClusterCommandOptions,
  type CommandEnv,
  type CommonOptions,
  type ConfiguredSettings,
  type Io,
} from '../context.js';
import { readInputs } from '../inputs.js';
import { Locations, reportIssues } from '../report-issues.js';
import { colorWanted, createStyle, type Style } from '../terminal.js';

export const DIFF_JSON_SCHEMA = 'kubereach.dev/diff/v1';
const KINDS: readonly ChangeKind[] = ['added', 'removed', 'changed'];

interface DiffOptions extends CommonOptions, ClusterCommandOptions {
  base?: string;
  format: DiffFormatName;
  failOn: ChangeKind[];
}

interface Side {
  readonly label: string;
  readonly analysis: Analysis;
  readonly locations: Locations;
  readonly failed: boolean;
}

function parseKinds(value: string): ChangeKind[] {
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new InvalidArgumentError(`expected a comma-separated list of added, removed, changed (got ${unknown.join(', ')})`);
  return kinds as ChangeKind[];
}

/** `<rev>:<path>` unless the text names an existing path (a path may hold a colon). */
function splitRevisionSpec(spec: string): { revision: string; path: string } | undefined {
  if (existsSync(spec)) return undefined;
  const colon = spec.indexOf(':');
  if (colon <= 0) return undefined;
  return { revision: spec.slice(0, colon), path: spec.slice(colon + 1) === '' ? '.' : spec.slice(colon + 1) };
}

/** How both sides are read: `.kubereach.yaml`'s settings (options winning) and the load limits. */
interface DiffContext {
  readonly options: DiffOptions;
  readonly settings: ConfiguredSettings['analysis'];
}

function loadSide(label: string, sources: readonly SourceText[], issues: readonly InputIssue[], { options, settings }: DiffContext, io: Io): Side {
  const analysis = analyze(withoutIgnored(sources, settings.ignore), {
    defaultNamespace: settings.defaultNamespace,
    ...(settings.cni === undefined ? {} : { cni: settings.cni }),
    limits: loadLimits(options),
  });
  const locations = new Locations(analysis.load.sources);
  const style = createStyle(colorWanted(process.stderr, options.color));
  const printed = [...issues, ...analysis.issues];
  reportIssues(printed, locations, style, (line) => io.stderr(`${line}\n`), options.verbose === true);
  return { label, analysis, locations, failed: printed.some((issue) => issue.severity === 'error') };
}

async function readSide(spec: { revision: string; paths: readonly string[] } | { paths: readonly string[] }, context: DiffContext, io: Io): Promise<Side> {
  if ('revision' in spec) {
    // Loaded here: the other commands never need child_process.
    const { readAtRevision } = await import('../git-revision.js');
    const { sources, issues } = readAtRevision(spec.revision, spec.paths, process.cwd());
    return loadSide(spec.revision, sources, issues, context, io);
  }
  const { sources, issues } = readInputs(spec.paths, io.readStdin);
  return loadSide(spec.paths.join(' '), sources, issues, context, io);
}

function describeCause(cause: DiffCause, before: Side, after: Side): string {
  if (cause.kind === 'policy') {
    const { change } = cause;
    const side = change.kind === 'removed' ? before : after;
    return `policy ${change.id} (${cause.direction}) ${change.kind} at ${side.locations.format(change.location)}`;
  }
  if (cause.kind === 'workload') {
    const side = cause.change.kind === 'removed' ? before : after;
    return `workload ${cause.change.id} ${cause.change.kind} at ${side.locations.format(cause.change.location)}`;
  }
  const where = cause.change.location === undefined ? '' : ` at ${after.locations.format(cause.change.location)}`;
  return `labels of namespace ${cause.change.name} changed${where}`;
}

function connections(change: ConnectivityChange): string {
  if (change.kind === 'added') return change.after.toString();
  if (change.kind === 'removed') return change.before.toString();
  return `${change.before.toString()} -> ${change.after.toString()}`;
}

const MARKS: Readonly<Record<ChangeKind, string>> = { added: '+', removed: '-', changed: '~' };

function summary(diff: ConnectivityDiff): string {
  const count = (kind: ChangeKind) => diff.changes.filter((c) => c.kind === kind).length;
  const exposed = diff.changes.filter((c) => c.exposure !== undefined).length;
  return `${count('added')} added, ${count('removed')} removed, ${count('changed')} changed${exposed > 0 ? `, ${exposed} with new exposure outside the cluster` : ''}`;
}

function exposureLabel(change: ConnectivityChange): string {
  return change.exposure === 'ingress-from-outside' ? 'new ingress from outside the cluster' : 'new egress to outside the cluster';
}

function formatText(diff: ConnectivityDiff, before: Side, after: Side, style: Style): string {
  const lines = [style.bold(`connectivity diff ${before.label} -> ${after.label}: ${summary(diff)}`)];
  const exposed = diff.changes.filter((c) => c.exposure !== undefined);
  const sections: [string, ConnectivityChange[]][] = [
    ['New exposure outside the cluster', exposed],
    ...KINDS.map((kind): [string, ConnectivityChange[]] => [
      kind[0]!.toUpperCase() + kind.slice(1),
      diff.changes.filter((c) => c.kind === kind && c.exposure === undefined),
    ]),
  ];
  for (const [title, changes] of sections) {
    if (changes.length === 0) continue;
    lines.push('', style.bold(`${title}:`));
    for (const change of changes) {
      const mark = change.kind === 'added' ? style.green('+') : change.kind === 'removed' ? style.red('-') : style.yellow('~');
      const exposure = change.exposure === undefined ? '' : ` ${style.red(`[${exposureLabel(change)}]`)}`;
      lines.push(`  ${mark} ${change.source.id} => ${change.destination.id} : ${connections(change)}${exposure}`);
      for (const cause of change.causes) lines.push(`      ${style.dim('because')} ${describeCause(cause, before, after)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function formatMarkdown(diff: ConnectivityDiff, before: Side, after: Side): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['### kubereach connectivity diff', '', `\`${cell(before.label)}\` → \`${cell(after.label)}\`: ${summary(diff)}`, ''];
  if (diff.changes.length === 0) return `${lines.join('\n')}\nNo connection changed.\n`;
  const exposed = diff.changes.filter((c) => c.exposure !== undefined);
  if (exposed.length > 0) {
    lines.push('> [!WARNING]', `> ${exposed.length} change${exposed.length === 1 ? '' : 's'} open${exposed.length === 1 ? 's' : ''} connections across the cluster edge:`);
    for (const change of exposed) lines.push(`> - **${exposureLabel(change)}**: \`${change.source.id}\` → \`${change.destination.id}\` : ${cell(change.gained.toString())}`);
    lines.push('');
  }
  lines.push('| | Source | Destination | Before | After | Responsible change |', '| --- | --- | --- | --- | --- | --- |');
  for (const change of diff.changes) {
    const causes = change.causes.map((cause) => cell(describeCause(cause, before, after))).join('<br>');
    const before_ = change.kind === 'added' ? '—' : cell(change.before.toString());
    const after_ = change.kind === 'removed' ? '—' : cell(change.after.toString());
    const mark = change.exposure === undefined ? MARKS[change.kind] : `${MARKS[change.kind]} ⚠️`;
    lines.push(`| ${mark} | \`${change.source.id}\` | \`${change.destination.id}\` | ${before_} | ${after_} | ${causes} |`);
  }
  return `${lines.join('\n')}\n`;
}

function formatJson(diff: ConnectivityDiff, before: Side, after: Side): string {
  const locate = (side: Side, location: { file: string; range: { start: number } } | undefined) =>
    location === undefined ? undefined : side.locations.format({ file: location.file, range: { start: location.range.start, end: location.range.start } });
  const document = {
    schema: DIFF_JSON_SCHEMA,
    before: before.label,
    after: after.label,
    changes: diff.changes.map((change) => ({
      kind: change.kind,
      source: change.source,
      destination: change.destination,
      before: change.before.toJSON(),
      after: change.after.toJSON(),
      gained: change.gained.toJSON(),
      lost: change.lost.toJSON(),
      exposure: change.exposure ?? null,
      causes: change.causes.map((cause) =>
        cause.kind === 'policy'
          ? { kind: 'policy', policy: cause.change.id, change: cause.change.kind, direction: cause.direction, at: locate(cause.change.kind === 'removed' ? before : after, cause.change.location) }
          : cause.kind === 'workload'
            ? { kind: 'workload', workload: cause.change.id, change: cause.change.kind, at: locate(cause.change.kind === 'removed' ? before : after, cause.change.location) }
            : { kind: 'namespace', namespace: cause.change.name, change: 'changed', at: locate(after, cause.change.location) ?? null },
      ),
    })),
    policies: diff.policies.map((p) => ({ id: p.id, change: p.kind, at: locate(p.kind === 'removed' ? before : after, p.location) })),
    summary: Object.fromEntries(KINDS.map((kind) => [kind, diff.changes.filter((c) => c.kind === kind).length])),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The line format of netpol-analyzer's connectivity diff, so results can be compared with it. */
function formatConnlist(diff: ConnectivityDiff): string {
  const none = 'No Connections';
  const lines = diff.changes.map((change) => {
    const ref1 = change.kind === 'added' ? none : change.before.toString();
    const ref2 = change.kind === 'removed' ? none : change.after.toString();
    return `diff-type: ${change.kind}, source: ${change.source.id}, destination: ${change.destination.id}, ref1: ${ref1}, ref2: ${ref2}`;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

const DIFF_FORMATS = {
  text: (diff: ConnectivityDiff, before: Side, after: Side, style: Style) => formatText(diff, before, after, style),
  md: (diff: ConnectivityDiff, before: Side, after: Side) => formatMarkdown(diff, before, after),
  json: (diff: ConnectivityDiff, before: Side, after: Side) => formatJson(diff, before, after),
  connlist: (diff: ConnectivityDiff) => formatConnlist(diff),
} as const;

type DiffFormatName = keyof typeof DIFF_FORMATS;

export function registerDiff(program: Command, { io, setExitCode }: CommandEnv): void {
  addClusterOptions(addCommonOptions(
    program
      .command('diff')
      .description('the connections added, removed and changed between two trees, git revisions, or the live cluster and a tree, with the policy change behind each')
      .argument('[specs...]', '<before> <after>, each a path or <rev>:<path>; with --base or --cluster, the paths to compare (default: .)')
      .option('--base <rev>', 'compare the paths at this git revision with the working tree (read through git; the working tree is not touched)')
      .addOption(new Option('-o, --format <format>', 'output format').choices(Object.keys(DIFF_FORMATS)).default('text'))
      .addOption(
        new Option('--fail-on <kinds>', 'exit 1 when a change of these kinds exists: added,removed,changed').argParser(parseKinds).default([], 'none'),
      ),
  )).action(async (specs: string[], options: DiffOptions) => {
    let before: Side;
    let after: Side;
    if (options.base !== undefined && options.cluster === true) {
      io.stderr('kubereach diff: give --base <rev> or --cluster, not both\n');
      setExitCode(EXIT.inputOrUsage);
      return;
    }
    // The configuration of the working tree's paths applies to both sides: they are compared under one plugin.
    const configured = configuredSettings(specs.length === 0 ? ['.'] : specs.map((spec) => splitRevisionSpec(spec)?.path ?? spec), options);
    const context: DiffContext = { options, settings: configured.analysis };
    const configIssues = configured.analysis.extraIssues ?? [];
    const configSource = configured.config.source;
    reportIssues(configIssues, new Locations(new Map(configSource === undefined ? [] : [[configSource.path, configSource]])), createStyle(colorWanted(process.stderr, options.color)), (line) => io.stderr(`${line}\n`), options.verbose === true);
    const configFailed = configIssues.some((issue) => issue.severity === 'error');
    const cluster = await readClusterOption(options);
    if (cluster !== undefined) {
      // The live cluster is the state before; the paths are what applying them would make it.
      before = loadSide(`cluster ${cluster.context}`, cluster.sources, cluster.issues, context, io);
      after = await readSide({ paths: specs.length === 0 ? ['.'] : specs }, context, io);
    } else if (options.base !== undefined) {
      const paths = specs.length === 0 ? ['.'] : specs;
      before = await readSide({ revision: options.base, paths }, context, io);
      after = await readSide({ paths }, context, io);
    } else {
      if (specs.length !== 2) {
        io.stderr('kubereach diff: give <before> <after> (each a path or <rev>:<path>), --base <rev> [paths...], or --cluster [paths...]\n');
        setExitCode(EXIT.inputOrUsage);
        return;
      }
      // One after the other: each side reports its input issues as it is read.
      const sides: Side[] = [];
      for (const spec of specs) {
        const revision = splitRevisionSpec(spec);
        sides.push(await readSide(revision === undefined ? { paths: [spec] } : { revision: revision.revision, paths: [revision.path] }, context, io));
      }
      [before, after] = sides as [Side, Side];
    }
    const diff = diffConnectivity(before.analysis.result, after.analysis.result);
    const style = createStyle(colorWanted(process.stdout, options.color));
    io.stdout(DIFF_FORMATS[options.format](diff, before, after, style));
    if (configFailed || before.failed || after.failed) setExitCode(EXIT.inputOrUsage);
    else if (diff.changes.some((change) => options.failOn.includes(change.kind))) setExitCode(EXIT.problems);
    else setExitCode(EXIT.ok);
  });
}
