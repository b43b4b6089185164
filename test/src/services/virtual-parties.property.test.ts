// Property: the service layer walks a virtual party through every tier as the engine walks a workload. A cluster DNS known
// exactly (configured namespace and labels, not in the input) gets the verdicts a DNS Deployment with those labels gets,
// under random NetworkPolicies, admin policies and Calico policies; a pod known in part (any pod, a pod of another
// namespace) is bounded by the verdicts of the workloads of the input it may be.
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeServices, UNKNOWN_POD, type Analysis, type ConnectionSet } from '@kubereach/core';
import { clusterArbitrary, DEFAULT_SHAPE } from '../property/cluster-arbitraries.js';
import { toYaml } from '../property/compare-with-reference.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? '0') || 120;

const DNS_SETTING = { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } };
const COREDNS = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'coredns', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    template: {
      metadata: { labels: { 'k8s-app': 'kube-dns' } },
      // The ports the virtual cluster DNS is given (docs/services.md).
      spec: {
        containers: [
          {
            name: 'coredns',
            image: 'coredns',
            ports: [
              { name: 'dns', containerPort: 53, protocol: 'UDP' },
              { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
              { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
            ],
          },
        ],
      },
    },
  },
};

const NAMESPACES = ['default', 'alpha', 'kube-system'];

const namespaceSelector = fc.constantFrom(
  {},
  ...NAMESPACES.map((name) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } })),
  { matchLabels: { env: 'prod' } },
  { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] },
);
const podSelector = fc.constantFrom(
  {},
  { matchLabels: { app: 'a' } },
  { matchLabels: { 'k8s-app': 'kube-dns' } },
  { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
);
const adminPorts = fc.option(
  fc.array(
    fc.constantFrom(
      { portNumber: { port: 53, protocol: 'UDP' } },
      { portNumber: { port: 53, protocol: 'TCP' } },
      { portRange: { start: 50, end: 9200, protocol: 'TCP' } },
      { namedPort: 'dns' },
      { namedPort: 'http' },
    ),
    { minLength: 1, maxLength: 2 },
  ),
  { nil: undefined },
);

function adminRules(direction: 'ingress' | 'egress', actions: readonly string[]) {
  const podPeer = fc.oneof(
    namespaceSelector.map((namespaces) => ({ namespaces })),
    fc.record({ namespaceSelector, podSelector }).map((pods) => ({ pods })),
  );
  const peer =
    direction === 'ingress'
      ? podPeer
      : fc.oneof(podPeer, fc.constantFrom({ networks: ['0.0.0.0/0'] }, { networks: ['10.0.0.0/8'] }));
  const rule = fc
    .record({
      action: fc.constantFrom(...actions),
      peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
      ports: adminPorts,
    })
    .map(({ action, peers, ports }) => {
      // The API rejects named ports toward networks.
      const kept = peers.some((p) => 'networks' in p) ? ports?.filter((p) => !('namedPort' in p)) : ports;
      return {
        action,
        [direction === 'ingress' ? 'from' : 'to']: peers,
        ...(kept === undefined || kept.length === 0 ? {} : { ports: kept }),
      };
    });
  return fc.array(rule, { maxLength: 2 }).map((rules) => rules.map((r, k) => ({ name: `r${k}`, ...r })));
}

const subject = fc.oneof(
  namespaceSelector.map((namespaces) => ({ namespaces })),
  fc.record({ namespaceSelector, podSelector }).map((pods) => ({ pods })),
);

const adminPolicies = fc
  .tuple(
    fc.array(
      fc.record({
        subject,
        ingress: adminRules('ingress', ['Allow', 'Deny', 'Pass']),
        egress: adminRules('egress', ['Allow', 'Deny', 'Pass']),
      }),
      { maxLength: 3 },
    ),
    fc.option(
      fc.record({
        subject,
        ingress: adminRules('ingress', ['Allow', 'Deny']),
        egress: adminRules('egress', ['Allow', 'Deny']),
      }),
      { nil: undefined },
    ),
  )
  .map(([anps, banp]) => [
    ...anps.map((spec, k) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: `anp-${k}` },
      spec: { priority: 10 + k, ...spec },
    })),
    ...(banp === undefined
      ? []
      : [
          {
            apiVersion: 'policy.networking.k8s.io/v1alpha1',
            kind: 'BaselineAdminNetworkPolicy',
            metadata: { name: 'default' },
            spec: banp,
          },
        ]),
  ]);

const calicoSelector = fc.constantFrom(
  'all()',
  "app == 'a'",
  "app != 'b'",
  "k8s-app == 'kube-dns'",
  'has(tier)',
  "projectcalico.org/namespace == 'kube-system'",
  "pcns.env == 'prod'",
  "!has(app) || app == 'c'",
);
const calicoNamespaceSelector = fc.constantFrom(
  'all()',
  "projectcalico.org/name == 'kube-system'",
  "env == 'prod'",
  "kubernetes.io/metadata.name != 'alpha'",
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const entity = (withPorts: boolean) =>
  optional(
    fc.record(
      {
        selector: calicoSelector,
        namespaceSelector: calicoNamespaceSelector,
        nets: fc.constantFrom(['0.0.0.0/0'], ['10.0.0.0/8']),
        ports: withPorts ? fc.constantFrom([53], ['dns'], ['50:9200']) : fc.constant(undefined),
      },
      { requiredKeys: [] },
    ),
  );
const calicoRule = fc
  .record({
    action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Log'),
    protocol: optional(fc.constantFrom('TCP', 'UDP')),
    source: entity(false),
    destination: entity(true),
  })
  .map((rule) => {
    // Ports only with TCP or UDP (Calico's validator).
    const destination =
      rule.protocol === undefined && rule.destination !== undefined
        ? { ...rule.destination, ports: undefined }
        : rule.destination;
    return JSON.parse(JSON.stringify({ ...rule, destination })) as object;
  });
const calicoPolicies = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.record({
        global: fc.boolean(),
        namespace: fc.constantFrom(...NAMESPACES),
        tier: fc.constantFrom('default', 'security'),
        order: fc.constantFrom(undefined, 10, 1000, 1500),
        selector: optional(calicoSelector),
        types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
        ingress: fc.array(calicoRule, { maxLength: 2 }),
        egress: fc.array(calicoRule, { maxLength: 2 }),
      }),
      { maxLength: 3 },
    ),
  )
  .map(([passing, policies]) => [
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'security' },
      spec: { order: 100, defaultAction: passing ? 'Pass' : 'Deny' },
    },
    ...policies.map(
      ({ global, namespace, tier, ...spec }, k) =>
        JSON.parse(
          JSON.stringify({
            apiVersion: 'projectcalico.org/v3',
            kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
            metadata: global ? { name: `${tier}.p${k}` } : { name: `${tier}.p${k}`, namespace },
            spec: { tier, ...spec },
          }),
        ) as object,
    ),
  ]);

