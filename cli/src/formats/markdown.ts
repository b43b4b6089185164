// A Markdown table, for pull-request comments and docs.
import type { Matrix } from '@kubereach/core';

function cell(value: string): string {
  return value.replaceAll('|', '\\|');
}

export function formatMarkdown(matrix: Matrix): string {
  const lines = ['| Source | Destination | Allowed |', '| --- | --- | --- |'];
  for (const row of matrix.rows) {
    lines.push(`| \`${cell(row.source.id)}\` | \`${cell(row.destination.id)}\` | ${cell(row.connections.toString())} |`);
  }
  if (matrix.rows.length === 0) lines.push('| _none_ | | |');
  return `${lines.join('\n')}\n`;
}
