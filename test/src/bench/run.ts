// `npm run bench`: loading against js-yaml, the engine, lint and every matrix format on synthetic clusters, the brute-force reference, CLI cold start.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement, Scenario } from './measure.js';
import { dump } from 'js-yaml';
import { BENCH_CNI, KUBERNETES_API_VERSIONS, syntheticCluster } from './synthetic.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sizes = (process.env['BENCH_SIZES'] ?? '1000,10000,100000').split(',').map(Number);
const referenceBudgetMs = Number(process.env['BENCH_REFERENCE_MS'] ?? 5_000);
/**
 * A command still running after this long (the 100k target) is stopped and reported as such; library measurements
 * (load, engine, lint rules, js-yaml, the reference) get four times as long, so that large sizes still show them.
 */
const timeoutMs = Number(process.env['BENCH_TIMEOUT_MS'] ?? 30_000);
/** Pod-level listings (every workload pair) are measured up to this many workloads. */
const podLevelUpTo = Number(process.env['BENCH_POD_LEVEL_UP_TO'] ?? 1000);
const FORMATS = ['table', 'connlist', 'json', 'csv', 'md', 'dot'] as const;
/**
 * Every format and granularity at every size with BENCH_FULL=1; by default at the smallest size only, and class
 * connlist above it (the formats share the class pairs, which dominate), so that `npm run bench` takes minutes.
 */
const full = process.env['BENCH_FULL'] === '1';

const scratch = mkdtempSync(join(tmpdir(), 'kubereach-bench-'));

type Outcome = Measurement | { readonly stopped: string };

const NOT_RUN: Outcome = { stopped: 'not run (class connlist did not finish)' };
const SKIPPED: Outcome = { stopped: 'with BENCH_FULL=1' };
let classMatrixFinished = true;

/** One measurement in its own process; stdout (a command's output) goes to /dev/null. */
function run(scenario: Scenario, tree: string, ...rest: string[]): Outcome {
  const resultFile = join(scratch, 'result.json');
  rmSync(resultFile, { force: true });
  process.stderr.write(`  ${scenario} ${[tree.split('-').at(-1), ...rest].join(' ')}\n`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'measure.ts'), resultFile, scenario, tree, ...rest], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: scenario === 'cli' ? timeoutMs : 4 * timeoutMs,
    maxBuffer: 1 << 26,
  });
  if (child.error !== undefined || child.signal !== null) return { stopped: `stopped after ${ms(scenario === 'cli' ? timeoutMs : 4 * timeoutMs)}` };
  try {
    return JSON.parse(readFileSync(resultFile, 'utf8')) as Measurement;
  } catch {
    return { stopped: `failed: ${child.stderr.toString().trim().split('\n').at(-1) ?? ''}` };
  }
}

