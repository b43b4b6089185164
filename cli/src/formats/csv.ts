// RFC 4180 CSV: source,destination,connections.
import type { MatrixStream } from '@kubereach/core';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function* formatCsv(matrix: MatrixStream): Generator<string> {
  yield 'source,destination,connections\r\n';
  for (const row of matrix.rows) {
    yield `${[row.source.id, row.destination.id, row.connections.toString()].map(csvField).join(',')}\r\n`;
  }
}
