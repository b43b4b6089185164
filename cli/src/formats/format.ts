// The contract of a matrix output format, and the registry of formats by name.
import type { InputIssue, MatrixStream } from '@kubereach/core';
import type { Io } from '../context.js';
import type { Locations } from '../report-issues.js';
import type { Style } from '../terminal.js';
import { formatConnlist } from './connlist.js';
import { formatCsv } from './csv.js';
import { formatDot } from './dot.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatTable } from './table.js';

export interface FormatContext {
  readonly style: Style;
  readonly issues: readonly InputIssue[];
  readonly locations: Locations;
}

/** Yields the output piece by piece as the matrix's rows are produced, so a pod-level listing is never held whole. */
export type MatrixFormatter = (matrix: MatrixStream, context: FormatContext) => Iterable<string>;

export const MATRIX_FORMATS = {
  table: formatTable,
  connlist: formatConnlist,
  json: formatJson,
  csv: formatCsv,
  md: formatMarkdown,
  dot: formatDot,
} as const satisfies Record<string, MatrixFormatter>;

export type MatrixFormatName = keyof typeof MATRIX_FORMATS;

/** Bytes gathered before a write: one system call per row would dominate a large listing. */
const WRITE_CHUNK = 1 << 16;

/**
 * Writes a format's pieces in chunks of about 64 KB, waiting for stdout to take each chunk: rows are computed no faster
 * than the reader takes them, so a slow pipe does not gather the listing in memory, and a reader that goes away
 * (`| head -1`) stops the computation.
 */
export async function writeChunked(pieces: Iterable<string>, io: Pick<Io, 'stdout' | 'stdoutDrained'>): Promise<void> {
  let pending: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    pending.push(piece);
    size += piece.length;
    if (size >= WRITE_CHUNK) {
      io.stdout(pending.join(''));
      pending = [];
      size = 0;
      await io.stdoutDrained();
    }
  }
  if (pending.length > 0) io.stdout(pending.join(''));
}
