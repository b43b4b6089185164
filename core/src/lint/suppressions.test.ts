import { describe, expect, it } from 'vitest';
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

  it('reads rule lists, reasons, scopes and the line they cover (skipping comment lines)', () => {
    expect(suppressions.map((s) => [s.scope, s.ruleIds, s.reason, s.line])).toEqual([
      ['next-line', ['policy-selects-nothing', 'peer-selects-nothing'], 'pods live in another repo', 4],
      ['next-line', [], undefined, 6],
      ['file', ['missing-default-deny'], undefined, undefined],
    ]);
    expect(text.slice(suppressions[1]!.range.start, suppressions[1]!.range.end)).toBe('# kubereach-disable-next-line');
  });

  it('suppresses findings on the covered line only, and remembers which directives were used', () => {
    const index = new SuppressionIndex([{ path: 'p.yaml', text }]);
    const lineStart = (line: number) => text.split('\n').slice(0, line - 1).join('\n').length + 1;
    expect(index.suppresses('policy-selects-nothing', 'p.yaml', lineStart(4))).toBe(true);
    expect(index.suppresses('policy-selects-nothing', 'p.yaml', lineStart(1))).toBe(false);
    expect(index.suppresses('redundant-rule', 'p.yaml', lineStart(6) + 2)).toBe(true);
    expect(index.suppresses('missing-default-deny', 'p.yaml', 0)).toBe(true);
    expect(index.suppresses('missing-default-deny', 'other.yaml', 0)).toBe(false);
    expect(index.used.size).toBe(3);
  });

  it('uses every directive that covers a finding: two for one line, and the file-level one', () => {
    const stacked = ['# kubereach-disable-next-line redundant-rule', '# kubereach-disable-next-line', 'a: 1', 'b: 2', '# kubereach-disable-file redundant-rule'].join('\n');
    const index = new SuppressionIndex([{ path: 's.yaml', text: stacked }]);
    expect(index.suppresses('redundant-rule', 's.yaml', stacked.indexOf('b: 2'))).toBe(true);
    expect(index.used.size).toBe(1);
    expect(index.suppresses('redundant-rule', 's.yaml', stacked.indexOf('a: 1'))).toBe(true);
    expect(index.used.size).toBe(3);
    expect(index.suppresses('peer-selects-nothing', 's.yaml', stacked.indexOf('b: 2'))).toBe(false);
  });
});
