// The language server's speed: first analysis, and edit -> diagnostics through the pure service and once through the real server over stdio.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dump } from 'js-yaml';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { PublishedDiagnostics, workspaceDiagnostics, Workspace } from '@kubereach/lsp';
import { seededRandom, syntheticCluster } from './synthetic.js';

const serverBin = fileURLToPath(new URL('../../../lsp/bin/kubereach-lsp.js', import.meta.url));

/** The workspace: 2,000 workloads and 1,000 policies. */
const WORKLOADS = 2000;
const POLICIES = 1000;

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
}

export interface LanguageServerFigures {
  readonly workloads: number;
  readonly policies: number;
  readonly files: number;
  readonly firstAnalysisMs: number;
  readonly edits: number;
  /**
   * Edit -> the edited file's diagnostics computed and chosen for sending, as the server does after its debounce:
   * the whole analysis, the lint of that file alone.
   */
  readonly editedFile: Percentiles;
  /** The same without the first edits after the first analysis (the edit path's code not yet optimized by V8). */
  readonly editedFileWarm: Percentiles;
  /** Edit -> every file's diagnostics (the server sends them next, unless another edit comes first). */
  readonly everyFile: Percentiles;
  /** The edited file's, by edit kind: policy, workload labels, syntax error. */
  readonly byKind: Readonly<Record<EditKind, Percentiles>>;
  /** The same edited states analyzed from scratch (every file loaded again), as the server did before it kept loads. */
  readonly fromScratch: Percentiles;
}

type EditKind = 'policy' | 'labels' | 'syntax';

/** One file per namespace (cluster-scoped objects together), as a GitOps repository lays them out. */
function filesPerNamespace(objects: readonly Record<string, unknown>[]): Map<string, string> {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const object of objects) {
    const metadata = object['metadata'] as { namespace?: string } | undefined;
    const key = metadata?.namespace ?? '_cluster';
    groups.set(key, [...(groups.get(key) ?? []), object]);
  }
  return new Map([...groups].map(([name, group]) => [`${name}.yaml`, group.map((o) => dump(o, { noRefs: true })).join('---\n')]));
}

/**
 * The synthetic cluster tops out at 9 policies per namespace of 20 workloads; a metrics-scrape policy per team
 * namespace (ingress from the monitoring namespace on the metrics port, as a cluster with Prometheus has) brings it
 * to the 1,000.
 */
export function benchWorkspace(): { files: Map<string, string>; workloads: number; policies: number } {
  const cluster = syntheticCluster(WORKLOADS, 42, 0.5);
  const objects = [...cluster.objects];
  const teams = [...new Set(objects.flatMap((o) => ((o['metadata'] as { namespace?: string }).namespace?.startsWith('team-') ? [(o['metadata'] as { namespace: string }).namespace] : [])))];
  let policies = cluster.policies;
  for (const namespace of teams) {
    if (policies >= POLICIES) break;
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-metrics-scrape', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { role: 'monitoring' } } }], ports: [{ port: 'metrics' }] }],
      },
    });
    policies++;
  }
  return { files: filesPerNamespace(objects), workloads: cluster.workloads, policies };
}

/**
 * Edits as typing makes them, each undone by the next edit of its kind in the same file: a policy's named port to a
 * number and back; a workload's tier label (selector and template) to another value and back; a line that breaks
 * the YAML of one document, then removed.
 */
export const EDITS: Readonly<Record<EditKind, (text: string) => string>> = {
  policy: (text) => (text.includes('port: 8443') ? text.replace('port: 8443', 'port: http') : text.replace('port: http', 'port: 8443')),
  labels: (text) => {
    const documents = text.split('---\n');
    const index = documents.findIndex((d) => d.includes('kind: Deployment'));
    const document = documents[index]!;
    documents[index] = document.includes('tier: frontend') ? document.replaceAll('tier: frontend', 'tier: web') : document.replaceAll('tier: web', 'tier: frontend');
    return documents.join('---\n');
  },
  syntax: (text) => (text.includes('  broken: [\n') ? text.replace('  broken: [\n', '') : text.replace('metadata:\n', 'metadata:\n  broken: [\n')),
};
const KINDS = Object.keys(EDITS) as EditKind[];

/** Edits after the first analysis left out of the warm figure. */
const WARM_UP_EDITS = 5;

