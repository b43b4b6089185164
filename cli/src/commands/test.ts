// `kubereach test`: checks an expectations file (allow/deny, isolation) against the computed matrix; failures explain themselves.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { checkExpectations, parseExpectations, type ExpectationOutcome, type PairFailure, type SourceText } from '@kubereach/core';
import { addCommonOptions, configuredSettings, EXIT, runAnalysis, type CommandEnv, type CommonOptions } from '../context.js';
import { junitXml } from '../lint-formats/junit.js';
import { reportIssues, type Locations } from '../report-issues.js';
import { colorWanted, createStyle, type Style } from '../terminal.js';

export const EXPECTATIONS_JSON_SCHEMA = 'kubereach.dev/expectations/v1';
/** Failing pairs listed per expectation; the rest are counted. */
const PAIRS_SHOWN = 10;

interface TestContext {
  readonly file: string;
  readonly locations: Locations;
  readonly style: Style;
}

function failureLines(failure: PairFailure, locations: Locations): string[] {
  return [
    `${failure.source.id} => ${failure.destination.id}: ${failure.reason}`,
    ...failure.deciding.map((d) => `  deciding: policy ${d.policy.id} (${d.direction}) at ${locations.format(d.location)}`),
  ];
}

function outcomeDetails(outcome: ExpectationOutcome, locations: Locations): string[] {
  const lines = outcome.message === undefined ? [] : [outcome.message];
  for (const failure of outcome.failures.slice(0, PAIRS_SHOWN)) lines.push(...failureLines(failure, locations));
  if (outcome.failures.length > PAIRS_SHOWN) lines.push(`and ${outcome.failures.length - PAIRS_SHOWN} more pairs`);
  return lines;
}

function formatStylish(outcomes: readonly ExpectationOutcome[], { locations, style }: TestContext): string {
  const out: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.passed) {
      out.push(`${style.green('✔')} ${outcome.expectation.name}`);
      continue;
    }
    out.push(`${style.red('✖')} ${outcome.expectation.name}  ${style.dim(locations.format(outcome.expectation.location))}`);
    for (const line of outcomeDetails(outcome, locations)) out.push(`    ${line}`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  const line = `${outcomes.length} expectation${outcomes.length === 1 ? '' : 's'}: ${outcomes.length - failed} passed, ${failed} failed`;
  out.push('', failed > 0 ? style.red(style.bold(line)) : style.green(line));
  return `${out.join('\n')}\n`;
}

function formatJson(outcomes: readonly ExpectationOutcome[], { locations }: TestContext): string {
  const document = {
    schema: EXPECTATIONS_JSON_SCHEMA,
    results: outcomes.map((outcome) => ({
      name: outcome.expectation.name,
      kind: outcome.expectation.kind,
      passed: outcome.passed,
      at: locations.format(outcome.expectation.location),
      checked: outcome.checked,
      message: outcome.message ?? null,
      failures: outcome.failures.map((f) => ({
        source: f.source.id,
        destination: f.destination.id,
        allowed: f.allowed.toJSON(),
        reason: f.reason,
        deciding: f.deciding.map((d) => ({ policy: d.policy.id, direction: d.direction, at: locations.format(d.location) })),
      })),
    })),
    summary: { passed: outcomes.filter((o) => o.passed).length, failed: outcomes.filter((o) => !o.passed).length },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function formatJunit(outcomes: readonly ExpectationOutcome[], { file, locations }: TestContext): string {
  const cases = outcomes.map((outcome) => {
    const base = { name: outcome.expectation.name, classname: 'kubereach.expectations', file };
    if (outcome.passed) return base;
    const details = [locations.format(outcome.expectation.location), ...outcomeDetails(outcome, locations)];
    const message = outcome.failures[0]?.reason ?? outcome.message ?? 'failed';
    return { ...base, failure: { message, type: 'expectation', details: details.join('\n') } };
  });
  return junitXml('kubereach test', [{ name: file, cases }]);
}

const TEST_FORMATS = { stylish: formatStylish, json: formatJson, junit: formatJunit } as const;

export function registerTest(program: Command, { io, setExitCode }: CommandEnv): void {
  addCommonOptions(
    program
      .command('test')
      .description('check expectations (allow, deny, isolated) against the computed connectivity')
      .argument('<expectations>', 'the expectations file (YAML)')
      .argument('[paths...]', 'manifest files or directories; - reads stdin', ['.'])
      .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(TEST_FORMATS)).default('stylish')),
  ).action((expectationsFile: string, paths: string[], options: CommonOptions & { format: keyof typeof TEST_FORMATS }) => {
    let source: SourceText;
    try {
      source = { path: expectationsFile, text: readFileSync(expectationsFile, 'utf8') };
    } catch (error) {
      io.stderr(`kubereach test: cannot read ${expectationsFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      setExitCode(EXIT.inputOrUsage);
      return;
    }
    const parsed = parseExpectations(source);
    const configured = configuredSettings(paths, options).analysis;
    const { analysis, locations, inputFailed } = runAnalysis(
      paths,
      options,
      {
        ...configured,
        // The expectations file usually sits among the manifests: it is not one (files of the same name elsewhere are).
        excludeFiles: [expectationsFile],
        extraIssues: [...configured.extraIssues ?? [], ...parsed.issues],
        extraSources: [...configured.extraSources ?? [], source],
      },
      io,
    );
    const { outcomes, issues } = checkExpectations(parsed.file, analysis.result);
    const style = createStyle(colorWanted(process.stderr, options.color));
    reportIssues(issues, locations, style, (line) => io.stderr(`${line}\n`), options.verbose === true);
    const outputStyle = createStyle(colorWanted(process.stdout, options.color));
    io.stdout(TEST_FORMATS[options.format](outcomes, { file: expectationsFile, locations, style: outputStyle }));
    const fileFailed = [...parsed.issues, ...issues].some((issue) => issue.severity === 'error');
    if (fileFailed || inputFailed) setExitCode(EXIT.inputOrUsage);
    else setExitCode(outcomes.every((o) => o.passed) ? EXIT.ok : EXIT.problems);
  });
}
