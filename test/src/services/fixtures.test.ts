// The service layer end to end: for each folder of test/fixtures-services, the built CLI's `matrix --services`, Service findings and `exposure`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/run-cli.js';

const fixturesRoot = join(repoRoot, 'test', 'fixtures-services');
const folders = readdirSync(fixturesRoot).filter((name) => statSync(join(fixturesRoot, name)).isDirectory()).sort();

const SERVICE_RULES = new Set([
  'egress-blocks-dns',
  'external-ipblock-snat',
  'ingress-backend-unreachable',
  'policy-uses-service-port',
  'service-selects-nothing',
  'service-target-port-missing',
  'service-unreachable',
  'unintended-exposure',
]);

/** The inputs of a fixture, relative to the repository root: its `paths` file, or the folder itself. */
function inputsOf(name: string): string[] {
  const pathsFile = join(fixturesRoot, name, 'paths');
  if (!existsSync(pathsFile)) return [`test/fixtures-services/${name}`];
  return readFileSync(pathsFile, 'utf8').split('\n').filter((line) => line !== '');
}

function read(name: string, file: string): string {
  return readFileSync(join(fixturesRoot, name, file), 'utf8');
}

interface LintJson {
  findings: { ruleId: string; file: string; line: number; column: number }[];
}

describe('service fixtures', () => {
  it('finds fixtures', () => {
    expect(folders.length).toBeGreaterThan(4);
  });

  describe.each(folders)('%s', (name) => {
    const inputs = inputsOf(name);

    it('matrix --services', () => {
      const run = runCli(['matrix', ...inputs, '--services', '-o', 'connlist']);
      expect.soft(run.status, run.stderr).toBe(0);
      expect(run.stdout.split('\n')).toEqual(read(name, 'expected.services.connlist').split('\n'));
    });

    it('Service rule findings', () => {
      const run = runCli(['lint', ...inputs, '-f', 'json']);
      const document = JSON.parse(run.stdout) as LintJson;
      const lines = document.findings
        .filter((f) => SERVICE_RULES.has(f.ruleId))
        .map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);
      expect(lines).toEqual(read(name, 'expected.findings').split('\n').filter((line) => line !== ''));
    });
  });

  // Only the fixtures that carry an exposure expectation: no conditional (skipped) tests.
  describe.each(folders.filter((name) => existsSync(join(fixturesRoot, name, 'expected.exposure.txt'))))('%s', (name) => {
    it('exposure', () => {
      const run = runCli(['exposure', ...inputsOf(name), '--no-color']);
      expect.soft(run.status, run.stderr).toBe(0);
      expect(run.stdout.split('\n')).toEqual(read(name, 'expected.exposure.txt').split('\n'));
    });
  });
});
