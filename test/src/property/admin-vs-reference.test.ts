// Property: with random AdminNetworkPolicies and a BANP over random clusters, the engine allows exactly what the plain admin reference allows.
import { analyze, type ConnectionSet, type Endpoint } from '@kubereach/core';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  adminReferenceAllows,
  type AdminNetworkPolicyObject,
  type AdminObject,
  type AdminPeerSpec,
  type AdminPortSpec,
  type AdminRuleSpec,
  type AdminSubjectSpec,
  type BaselineAdminNetworkPolicyObject,
} from '../reference/admin-reference.js';
import { referenceWorkloads, type ExternalAddress, type KubeObject, type LabelSelector, type PortProtocol, type ReferenceEndpoint } from '../reference/reference.js';
import { clusterArbitrary, DEFAULT_SHAPE } from './cluster-arbitraries.js';
import { samplePorts, toYaml } from './compare-with-reference.js';
import { denialDisagreements, matrixDisagreements } from './matrix-consistency.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? '0') || 300;
const PROTOCOLS: readonly PortProtocol[] = ['TCP', 'UDP', 'SCTP'];
const NETWORKS = ['10.0.0.0/8', '10.1.0.0/16', '192.168.1.0/24', '0.0.0.0/0', '203.0.113.0/24'];

const namespaceSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('default', 'alpha', 'beta', 'gamma').map((name) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } })),
  fc.constantFrom('prod', 'dev').map((env) => ({ matchLabels: { env } })),
  fc.constantFrom('red', 'blue').map((team) => ({ matchExpressions: [{ key: 'team', operator: 'NotIn' as const, values: [team] }] })),
);
const podSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('a', 'b', 'c').map((app) => ({ matchLabels: { app } })),
  fc.constantFrom('web', 'db').map((tier) => ({ matchLabels: { tier } })),
);
const subject: fc.Arbitrary<AdminSubjectSpec> = fc.oneof(
  namespaceSelector.map((namespaces) => ({ namespaces })),
  fc.record({ namespaceSelector, podSelector }).map((pods) => ({ pods })),
);
const podPeer: fc.Arbitrary<AdminPeerSpec> = subject;
const egressPeer: fc.Arbitrary<AdminPeerSpec> = fc.oneof(podPeer, fc.uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 2 }).map((networks) => ({ networks })));
const port: fc.Arbitrary<AdminPortSpec> = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(53, 80, 443, 8080, 9090) }).map((portNumber) => ({ portNumber })),
  fc
    .record({ protocol: fc.constantFrom(...PROTOCOLS), start: fc.constantFrom(1, 80, 443, 8000), width: fc.integer({ min: 0, max: 2000 }) })
    .map(({ protocol, start, width }) => ({ portRange: { protocol, start, end: Math.min(65535, start + width) } })),
  fc.constantFrom('http', 'dns', 'metrics').map((namedPort) => ({ namedPort })),
);
const ports = fc.option(fc.array(port, { minLength: 1, maxLength: 2 }), { nil: undefined });

function rules(actions: readonly AdminRuleSpec['action'][], direction: 'ingress' | 'egress'): fc.Arbitrary<AdminRuleSpec[]> {
  const peers = fc.array(direction === 'ingress' ? podPeer : egressPeer, { minLength: 1, maxLength: 2 });
  const rule = fc.record({ action: fc.constantFrom(...actions), peers, ports }).map(({ action, peers: list, ports: written }) => {
    // The API rejects named ports toward networks, which have none (the egress rule's XValidation).
    const toNetworks = list.some((peer) => peer.networks !== undefined);
    const p = toNetworks ? written?.filter((entry) => entry.namedPort === undefined) : written;
    return {
      action,
      ...(direction === 'ingress' ? { from: list } : { to: list }),
      ...(p === undefined || p.length === 0 ? {} : { ports: p }),
    };
  });
  return fc.array(rule, { minLength: 0, maxLength: 3 });
}

const anp: fc.Arbitrary<AdminNetworkPolicyObject> = fc
  .record({ priority: fc.integer({ min: 0, max: 3 }), subject, ingress: rules(['Allow', 'Deny', 'Pass'], 'ingress'), egress: rules(['Allow', 'Deny', 'Pass'], 'egress') })
  .map((spec) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'x' }, spec }));

const banp: fc.Arbitrary<BaselineAdminNetworkPolicyObject> = fc
  .record({ subject, ingress: rules(['Allow', 'Deny'], 'ingress'), egress: rules(['Allow', 'Deny'], 'egress') })
  .map((spec) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec }));

