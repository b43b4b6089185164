// Runs the enabled rules over one analysis, applies inline suppressions, and reports unused ones.
import type { Analysis } from '../analyze.js';
import { compareStrings } from '../model/cluster.js';
import type { ResolvedRule } from './config.js';
import { SuppressionIndex } from './suppressions.js';
import { formatMessage, type Finding, type FindingSeverity, type RuleMeta } from './types.js';

export const UNUSED_SUPPRESSION_RULE_ID = 'unused-suppression';

/** Reported by the runner itself, after every rule has run; configured like a rule. */
export const UNUSED_SUPPRESSION_META: RuleMeta<'unused'> = {
  id: UNUSED_SUPPRESSION_RULE_ID,
  category: 'correctness',
  defaultSeverity: 'warning',
  description: 'A kubereach-disable comment that suppresses nothing',
  messages: { unused: '{{detail}}' },
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
}

const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, warning: 1, error: 2 };

function mildest(a: FindingSeverity, b: FindingSeverity): FindingSeverity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

export function lint(analysis: Analysis, rules: readonly ResolvedRule[], options: LintOptions = {}): LintResult {
  const raw: Finding[] = [];
  const scope = options.files;
  const inScope = scope === undefined ? () => true : (file: string) => scope.has(file);
  for (const { rule, severity, options: ruleOptions } of rules) {
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
  }
  const sources = [...analysis.load.sources.values()];
  const suppressions = new SuppressionIndex(scope === undefined ? sources : sources.filter((source) => scope.has(source.path)));
  const findings = raw.filter((f) => !suppressions.suppresses(f.ruleId, f.location.file, f.location.range.start));
  const suppressed = raw.length - findings.length;
  const unusedSeverity = options.unusedSuppressions ?? UNUSED_SUPPRESSION_META.defaultSeverity;
  if (unusedSeverity !== 'off') {
    const enabled = new Set(rules.map((r) => r.rule.meta.id));
    for (const suppression of suppressions.all) {
      if (suppressions.isUsed(suppression)) continue;
      const ruleIds = suppression.rules.map((rule) => rule.id);
      const unknown = ruleIds.filter((id) => !enabled.has(id));
      findings.push({
        ruleId: UNUSED_SUPPRESSION_RULE_ID,
        severity: unusedSeverity,
        messageId: 'unused',
        message:
          unknown.length > 0
            ? `suppression of ${unknown.join(', ')}: no such rule is enabled`
            : `unused suppression: no ${ruleIds.length === 0 ? '' : `${ruleIds.join(', ')} `}finding ${suppression.scope === 'file' ? 'in this file' : 'on the next line'}`,
        location: { file: suppression.file, range: suppression.range },
        related: [],
        fix: { description: 'remove the unused suppression comment', edits: [{ file: suppression.file, range: suppression.range, newText: '' }] },
      });
    }
  }
  findings.sort(compareFindings);
  return { findings, suppressed };
}

/** The order of a lint's findings: by file, then offset, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.range.start - b.location.range.start ||
    compareStrings(a.ruleId, b.ruleId)
  );
}
