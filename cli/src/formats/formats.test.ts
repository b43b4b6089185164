import { describe, expect, it } from 'vitest';
import { analyze, buildMatrix } from '@kubereach/core';
import { Locations } from '../report-issues.js';
import { createStyle } from '../terminal.js';
import { formatCsv } from './csv.js';
import { formatDot } from './dot.js';
import { formatMarkdown } from './markdown.js';
import { formatTable } from './table.js';

const text = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: a}}\nspec: {containers: [{name: c, image: x}]}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: other}\nspec: {containers: [{name: c, image: x}]}\n',
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress: [{ports: [{port: 53, protocol: UDP}, {port: 80}]}]\n',
].join('---\n');
const analysis = analyze([{ path: 'x.yaml', text }]);
const context = { style: createStyle(false), issues: analysis.issues, locations: new Locations(analysis.load.sources) };
const matrix = buildMatrix(analysis.result);

describe('matrix formats', () => {
  it('quotes CSV fields holding commas', () => {
    expect(formatCsv(matrix).split('\r\n')).toContain('default/a[Pod],other/b[Pod],"TCP 80,UDP 53"');
  });
  it('groups dot nodes by namespace', () => {
    const dot = formatDot(matrix);
    expect(dot).toContain('label="default";');
    expect(dot).toContain('"default/a[Pod]" [label="a[Pod]"];');
    expect(dot).toContain('"0.0.0.0-255.255.255.255" [shape=ellipse, style=dashed];');
  });
  it('writes a Markdown table and says when it is empty', () => {
    expect(formatMarkdown(matrix)).toContain('| `default/a[Pod]` | `other/b[Pod]` | TCP 80,UDP 53 |');
    expect(formatMarkdown({ ...matrix, rows: [] })).toContain('| _none_ | | |');
  });
  it('colours only when asked', () => {
    expect(formatTable(matrix, context)).not.toContain('\u001b[');
    expect(formatTable(matrix, { ...context, style: createStyle(true) })).toContain('\u001b[1mSOURCE');
  });
});
