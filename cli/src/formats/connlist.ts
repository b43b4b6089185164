// `SRC => DST : CONNS` lines, sorted: the format of np-guard's netpol-analyzer and `roxctl netpol connectivity map`.
import type { Matrix } from '@kubereach/core';

export function formatConnlist(matrix: Matrix): string {
  const lines = matrix.rows.map((row) => `${row.source.id} => ${row.destination.id} : ${row.connections.toString()}`);
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
