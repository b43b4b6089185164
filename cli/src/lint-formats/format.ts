// The contract of a lint output format, and the registry of formats by name.
import type { Finding } from '@kubereach/core';
import type { Locations } from '../report-issues.js';
import type { Style } from '../terminal.js';
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatLintJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export interface LintFormatContext {
  readonly style: Style;
  readonly locations: Locations;
  /** Findings hidden by suppression comments. */
  readonly suppressed: number;
  /** The analysed input files and the ids of the rules that ran (JUnit makes a test case of each pair). */
  readonly files?: readonly string[];
  readonly ruleIds?: readonly string[];
}

export type LintFormatter = (findings: readonly Finding[], context: LintFormatContext) => string;

export const LINT_FORMATS = {
  stylish: formatStylish,
  json: formatLintJson,
  compact: formatCompact,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
} as const satisfies Record<string, LintFormatter>;

export type LintFormatName = keyof typeof LINT_FORMATS;

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}
