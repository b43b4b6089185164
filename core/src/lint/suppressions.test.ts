import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../manifest/yaml-tree.js';
import type { YamlNode } from '../manifest/types.js';
import { LineIndex } from '../source/source.js';
import { parseSuppressions, SuppressionIndex } from './suppressions.js';

describe('suppression comments', () => {
  const text = [
    'kind: NetworkPolicy', // 1
    '# kubereach-disable-next-line policy-selects-nothing, peer-selects-nothing -- pods live in another repo', // 2
    '# a plain comment in between', // 3
    'spec:', // 4
    '  # kubereach-disable-next-line', // 5
    '  podSelector: {}', // 6
    '# kubereach-disable-file missing-default-deny', // 7
    'x: 1 # kubereach-disable-next-line is not a directive when it trails a value', // 8
  ].join('\n');
  const suppressions = parseSuppressions({ path: 'p.yaml', text });

  it('reads rule lists with their ranges, reasons, scopes and the line they cover (skipping comment lines)', () => {
    expect(suppressions.map((s) => [s.scope, s.rules.map((rule) => rule.id), s.reason, s.line])).toEqual([
      ['next-line', ['policy-selects-nothing', 'peer-selects-nothing'], 'pods live in another repo', 4],
      ['next-line', [], undefined, 6],
      ['file', ['missing-default-deny'], undefined, undefined],
    ]);
    expect(text.slice(suppressions[1]!.range.start, suppressions[1]!.range.end)).toBe('# kubereach-disable-next-line');
    expect(text.slice(suppressions[1]!.lineRange.start, suppressions[1]!.lineRange.end)).toBe('  # kubereach-disable-next-line\n');
    expect(text.slice(suppressions[2]!.lineRange.start, suppressions[2]!.lineRange.end)).toBe('# kubereach-disable-file missing-default-deny\n');
    for (const rule of suppressions.flatMap((s) => s.rules)) expect(text.slice(rule.range.start, rule.range.end)).toBe(rule.id);
  });

  it('suppresses findings on the covered line only, and remembers which directives were used', () => {
    const index = new SuppressionIndex([{ path: 'p.yaml', text }]);
    const lineStart = (line: number) => text.split('\n').slice(0, line - 1).join('\n').length + 1;
    expect(index.suppresses('policy-selects-nothing', 'p.yaml', lineStart(4))).toBe(true);
    expect(index.suppresses('policy-selects-nothing', 'p.yaml', lineStart(1))).toBe(false);
    expect(index.suppresses('redundant-rule', 'p.yaml', lineStart(6) + 2)).toBe(true);
    expect(index.suppresses('missing-default-deny', 'p.yaml', 0)).toBe(true);
    expect(index.suppresses('missing-default-deny', 'other.yaml', 0)).toBe(false);
    expect(suppressions.map((s) => index.isUsed(s))).toEqual([false, false, false]);
    const used = new SuppressionIndex([{ path: 'p.yaml', text }]);
    expect(used.all.map((s) => used.isUsed(s))).toEqual([false, false, false]);
    used.suppresses('policy-selects-nothing', 'p.yaml', lineStart(4));
    used.suppresses('missing-default-deny', 'p.yaml', 0);
    expect(used.all.map((s) => used.isUsed(s))).toEqual([true, false, true]);
  });

  it('uses every directive that covers a finding: two for one line, and the file-level one', () => {
    const stacked = ['# kubereach-disable-next-line redundant-rule', '# kubereach-disable-next-line', 'a: 1', 'b: 2', '# kubereach-disable-file redundant-rule'].join('\n');
    const index = new SuppressionIndex([{ path: 's.yaml', text: stacked }]);
    const usedCount = () => index.all.filter((s) => index.isUsed(s)).length;
    expect(index.suppresses('redundant-rule', 's.yaml', stacked.indexOf('b: 2'))).toBe(true);
    expect(usedCount()).toBe(1);
    expect(index.suppresses('redundant-rule', 's.yaml', stacked.indexOf('a: 1'))).toBe(true);
    expect(usedCount()).toBe(3);
    expect(index.suppresses('peer-selects-nothing', 's.yaml', stacked.indexOf('b: 2'))).toBe(false);
  });

  it('tells which rule ids of a directive suppressed nothing', () => {
    const listed = '# kubereach-disable-next-line policy-selects-nothing, egress-to-anywhere, no-such-rule -- flow\npodSelector: {}\n';
    const index = new SuppressionIndex([{ path: 'l.yaml', text: listed }]);
    const [directive] = index.all;
    expect(index.unusedRules(directive!).map((rule) => rule.id)).toEqual(['policy-selects-nothing', 'egress-to-anywhere', 'no-such-rule']);
    index.suppresses('policy-selects-nothing', 'l.yaml', listed.indexOf('podSelector'));
    expect(index.isUsed(directive!)).toBe(true);
    expect(index.unusedRules(directive!).map((rule) => rule.id)).toEqual(['egress-to-anywhere', 'no-such-rule']);
  });
});

