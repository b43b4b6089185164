// The versioned JSON document of lint findings (schema `kubereach.dev/lint/v1`).
import { ruleDocsUrl, type Finding, type SourceLocation } from '@kubereach/core';
import { displayPath, type Locations } from '../report-issues.js';
import { countBySeverity, type LintFormatContext } from './format.js';

export const LINT_JSON_SCHEMA = 'kubereach.dev/lint/v1';

export function regionJson(location: SourceLocation, locations: Locations) {
  // A live object has no file: name it and the field, as kubectl would.
  const live = locations.liveObject(location);
  if (live !== undefined) return { object: live.object, fieldPath: live.fieldPath };
  const start = locations.lineColumn(location);
  const end = locations.lineColumn({ file: location.file, range: { start: location.range.end, end: location.range.end } });
  return { file: displayPath(location.file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

export function formatLintJson(findings: readonly Finding[], { locations, suppressed }: LintFormatContext): string {
  const document = {
    schema: LINT_JSON_SCHEMA,
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      messageId: f.messageId,
      message: f.message,
      ...regionJson(f.location, locations),
      docs: ruleDocsUrl(f.ruleId),
      related: f.related.map((r) => ({ message: r.message, ...regionJson(r.location, locations) })),
      ...(f.fix === undefined
        ? {}
        : {
            fix: {
              description: f.fix.description,
              edits: f.fix.edits.map((e) => ({ file: displayPath(e.file), start: e.range.start, end: e.range.end, newText: e.newText })),
            },
          }),
    })),
    summary: { ...countBySeverity(findings), suppressed },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
