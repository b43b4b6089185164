// The contract of a matrix output format, and the registry of formats by name.
import type { InputIssue, Matrix } from '@kubereach/core';
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

export type MatrixFormatter = (matrix: Matrix, context: FormatContext) => string;

export const MATRIX_FORMATS = {
  table: formatTable,
  connlist: formatConnlist,
  json: formatJson,
  csv: formatCsv,
  md: formatMarkdown,
  dot: formatDot,
} as const satisfies Record<string, MatrixFormatter>;

export type MatrixFormatName = keyof typeof MATRIX_FORMATS;
