import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { diffConnectivity } from './connectivity-diff.js';

const pods = `apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec: {containers: [{name: c, image: x}]}
`;
const egress = (cidr: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: ${cidr}}}]}]
`;
const result = (text: string) => analyze([{ path: 'm.yaml', text }]).result;

describe('diffConnectivity', () => {
  it('finds nothing when a policy only moved or was reformatted', () => {
    const before = result(pods + egress('10.0.0.0/8'));
    const after = result(`# moved\n${pods}${egress('10.0.0.0/8').replace('[Egress]', '\n    - Egress')}`);
    expect(diffConnectivity(before, after)).toMatchObject({ changes: [], policies: [] });
  });

  it('refines external ranges cut differently on each side and names the responsible policy', () => {
    const diff = diffConnectivity(result(pods + egress('10.0.0.0/8')), result(pods + egress('10.0.0.0/16')));
    expect(diff.policies.map((p) => [p.id, p.kind])).toEqual([['default/out', 'changed']]);
    const lost = diff.changes.filter((c) => c.source.id === 'default/a[Pod]' && c.kind === 'removed');
    expect(lost.map((c) => c.destination.id)).toEqual(['10.1.0.0-10.255.255.255']);
    expect(lost[0]!.causes).toEqual([expect.objectContaining({ kind: 'policy', direction: 'egress' })]);
    expect(diff.changes.every((c) => c.kind === 'removed')).toBe(true);
  });

  it('puts new ingress from outside first', () => {
    const open = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
    const diff = diffConnectivity(result(pods + open), result(pods));
    expect(diff.changes[0]).toMatchObject({ kind: 'added', exposure: 'ingress-from-outside', source: { kind: 'external' } });
    expect(diff.changes.at(-1)!.exposure).toBeUndefined();
  });
});
