// The default, human-readable matrix: aligned columns with a summary line (colour only on a terminal), streamed in blocks.
import type { MatrixStream } from '@kubereach/core';
import type { FormatContext } from './format.js';

/**
 * Rows aligned together: the table is written block by block, each aligned on its own widths, as `kubectl get`
 * prints a long list chunk by chunk (its default --chunk-size is 500), so a pod-level listing is never held whole.
 */
export const TABLE_BLOCK_ROWS = 500;

const HEADER = ['SOURCE', 'DESTINATION', 'ALLOWED'] as const;

const UNITS = { workload: 'workload', class: 'class', namespace: 'namespace' } as const;

export function* formatTable(matrix: MatrixStream, { style }: FormatContext): Generator<string> {
  let block: string[][] = [];
  let rows = 0;
  let first = true;
  const flush = function* (): Generator<string> {
    const widths = HEADER.map((h, k) => Math.max(h.length, ...block.map((r) => r[k]!.length)));
    const pad = (cells: readonly string[]): string[] => cells.map((cell, k) => (k < cells.length - 1 ? cell.padEnd(widths[k]!) : cell));
    if (first) yield `${style.bold(pad(HEADER).join('  '))}\n`;
    first = false;
    for (const row of block) {
      const [source, destination, connections] = pad(row);
      const allOpen = row[2] === 'All Connections';
      yield `${[source, destination, allOpen ? style.yellow(connections!) : connections].join('  ')}\n`;
    }
    block = [];
  };
  for (const row of matrix.rows) {
    block.push([row.source.id, row.destination.id, row.connections.toString()]);
    rows++;
    if (block.length === TABLE_BLOCK_ROWS) yield* flush();
  }
  if (first || block.length > 0) yield* flush();
  const internal = matrix.nodes.filter((n) => n.kind !== 'external');
  const external = matrix.nodes.length - internal.length;
  const unit = UNITS[matrix.granularity];
  const plural = unit === 'class' ? 'classes' : `${unit}s`;
  const members = matrix.granularity === 'class' ? ` (${internal.reduce((sum, n) => sum + (n.members?.length ?? 0), 0)} workloads)` : '';
  // A listing longer than a block is too long to read: point at the summaries.
  const hint = matrix.granularity === 'workload' && rows > TABLE_BLOCK_ROWS ? '; --granularity class or namespace summarises them' : '';
  yield `\n${style.dim(
    `${rows} allowed pair${rows === 1 ? '' : 's'} between ${internal.length} ${internal.length === 1 ? unit : plural}${members} and ${external} external address range${external === 1 ? '' : 's'}${hint}`,
  )}\n`;
}