describe('a next-line directive above a key whose value is a block', () => {
  // The README's example: the finding is at the value of spec.podSelector, which starts on the line after the key.
  const readme = [
    'spec:',
    '  # kubereach-disable-next-line policy-selects-nothing -- the pods come from another repository',
    '  podSelector:',
    '    matchLabels: {app: legacy}',
    '  policyTypes: [Ingress]',
  ].join('\n');

  it('covers a finding at the start of that value, and nothing else below the key line', () => {
    const index = new SuppressionIndex([{ path: 'r.yaml', text: readme }]);
    expect(index.suppresses('policy-selects-nothing', 'r.yaml', readme.indexOf('{app: legacy}'))).toBe(false);
    expect(index.suppresses('policy-selects-nothing', 'r.yaml', readme.indexOf('policyTypes'))).toBe(false);
    expect(index.suppresses('policy-selects-nothing', 'r.yaml', readme.indexOf('matchLabels'))).toBe(true);
    expect(index.suppresses('policy-selects-nothing', 'r.yaml', readme.indexOf('podSelector:'))).toBe(true);
  });

  it('covers nothing below a key whose value is empty', () => {
    const empty = '# kubereach-disable-next-line\npodSelector:\npolicyTypes: [Ingress]\n';
    expect(parseSuppressions({ path: 'e.yaml', text: empty })[0]!.valueStart).toBeUndefined();
  });

  // Which value starts where, as the YAML parser gives it: every key on a line of its own above its block value.
  const shapes = [
    'spec:',
    '  podSelector:',
    '    matchLabels: {app: web}',
    '  egress:',
    '  - to:',
    '      - ipBlock: {cidr: 10.0.0.0/8}',
    '    ports: # the ports',
    '',
    '    # https only',
    '    - port: 443',
    '  ingress: &rules',
    '    - from:',
    '      - podSelector: {}',
    '  "quoted key":',
    '    - a',
    '  empty:',
    '  text:',
    '    a plain scalar on the next line',
    '  policyTypes: [Ingress]',
  ].join('\n');

  function blockValues(node: YamlNode | undefined, found: { keyLine: number; valueStart: number }[], lines: LineIndex): void {
    if (node === undefined) return;
    if (node.kind === 'sequence') for (const item of node.items) blockValues(item, found, lines);
    if (node.kind !== 'mapping') return;
    for (const pair of node.pairs) {
      const keyLine = lines.lineColumn(pair.key.range.start).line;
      if (pair.value !== undefined && lines.lineColumn(pair.value.range.start).line > keyLine) found.push({ keyLine, valueStart: pair.value.range.start });
      blockValues(pair.value, found, lines);
    }
  }

  it('finds exactly the start of every block value the parser sees', () => {
    const lines = new LineIndex(shapes);
    const expected: { keyLine: number; valueStart: number }[] = [];
    blockValues(parseYamlDocument(shapes, 0, shapes.length).root, expected, lines);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const lineTexts = shapes.split('\n');
    const found = lineTexts.flatMap((_, index) => {
      const withDirective = [...lineTexts.slice(0, index), '# kubereach-disable-next-line', ...lineTexts.slice(index)].join('\n');
      const [directive] = parseSuppressions({ path: 's.yaml', text: withDirective });
      // Offsets in the text without the directive line.
      const shift = '# kubereach-disable-next-line\n'.length;
      return directive?.valueStart === undefined ? [] : [{ keyLine: index + 1, valueStart: directive.valueStart - shift }];
    });
    expect(found).toEqual(expected);
  });

  it('reads lines that end in CRLF', () => {
    const crlf = readme.replaceAll('\n', '\r\n');
    const index = new SuppressionIndex([{ path: 'c.yaml', text: crlf }]);
    expect(index.suppresses('policy-selects-nothing', 'c.yaml', crlf.indexOf('matchLabels'))).toBe(true);
  });
});
