// Quick fixes: the edits a rule's finding carries, and a suppression comment on its own line above the finding.
import { UNUSED_SUPPRESSION_RULE_ID, type Finding } from '@kubereach/core';
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver-types';
import { findingDiagnostic } from './diagnostics.js';
import type { Snapshot } from './snapshot.js';

function overlaps(finding: Finding, start: number, end: number): boolean {
  const range = finding.location.range;
  return range.start <= end && start <= range.end;
}

/** The text inserted above the finding's line: the directive, indented like that line. */
export function suppressionComment(ruleId: string, indent: string): string {
  return `${indent}# kubereach-disable-next-line ${ruleId} -- TODO: reason\n`;
}

export function codeActions(snapshot: Snapshot, uri: string, range: Range): CodeAction[] {
  const { positions } = snapshot;
  const file = snapshot.fileOf(uri);
  const start = positions.offset(file, range.start);
  const end = positions.offset(file, range.end);
  const text = snapshot.analysis.load.sources.get(file)?.text;
  if (text === undefined) return [];
  const actions: CodeAction[] = [];
  for (const finding of snapshot.findings) {
    if (finding.location.file !== file || !overlaps(finding, start, end)) continue;
    const diagnostic = findingDiagnostic(snapshot, finding);
    if (finding.fix !== undefined) {
      const changes: Record<string, TextEdit[]> = {};
      for (const edit of finding.fix.edits) {
        (changes[snapshot.uriOf(edit.file)] ??= []).push({ range: positions.range(edit.file, edit.range), newText: edit.newText });
      }
      actions.push({ title: `Fix: ${finding.fix.description}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes } });
    }
    if (finding.ruleId === UNUSED_SUPPRESSION_RULE_ID) continue;
    const line = positions.position(file, finding.location.range.start).line;
    const lineStart = positions.offset(file, { line, character: 0 });
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    actions.push({
      title: `Suppress ${finding.ruleId} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [snapshot.uriOf(file)]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: suppressionComment(finding.ruleId, indent) }] } },
    });
  }
  return actions;
}
