// GitHub Actions workflow commands (`::error file=…,line=…::message`), a summary line, and markdown for $GITHUB_STEP_SUMMARY.
import { appendFileSync } from 'node:fs';
import { ruleDocsUrl, type Finding, type FindingSeverity } from '@kubereach/core';
import { repositoryPath } from '../git.js';
import { displayPath } from '../report-issues.js';
import { countBySeverity, type LintFormatContext } from './format.js';
import { regionJson } from './json.js';

const COMMANDS: Readonly<Record<FindingSeverity, string>> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub shows at most this many annotations of each level per step; the rest are only in the log. */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

/** Escaping of a workflow command's message (what follows `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a workflow command's property value (`file=…`, `title=…`): also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(finding: Finding, context: LintFormatContext): string {
  const { line, column, endLine, endColumn } = regionJson(finding.location, context.locations);
  const file = repositoryPath(finding.location.file) ?? displayPath(finding.location.file);
  const properties = [
    `file=${escapeProperty(file)}`,
    `line=${line}`,
    `endLine=${endLine}`,
    `col=${column}`,
    `endColumn=${endColumn}`,
    `title=${escapeProperty(`kubereach ${finding.ruleId}`)}`,
  ];
  return `::${COMMANDS[finding.severity]} ${properties.join(',')}::${escapeData(`${finding.message} (${ruleDocsUrl(finding.ruleId)})`)}`;
}

function summaryLine(findings: readonly Finding[], suppressed: number): string {
  const { errors, warnings, infos } = countBySeverity(findings);
  const total = errors + warnings + infos;
  const hidden = suppressed > 0 ? `, ${suppressed} suppressed` : '';
  if (total === 0) return `kubereach: no problems${hidden}`;
  const cut = [errors, warnings, infos].some((count) => count > ANNOTATIONS_SHOWN_PER_LEVEL)
    ? `; GitHub shows ${ANNOTATIONS_SHOWN_PER_LEVEL} annotations of each level per step, the job summary lists them all`
    : '';
  return `kubereach: ${total} problem${total === 1 ? '' : 's'} (${errors} errors, ${warnings} warnings, ${infos} info${hidden})${cut}`;
}

/** The job summary: a count and one table row per finding, with links to the rule docs. */
export function stepSummaryMarkdown(findings: readonly Finding[], context: LintFormatContext): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [`### kubereach lint`, '', summaryLine(findings, context.suppressed).replace(/^kubereach: /, ''), ''];
  if (findings.length > 0) {
    lines.push('| Severity | Location | Rule | Message |', '| --- | --- | --- | --- |');
    for (const finding of findings) {
      const { line, column } = regionJson(finding.location, context.locations);
      const file = repositoryPath(finding.location.file) ?? displayPath(finding.location.file);
      lines.push(
        `| ${finding.severity} | \`${cell(file)}:${line}:${column}\` | [${finding.ruleId}](${ruleDocsUrl(finding.ruleId)}) | ${cell(finding.message)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Annotations and a summary line; when $GITHUB_STEP_SUMMARY names a file, the markdown summary is appended to it. */
export function formatGithub(findings: readonly Finding[], context: LintFormatContext): string {
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile !== undefined && summaryFile !== '') appendFileSync(summaryFile, stepSummaryMarkdown(findings, context));
  return [...findings.map((finding) => annotation(finding, context)), summaryLine(findings, context.suppressed)].join('\n') + '\n';
}
