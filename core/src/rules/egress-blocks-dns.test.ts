import rule from './egress-blocks-dns.js';
import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { pluginAgent } from './testing/admin-manifests.js';
import { documents, namespace, workload } from './testing/manifests.js';

const coredns = `apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec: {containers: [{name: coredns, image: x, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]}]}
`;
const apps = documents(workload('web'), workload('api'));
const policy = (egress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector: {}
${egress}`;
const dnsRule = `    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`;

// A default deny of the whole namespace beside the policy that holds the workloads' allowed destinations.
const defaultDeny = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
`;

// A Calico tier above the NetworkPolicies that denies every egress of the shop's pods (a quarantine, say).
const quarantine = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: quarantine}
spec:
  order: 100
  selector: projectcalico.org/namespace == 'shop'
  types: [Egress]
  egress: [{action: Deny}]
`;

// An AdminNetworkPolicy above the NetworkPolicies that allows every pod DNS (an admin's cluster-wide DNS rule).
const adminDns = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-dns}
spec:
  priority: 5
  subject: {namespaces: {}}
  egress:
    - name: dns
      action: Allow
      to: [{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}}]
      ports: [{portNumber: {port: 53, protocol: UDP}}, {portNumber: {port: 53, protocol: TCP}}]
`;

// A NetworkPolicy of kube-system that isolates every pod there for ingress and admits nothing.
const dnsIngressDeny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: kube-system}\nspec:\n  podSelector: {}\n  ingress: []\n';

ruleTester(rule, {
  valid: [
    // The virtual cluster DNS (no DNS pods in the input) is judged through the admin tier too.
    { name: 'an AdminNetworkPolicy allows DNS above the NetworkPolicies (virtual cluster DNS)', code: { 'apps.yaml': apps, 'p.yaml': policy(''), 'anp.yaml': adminDns } },
    { name: 'an AdminNetworkPolicy allows DNS above the NetworkPolicies', code: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy(''), 'anp.yaml': adminDns } },
    {
      name: 'a Calico tier above denies what the DNS rule allows (virtual cluster DNS): the NetworkPolicies are not what blocks DNS',
      code: { 'apps.yaml': apps, 'p.yaml': policy(dnsRule), 'gnp.yaml': quarantine, 'cni.yaml': pluginAgent('calico-node') },
    },
    {
      name: 'a Calico tier above denies what the DNS rule allows: the NetworkPolicies are not what blocks DNS',
      code: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy(dnsRule), 'gnp.yaml': quarantine, 'cni.yaml': pluginAgent('calico-node') },
    },
    { name: 'a DNS rule to the CoreDNS pods', code: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy(dnsRule) } },
    { name: 'the virtual cluster DNS carries the kube-dns labels', code: { 'apps.yaml': apps, 'p.yaml': policy(dnsRule) } },
    { name: 'not isolated for egress', code: { 'apps.yaml': apps, 'dns.yaml': coredns } },
    {
      name: 'pods that do not query cluster DNS: dnsPolicy None (their own nameservers) and Default (the node resolver)',
      code: {
        'apps.yaml': documents(
          workload('web').replace('spec: {containers:', 'spec: {dnsPolicy: None, dnsConfig: {nameservers: [1.1.1.1]}, containers:'),
          workload('api').replace('spec: {containers:', 'spec: {dnsPolicy: Default, containers:'),
        ),
        'dns.yaml': coredns,
        'p.yaml': policy(''),
      },
    },
    { name: 'a rule without to reaches DNS too', code: { 'apps.yaml': apps, 'p.yaml': policy('    - ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n') } },
    {
      name: 'clusterDns configured where the rule points',
      code: { 'apps.yaml': apps, 'ns.yaml': namespace('dns'), 'p.yaml': policy("    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dns}}}]\n") },
      options: { clusterDns: { namespace: 'dns', selector: { app: 'unbound' } } },
    },
  ],
  invalid: [
    {
      name: 'no DNS rule: one finding for both workloads, with a fix',
      code: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy('') },
      errors: [
        {
          messageId: 'blocked',
          message:
            'shop/api[Deployment] and shop/web[Deployment] cannot reach cluster DNS (kube-system/coredns[Deployment]) on UDP 53 and TCP 53: egress is isolated by shop/egress and no rule allows it, so Service names do not resolve',
          file: 'p.yaml',
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 13,
        },
      ],
      output: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy(dnsRule) },
    },
    {
      name: 'a default deny first: the finding stays at it, the fix goes to the policy that has egress rules',
      code: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': defaultDeny + policy('') },
      errors: [
        {
          messageId: 'blocked',
          message:
            'shop/api[Deployment] and shop/web[Deployment] cannot reach cluster DNS (kube-system/coredns[Deployment]) on UDP 53 and TCP 53: egress is isolated by shop/default-deny and shop/egress and no rule allows it, so Service names do not resolve',
          file: 'p.yaml',
          line: 6,
          column: 26,
          endLine: 6,
          endColumn: 32,
        },
      ],
      output: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': defaultDeny + policy(dnsRule) },
    },
    {
      name: 'a file with CRLF line breaks keeps them in the added rule',
      code: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy('').replaceAll('\n', '\r\n') },
      errors: [{ messageId: 'blocked', file: 'p.yaml', line: 7, column: 7, endLine: 7, endColumn: 13 }],
      output: { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': policy(dnsRule).replaceAll('\n', '\r\n') },
    },
    {
      name: 'UDP only: TCP 53 is missing',
      code: { 'apps.yaml': apps, 'p.yaml': policy('    - ports: [{protocol: UDP, port: 53}]\n') },
      errors: [{ messageId: 'blocked', message:
            'shop/api[Deployment] and shop/web[Deployment] cannot reach cluster DNS ({cluster-dns}) on TCP 53: egress is isolated by shop/egress and no rule allows it, so Service names do not resolve',
          file: 'p.yaml', line: 7, column: 7, endLine: 7, endColumn: 13 }],
    },
    {
      // Its namespace is known: the NetworkPolicies of kube-system govern it as they would govern the DNS pods.
      name: 'the virtual cluster DNS isolated for ingress and not admitting the workloads',
      code: { 'apps.yaml': apps, 'p.yaml': policy(dnsRule), 'dns-policy.yaml': dnsIngressDeny },
      errors: [
        {
          messageId: 'ingressDenies',
          message:
            'shop/api[Deployment] and shop/web[Deployment] cannot reach cluster DNS ({cluster-dns}) on UDP 53 and TCP 53: their egress allows it, but the ingress of cluster DNS does not admit them (kube-system/deny), so Service names do not resolve',
          file: 'p.yaml',
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 13,
        },
      ],
    },
    {
      name: 'DNS pods isolated for ingress and not admitting the workloads',
      code: {
        'apps.yaml': apps,
        'dns.yaml': coredns,
        'p.yaml': policy(dnsRule),
        'dns-policy.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: kube-system}\nspec:\n  podSelector: {}\n  ingress: []\n',
      },
      // Their egress allows DNS: the DNS pods' ingress is what blocks it, and no egress rule is offered.
      errors: [
        {
          messageId: 'ingressDenies',
          message:
            'shop/api[Deployment] and shop/web[Deployment] cannot reach cluster DNS (kube-system/coredns[Deployment]) on UDP 53 and TCP 53: their egress allows it, but the ingress of cluster DNS does not admit them (kube-system/deny), so Service names do not resolve',
          file: 'p.yaml',
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 13,
        },
      ],
    },
  ],
});