const adminArbitrary: fc.Arbitrary<AdminObject[]> = fc
  .record({ anps: fc.array(anp, { minLength: 0, maxLength: 3 }), banp: fc.option(banp, { nil: undefined }) })
  .map(({ anps, banp: baseline }) => [
    // Names decide the order of equal priorities: make them distinct and unrelated to the generation order.
    ...anps.map((policy, k) => ({ ...policy, metadata: { name: `anp-${String.fromCharCode(99 - k)}` } })),
    ...(baseline === undefined ? [] : [baseline]),
  ]);

function addAround(set: Set<number>, value: number): void {
  for (const candidate of [value - 1, value, value + 1]) if (candidate >= 1 && candidate <= 65535) set.add(candidate);
}

function compare(cluster: KubeObject[], admin: AdminObject[]): string[] {
  const yaml = [toYaml(cluster), ...admin.map((o) => dump(o, { noRefs: true }))].filter((t) => t !== '').join('---\n');
  const { result, issues } = analyze([{ path: 'gen.yaml', text: yaml }], { cni: 'generic' });
  const errors = issues.filter((i) => i.severity === 'error').map((i) => `${i.code}: ${i.message}`);
  if (errors.length > 0) return errors;
  const portSample = samplePorts(cluster);
  for (const object of admin) {
    for (const rule of [...(object.spec.ingress ?? []), ...(object.spec.egress ?? [])]) {
      for (const entry of rule.ports ?? []) {
        if (entry.portNumber !== undefined) addAround(portSample, entry.portNumber.port);
        if (entry.portRange !== undefined) [entry.portRange.start, entry.portRange.end].forEach((p) => addAround(portSample, p));
      }
    }
  }
  const byId = new Map(referenceWorkloads(cluster).map((w) => [`${w.namespace}/${w.name}[${w.kind}]`, w]));
  const sides: { engine: Endpoint; reference: ReferenceEndpoint | ExternalAddress; label: string }[] = [
    ...result.workloads.map((w) => ({ engine: w, reference: byId.get(`${w.workload.namespace}/${w.workload.name}[${w.workload.kind}]`)!, label: w.id })),
    ...result.externals.flatMap((e) => [e.range.start, e.range.end].map((address) => ({ engine: e, reference: { family: e.range.family, address }, label: `${e.id}@${address}` }))),
  ];
  const disagreements: string[] = [];
  for (const source of sides) {
    for (const destination of sides) {
      if (source.engine === destination.engine || (source.engine.kind === 'external' && destination.engine.kind === 'external')) continue;
      const allowed: ConnectionSet = result.allowed(source.engine, destination.engine);
      // allowed() folds compiled tiers; explain() walks them with records: the two must agree.
      const explained = result.explain(source.engine, destination.engine).connections;
      if (!explained.equals(allowed)) disagreements.push(`${source.label} -> ${destination.label}: explain ${explained.toString()}, allowed ${allowed.toString()}`);
      disagreements.push(...denialDisagreements(result, source.engine, destination.engine));
      const sample = new Set(portSample);
      for (const protocol of PROTOCOLS) {
        for (const interval of allowed.portsOf(protocol).intervals) [interval.start, interval.end].forEach((p) => addAround(sample, p));
        for (const p of sample) {
          const expected = adminReferenceAllows(cluster, admin, source.reference, destination.reference, protocol, p);
          if (allowed.allows(protocol, p) !== expected) disagreements.push(`${source.label} -> ${destination.label} ${protocol} ${p}: engine ${!expected}, reference ${expected}`);
        }
      }
      const icmp = adminReferenceAllows(cluster, admin, source.reference, destination.reference, 'ICMP', 0);
      if (allowed.portless.has(1) !== icmp) disagreements.push(`${source.label} -> ${destination.label} ICMP: reference ${icmp}`);
      if (disagreements.length > 5) return [...disagreements, yaml];
    }
  }
  // The matrices go through class representatives: the admin layer must keep its classes apart.
  disagreements.push(...matrixDisagreements(result));
  return disagreements.length > 0 ? [...disagreements, yaml] : [];
}

describe('admin policies: engine vs plain reference', () => {
  it('agree on random clusters with a few ANPs and a BANP', () => {
    fc.assert(
      fc.property(clusterArbitrary(DEFAULT_SHAPE), adminArbitrary, (cluster, admin) => {
        const problems = compare(cluster, admin);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      { numRuns: RUNS },
    );
  });

  it('generates admin policies that decide something', () => {
    const samples = fc.sample(adminArbitrary, { numRuns: 100, seed: 2 });
    expect(samples.filter((objects) => objects.some((o) => (o.spec.ingress?.length ?? 0) + (o.spec.egress?.length ?? 0) > 0)).length).toBeGreaterThan(50);
  });
});
