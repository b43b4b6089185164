// `matrix --cni a,b`: the paths whose verdict differs between two network plugins, in the matrix formats.
import type { ProfileDifference } from '@kubereach/core';
import type { Style } from '../terminal.js';

export const CNI_COMPARE_FORMATS = ['table', 'connlist', 'json', 'csv', 'md'] as const;
export type CniCompareFormat = (typeof CNI_COMPARE_FORMATS)[number];

export function formatCniComparison(
  differences: readonly ProfileDifference[],
  profiles: readonly [string, string],
  format: CniCompareFormat,
  style: Style,
): string {
  const [a, b] = profiles;
  const rows = differences.map((d) => [d.source, d.destination, d.before.toString(), d.after.toString()] as const);
  switch (format) {
    case 'connlist':
      return rows.map(([s, t, x, y]) => `${s} => ${t} : ${a}: ${x} ; ${b}: ${y}\n`).join('');
    case 'json':
      return `${JSON.stringify(
        {
          schema: 'kubereach.dev/cni-compare/v1',
          profiles: [a, b],
          differences: differences.map((d) => ({
            source: d.source,
            destination: d.destination,
            [a]: { allowed: d.before.toString(), connections: d.before.toJSON() },
            [b]: { allowed: d.after.toString(), connections: d.after.toJSON() },
          })),
        },
        null,
        2,
      )}\n`;
    case 'csv': {
      const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
      return [`source,destination,${field(a)},${field(b)}`, ...rows.map((r) => r.map(field).join(','))].map((l) => `${l}\r\n`).join('');
    }
    case 'md':
      return `${[`| Source | Destination | ${a} | ${b} |`, '| --- | --- | --- | --- |', ...rows.map(([s, t, x, y]) => `| \`${s}\` | \`${t}\` | ${x} | ${y} |`)].join('\n')}\n`;
    case 'table': {
      const header = ['SOURCE', 'DESTINATION', a.toUpperCase(), b.toUpperCase()];
      const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
      const line = (cells: readonly string[]) => cells.map((c, k) => (k < cells.length - 1 ? c.padEnd(widths[k]!) : c)).join('  ');
      const summary = `${rows.length} path${rows.length === 1 ? '' : 's'} differ between ${a} and ${b}`;
      return `${[style.bold(line(header)), ...rows.map(line), '', style.dim(summary)].join('\n')}\n`;
    }
  }
}