const inputs = fc.record({
  cluster: clusterArbitrary(DEFAULT_SHAPE),
  admin: adminPolicies,
  calico: fc.option(calicoPolicies, { nil: undefined }),
});

type Input = {
  readonly cluster: Parameters<typeof toYaml>[0];
  readonly admin: readonly object[];
  readonly calico: readonly object[] | undefined;
};

function analysisOf(input: Input, extra: readonly object[]): Analysis {
  const text = [
    toYaml(input.cluster),
    ...[...input.admin, ...(input.calico ?? []), ...extra].map((o) => dump(o, { noRefs: true })),
  ]
    .filter((t) => t !== '')
    .join('---\n');
  return analyze([{ path: 'gen.yaml', text }], input.calico === undefined ? {} : { cni: 'calico' });
}

const show = (c: ConnectionSet) => c.toString();

/** The virtual cluster DNS's four sides with each workload, against the engine's with a coredns Deployment in its place. */
function exactDisagreements(input: Input): string[] {
  const virtual = analysisOf(input, []);
  const layer = analyzeServices(virtual, { clusterDns: DNS_SETTING });
  const dns = layer.clusterDns[0]!;
  if (dns.kind !== 'virtual') return [];
  const real = analysisOf(input, [COREDNS]);
  const coredns = real.result.workloads.find((e) => e.workload.id === 'kube-system/coredns[Deployment]')!;
  const problems: string[] = [];
  for (const endpoint of virtual.result.workloads) {
    const twin = real.result.workloads.find((e) => e.workload.id === endpoint.workload.id)!;
    const toDns = real.result.explain(twin, coredns);
    const fromDns = real.result.explain(coredns, twin);
    const pairs = [
      ['egress to DNS', layer.side('egress', endpoint, dns), toDns.egress.connections],
      ['DNS ingress', layer.side('ingress', dns, endpoint), toDns.ingress.connections],
      ['DNS egress', layer.side('egress', dns, endpoint), fromDns.egress.connections],
      ['ingress from DNS', layer.side('ingress', endpoint, dns), fromDns.ingress.connections],
    ] as const;
    for (const [what, side, expected] of pairs) {
      if (!side.connections.equals(expected) || !side.possible.equals(expected))
        problems.push(
          `${endpoint.id} ${what}: virtual ${show(side.connections)} .. ${show(side.possible)}, coredns ${show(expected)}`,
        );
    }
  }
  return problems;
}

/** Pods known in part: any pod, and a pod of another namespace, bound the verdicts of the workloads they may be. */
function boundDisagreements(input: Input): string[] {
  const analysis = analysisOf(input, []);
  const layer = analyzeServices(analysis);
  const { result } = analysis;
  const problems: string[] = [];
  const within = (what: string, sure: ConnectionSet, actual: ConnectionSet, possible: ConnectionSet) => {
    if (!sure.isSubsetOf(actual) || !actual.isSubsetOf(possible))
      problems.push(`${what}: ${show(sure)} .. ${show(possible)}, yet ${show(actual)}`);
  };
  const admissions = new Map(layer.crossNamespaceAdmissions().map((a) => [a.workload, a]));
  for (const subject of result.workloads) {
    const ingress = layer.side('ingress', subject, UNKNOWN_POD);
    const egress = layer.side('egress', subject, UNKNOWN_POD);
    const admission = admissions.get(subject.workload)!;
    // A pod known in part may be any pod of the input that is no hostNetwork pod and has no known address.
    for (const peer of result.workloads) {
      if (peer.workload.hostNetwork || peer.workload.addresses.length > 0) continue;
      const what = `${subject.id} with ${peer.id}`;
      within(
        `${what}, ingress`,
        ingress.connections,
        result.sideAllowed('ingress', subject, peer),
        ingress.possible,
      );
      // Rules toward it resolve named ports on its ports, which any pod has none of.
      if (peer.workload.ports.length === 0)
        within(
          `${what}, egress`,
          egress.connections,
          result.sideAllowed('egress', subject, peer),
          egress.possible,
        );
      if (peer.workload.namespace !== subject.workload.namespace)
        within(
          `${what}, from another namespace`,
          admission.anyPod,
          result.sideAllowed('ingress', subject, peer),
          admission.anyPodPossible,
        );
    }
  }
  return problems;
}

describe('virtual parties walk every tier as the engine walks workloads', () => {
  it('a cluster DNS known exactly gets the verdicts of a DNS Deployment with its namespace and labels', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(exactDisagreements(input)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('a pod known in part is bounded by the workloads it may be', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(boundDisagreements(input)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
