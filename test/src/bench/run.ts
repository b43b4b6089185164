// `npm run bench`: engine, js-yaml and the brute-force reference on synthetic clusters, plus CLI cold start.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement, Scenario } from './measure.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sizes = (process.env['BENCH_SIZES'] ?? '1000,5000').split(',').map(Number);
const referenceBudgetMs = Number(process.env['BENCH_REFERENCE_MS'] ?? 15_000);

function run(scenario: Scenario, size: number): Measurement {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'measure.ts'), scenario, String(size), String(referenceBudgetMs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as Measurement;
}

const total = (m: Measurement) => Object.values(m.phases).reduce((a, b) => a + b, 0);
const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

console.log(`kubereach benchmark, node ${process.version}, ${new Date().toISOString()}\n`);
console.log('| workloads | policies | load | model | engine | all pairs | engine total | peak RSS | js-yaml parse | load / js-yaml | reference (est.) | reference / engine |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const notes: string[] = [];
for (const size of sizes) {
  const engine = run('engine', size);
  const yaml = run('js-yaml', size);
  const reference = run('reference', size);
  const parse = yaml.phases['parse']!;
  const referenceTime = reference.phases['all pairs (estimated)']!;
  console.log(
    `| ${engine.workloads} | ${engine.policies} | ${ms(engine.phases['load']!)} | ${ms(engine.phases['model']!)} | ${ms(engine.phases['engine']!)} | ${ms(engine.phases['all pairs']!)} | ${ms(total(engine))} | ${engine.peakRssMb} MB | ${ms(parse)} | ${(engine.phases['load']! / parse).toFixed(2)}× | ${ms(referenceTime)} | ${(referenceTime / total(engine)).toFixed(0)}× |`,
  );
  notes.push(`- ${engine.workloads} workloads: engine ${engine.note}; reference ${reference.note}, peak RSS ${reference.peakRssMb} MB.`);
}
console.log(`\n${notes.join('\n')}`);

// Lint of a tree of about 5 MB, against parsing the same bytes with js-yaml alone.
const lintSize = Number(process.env['BENCH_LINT_WORKLOADS'] ?? 8300);
const linted = run('lint', lintSize);
const lintParse = run('js-yaml', lintSize).phases['parse']!;
console.log(
  `\nLint of ${linted.note}: ${ms(total(linted))} (analyze ${ms(linted.phases['analyze']!)}, rules ${ms(linted.phases['rules']!)}), peak RSS ${linted.peakRssMb} MB; js-yaml parse alone ${ms(lintParse)}; ratio ${(total(linted) / lintParse).toFixed(1)}×`,
);

// Cold start of the CLI on one small file, as a pre-commit hook runs it, against a bare `node` start.
const folder = mkdtempSync(join(tmpdir(), 'kubereach-bench-'));
const file = join(folder, 'one.yaml');
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
