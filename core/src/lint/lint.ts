// Runs the enabled rules over one analysis, applies inline suppressions, and reports unused ones.
import type { Analysis } from '../analyze.js';
import { compareStrings } from '../model/cluster.js';
import type { ResolvedRule } from './config.js';
import { RULES } from '../rules/index.js';
import type { Range } from '../source/source.js';
import { SuppressionIndex, type SuppressedRule, type Suppression } from './suppressions.js';
import { formatMessage, type Finding, type FindingSeverity, type Fix, type RuleMeta } from './types.js';

export const UNUSED_SUPPRESSION_RULE_ID = 'unused-suppression';

/** Reported by the runner itself, after every rule has run; configured like a rule. */
export const UNUSED_SUPPRESSION_META: RuleMeta<'unused' | 'unusedRule' | 'unknownRule'> = {
  id: UNUSED_SUPPRESSION_RULE_ID,
  category: 'correctness',
  defaultSeverity: 'warning',
  description: 'A kubereach-disable comment that suppresses nothing',
  messages: {
    unused: 'unused suppression: {{detail}}',
    unusedRule: 'unused suppression of {{ruleId}}: {{detail}}',
    unknownRule: 'suppression of unknown rule "{{ruleId}}" (kubereach rules lists them)',
  },
  fixable: true,
};

export interface LintResult {
  /** Sorted by file, then offset, then rule id. */
  readonly findings: readonly Finding[];
  readonly suppressed: number;
}

export interface LintOptions {
  /** Severity of unused suppression comments; `off` to not report them. Default: warning. */
  readonly unusedSuppressions?: FindingSeverity | 'off';
  /**
   * Only findings located in these files (and their unused suppressions): what a language server needs first after
   * an edit. The findings are exactly those of a whole lint located there; rules may skip work whose every finding
   * would be located elsewhere (RuleContext.inScope). Default: every file.
   */
  readonly files?: ReadonlySet<string>;
  /**
   * Times each rule's check (and the runner's suppression pass, SUPPRESSIONS_TIMING) with the caller's clock, as ESLint's TIMING
   * does. Verdicts are computed on first use and shared: the first rule to ask for one is charged for it.
   */
  readonly timing?: RuleTiming;
}

/**
 * What RuleTiming records for the runner's own pass after the rules: inline suppressions (which read each finding's
 * location, resolved on first use) and unused-suppression findings.
 */
export const SUPPRESSIONS_TIMING = '(suppressions)';

export interface RuleTiming {
  /** A clock in milliseconds (performance.now). */
  now(): number;
  record(ruleId: string, milliseconds: number): void;
}

const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, warning: 1, error: 2 };

function mildest(a: FindingSeverity, b: FindingSeverity): FindingSeverity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

export function lint(analysis: Analysis, rules: readonly ResolvedRule[], options: LintOptions = {}): LintResult {
  const raw: Finding[] = [];
  const scope = options.files;
  const inScope = scope === undefined ? () => true : (file: string) => scope.has(file);
  const { timing } = options;
  for (const { rule, severity, options: ruleOptions } of rules) {
    const start = timing?.now();
    rule.check({
      analysis,
      options: ruleOptions,
      inScope,
      report(descriptor) {
        if (!inScope(descriptor.location.file)) return;
        raw.push({
          ruleId: rule.meta.id,
          severity: descriptor.maxSeverity === undefined ? severity : mildest(severity, descriptor.maxSeverity),
          messageId: descriptor.messageId,
          message: formatMessage(rule.meta.messages[descriptor.messageId] ?? descriptor.messageId, descriptor.data),
          location: descriptor.location,
          related: descriptor.related ?? [],
          fix: descriptor.fix,
        });
      },
    });
    if (timing !== undefined) timing.record(rule.meta.id, timing.now() - start!);
  }
  const suppressionStart = timing?.now();
  const sources = [...analysis.load.sources.values()];
  const suppressions = new SuppressionIndex(scope === undefined ? sources : sources.filter((source) => scope.has(source.path)));
  const findings = raw.filter((f) => !suppressions.suppresses(f.ruleId, f.location.file, f.location.range.start));
  const suppressed = raw.length - findings.length;
  const unusedSeverity = options.unusedSuppressions ?? UNUSED_SUPPRESSION_META.defaultSeverity;
  if (unusedSeverity !== 'off') {
    const ruleIds: RuleIds = {
      enabled: new Set([...rules.map((r) => r.rule.meta.id), UNUSED_SUPPRESSION_RULE_ID]),
      known: new Set([...[...RULES, ...rules.map((r) => r.rule)].map((rule) => rule.meta.id), UNUSED_SUPPRESSION_RULE_ID]),
    };
    for (const suppression of suppressions.all) findings.push(...unusedSuppressionFindings(suppression, suppressions, ruleIds, unusedSeverity));
  }
  if (timing !== undefined) timing.record(SUPPRESSIONS_TIMING, timing.now() - suppressionStart!);
  findings.sort(compareFindings);
  return { findings, suppressed };
}

