// The language server's speed through the pure service: first full analysis, then edit -> diagnostics over many edits.
import { performance } from 'node:perf_hooks';
import { dump } from 'js-yaml';
import { workspaceDiagnostics, Workspace } from '@kubereach/lsp';
import { seededRandom, syntheticCluster } from './synthetic.js';

export interface LanguageServerFigures {
  readonly workloads: number;
  readonly policies: number;
  readonly files: number;
  readonly firstAnalysisMs: number;
  readonly editP50Ms: number;
  readonly editP95Ms: number;
  readonly edits: number;
}

/** One file per namespace (cluster-scoped objects together), as a GitOps repository lays them out. */
function filesPerNamespace(objects: readonly Record<string, unknown>[]): Map<string, string> {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const object of objects) {
    const metadata = object['metadata'] as { namespace?: string } | undefined;
    const key = metadata?.namespace ?? '_cluster';
    groups.set(key, [...(groups.get(key) ?? []), object]);
  }
  return new Map([...groups].map(([name, group]) => [`file:///bench/${name}.yaml`, group.map((o) => dump(o, { noRefs: true })).join('---\n')]));
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export function measureLanguageServer(workloads = 2000, edits = 50, seed = 42): LanguageServerFigures {
  const cluster = syntheticCluster(workloads, seed, 0.5);
  const files = filesPerNamespace(cluster.objects);
  const workspace = new Workspace();
  for (const [uri, text] of files) workspace.setDiskFile(uri, text);
  const start = performance.now();
  workspaceDiagnostics(workspace.snapshot());
  const firstAnalysisMs = performance.now() - start;

  // Each edit changes a port number in one namespace's file (as typing in a policy does), then asks for all diagnostics.
  const random = seededRandom(seed);
  const uris = [...files.keys()].filter((uri) => !uri.endsWith('_cluster.yaml'));
  const times: number[] = [];
  for (let k = 0; k < edits; k++) {
    const uri = uris[Math.floor(random() * uris.length)]!;
    const text = workspace.textOf(uri)!;
    const edited = text.includes('port: 8080') ? text.replace('port: 8080', 'port: 8081') : text.replace('port: 8081', 'port: 8080');
    const begin = performance.now();
    workspace.openDocument(uri, edited === text ? `${text}# edit ${k}\n` : edited);
    workspaceDiagnostics(workspace.snapshot());
    times.push(performance.now() - begin);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    workloads: cluster.workloads,
    policies: cluster.policies,
    files: files.size,
    firstAnalysisMs,
    editP50Ms: percentile(sorted, 50),
    editP95Ms: percentile(sorted, 95),
    edits,
  };
}

/** The summary line `npm run bench` prints. */
export function languageServerBenchmark(): string {
  const edits = Number(process.env['BENCH_LSP_EDITS'] ?? 50);
  const f = measureLanguageServer(Number(process.env['BENCH_LSP_WORKLOADS'] ?? 2000), edits);
  return `Language server, ${f.workloads} workloads and ${f.policies} policies in ${f.files} files: first analysis ${Math.round(f.firstAnalysisMs)} ms; edit -> diagnostics over ${f.edits} edits p50 ${Math.round(f.editP50Ms)} ms, p95 ${Math.round(f.editP95Ms)} ms (plus the server's 40 ms debounce)`;
}
