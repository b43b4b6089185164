// The loader on policy.networking.k8s.io kinds: AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy.
import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';

function issuesOf(text: string) {
  return loadManifests([{ path: 'm.yaml', text }]).issues.map((issue) => ({
    code: issue.code,
    severity: issue.severity,
    text: text.slice(issue.location.range.start, issue.location.range.end),
  }));
}

const anp = (spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec:\n${spec}`;

describe('loadManifests: admin network policies', () => {
  it('reads a valid ANP, BANP and ClusterNetworkPolicy', () => {
    const text = [
      anp('  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Allow, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: x}}}}], ports: [{portRange: {protocol: UDP, start: 1, end: 5}}]}\n'),
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{networks: [10.0.0.0/8]}]}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec:\n  tier: Baseline\n  priority: 3\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Accept, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 80, end: 90}}}}]}\n',
      // apis/v1beta1 (the storage version, used by the conformance suite) has the v1alpha2 shape.
      'apiVersion: policy.networking.k8s.io/v1beta1\nkind: ClusterNetworkPolicy\nmetadata: {name: d}\nspec:\n  tier: Admin\n  priority: 10\n  subject: {pods: {podSelector: {matchLabels: {app: x}}}}\n  egress:\n  - {name: deny, action: Deny, to: [{namespaces: {matchLabels: {team: ops}}}]}\n',
    ].join('---\n');
    const result = loadManifests([{ path: 'm.yaml', text }]);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((o) => [o.kind, o.name, o.rejected])).toEqual([
      ['AdminNetworkPolicy', 'a', false],
      ['BaselineAdminNetworkPolicy', 'default', false],
      ['ClusterNetworkPolicy', 'c', false],
      ['ClusterNetworkPolicy', 'd', false],
    ]);
    expect(result.objects[3]!.apiVersion).toBe('policy.networking.k8s.io/v1beta1');
  });

  it('rejects a priority out of 0..1000 at the field', () => {
    expect(issuesOf(anp('  priority: 1001\n  subject: {namespaces: {}}\n'))).toEqual([
      { code: 'schema', severity: 'error', text: '1001' },
    ]);
  });

  it('rejects an unknown action at the field', () => {
    expect(issuesOf(anp('  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Accept, from: [{namespaces: {}}]}\n'))).toEqual([
      { code: 'invalid-value', severity: 'error', text: 'Accept' },
    ]);
  });

  it('rejects a BaselineAdminNetworkPolicy not named default', () => {
    const text = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: base}\nspec:\n  subject: {namespaces: {}}\n';
    expect(issuesOf(text)).toEqual([{ code: 'invalid-value', severity: 'error', text: 'base' }]);
  });

  it('validates label selectors of subjects and peers', () => {
    expect(issuesOf(anp('  priority: 1\n  subject: {namespaces: {matchLabels: {"bad key!": x}}}\n')).map((i) => i.severity)).toEqual(['error']);
  });

  it('rejects an ingress peer that is not namespaces or pods, and a peer setting two fields', () => {
    const messages = (text: string) => loadManifests([{ path: 'm.yaml', text }]).issues.map((i) => [i.message, text.slice(i.location.range.start, i.location.range.end)]);
    expect(messages(anp('  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Deny, from: [{networks: [0.0.0.0/0]}]}\n'))).toEqual([
      ['spec.ingress[0].from[0].networks: networks is not an ingress peer: an ingress rule selects namespaces or pods', '[0.0.0.0/0]'],
    ]);
    const cnp = 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec:\n  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n';
    expect(messages(`${cnp}  ingress:\n  - {action: Deny, from: [{nodes: {}}]}\n  egress:\n  - {action: Deny, to: [{namespaces: {}, networks: [10.0.0.0/8]}]}\n`)).toEqual([
      ['spec.ingress[0].from[0].nodes: nodes is not an ingress peer: an ingress rule selects namespaces or pods', '{}'],
      ['spec.egress[0].to[0]: a peer sets exactly one of namespaces, pods, nodes, networks, domainNames (this one sets namespaces and networks)', '{namespaces: {}, networks: [10.0.0.0/8]}'],
    ]);
    // Egress peers may be networks, nodes and domain names; the object is then read.
    const egress = loadManifests([{ path: 'm.yaml', text: `${cnp}  egress:\n  - {action: Deny, to: [{networks: [10.0.0.0/8]}, {nodes: {}}, {domainNames: [example.com]}]}\n` }]);
    expect(egress.issues).toEqual([]);
    expect(egress.objects[0]!.rejected).toBe(false);
  });

  it('skips another apiVersion with an info', () => {
    const text = 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec: {}\n';
    expect(issuesOf(text)).toEqual([{ code: 'unknown-kind', severity: 'info', text: 'policy.networking.k8s.io/v1alpha2' }]);
    const cnp = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec: {}\n';
    expect(loadManifests([{ path: 'm.yaml', text: cnp }]).issues.map((issue) => issue.message)).toEqual([
      'ClusterNetworkPolicy policy.networking.k8s.io/v1alpha1 is not read by kubereach (it reads policy.networking.k8s.io/v1beta1 and policy.networking.k8s.io/v1alpha2): skipped',
    ]);
  });
});
