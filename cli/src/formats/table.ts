// The default, human-readable matrix: aligned columns with a summary line (colour only on a terminal).
import type { Matrix } from '@kubereach/core';
import type { FormatContext } from './format.js';

export function formatTable(matrix: Matrix, { style }: FormatContext): string {
  const header = ['SOURCE', 'DESTINATION', 'ALLOWED'];
  const rows = matrix.rows.map((row) => [row.source.id, row.destination.id, row.connections.toString()]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const pad = (cells: readonly string[]): string[] => cells.map((cell, k) => (k < cells.length - 1 ? cell.padEnd(widths[k]!) : cell));
  const lines = [style.bold(pad(header).join('  '))];
  for (const row of rows) {
    const [source, destination, connections] = pad(row);
    const allOpen = row[2] === 'All Connections';
    lines.push([source, destination, allOpen ? style.yellow(connections!) : connections].join('  '));
  }
  const unit = matrix.granularity === 'namespace' ? 'namespace' : 'workload';
  const internal = matrix.nodes.filter((n) => n.kind !== 'external').length;
  const external = matrix.nodes.length - internal;
  lines.push(
    '',
    style.dim(
      `${rows.length} allowed pair${rows.length === 1 ? '' : 's'} between ${internal} ${unit}${internal === 1 ? '' : 's'} and ${external} external address range${external === 1 ? '' : 's'}`,
    ),
  );
  return `${lines.join('\n')}\n`;
}
