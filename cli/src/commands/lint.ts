// `kubereach lint`: every rule over the inputs, ESLint-style output and exit codes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  lint,
  resolveRules,
  RULES,
  UNUSED_SUPPRESSION_RULE_ID,
  unusedSuppressionSeverity,
  type Finding,
  type SeveritySetting,
} from '@kubereach/core';
import { applyFixes } from '../apply-fixes.js';
import {
  addClusterOptions,
  addCommonOptions,
  configuredSettings,
  EXIT,
  inputPaths,
  readClusterOption,
  runAnalysis,
  type ClusterCommandOptions,
  type CommandEnv,
  type CommonOptions,
} from '../context.js';
import { countBySeverity, LINT_FORMATS, type LintFormatName } from '../lint-formats/format.js';
import { colorWanted, createStyle } from '../terminal.js';
import { timingListSize, timingTable, type TimingRow } from '../timing.js';

const SEVERITIES: Readonly<Record<string, SeveritySetting>> = { off: 'off', info: 'info', warn: 'warning', warning: 'warning', error: 'error' };
const RULE_IDS = new Set([...RULES.map((r) => r.meta.id), UNUSED_SUPPRESSION_RULE_ID]);

/** `--max-warnings`: a whole number; a negative one (ESLint's -1) sets no limit. */
function parseMaxWarnings(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (-1: no limit)');
  return Number(value);
}

function collectRule(value: string, previous: Record<string, SeveritySetting> | undefined): Record<string, SeveritySetting> {
  const match = /^([a-z0-9-]+)=([a-z]+)$/.exec(value);
  const severity = match === null ? undefined : SEVERITIES[match[2]!];
  if (match === null || severity === undefined) throw new InvalidArgumentError('expected <rule-id>=off|info|warn|error');
  if (!RULE_IDS.has(match[1]!)) throw new InvalidArgumentError(`unknown rule "${match[1]}" (kubereach rules lists them)`);
  return { ...previous, [match[1]!]: severity };
}

interface LintCommandOptions extends CommonOptions, ClusterCommandOptions {
  fix?: boolean;
  format: LintFormatName;
  outputFile?: string;
  maxWarnings?: number;
  quiet?: boolean;
  rule?: Record<string, SeveritySetting>;
}

export function registerLint(program: Command, { io, setExitCode }: CommandEnv): void {
  addClusterOptions(addCommonOptions(
    program
      .command('lint')
      .description('find mistakes: unreachable paths, over-permissive rules, invalid manifests')
      .argument('[paths...]', 'manifest files or directories; - reads stdin (default: the current directory, none with --cluster)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(LINT_FORMATS)).default('stylish'))
      .option('--output-file <path>', 'write the report to a file instead of stdout')
      .option('--max-warnings <n>', 'exit 1 when there are more warnings than this, reported or not (-1: no limit)', parseMaxWarnings)
      .option('--quiet', 'report errors only (and with --fix, fix errors only)')
      // No default value: commander would print it in the help as `(default: {})`.
      .option('--rule <id=severity>', 'set a rule to off, info, warn or error (repeatable)', collectRule)
      .option('--fix', 'apply the fixes rules offer, rewriting only the edited text of each file (atomically)'),
  )).action(async (givenPaths: string[], options: LintCommandOptions) => {
    const paths = inputPaths(givenPaths, options);
    const configured = configuredSettings(paths, options);
    const loaded = configured.config;
    const cluster = await readClusterOption(options);
    const { analysis, locations, pathIssues, phases } = runAnalysis(
      paths,
      options,
      // Each loader problem is reported once, as a finding (invalid-manifest, yaml-type-gotcha, duplicate-policy-name),
      // so that --quiet, --rule and suppressions govern it like any other; stderr keeps what is not a finding.
      { ...configured.analysis, ...(cluster === undefined ? {} : { cluster }), loadIssuesAreFindings: true },
      io,
    );
    const rules = resolveRules(RULES, loaded.config, options.rule);
    // TIMING=1 (ESLint's variable): the phases and the slowest rules, on stderr after the report.
    const timingSize = timingListSize(process.env['TIMING']);
    const ruleTimes: TimingRow[] = [];
    const timing = timingSize === undefined ? undefined : { now: () => performance.now(), record: (name: string, milliseconds: number) => void ruleTimes.push({ name, milliseconds }) };
    const result = lint(analysis, rules, {
      unusedSuppressions: unusedSuppressionSeverity(loaded.config, options.rule),
      ...(timing === undefined ? {} : { timing }),
    });
    const isError = (finding: Finding) => finding.severity === 'error';
    // As ESLint: --quiet hides warnings, so --fix leaves their fixes alone too; --max-warnings still counts them.
    const fixable = options.quiet === true ? result.findings.filter(isError) : result.findings;
    const fixes = options.fix === true ? applyFixes(fixable, analysis.load.sources) : undefined;
    for (const problem of fixes?.problems ?? []) io.stderr(`warning: ${problem}\n`);
    if (fixes !== undefined && fixes.fixed.size > 0) io.stderr(`fixed ${fixes.fixed.size} problem${fixes.fixed.size === 1 ? '' : 's'} in ${fixes.files.length} file${fixes.files.length === 1 ? '' : 's'}\n`);
    const remaining = fixes === undefined ? result.findings : result.findings.filter((f) => !fixes.fixed.has(f));
    const findings = options.quiet === true ? remaining.filter(isError) : remaining;
    const style = createStyle(options.outputFile === undefined && colorWanted(process.stdout, options.color));
    const report = LINT_FORMATS[options.format](findings, {
      style,
      locations,
      suppressed: result.suppressed,
      files: [...analysis.load.sources.keys()],
      ruleIds: rules.map((r) => r.rule.meta.id),
    });
    if (options.outputFile === undefined) io.stdout(report);
    else {
      mkdirSync(dirname(options.outputFile), { recursive: true });
      writeFileSync(options.outputFile, report);
    }
    if (timingSize !== undefined) {
      const rulesTime = ruleTimes.reduce((sum, row) => sum + row.milliseconds, 0);
      const phaseRows = [
        { name: 'read files', milliseconds: phases.read },
        { name: 'load (parse, decode, validate)', milliseconds: phases.load },
        { name: 'analysis (engine)', milliseconds: phases.analysis },
        { name: 'rules', milliseconds: rulesTime },
      ];
      io.stderr(`\n${timingTable('Phase', phaseRows, phaseRows.length, 'as-given')}\n${timingTable('Rule', ruleTimes, timingSize)}`);
    }
    const { errors, warnings } = countBySeverity(remaining);
    const tooManyWarnings = options.maxWarnings !== undefined && options.maxWarnings >= 0 && warnings > options.maxWarnings;
    const configFailed = loaded.issues.some((issue) => issue.severity === 'error');
    const inputMissing = pathIssues.some((issue) => issue.severity === 'error');
    if (configFailed || inputMissing) setExitCode(EXIT.inputOrUsage);
    else if (errors > 0 || tooManyWarnings) setExitCode(EXIT.problems);
    else setExitCode(EXIT.ok);
    if (tooManyWarnings) {
      const hidden = options.quiet === true ? `: ${warnings}, not reported under --quiet` : '';
      io.stderr(`kubereach found too many warnings (maximum: ${options.maxWarnings})${hidden}\n`);
    }
  });
}