interface RuleIds {
  /** The rules this lint ran, and unused-suppression itself. */
  readonly enabled: ReadonlySet<string>;
  /** Every rule there is, enabled or not. */
  readonly known: ReadonlySet<string>;
}

/**
 * What a directive suppressed nothing of, as ESLint reports unused disable directives: when none of its rule ids (or,
 * without ids, no rule) had a finding to suppress, the whole directive, whose fix removes its line; otherwise each
 * unused id at its place, whose fix removes that id alone. An id that names no rule says so.
 */
function unusedSuppressionFindings(suppression: Suppression, index: SuppressionIndex, ruleIds: RuleIds, severity: FindingSeverity): Finding[] {
  const { file } = suppression;
  const where = suppression.scope === 'file' ? 'in this file' : 'on the next line';
  const finding = (messageId: keyof typeof UNUSED_SUPPRESSION_META.messages, data: Record<string, string>, range: Range, fix: Fix): Finding => ({
    ruleId: UNUSED_SUPPRESSION_RULE_ID,
    severity,
    messageId,
    message: formatMessage(UNUSED_SUPPRESSION_META.messages[messageId], data),
    location: { file, range },
    related: [],
    fix,
  });
  if (!index.isUsed(suppression)) {
    const unknown = suppression.rules.filter((rule) => !ruleIds.known.has(rule.id)).map((rule) => `"${rule.id}"`);
    const off = suppression.rules.filter((rule) => ruleIds.known.has(rule.id) && !ruleIds.enabled.has(rule.id)).map((rule) => rule.id);
    const quiet = suppression.rules.filter((rule) => ruleIds.enabled.has(rule.id)).map((rule) => rule.id);
    const reasons = [
      ...(quiet.length > 0 || suppression.rules.length === 0 ? [`no ${quiet.length === 0 ? '' : `${quiet.join(', ')} `}finding ${where}`] : []),
      ...(off.length > 0 ? [`${off.join(', ')} ${off.length === 1 ? 'is' : 'are'} off`] : []),
      ...(unknown.length > 0 ? [`${unknown.join(', ')} ${unknown.length === 1 ? 'is not a rule' : 'are not rules'} (kubereach rules lists them)`] : []),
    ];
    return [
      finding('unused', { detail: reasons.join('; ') }, suppression.range, {
        description: 'remove the unused suppression comment',
        edits: [{ file, range: suppression.lineRange, newText: '' }],
      }),
    ];
  }
  const unused = new Set(index.unusedRules(suppression));
  return [...unused].map((rule) => {
    const fix = { description: `remove ${rule.id} from the suppression comment`, edits: [{ file, range: ruleRemoval(suppression.rules, rule, unused), newText: '' }] };
    if (!ruleIds.known.has(rule.id)) return finding('unknownRule', { ruleId: rule.id }, rule.range, fix);
    return finding('unusedRule', { ruleId: rule.id, detail: ruleIds.enabled.has(rule.id) ? `no finding ${where}` : 'the rule is off' }, rule.range, fix);
  });
}

/**
 * The text to delete to drop `rule` from a directive's list along with one separator: the one after it while a later
 * id stays, else the one before it. So the fixes of several unused ids of one list never overlap, and each leaves a
 * well-formed list whether it is applied alone or with the others.
 */
function ruleRemoval(rules: readonly SuppressedRule[], rule: SuppressedRule, unused: ReadonlySet<SuppressedRule>): Range {
  const position = rules.indexOf(rule);
  const laterKept = rules.slice(position + 1).some((other) => !unused.has(other));
  return laterKept ? { start: rule.range.start, end: rules[position + 1]!.range.start } : { start: rules[position - 1]!.range.end, end: rule.range.end };
}

/** The order of a lint's findings: by file, then offset, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.range.start - b.location.range.start ||
    compareStrings(a.ruleId, b.ruleId)
  );
}
