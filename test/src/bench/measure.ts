// One benchmark measurement in a fresh process, so peak memory belongs to it alone; prints one JSON line.
import { performance } from 'node:perf_hooks';
import { loadAll } from 'js-yaml';
import { analyze, analyzeConnectivity, buildClusterModel, EMPTY_CONFIG, lint, loadManifests, resolveRules, RULES } from '@kubereach/core';
import { referenceAllows, referenceWorkloads, type KubeObject, type ReferenceProtocol } from '../reference/reference.js';
import { seededRandom, syntheticCluster } from './synthetic.js';

export type Scenario = 'js-yaml' | 'engine' | 'reference' | 'lint';

export interface Measurement {
  readonly scenario: Scenario;
  readonly workloads: number;
  readonly policies: number;
  readonly phases: Readonly<Record<string, number>>;
  readonly peakRssMb: number;
  readonly note?: string;
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

function measure(scenario: Scenario, size: number, referenceBudgetMs: number): Measurement {
  const cluster = syntheticCluster(size);
  const phases: Record<string, number> = {};
  let note: string | undefined;
  if (scenario === 'js-yaml') {
    time(phases, 'parse', () => loadAll(cluster.yaml));
  } else if (scenario === 'engine') {
    const load = time(phases, 'load', () => loadManifests([{ path: 'synthetic.yaml', text: cluster.yaml }]));
    const model = time(phases, 'model', () => buildClusterModel(load.objects));
    const result = time(phases, 'engine', () => analyzeConnectivity(model));
    const allowed = time(phases, 'all pairs', () => {
      let count = 0;
      for (const _connection of result.connections()) count++;
      return count;
    });
    note = `${allowed} allowed pairs over ${result.endpoints.length} endpoints`;
  } else if (scenario === 'lint') {
    // What `kubereach lint` does: load, model and engine once, then every rule at its default severity.
    const analysis = time(phases, 'analyze', () => analyze([{ path: 'synthetic.yaml', text: cluster.yaml }]));
    const result = time(phases, 'rules', () => lint(analysis, resolveRules(RULES, EMPTY_CONFIG)));
    note = `${result.findings.length} findings, ${(cluster.yaml.length / 1e6).toFixed(1)} MB of YAML`;
  } else {
    const objects = cluster.objects as unknown as KubeObject[];
    const workloads = referenceWorkloads(objects);
    const random = seededRandom(7);
    const totalPairs = workloads.length * (workloads.length - 1);
    let pairs = 0;
    const start = performance.now();
    while (performance.now() - start < referenceBudgetMs && pairs < totalPairs) {
      const source = workloads[Math.floor(random() * workloads.length)]!;
      const destination = workloads[Math.floor(random() * workloads.length)]!;
      if (source === destination) continue;
      for (const [protocol, port] of SAMPLE_PORTS) referenceAllows(objects, source, destination, protocol, port);
      pairs++;
    }
    const elapsed = performance.now() - start;
    phases['all pairs (estimated)'] = (elapsed / pairs) * totalPairs;
    note = `${pairs} random pairs × ${SAMPLE_PORTS.length} ports measured in ${Math.round(elapsed)} ms, extrapolated to ${totalPairs} pairs`;
  }
  return {
    scenario,
    workloads: cluster.workloads,
    policies: cluster.policies,
    phases,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(note === undefined ? {} : { note }),
  };
}

const [scenario, size, budget] = process.argv.slice(2);
console.log(JSON.stringify(measure(scenario as Scenario, Number(size), Number(budget ?? 10_000))));
