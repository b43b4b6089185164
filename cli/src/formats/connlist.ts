// `SRC => DST : CONNS` lines, sorted: the format of np-guard's netpol-analyzer and `roxctl netpol connectivity map`.
import type { MatrixStream } from '@kubereach/core';

/** Rows come sorted by source then destination id, which is the lines' order: no id holds a character below ' '. */
export function* formatConnlist(matrix: MatrixStream): Generator<string> {
  for (const row of matrix.rows) yield `${row.source.id} => ${row.destination.id} : ${row.connections.toString()}\n`;
}
