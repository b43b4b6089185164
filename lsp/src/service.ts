// The pure language service: documents in, diagnostics out; no connection, no I/O.
import { LineIndex, loadManifests, type InputIssue, type Severity, type SourceText } from '@kubereach/core';

export interface Position {
  /** 0-based, as LSP counts. */
  readonly line: number;
  readonly character: number;
}

export interface ServiceDiagnostic {
  readonly range: { readonly start: Position; readonly end: Position };
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

/** LSP positions are 0-based: the one conversion from core's offsets happens here. */
function toPosition(index: LineIndex, offset: number): Position {
  const { line, column } = index.lineColumn(offset);
  return { line: line - 1, character: column - 1 };
}

function toDiagnostic(issue: InputIssue, index: LineIndex): ServiceDiagnostic {
  return {
    range: { start: toPosition(index, issue.location.range.start), end: toPosition(index, issue.location.range.end) },
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
  };
}

/** Diagnostics for one document: the loader's issues with exact ranges (info ones left out). */
export function diagnoseDocument(document: SourceText): ServiceDiagnostic[] {
  const index = new LineIndex(document.text);
  return loadManifests([document])
    .issues.filter((issue) => issue.severity !== 'info' && issue.location.file === document.path)
    .map((issue) => toDiagnostic(issue, index));
}
