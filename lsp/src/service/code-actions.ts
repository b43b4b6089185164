// Quick fixes: the edits a rule's finding carries, and a suppression comment on its own line above the finding.
import { UNUSED_SUPPRESSION_RULE_ID, type Finding } from '@kubereach/core';
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver-types';
import { findingDiagnostic } from './diagnostics.js';
import type { Snapshot } from './snapshot.js';

function overlaps(finding: Finding, start: number, end: number): boolean {
  const range = finding.location.range;
  return range.start <= end && start <= range.end;
}

/** The text inserted above the finding's line: the directive, indented like that line, ended by `lineBreak`. */
export function suppressionComment(ruleId: string, indent: string, lineBreak = '\n'): string {
  return `${indent}# kubereach-disable-next-line ${ruleId} -- TODO: reason${lineBreak}`;
}

/**
 * The line break of the line starting at `lineStart` (of the line before it for the last line, which has none): the
 * directive inserted above that line ends with it, so a CRLF file stays CRLF.
 */
function lineBreakAt(text: string, lineStart: number): string {
  const own = text.indexOf('\n', lineStart);
  const newline = own >= 0 ? own : lineStart - 1;
  return newline > 0 && text[newline] === '\n' && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * JSON has no comments: a directive would break the file, and none can be written there, so JSON documents (by
 * extension, or by the editor's language id for unsaved ones) get the rules' fixes only.
 */
function isJson(file: string, languageId: string | undefined): boolean {
  return languageId === 'json' || languageId === 'jsonc' || file.toLowerCase().endsWith('.json');
}

/** The quick fixes for the findings of one document overlapping `range`; `languageId` as the editor opened it, if it did. */
export function codeActions(snapshot: Snapshot, uri: string, range: Range, languageId?: string): CodeAction[] {
  const { positions } = snapshot;
  const file = snapshot.fileOf(uri);
  const start = positions.offset(file, range.start);
  const end = positions.offset(file, range.end);
  const text = snapshot.analysis.load.sources.get(file)?.text;
  if (text === undefined) return [];
  const directives = !isJson(file, languageId);
  const actions: CodeAction[] = [];
  // This file's findings only: the lint of one file, not of the workspace, on every request.
  for (const finding of snapshot.findingsIn(new Set([file]))) {
    if (!overlaps(finding, start, end)) continue;
    const diagnostic = findingDiagnostic(snapshot, finding);
    if (finding.fix !== undefined) {
      const changes: Record<string, TextEdit[]> = {};
      for (const edit of finding.fix.edits) {
        (changes[snapshot.uriOf(edit.file)] ??= []).push({ range: positions.range(edit.file, edit.range), newText: edit.newText });
      }
      actions.push({ title: `Fix: ${finding.fix.description}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes } });
    }
    if (!directives || finding.ruleId === UNUSED_SUPPRESSION_RULE_ID) continue;
    const line = positions.position(file, finding.location.range.start).line;
    const lineStart = positions.offset(file, { line, character: 0 });
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const at = { start: { line, character: 0 }, end: { line, character: 0 } };
    actions.push({
      title: `Suppress ${finding.ruleId} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [snapshot.uriOf(file)]: [{ range: at, newText: suppressionComment(finding.ruleId, indent, lineBreakAt(text, lineStart)) }] } },
    });
  }
  return actions;
}
