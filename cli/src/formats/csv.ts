// RFC 4180 CSV: source,destination,connections.
import type { Matrix } from '@kubereach/core';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function formatCsv(matrix: Matrix): string {
  const lines = ['source,destination,connections'];
  for (const row of matrix.rows) {
    lines.push([row.source.id, row.destination.id, row.connections.toString()].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
