// One benchmark measurement in a fresh process, so peak memory belongs to it alone; writes one JSON result to a file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadAll } from 'js-yaml';
import { analyze, analyzeLoaded, EMPTY_CONFIG, lint, loadManifests, resolveRules, RULES, type SourceText } from '@kubereach/core';
import { referenceAllows, referenceWorkloads, type KubeObject, type ReferenceProtocol } from '../reference/reference.js';
import { BENCH_CNI, KUBERNETES_API_VERSIONS, seededRandom } from './synthetic.js';

/**
 * `js-yaml`, `analyze` (load, then the engine) and `lint` (analysis, then every rule at its default severity) time library calls on the tree's files; `reference` samples the brute-force
 * evaluator; `cli` runs the kubereach command in this process (arguments after the tree; the tree is their path)
 * with its output going wherever this process's stdout goes.
 */
export type Scenario = 'js-yaml' | 'analyze' | 'lint' | 'reference' | 'cli';

export interface Measurement {
  readonly phases: Readonly<Record<string, number>>;
  readonly peakRssMb: number;
  readonly note?: string;
  readonly classes?: number;
}

/** Ports the reference checks per pair: the engine answers for every port, so the ratio favours the reference. */
const SAMPLE_PORTS: readonly [ReferenceProtocol, number][] = [
  ['TCP', 80],
  ['TCP', 443],
  ['TCP', 5432],
  ['TCP', 8080],
  ['UDP', 53],
];

function time<T>(phases: Record<string, number>, name: string, work: () => T): T {
  const start = performance.now();
  const value = work();
  phases[name] = performance.now() - start;
  return value;
}

const tick = new Int32Array(new SharedArrayBuffer(4));

/**
 * CPU time of this process's main thread so far (ms), where Linux tells it (undefined elsewhere): unlike wall time, it
 * hardly moves when other jobs share the machine. A 10 µs wait first, or the kernel's figure may lag a scheduler tick.
 */
function mainThreadCpu(): number | undefined {
  try {
    Atomics.wait(tick, 0, 0, 0.01);
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Records `name` as the main thread's CPU time since `start`, when both readings exist. */
function recordCpu(phases: Record<string, number>, name: string, start: number | undefined): void {
  const end = mainThreadCpu();
  if (start !== undefined && end !== undefined) phases[name] = end - start;
}

function readTree(tree: string): SourceText[] {
  return readdirSync(tree)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ path: join(tree, name), text: readFileSync(join(tree, name), 'utf8') }));
}

async function measure(scenario: Scenario, tree: string, rest: readonly string[]): Promise<Omit<Measurement, 'peakRssMb'>> {
  const phases: Record<string, number> = {};
  if (scenario === 'cli') {
    // Loaded as the installed command loads it (cli/bin/kubereach.js): through its code cache.
    const boot = createRequire(import.meta.url)('../../../cli/dist/boot.cjs') as {
      loadCli: (argv: readonly string[]) => { cli: { main: (argv: readonly string[]) => Promise<number> } };
    };
    const args = [rest[0]!, tree, ...rest.slice(1)];
    const { main } = boot.loadCli(args).cli;
    const cpu = mainThreadCpu();
    const start = performance.now();
    const status = await main(args);
    // Writes to a pipe may still be queued: the command is done when they are out.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    phases['total'] = performance.now() - start;
    recordCpu(phases, 'main-thread cpu', cpu);
    return { phases, note: `exit ${status}` };
  }
  const sources = readTree(tree);
  if (scenario === 'js-yaml') {
    const cpu = mainThreadCpu();
    time(phases, 'parse', () => {
      for (const source of sources) loadAll(source.text);
    });
    recordCpu(phases, 'main-thread cpu', cpu);
    return { phases };
  }
  if (scenario === 'analyze') {
    const load = time(phases, 'load', () => loadManifests(sources));
    const analysis = time(phases, 'engine', () => analyzeLoaded(load, { cni: BENCH_CNI }));
    return { phases, classes: analysis.result.classes.length };
  }
  if (scenario === 'lint') {
    const analysis = time(phases, 'analyze', () => analyze(sources, { cni: BENCH_CNI }));
    const result = time(phases, 'rules', () => lint(analysis, resolveRules(RULES, EMPTY_CONFIG)));
    const megabytes = sources.reduce((sum, source) => sum + source.text.length, 0) / 1e6;
    return { phases, note: `${result.findings.length} findings, ${megabytes.toFixed(1)} MB of YAML` };
  }
  // The reference evaluates Kubernetes NetworkPolicies only: it gets no admin or Calico objects (and is timed, not checked).
  const objects = sources
    .flatMap((source) => loadAll(source.text) as KubeObject[])
    .filter((o) => KUBERNETES_API_VERSIONS.includes(o.apiVersion));
  const workloads = referenceWorkloads(objects);
  const budget = Number(rest[0] ?? 5000);
  const random = seededRandom(7);
  const totalPairs = workloads.length * (workloads.length - 1);
  let pairs = 0;
  const start = performance.now();
  while (performance.now() - start < budget && pairs < totalPairs) {
    const source = workloads[Math.floor(random() * workloads.length)]!;
    const destination = workloads[Math.floor(random() * workloads.length)]!;
    if (source === destination) continue;
    for (const [protocol, port] of SAMPLE_PORTS) referenceAllows(objects, source, destination, protocol, port);
    pairs++;
  }
  const elapsed = performance.now() - start;
  phases['all pairs (estimated)'] = (elapsed / pairs) * totalPairs;
  return { phases, note: `${pairs} random pairs × ${SAMPLE_PORTS.length} ports in ${Math.round(elapsed)} ms, extrapolated to ${totalPairs} pairs` };
}

const [resultFile, scenario, tree, ...rest] = process.argv.slice(2);
const measured = await measure(scenario as Scenario, tree!, rest);
const result: Measurement = { ...measured, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
writeFileSync(resultFile!, JSON.stringify(result));
