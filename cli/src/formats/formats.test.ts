import { describe, expect, it } from 'vitest';
import { analyze, buildMatrix, streamMatrix } from '@kubereach/core';
import { Locations } from '../report-issues.js';
import { createStyle } from '../terminal.js';
import { formatCsv } from './csv.js';
import { formatDot } from './dot.js';
import { formatJson } from './json.js';
import { MATRIX_FORMATS, writeChunked, type MatrixFormatName } from './format.js';
import { formatMarkdown } from './markdown.js';
import { formatTable, TABLE_BLOCK_ROWS } from './table.js';

const text = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: a}}\nspec: {containers: [{name: c, image: x}]}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: other}\nspec: {containers: [{name: c, image: x}]}\n',
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress: [{ports: [{port: 53, protocol: UDP}, {port: 80}]}]\n',
].join('---\n');
const analysis = analyze([{ path: 'x.yaml', text }]);
const context = { style: createStyle(false), issues: analysis.issues, locations: new Locations(analysis.load.sources) };
const matrix = buildMatrix(analysis.result);
const joined = (pieces: Iterable<string>) => [...pieces].join('');

/** `count` pods in one namespace and no policy: count × (count - 1) rows, all in one class. */
function openNamespace(count: number) {
  const pods = Array.from({ length: count }, (_, k) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${String(k).padStart(3, '0')}${k === 7 ? '-longer-name' : ''}}\nspec: {containers: [{name: c, image: x}]}\n`);
  return analyze([{ path: 'open.yaml', text: pods.join('---\n') }]).result;
}

describe('matrix formats', () => {
  it('quotes CSV fields holding commas', () => {
    expect(joined(formatCsv(matrix)).split('\r\n')).toContain('default/a[Pod],other/b[Pod],"TCP 80,UDP 53"');
  });
  it('groups dot nodes by namespace', () => {
    const dot = joined(formatDot(matrix));
    expect(dot).toContain('label="default";');
    expect(dot).toContain('"default/a[Pod]" [label="a[Pod]"];');
    expect(dot).toContain('"0.0.0.0-255.255.255.255" [shape=ellipse, style=dashed];');
  });
  it('labels dot class nodes with their member count', () => {
    expect(joined(formatDot(streamMatrix(openNamespace(3), 'class')))).toContain('"default/{}" [label="{}\\n3 workloads"];');
  });
  it('writes a Markdown table and says when it is empty', () => {
    expect(joined(formatMarkdown(matrix))).toContain('| `default/a[Pod]` | `other/b[Pod]` | TCP 80,UDP 53 |');
    expect(joined(formatMarkdown({ ...matrix, rows: [] }))).toContain('| _none_ | | |');
  });
  it('colours only when asked', () => {
    expect(joined(formatTable(matrix, context))).not.toContain('\u001b[');
    expect(joined(formatTable(matrix, { ...context, style: createStyle(true) }))).toContain('\u001b[1mSOURCE');
  });
  it('streams JSON with the same text JSON.stringify writes for the whole document', () => {
    for (const granularity of ['workload', 'class', 'namespace'] as const) {
      const built = buildMatrix(openNamespace(3), granularity);
      for (const rows of [built.rows, []]) {
        const streamed = joined(formatJson({ ...built, rows }, context));
        const document = JSON.parse(streamed) as { connections: unknown[]; nodes: unknown[] };
        expect(streamed).toBe(`${JSON.stringify(document, null, 2)}\n`);
        expect(document.connections).toHaveLength(rows.length);
      }
    }
    expect(JSON.parse(joined(formatJson(streamMatrix(openNamespace(3), 'class'), context))).nodes[1]).toEqual({
      id: 'default/{}',
      kind: 'class',
      namespace: 'default',
      members: ['default/p000[Pod]', 'default/p001[Pod]', 'default/p002[Pod]'],
    });
  });
  it('writes every format while rows are still being produced', () => {
    const result = openNamespace(40);
    // Every ordered pair of pods, and each pod to and from the one external range.
    const total = 40 * 39 + 2 * 40;
    for (const name of Object.keys(MATRIX_FORMATS) as MatrixFormatName[]) {
      let produced = 0;
      const stream = streamMatrix(result);
      const counting = { ...stream, rows: { *[Symbol.iterator]() { for (const row of stream.rows) { produced++; yield row; } } } };
      const producedAtEachPiece: number[] = [];
      for (const _piece of MATRIX_FORMATS[name](counting, context)) producedAtEachPiece.push(produced);
      expect(producedAtEachPiece.some((n) => n > 0 && n < total), name).toBe(true);
      expect(produced, name).toBe(total);
    }
  });
  it('gathers pieces into writes of about 64 KB, each taken by stdout before the next piece is computed', async () => {
    const events: string[] = [];
    const pieces = function* () {
      for (const piece of ['a'.repeat(40_000), 'b'.repeat(40_000), 'c']) {
        events.push(`computed ${piece.length}`);
        yield piece;
      }
    };
    const io = {
      stdout: (text: string) => void events.push(`wrote ${text.length}`),
      stdoutDrained: () => {
        events.push('drained');
        return Promise.resolve();
      },
    };
    await writeChunked(pieces(), io);
    expect(events).toEqual(['computed 40000', 'computed 40000', 'wrote 80000', 'drained', 'computed 1', 'wrote 1']);
  });
  it('aligns the table block by block and points a long listing at the summaries', () => {
    const lines = joined(formatTable(streamMatrix(openNamespace(30)), context)).split('\n');
    // p007 has a longer name: the block holding its rows is wider than the blocks after it.
    const widthOf = (line: string) => line.indexOf(' => ') >= 0 ? -1 : line.search(/ {2}\S/);
    expect(widthOf(lines[1]!)).toBeGreaterThan(widthOf(lines[TABLE_BLOCK_ROWS + 1]!));
    expect(lines.filter((l) => l.startsWith('SOURCE'))).toHaveLength(1);
    expect(lines.at(-2)).toBe('930 allowed pairs between 30 workloads and 1 external address range; --granularity class or namespace summarises them');
    expect(joined(formatTable(streamMatrix(openNamespace(30), 'class'), context))).toContain('3 allowed pairs between 1 class (30 workloads) and 1 external address range\n');
  });
});
