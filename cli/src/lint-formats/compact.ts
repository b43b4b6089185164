// `file:line:col: severity rule-id message`, one finding per line (for editors' problem matchers and grep).
import type { Finding } from '@kubereach/core';
import type { LintFormatContext } from './format.js';

export function formatCompact(findings: readonly Finding[], { locations }: LintFormatContext): string {
  return findings
    .map((f) => `${locations.format(f.location)}: ${f.severity} ${f.ruleId} ${f.message}\n`)
    .join('');
}
