// The default lint output: findings grouped by file, a code frame under each, and a summary line.
import type { Finding } from '@kubereach/core';
import { displayPath, type Locations } from '../report-issues.js';
import type { Style } from '../terminal.js';
import { countBySeverity, type LintFormatContext } from './format.js';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The finding's first line with a caret underline, and one line of context before it. */
function codeFrame(finding: Finding, locations: Locations, style: Style): string[] {
  const source = locations.source(finding.location.file);
  if (source === undefined) return [];
  const start = locations.lineColumn(finding.location);
  const end = locations.lineColumn({ file: finding.location.file, range: { start: finding.location.range.end, end: finding.location.range.end } });
  const lines = source.split('\n');
  const gutterWidth = String(start.line).length;
  const frame: string[] = [];
  const show = (lineNumber: number, marker: string) => {
    const text = (lines[lineNumber - 1] ?? '').replace(/\r$/, '');
    frame.push(`    ${marker} ${String(lineNumber).padStart(gutterWidth)} | ${text}`);
    return text;
  };
  if (start.line > 1) show(start.line - 1, ' ');
  const text = show(start.line, style.red('>'));
  const underlineEnd = end.line === start.line ? Math.max(end.column, start.column + 1) : text.length + 1;
  frame.push(`      ${' '.repeat(gutterWidth)} | ${' '.repeat(start.column - 1)}${style.red('^'.repeat(Math.max(1, underlineEnd - start.column)))}`);
  return frame;
}

function severityLabel(finding: Finding, style: Style): string {
  return finding.severity === 'error' ? style.red('error') : finding.severity === 'warning' ? style.yellow('warning') : style.cyan('info');
}

export function formatStylish(findings: readonly Finding[], { style, locations, suppressed }: LintFormatContext): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) byFile.set(finding.location.file, [...(byFile.get(finding.location.file) ?? []), finding]);
  for (const [file, fileFindings] of byFile) {
    const liveObject = locations.liveObject({ file, range: { start: 0, end: 0 } });
    out.push('', style.bold(liveObject?.object ?? displayPath(file)));
    for (const finding of fileFindings) {
      const live = locations.liveObject(finding.location);
      if (live !== undefined) {
        // A live object: the field path instead of a line, and no code frame of text the user never wrote.
        out.push(`  ${style.dim(live.fieldPath === '' ? '-' : live.fieldPath)}  ${severityLabel(finding, style)}  ${finding.message}  ${style.dim(finding.ruleId)}`);
        for (const related of finding.related) out.push(`      ${style.dim('related:')} ${locations.format(related.location)}: ${related.message}`);
        continue;
      }
      const { line, column } = locations.lineColumn(finding.location);
      out.push(`  ${style.dim(`${line}:${column}`)}  ${severityLabel(finding, style)}  ${finding.message}  ${style.dim(finding.ruleId)}`);
      out.push(...codeFrame(finding, locations, style));
      for (const related of finding.related) out.push(`      ${style.dim('related:')} ${locations.format(related.location)}: ${related.message}`);
      if (finding.fix !== undefined) out.push(`      ${style.dim('fix:')} ${finding.fix.description}`);
    }
  }
  const { errors, warnings, infos } = countBySeverity(findings);
  const total = errors + warnings + infos;
  const hidden = suppressed > 0 ? `, ${suppressed} suppressed` : '';
  if (total === 0) out.push(style.green(`✔ no problems${hidden}`));
  else {
    const parts = [plural(errors, 'error'), plural(warnings, 'warning'), ...(infos > 0 ? [`${infos} info`] : [])];
    const summary = `✖ ${plural(total, 'problem')} (${parts.join(', ')})${hidden}`;
    out.push('', errors > 0 ? style.red(style.bold(summary)) : style.yellow(style.bold(summary)));
  }
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}
