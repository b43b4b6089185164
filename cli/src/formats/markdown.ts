// A Markdown table, for pull-request comments and docs.
import type { MatrixStream } from '@kubereach/core';

function cell(value: string): string {
  return value.replaceAll('|', '\\|');
}

export function* formatMarkdown(matrix: MatrixStream): Generator<string> {
  yield '| Source | Destination | Allowed |\n| --- | --- | --- |\n';
  let rows = 0;
  for (const row of matrix.rows) {
    rows++;
    yield `| \`${cell(row.source.id)}\` | \`${cell(row.destination.id)}\` | ${cell(row.connections.toString())} |\n`;
  }
  if (rows === 0) yield '| _none_ | | |\n';
}
