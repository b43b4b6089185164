// Lint findings and config-file issues as LSP diagnostics: exact ranges, rule id and doc link, related places, tags.
import { ruleDocsUrl, UNUSED_SUPPRESSION_RULE_ID, type Finding, type FindingSeverity } from '@kubereach/core';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { Snapshot } from './snapshot.js';

const SEVERITY: Readonly<Record<FindingSeverity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Findings about text that does nothing: editors grey it out. */
const UNNECESSARY_RULES = new Set(['redundant-rule', UNUSED_SUPPRESSION_RULE_ID]);

export function findingDiagnostic(snapshot: Snapshot, finding: Finding): Diagnostic {
  const { positions } = snapshot;
  return {
    range: positions.range(finding.location.file, finding.location.range),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    source: 'kubereach',
    message: finding.message,
    ...(finding.related.length === 0
      ? {}
      : { relatedInformation: finding.related.map((r) => ({ location: positions.location(r.location), message: r.message })) }),
    ...(UNNECESSARY_RULES.has(finding.ruleId) ? { tags: [DiagnosticTag.Unnecessary] } : {}),
  };
}

/**
 * Diagnostics of every analyzed file and of the config file, keyed by URI; a file without
 * findings has an empty list, so a client clears what it showed before.
 */
export function workspaceDiagnostics(snapshot: Snapshot): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>(snapshot.uris.map((uri) => [uri, []]));
  for (const finding of snapshot.findings) {
    const list = byUri.get(finding.location.file) ?? [];
    list.push(findingDiagnostic(snapshot, finding));
    byUri.set(finding.location.file, list);
  }
  const config = snapshot.config;
  if (config !== undefined) {
    byUri.set(
      config.uri,
      config.issues
        .filter((issue) => issue.severity !== 'info')
        .map((issue) => ({
          range: snapshot.positions.range(config.uri, issue.location.range),
          severity: SEVERITY[issue.severity],
          code: issue.code,
          source: 'kubereach',
          message: issue.message,
        })),
    );
  }
  return byUri;
}
