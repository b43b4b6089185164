// `TIMING=1 kubereach lint`: where the time went, as ESLint's TIMING environment variable shows it per rule.

export interface TimingRow {
  readonly name: string;
  readonly milliseconds: number;
}

const MINIMUM_LIST = 10;

/**
 * How many rules the table lists, read as ESLint reads TIMING: `all` lists every rule, a number above ten that many,
 * anything else (`1`) ten. Undefined when TIMING is unset or empty: no table.
 */
export function timingListSize(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.toLowerCase() === 'all') return Number.POSITIVE_INFINITY;
  const size = Number.parseInt(value, 10);
  return size > MINIMUM_LIST ? size : MINIMUM_LIST;
}

/**
 * ESLint's TIMING table: the slowest `size` rows, slowest first (or the rows as given), each with its share of the
 * total of every row, listed or not; times in milliseconds to three decimals, columns padded to their widest cell, and
 * a Markdown alignment row.
 */
export function timingTable(
  label: string,
  rows: readonly TimingRow[],
  size: number,
  order: 'slowest-first' | 'as-given' = 'slowest-first',
): string {
  const total = rows.reduce((sum, row) => sum + row.milliseconds, 0);
  const sorted = order === 'as-given' ? rows : [...rows].sort((a, b) => b.milliseconds - a.milliseconds);
  const listed = sorted.slice(0, size);
  const cells = [
    [label, 'Time (ms)', 'Relative'],
    ...listed.map((row) => [
      row.name,
      row.milliseconds.toFixed(3),
      `${(total === 0 ? 0 : (row.milliseconds * 100) / total).toFixed(1)}%`,
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...cells.map((row) => row[column]!.length)));
  const pad = (text: string, column: number) =>
    column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!);
  const lines = cells.map((row) => row.map(pad).join(' | '));
  const alignment = [
    `:${'-'.repeat(widths[0]!)}`,
    `${'-'.repeat(widths[1]! + 1)}:`,
    `${'-'.repeat(widths[2]!)}:`,
  ].join('|');
  lines.splice(1, 0, alignment);
  return `${lines.join('\n')}\n`;
}
