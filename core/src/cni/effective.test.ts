import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';

const client = 'apiVersion: v1\nkind: Pod\nmetadata: {name: client, labels: {app: client}}\nspec: {containers: [{name: c, image: x}]}\n';

describe('applyProfile', () => {
  it('points an effect at the first field using its feature: ingress rules, then egress rules, then inactive ones', () => {
    const policy = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: p}',
      'spec:',
      '  podSelector: {}',
      '  policyTypes: [Egress]',
      '  egress: [{ports: [{port: 80}, {port: web}]}, {ports: [{port: dns}]}]',
      '  ingress: [{ports: [{port: http}]}]',
    ].join('\n');
    const text = `${client}---\n${policy}\n`;
    // Weave's analyser rejects a policy over a named port in any rule, the inactive ones too.
    const { cni } = analyze([{ path: 'x.yaml', text }], { cni: 'weave' });
    expect(cni.effects.map((e) => [e.kind, e.capability, text.slice(e.location.range.start, e.location.range.end)])).toEqual([
      ['policy-dropped', 'namedPorts', '{port: web}'],
    ]);
  });
});
