import { describe, expect, it } from 'vitest';
import { diagnoseDocument } from './service.js';

describe('language service', () => {
  it('reports a YAML syntax error at the parser position, 0-based', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n';
    const [diagnostic, ...rest] = diagnoseDocument({ path: 'file:///pod.yaml', text });
    expect(rest).toEqual([]);
    expect(diagnostic?.code).toBe('yaml-syntax');
    expect(diagnostic?.severity).toBe('error');
    expect(diagnostic?.range.start.line).toBeGreaterThanOrEqual(3);
  });

  it('points an invalid CIDR at the exact value', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: p',
      'spec:',
      '  podSelector: {}',
      '  ingress:',
      '    - from:',
      '        - ipBlock:',
      '            cidr: 10.0.0.0/40',
      '',
    ].join('\n');
    const diagnostics = diagnoseDocument({ path: 'file:///p.yaml', text });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'invalid-cidr',
      severity: 'error',
      range: { start: { line: 9, character: 18 }, end: { line: 9, character: 29 } },
    });
  });

  it('leaves info findings (skipped kinds) out of the editor', () => {
    expect(diagnoseDocument({ path: 'file:///cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' })).toEqual([]);
  });
});