describe('egress-blocks-dns fix', () => {
  it('names the policy it adds the rule to', () => {
    const { findings } = runRule(rule, { 'apps.yaml': apps, 'dns.yaml': coredns, 'p.yaml': defaultDeny + policy('') });
    expect(findings.map((f) => f.fix?.description)).toEqual(['allow egress to cluster DNS (kube-system) on UDP and TCP 53 in shop/egress']);
  });
});

describe('egress-blocks-dns when the DNS pods deny', () => {
  it('points at the DNS ingress policy and offers no egress rule, which would change nothing', () => {
    const dnsPolicy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: team-a-only, namespace: kube-system}\nspec:\n  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}], ports: [{port: dns, protocol: UDP}, {port: dns-tcp}]}]\n';
    const { findings } = runRule(rule, {
      'apps.yaml': apps,
      'dns.yaml': coredns,
      'p.yaml': policy('    - ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n'),
      'dns-policy.yaml': dnsPolicy,
    });
    expect(findings.map((f) => ({ messageId: f.messageId, fix: f.fix, first: f.related[0] && { message: f.related[0].message, file: f.related[0].location.file, start: f.related[0].location.range.start } }))).toEqual([
      {
        messageId: 'ingressDenies',
        fix: undefined,
        first: { message: 'kube-system/team-a-only isolates the ingress of cluster DNS and does not admit them', file: 'dns-policy.yaml', start: dnsPolicy.indexOf('team-a-only') },
      },
    ]);
  });
});

describe('egress-blocks-dns with the virtual cluster DNS', () => {
  // Admin and Calico tiers that bear on DNS: each is read alike whether the DNS pods are in the input or not.
  const tiers: Record<string, Record<string, string>> = {
    none: {},
    'admin allow': { 'anp.yaml': adminDns },
    'admin deny': {
      'anp.yaml': `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-dns}
spec:
  priority: 5
  subject: {namespaces: {}}
  egress: [{name: deny, action: Deny, to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]}]
`,
    },
    'calico quarantine': { 'gnp.yaml': quarantine, 'cni.yaml': pluginAgent('calico-node') },
    'DNS ingress deny': { 'dns-policy.yaml': dnsIngressDeny },
  };
  const egressRules: Record<string, string> = { 'no DNS rule': '', 'a DNS rule': dnsRule, 'UDP only': '    - ports: [{protocol: UDP, port: 53}]\n' };

  it('finds what it finds with DNS pods of the same namespace and labels', () => {
    const findings = (files: Record<string, string>) =>
      runRule(rule, files).findings.map((f) => `${f.messageId}: ${f.message.replace('kube-system/coredns[Deployment]', '{cluster-dns}')}`);
    for (const [tier, tierFiles] of Object.entries(tiers)) {
      for (const [egress, rules] of Object.entries(egressRules)) {
        const files = { 'apps.yaml': apps, 'p.yaml': policy(rules), ...tierFiles };
        expect(findings(files), `${tier}, ${egress}`).toEqual(findings({ ...files, 'dns.yaml': coredns }));
      }
    }
  });
});