/** The run with the median total, or why some run did not finish. */
function medianRun(outcomes: readonly Outcome[], total: (m: Measurement) => number): Measurement | string {
  const stopped = outcomes.find((o): o is { readonly stopped: string } => 'stopped' in o);
  if (stopped !== undefined) return stopped.stopped;
  const sorted = [...(outcomes as Measurement[])].sort((a, b) => total(a) - total(b));
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

const phase = (outcome: Outcome, name: string): number | undefined => ('stopped' in outcome ? undefined : outcome.phases[name]);
const cell = (outcome: Outcome, name: string): string => {
  if ('stopped' in outcome) return outcome.stopped;
  return `${ms(outcome.phases[name]!)}, ${outcome.peakRssMb} MB`;
};

/**
 * Writes the cluster as files of at most 250 documents, as a repository splits its manifests; `kubernetesOnly`
 * leaves the admin and Calico policies out (`policies` then counts the NetworkPolicies).
 */
function writeTree(size: number, kubernetesOnly = false): { tree: string; workloads: number; policies: number; namespaces: number; megabytes: number } {
  const cluster = syntheticCluster(size);
  const tree = join(scratch, `cluster-${size}${kubernetesOnly ? '-kubernetes' : ''}`);
  mkdirSync(tree);
  const kept = kubernetesOnly ? cluster.objects.filter((o) => KUBERNETES_API_VERSIONS.includes(o['apiVersion'])) : cluster.objects;
  const documents = kubernetesOnly ? kept.map((o) => dump(o, { noRefs: true, lineWidth: -1 })) : cluster.yaml.split(/^---\n/m);
  const policies = kubernetesOnly ? kept.filter((o) => o['kind'] === 'NetworkPolicy').length : cluster.policies;
  for (let k = 0; k * 250 < documents.length; k++) {
    writeFileSync(join(tree, `part-${String(k).padStart(4, '0')}.yaml`), documents.slice(k * 250, (k + 1) * 250).join('---\n'));
  }
  return { tree, workloads: cluster.workloads, policies, namespaces: cluster.namespaces, megabytes: cluster.yaml.length / 1e6 };
}

console.log(`kubereach benchmark, node ${process.version}, ${new Date().toISOString()}; --cni ${BENCH_CNI}; each cell: wall time, peak RSS of its own process\n`);
const loadRows: string[] = [];
const commandRows: string[] = [];
const referenceRows: string[] = [];
const targets: string[] = [];
for (const size of sizes) {
  const { tree, workloads, policies, namespaces, megabytes } = writeTree(size);
  const yaml = run('js-yaml', tree);
  // One process loads, then builds the engine: its peak RSS covers both.
  const analyze = run('analyze', tree);
  const parse = phase(yaml, 'parse');
  const loadTime = phase(analyze, 'load');
  const classes = 'stopped' in analyze ? '?' : String(analyze.classes);
  loadRows.push(
    `| ${workloads} | ${policies} | ${namespaces} | ${megabytes.toFixed(1)} MB | ${cell(yaml, 'parse')} | ${'stopped' in analyze ? analyze.stopped : ms(loadTime!)} | ${parse !== undefined && loadTime !== undefined ? `${(loadTime / parse).toFixed(2)}×` : '–'} | ${cell(analyze, 'engine')} | ${classes} |`,
  );

  const lint = run('cli', tree, 'lint', '--cni', BENCH_CNI, '-f', 'json');
  // connlist first: when it does not finish, neither do the other formats (they walk the same class pairs), nor larger sizes.
  const matrix = (...options: string[]) => (classMatrixFinished ? run('cli', tree, 'matrix', '--cni', BENCH_CNI, ...options) : NOT_RUN);
  const classConnlist = matrix('-g', 'class', '-o', 'connlist');
  if ('stopped' in classConnlist) classMatrixFinished = false;
  const everything = full || size === sizes[0];
  const byFormat = FORMATS.map((format) => (format === 'connlist' ? classConnlist : everything ? matrix('-g', 'class', '-o', format) : SKIPPED));
  const byNamespace = everything ? matrix('-g', 'namespace', '-o', 'connlist') : SKIPPED;
  const podLevel = size <= podLevelUpTo ? matrix('-o', 'connlist') : { stopped: `above ${podLevelUpTo} workloads with BENCH_POD_LEVEL_UP_TO` };
  commandRows.push(
    `| ${workloads} | ${cell(lint, 'total')} | ${byFormat.map((o) => cell(o, 'total')).join(' | ')} | ${cell(byNamespace, 'total')} | ${cell(podLevel, 'total')} |`,
  );

  // NetworkPolicies alone, as the reference evaluates them: the engine's own result, no layer over it.
  const kubernetes = writeTree(size, true);
  const plainMatrix = run('cli', kubernetes.tree, 'matrix', '--cni', 'generic', '-g', 'class', '-o', 'connlist');
  const reference = run('reference', kubernetes.tree, String(referenceBudgetMs));
  rmSync(kubernetes.tree, { recursive: true, force: true });
  const estimate = phase(reference, 'all pairs (estimated)');
  const plainTotal = phase(plainMatrix, 'total');
  referenceRows.push(
    `| ${workloads} | ${kubernetes.policies} | ${estimate === undefined ? '–' : ms(estimate)} | ${cell(plainMatrix, 'total')} | ${estimate !== undefined && plainTotal !== undefined ? `${(estimate / plainTotal).toFixed(0)}×` : '–'} | ${'stopped' in reference ? reference.stopped : reference.note} |`,
  );
  const engineTotal = phase(classConnlist, 'total');

  // The issue's targets, where this size is one of theirs.
  const lintTime = phase(lint, 'total');
  const peaks = [lint, classConnlist].map((o) => ('stopped' in o ? undefined : o.peakRssMb));
  const peak = peaks.includes(undefined) ? Number.NaN : Math.max(...(peaks as number[]));
  const both = lintTime !== undefined && engineTotal !== undefined ? lintTime + engineTotal : undefined;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  if (workloads >= 9000 && workloads <= 11000) {
    targets.push(`- ${workloads} workloads, ${policies} policies: lint + class matrix ${both === undefined ? 'did not finish' : ms(both)} (target 3 s: ${verdict(both !== undefined && both < 3000)}), peak ${Number.isNaN(peak) ? '?' : `${peak} MB`} (target 1 GB: ${verdict(peak < 1024)})`);
  }
  if (workloads >= 90_000) {
    targets.push(`- ${workloads} workloads, ${policies} policies: lint ${lintTime === undefined ? 'did not finish' : ms(lintTime)}, class matrix ${engineTotal === undefined ? 'did not finish' : ms(engineTotal)} (target 30 s each: ${verdict(lintTime !== undefined && engineTotal !== undefined && Math.max(lintTime, engineTotal) < 30_000)}), peak ${Number.isNaN(peak) ? '?' : `${peak} MB`} (target 4 GB: ${verdict(peak < 4096)})`);
  }
  if (parse !== undefined && loadTime !== undefined) {
    targets.push(`- ${workloads} workloads: load / js-yaml ${(loadTime / parse).toFixed(2)}× (target 2×: ${verdict(loadTime / parse <= 2)})`);
  }
  rmSync(tree, { recursive: true, force: true });
}

console.log('Loading and engine (library calls):\n');
console.log('| workloads | policies | namespaces | YAML | js-yaml parse | load | load / js-yaml | engine (after load; peak RSS of both) | classes |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
console.log(loadRows.join('\n'));
console.log('\nCommands, each a whole run of `kubereach` on the tree (read, load, analyse, output to /dev/null):\n');
console.log(`| workloads | lint | ${FORMATS.map((f) => `matrix -g class -o ${f}`).join(' | ')} | matrix -g namespace | matrix (pod level, connlist) |`);
console.log(`| ---: | ${['lint', ...FORMATS, 'namespace', 'pod'].map(() => '---:').join(' | ')} |`);
console.log(commandRows.join('\n'));
console.log('\nNetworkPolicies alone (the same clusters without admin and Calico policies), against the brute-force reference evaluator (all workload pairs, extrapolated):\n');
console.log('| workloads | NetworkPolicies | reference (est.) | matrix --cni generic -g class -o connlist | reference / kubereach | reference sample |');
console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
console.log(referenceRows.join('\n'));
console.log(`\nTargets:\n${targets.join('\n')}`);

// Lint of a tree of about 5 MB, against parsing the same bytes with js-yaml alone: the library calls, and the command
// (reading the files, JSON output to /dev/null, the command's V8 tuning), each the median of three runs.
const lintTree = writeTree(Number(process.env['BENCH_LINT_WORKLOADS'] ?? 8300));
const threeRuns = (scenario: Scenario, ...rest: string[]): Outcome[] => [0, 1, 2].map(() => run(scenario, lintTree.tree, ...rest));
const lintTotal = (m: Measurement): number => m.phases['analyze']! + m.phases['rules']!;
const linted = medianRun(threeRuns('lint'), lintTotal);
const lintCommand = medianRun(threeRuns('cli', 'lint', '--cni', BENCH_CNI, '-f', 'json'), (m) => m.phases['total']!);
const lintParse = medianRun(threeRuns('js-yaml'), (m) => m.phases['parse']!);
if (typeof linted === 'string' || typeof lintCommand === 'string' || typeof lintParse === 'string') {
  const why = [linted, lintCommand, lintParse].find((o) => typeof o === 'string');
  console.log(`\nLint of ${lintTree.megabytes.toFixed(1)} MB of YAML: ${why}`);
} else {
  const parse = lintParse.phases['parse']!;
  const command = lintCommand.phases['total']!;
  // Main-thread CPU time (Linux), which other jobs on the machine hardly change: of the same median runs.
  const commandCpu = lintCommand.phases['main-thread cpu'];
  const parseCpu = lintParse.phases['main-thread cpu'];
  const cpu =
    commandCpu === undefined || parseCpu === undefined
      ? ''
      : `; main-thread CPU ${ms(commandCpu)} (command) against ${ms(parseCpu)} (parse), ${(commandCpu / parseCpu).toFixed(1)}×`;
  console.log(
    `\nLint of ${linted.note} (median of 3 runs each): library ${ms(lintTotal(linted))} (analyze ${ms(linted.phases['analyze']!)}, rules ${ms(linted.phases['rules']!)}), peak RSS ${linted.peakRssMb} MB; \`kubereach lint -f json\` ${ms(command)}, peak RSS ${lintCommand.peakRssMb} MB; js-yaml parse alone ${ms(parse)}; ratios ${(lintTotal(linted) / parse).toFixed(1)}× (library), ${(command / parse).toFixed(1)}× (command)${cpu}`,
  );
}

// Cold start of the CLI on one small file, as a pre-commit hook runs it, against a bare `node` start.
const file = join(scratch, 'one.yaml');
writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: x}]}\n');
const bin = join(repoRoot, 'cli', 'bin', 'kubereach.js');
const median = (args: string[]) => {
  const times: number[] = [];
  for (let k = 0; k < 7; k++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[3]!;
};
const bare = median(['-e', '']);
const cli = median([bin, 'lint', file]);
console.log(`\nCLI cold start, \`kubereach lint one.yaml\`: ${ms(cli)} (median of 7); bare \`node -e ''\`: ${ms(bare)}; ratio ${(cli / bare).toFixed(1)}×`);

// The language server: first analysis and edit -> diagnostics through the pure service (test/src/bench/lsp.ts).
console.log(`\n${(await import('./lsp.js')).languageServerBenchmark()}`);
rmSync(scratch, { recursive: true, force: true });
