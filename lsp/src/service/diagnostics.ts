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
 * findings has an empty list, so a client clears what it showed before. With `only` (URIs, however
 * spelled), the diagnostics of those files alone (an empty list for one no longer analyzed), computed
 * without linting the other files: what an edit's own files show first.
 */
export function workspaceDiagnostics(snapshot: Snapshot, only?: ReadonlySet<string>): Map<string, Diagnostic[]> {
  const files = only === undefined ? undefined : new Set([...only].map((uri) => snapshot.fileOf(uri)));
  const byFile = new Map<string, Diagnostic[]>([...(files ?? snapshot.files)].map((file) => [file, []]));
  for (const finding of files === undefined ? snapshot.findings : snapshot.findingsIn(files)) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push(findingDiagnostic(snapshot, finding));
    byFile.set(finding.location.file, list);
  }
  const config = snapshot.config;
  if (config !== undefined && (files === undefined || files.has(config.source.path))) {
    byFile.set(
      config.source.path,
      config.issues
        .filter((issue) => issue.severity !== 'info')
        .map((issue) => ({
          range: snapshot.positions.range(config.source.path, issue.location.range),
          severity: SEVERITY[issue.severity],
          code: issue.code,
          source: 'kubereach',
          message: issue.message,
        })),
    );
  }
  return new Map([...byFile].map(([file, list]) => [snapshot.uriOf(file), list]));
}

/**
 * What the client was last sent, by URI, so that after an analysis only the lists that changed are sent again: an edit
 * usually changes the findings of a few files, and the client need not redraw the others.
 */
export class PublishedDiagnostics {
  private readonly sent = new Map<string, string>();

  /**
   * The lists to send for a new analysis: every list that differs from the one sent before, and an empty list for a
   * URI that had diagnostics and is no longer analyzed. An empty list is not sent for a URI never sent anything,
   * unless it is open (the client then knows the file was analyzed and is clean). `partial`: the lists are of some
   * URIs only, as `workspaceDiagnostics` gives them with `only`; the others keep what was sent.
   */
  changes(
    diagnostics: ReadonlyMap<string, readonly Diagnostic[]>,
    isOpen: (uri: string) => boolean,
    { partial = false }: { readonly partial?: boolean } = {},
  ): [string, Diagnostic[]][] {
    const changed: [string, Diagnostic[]][] = [];
    const visit = (uri: string, list: readonly Diagnostic[]): void => {
      const json = JSON.stringify(list);
      if (this.sent.get(uri) === json) return;
      if (list.length === 0 && !this.sent.has(uri) && !isOpen(uri)) return;
      this.sent.set(uri, json);
      changed.push([uri, [...list]]);
    };
    for (const [uri, list] of diagnostics) visit(uri, list);
    // Lists of some URIs only (workspaceDiagnostics with `only`) say nothing of the others.
    if (!partial) for (const uri of [...this.sent.keys()]) if (!diagnostics.has(uri)) visit(uri, []);
    return changed;
  }

  /** Forgets what was sent for a URI: its list goes out again with the next changes (under a new spelling, say). */
  forget(uri: string): void {
    this.sent.delete(uri);
  }
}
