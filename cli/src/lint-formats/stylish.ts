// The default lint output: findings grouped by file, a code frame under each, and a summary line.
import type { Finding } from '@kubereach/core';
import { displayPath, type Locations } from '../report-issues.js';
import type { Style } from '../terminal.js';
import { countBySeverity, type LintFormatContext } from './format.js';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Characters of a source line a code frame shows: a longer line (minified JSON) shows a window around the finding. */
const FRAME_WIDTH = 100;
/** Characters of such a window before the finding's column. */
const FRAME_LEAD = 40;

/** The columns [from, to) of the frame's lines that it shows, 0-based. */
interface FrameWindow {
  readonly from: number;
  readonly to: number;
}

function frameWindow(text: string, column: number): FrameWindow {
  if (text.length <= FRAME_WIDTH) return { from: 0, to: Infinity };
  const from = Math.max(0, Math.min(column - 1 - FRAME_LEAD, text.length - FRAME_WIDTH));
  return { from, to: from + FRAME_WIDTH };
}

/** The part of a line in the window, `…` marking the text cut on either side. */
function windowed(text: string, { from, to }: FrameWindow): string {
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${text.length > to ? '…' : ''}`;
}

/** The finding's first line with a caret underline, and one line of context before it. */
function codeFrame(finding: Finding, locations: Locations, style: Style): string[] {
  const { file } = finding.location;
  if (locations.source(file) === undefined) return [];
  const start = locations.lineColumn(finding.location);
  const end = locations.lineColumn({ file, range: { start: finding.location.range.end, end: finding.location.range.end } });
  const text = locations.lineText(file, start.line);
  const window = frameWindow(text, start.column);
  const gutterWidth = String(start.line).length;
  const frame: string[] = [];
  const show = (lineNumber: number, marker: string, lineText: string) =>
    frame.push(`    ${marker} ${String(lineNumber).padStart(gutterWidth)} | ${windowed(lineText, window)}`);
  if (start.line > 1) show(start.line - 1, ' ', locations.lineText(file, start.line - 1));
  show(start.line, style.red('>'), text);
  // Columns of the underline within the line, 0-based and end-exclusive, cut to the window.
  const underlineStart = start.column - 1;
  const underlineEnd = Math.min(end.line === start.line ? Math.max(end.column - 1, start.column) : text.length, window.to);
  const indent = underlineStart - window.from + (window.from > 0 ? 1 : 0);
  frame.push(`      ${' '.repeat(gutterWidth)} | ${' '.repeat(indent)}${style.red('^'.repeat(Math.max(1, underlineEnd - underlineStart)))}`);
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