const percentile = (times: readonly number[], p: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const percentiles = (times: readonly number[]): Percentiles => ({ p50: percentile(times, 50), p95: percentile(times, 95) });

function loadedWorkspace(files: ReadonlyMap<string, string>, open: ReadonlyMap<string, string>): Workspace {
  const workspace = new Workspace();
  for (const [uri, text] of files) workspace.setDiskFile(uri, text);
  for (const [uri, text] of open) workspace.openDocument(uri, text);
  return workspace;
}

/** Through the pure service, in this process: what the server runs once its debounce has passed. */
export function measureLanguageServer(edits = 60, fromScratchEvery = 2, seed = 42): LanguageServerFigures {
  const bench = benchWorkspace();
  const files = new Map([...bench.files].map(([name, text]) => [`file:///bench/${name}`, text]));
  const start = performance.now();
  const workspace = loadedWorkspace(files, new Map());
  const published = new PublishedDiagnostics();
  published.changes(workspaceDiagnostics(workspace.snapshot()), () => false);
  const firstAnalysisMs = performance.now() - start;
  workspace.takeTouched();

  const random = seededRandom(seed);
  const uris = [...files.keys()].filter((uri) => uri.includes('/team-'));
  const open = new Map<string, string>();
  const times: number[] = [];
  const everyFile: number[] = [];
  const byKind = new Map<EditKind, number[]>(KINDS.map((kind) => [kind, []]));
  const fromScratch: number[] = [];
  /** The open documents' texts after every `fromScratchEvery`-th edit, analyzed from scratch once the edits are done. */
  const states: Map<string, string>[] = [];
  for (let k = 0; k < edits; k++) {
    const kind = KINDS[k % KINDS.length]!;
    const uri = uris[Math.floor(random() * uris.length)]!;
    const text = EDITS[kind](open.get(uri) ?? files.get(uri)!);
    open.set(uri, text);
    const begin = performance.now();
    workspace.openDocument(uri, text);
    const snapshot = workspace.snapshot();
    published.changes(workspaceDiagnostics(snapshot, workspace.takeTouched()), (u) => open.has(u), { partial: true });
    const elapsed = performance.now() - begin;
    published.changes(workspaceDiagnostics(snapshot), (u) => open.has(u));
    everyFile.push(performance.now() - begin);
    times.push(elapsed);
    byKind.get(kind)!.push(elapsed);
    if (k % fromScratchEvery === 0) states.push(new Map(open));
  }
  // After the edits: a whole workspace analyzed in between would leave its garbage to the next edit's collection.
  for (const state of states) {
    const again = performance.now();
    new PublishedDiagnostics().changes(workspaceDiagnostics(loadedWorkspace(files, state).snapshot()), (u) => state.has(u));
    fromScratch.push(performance.now() - again);
  }
  return {
    workloads: bench.workloads,
    policies: bench.policies,
    files: files.size,
    firstAnalysisMs,
    edits,
    editedFile: percentiles(times),
    editedFileWarm: percentiles(times.slice(WARM_UP_EDITS)),
    everyFile: percentiles(everyFile),
    byKind: Object.fromEntries(KINDS.map((kind) => [kind, percentiles(byKind.get(kind)!)])) as Record<EditKind, Percentiles>,
    fromScratch: percentiles(fromScratch),
  };
}

export interface StdioFigures {
  readonly edits: number;
  /**
   * didChange sent -> publishDiagnostics of that version received, the server's debounce included, each edit sent
   * as soon as the previous one's diagnostics arrive (typing on: the server is still linting the other files).
   */
  readonly editToDiagnostics: Percentiles;
  /** The same after a pause of a second before each edit (the server has finished with the previous one). */
  readonly afterPause: Percentiles;
}

/**
 * Through the built server over stdio, as an editor drives it: every edited file is opened first and the server left
 * to settle, then each edit (a policy's port, which always changes that file's diagnostics, so the server publishes)
 * is timed from didChange to the publishDiagnostics carrying its version.
 */
export async function measureOverStdio(edits = 20, seed = 7): Promise<StdioFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'kubereach-bench-lsp-'));
  const child = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  try {
    const { files } = benchWorkspace();
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of files) writeFileSync(join(folder, name), text);
    const waiting = new Map<string, { version: number; resolve: () => void }>();
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number }) => {
      const waiter = waiting.get(params.uri);
      if (waiter !== undefined && params.version === waiter.version) waiter.resolve();
    });
    connection.listen();
    const root = pathToFileURL(folder).href;
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'bench' }], capabilities: {} });
    await connection.sendNotification('initialized', {});

    const random = seededRandom(seed);
    const names = [...files.keys()].filter((name) => name.startsWith('team-') && files.get(name)!.includes('port: http'));
    // Each edit in a file of its own, so every one changes that file's diagnostics from what the server last sent.
    const chosen = Array.from({ length: Math.min(edits, names.length) }, () => names.splice(Math.floor(random() * names.length), 1)[0]!);
    for (const name of chosen) {
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(join(folder, name)).href, languageId: 'yaml', version: 1, text: files.get(name)! } });
    }
    // A request answers only after the pending analysis has run (the server is single-threaded): then it is idle.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await connection.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(join(folder, chosen[0]!)).href }, position: { line: 0, character: 0 } });

    const texts = new Map(chosen.map((name) => [name, files.get(name)!]));
    let version = 1;
    const round = async (pauseMs: number): Promise<number[]> => {
      const times: number[] = [];
      version++;
      for (const name of chosen) {
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        const uri = pathToFileURL(join(folder, name)).href;
        const text = EDITS.policy(texts.get(name)!);
        texts.set(name, text);
        const begin = performance.now();
        const published = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no diagnostics for ${name} within 60 s`)), 60_000);
          waiting.set(uri, { version, resolve: () => (clearTimeout(timer), resolve()) });
        });
        await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
        await published;
        times.push(performance.now() - begin);
      }
      return times;
    };
    const busy = await round(0);
    const paused = await round(1000);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return { edits: busy.length, editToDiagnostics: percentiles(busy), afterPause: percentiles(paused) };
  } finally {
    connection.dispose();
    child.kill();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The summary lines `npm run bench` prints; the stdio measurement runs in a child process, as the others do. */
export function languageServerBenchmark(): string {
  const edits = Number(process.env['BENCH_LSP_EDITS'] ?? 60);
  const f = measureLanguageServer(edits);
  const ms = (value: number) => `${Math.round(value)} ms`;
  const kinds = KINDS.map((kind) => `${kind} ${ms(f.byKind[kind].p50)}/${ms(f.byKind[kind].p95)}`).join(', ');
  const lines = [
    `Language server, ${f.workloads} workloads and ${f.policies} policies in ${f.files} files: first analysis ${ms(f.firstAnalysisMs)}; ` +
      `over ${f.edits} edits, edit -> the edited file's diagnostics p50 ${ms(f.editedFile.p50)}, p95 ${ms(f.editedFile.p95)} (p50/p95 by kind: ${kinds}; without the first ${WARM_UP_EDITS} edits p50 ${ms(f.editedFileWarm.p50)}, p95 ${ms(f.editedFileWarm.p95)}), ` +
      `edit -> every file's p50 ${ms(f.everyFile.p50)}, p95 ${ms(f.everyFile.p95)}; ` +
      `the same states analyzed from scratch p50 ${ms(f.fromScratch.p50)}, p95 ${ms(f.fromScratch.p95)}; edited file / from scratch ${(f.editedFile.p50 / f.fromScratch.p50).toFixed(2)}× at p50, ${(f.editedFile.p95 / f.fromScratch.p95).toFixed(2)}× at p95`,
  ];
  const stdioEdits = Number(process.env['BENCH_LSP_STDIO_EDITS'] ?? 20);
  if (stdioEdits > 0) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'stdio', String(stdioEdits)], { encoding: 'utf8' });
    const s = JSON.parse(output.trim().split('\n').at(-1)!) as StdioFigures;
    lines.push(
      `Language server over stdio, same workspace: didChange -> publishDiagnostics of the edited file over ${s.edits} policy edits, ` +
        `each sent as soon as the previous one's diagnostics arrive, p50 ${ms(s.editToDiagnostics.p50)}, p95 ${ms(s.editToDiagnostics.p95)}; ` +
        `each after a pause of a second p50 ${ms(s.afterPause.p50)}, p95 ${ms(s.afterPause.p95)} (the server's debounce included)`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'stdio') {
  console.log(JSON.stringify(await measureOverStdio(Number(process.argv[3]))));
}
