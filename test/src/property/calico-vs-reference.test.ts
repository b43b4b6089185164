// Property: with random Calico tiers and policies over random clusters (with their Kubernetes NetworkPolicies), the
// engine under the calico profile allows exactly what the plain Calico reference allows, and its matrices agree.
import { analyze, type ConnectionSet, type Endpoint } from '@kubereach/core';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  calicoReferenceAllows,
  type CalicoEntitySpec,
  type CalicoInput,
  type CalicoPolicySpecRef,
  type CalicoRuleSpec,
  type CalicoServiceSpec,
  type SelectorSpec,
} from '../reference/calico-reference.js';
import { referenceWorkloads, type ExternalAddress, type KubeObject, type PortProtocol, type ReferenceEndpoint } from '../reference/reference.js';
import { clusterArbitrary, DEFAULT_SHAPE, SHARED_CLASSES_SHAPE } from './cluster-arbitraries.js';
import { samplePorts, toYaml } from './compare-with-reference.js';
import { denialDisagreements, matrixDisagreements } from './matrix-consistency.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? '0') || 150;
const PROTOCOLS: readonly PortProtocol[] = ['TCP', 'UDP', 'SCTP'];
const NETS = ['10.0.0.0/8', '10.1.0.0/16', '192.168.1.0/24', '0.0.0.0/0'];

const atom = (text: string, holds: SelectorSpec['holds']): SelectorSpec => ({ text, holds });
const value = (labels: Readonly<Record<string, string>>, key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);

/** Pod selectors over the cluster's labels, with their meaning written independently of the parser. */
const podAtom: fc.Arbitrary<SelectorSpec> = fc.oneof(
  fc.constant(atom('all()', () => true)),
  // ast.go's GlobalNode evaluates true; only a rule's namespaceSelector is rewritten to read it otherwise.
  fc.constant(atom('global()', () => true)),
  fc.constantFrom('a', 'b', 'c').map((app) => atom(`app == '${app}'`, (l) => value(l, 'app') === app)),
  // `!=` and `not in` hold where the label is missing (libcalico-go's evaluator).
  fc.constantFrom('a', 'b').map((app) => atom(`app != '${app}'`, (l) => value(l, 'app') !== app)),
  fc.constant(atom('has(tier)', (l) => value(l, 'tier') !== undefined)),
  fc.constant(atom('!has(tier)', (l) => value(l, 'tier') === undefined)),
  fc.constant(atom("tier in {'web', 'db'}", (l) => ['web', 'db'].includes(value(l, 'tier') ?? '\u0000'))),
  fc.constant(atom("app not in {'a'}", (l) => value(l, 'app') !== 'a')),
  fc.constantFrom('prod', 'dev').map((env) => atom(`pcns.env == '${env}'`, (l) => value(l, 'pcns.env') === env)),
  fc.constantFrom('default', 'alpha').map((ns) => atom(`projectcalico.org/namespace == '${ns}'`, (l) => value(l, 'projectcalico.org/namespace') === ns)),
);
const podSelector: fc.Arbitrary<SelectorSpec> = fc.oneof(
  { weight: 3, arbitrary: podAtom },
  fc.tuple(podAtom, podAtom).map(([a, b]) => atom(`(${a.text}) && (${b.text})`, (l) => a.holds(l) && b.holds(l))),
  fc.tuple(podAtom, podAtom).map(([a, b]) => atom(`(${a.text}) || (${b.text})`, (l) => a.holds(l) || b.holds(l))),
  podAtom.map((a) => atom(`!(${a.text})`, (l) => !a.holds(l))),
);
/** Namespace selectors: `all()` means "in any namespace", which every pod is. */
const namespaceSelector: fc.Arbitrary<SelectorSpec> = fc.oneof(
  fc.constant(atom('all()', () => true)),
  fc.constantFrom('prod', 'dev').map((env) => atom(`env == '${env}'`, (l) => value(l, 'env') === env)),
  fc.constantFrom('red', 'blue').map((team) => atom(`team != '${team}'`, (l) => value(l, 'team') !== team)),
  fc.constantFrom('default', 'beta').map((ns) => atom(`projectcalico.org/name == '${ns}'`, (l) => value(l, 'projectcalico.org/name') === ns)),
);

const opt = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

const SERVICE_NAMES = ['svc-a', 'svc-b'] as const;
/** Outside addresses endpoints are written with: one on an ipBlock edge of the clusters, two inside their nets. */
const ADDRESSES = ['10.1.2.3', '192.168.1.7', '203.0.113.5'] as const;

/** A service match: alone in its entity (Calico's validator), and possibly naming a Service the input lacks. */
const serviceMatch: fc.Arbitrary<CalicoEntitySpec> = fc
  .record({
    name: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SERVICE_NAMES) }, { weight: 1, arbitrary: fc.constant('missing') }),
    namespace: opt(fc.constantFrom('default', 'default', 'alpha')),
  })
  .map(({ name, namespace }) => ({ services: namespace === undefined ? { name } : { name, namespace } }));

const selectedService = fc.record({
  selector: fc.constantFrom({ app: 'a' }, { app: 'b' }, { tier: 'web' }, { app: 'a', tier: 'db' }),
  ports: fc.array(fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), targetPort: fc.constantFrom(53, 80, 8080, 'http', 'dns', 'metrics') }), { minLength: 1, maxLength: 2 }),
});
const writtenService = fc.record({
  slices: fc.array(
    fc.record({
      ports: fc.array(fc.record({ port: opt(fc.constantFrom(53, 80, 8080, 9000)), protocol: opt(fc.constantFrom('TCP' as const, 'UDP' as const)) }), { maxLength: 2 }),
      endpoints: fc.array(
        fc.record({ address: fc.constantFrom(...ADDRESSES), ready: opt(fc.boolean()), pod: opt(fc.constantFrom('pod-0', 'pod-1', 'pod-2')) }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});
const services: fc.Arbitrary<CalicoServiceSpec[]> = fc.uniqueArray(
  fc
    .record({ name: fc.constantFrom(...SERVICE_NAMES), namespace: fc.constantFrom('default', 'default', 'alpha'), shape: fc.oneof({ weight: 1, arbitrary: selectedService }, { weight: 2, arbitrary: writtenService }) })
    .map(({ name, namespace, shape }) => ({ name, namespace, ...shape }) as CalicoServiceSpec),
  { selector: (service) => `${service.namespace}/${service.name}`, minLength: 1, maxLength: 3 },
);

/** A rule side: selectors, nets and ports; where Calico allows one (`withServices`), sometimes a service match instead. */
const entity = (withPorts: boolean, withServices = false): fc.Arbitrary<CalicoEntitySpec | undefined> =>
  withServices ? fc.oneof({ weight: 2, arbitrary: selection(withPorts) }, { weight: 1, arbitrary: serviceMatch }) : selection(withPorts);

const selection = (withPorts: boolean): fc.Arbitrary<CalicoEntitySpec | undefined> =>
  opt(
    fc
      .record({
        selector: opt(podSelector),
        notSelector: fc.option(podSelector, { nil: undefined, freq: 5 }),
        namespaceSelector: fc.option(namespaceSelector, { nil: undefined, freq: 3 }),
        nets: fc.option(fc.uniqueArray(fc.constantFrom(...NETS), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 4 }),
        notNets: fc.option(fc.uniqueArray(fc.constantFrom(...NETS), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 6 }),
        ports: withPorts
          ? opt(fc.array(fc.oneof(fc.constantFrom(53, 80, 8080), fc.constantFrom('1000:9000', '80:81'), fc.constantFrom('http', 'dns', 'metrics')), { minLength: 1, maxLength: 2 }))
          : fc.constant(undefined),
      })
      .map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as CalicoEntitySpec),
  );

/** Service matches only where the validator takes them: an ingress rule's source, an egress rule's destination. */
const rule = (direction: 'ingress' | 'egress'): fc.Arbitrary<CalicoRuleSpec> =>
  fc
  .record({
    action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Log'),
    protocol: opt(fc.constantFrom('TCP', 'UDP', 'ICMP')),
    ipVersion: opt(fc.constantFrom(4, 6)),
    source: entity(false, direction === 'ingress'),
    destination: entity(true, direction === 'egress'),
  })
  .map((r) => {
    // Calico's validator: ports only with TCP or UDP here.
    const destination = r.protocol === 'TCP' || r.protocol === 'UDP' ? r.destination : r.destination === undefined ? undefined : { ...r.destination, ports: undefined };
    return Object.fromEntries(Object.entries({ ...r, destination }).filter(([, v]) => v !== undefined)) as unknown as CalicoRuleSpec;
  });

const TIER_NAMES = ['platform', 'security'] as const;

const policy: fc.Arbitrary<CalicoPolicySpecRef> = fc
  .record({
    global: fc.boolean(),
    namespace: fc.constantFrom('default', 'alpha', 'beta'),
    tier: fc.constantFrom(undefined, 'default', ...TIER_NAMES),
    order: fc.constantFrom(undefined, 10, 500, 1000, 1500),
    selector: opt(podSelector),
    namespaceSelector: fc.option(namespaceSelector, { nil: undefined, freq: 3 }),
    types: fc.constantFrom(undefined, [] as const, ['Ingress'] as const, ['Egress'] as const, ['Ingress', 'Egress'] as const),
    ingress: fc.array(rule('ingress'), { maxLength: 3 }),
    egress: fc.array(rule('egress'), { maxLength: 3 }),
  })
  .map((p) => ({
    kind: p.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
    name: 'x',
    ...(p.global ? {} : { namespace: p.namespace }),
    ...(p.tier === undefined ? {} : { tier: p.tier }),
    ...(p.order === undefined ? {} : { order: p.order }),
    ...(p.selector === undefined ? {} : { selector: p.selector }),
    ...(p.global && p.namespaceSelector !== undefined ? { namespaceSelector: p.namespaceSelector } : {}),
    ...(p.types === undefined ? {} : { types: p.types }),
    ingress: p.ingress,
    egress: p.egress,
  }));

const calicoArbitrary: fc.Arbitrary<CalicoInput> = fc
  .record({
    tiers: fc.uniqueArray(
      fc.record({ name: fc.constantFrom(...TIER_NAMES), order: fc.constantFrom(undefined, 100, 5000, 2_000_000), defaultAction: fc.constantFrom(undefined, 'Deny', 'Pass') }),
      { selector: (t) => t.name, maxLength: 2 },
    ),
    policies: fc.array(policy, { minLength: 1, maxLength: 4 }),
    services,
  })
  .map(({ tiers, policies, services }) => {
    const defined = new Set(['default', ...tiers.map((t) => t.name)]);
    return {
      tiers: tiers.map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as unknown as CalicoInput['tiers'][number]),
      // Distinct names, unrelated to the generation order, so ties at equal orders are decided by name.
      policies: policies.filter((p) => defined.has(p.tier ?? 'default')).map((p, k) => ({ ...p, name: `p-${String.fromCharCode(100 - k)}` })),
      services,
    };
  });

function toCalicoYaml(input: CalicoInput): string {
  const spec = (p: CalicoPolicySpecRef) => {
    const entityYaml = (e: CalicoEntitySpec | undefined) =>
      e === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries({ ...e, selector: e.selector?.text, notSelector: e.notSelector?.text, namespaceSelector: e.namespaceSelector?.text }).filter(([, v]) => v !== undefined),
          );
    const rules = (list: readonly CalicoRuleSpec[] | undefined) =>
      (list ?? []).map((r) => Object.fromEntries(Object.entries({ ...r, source: entityYaml(r.source), destination: entityYaml(r.destination) }).filter(([, v]) => v !== undefined)));
    return Object.fromEntries(
      Object.entries({
        tier: p.tier,
        order: p.order,
        selector: p.selector?.text,
        namespaceSelector: p.namespaceSelector?.text,
        types: p.types,
        ingress: rules(p.ingress),
        egress: rules(p.egress),
      }).filter(([, v]) => v !== undefined),
    );
  };
  const docs: object[] = [
    ...input.tiers.map((t) => ({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: t.name }, spec: { order: t.order, defaultAction: t.defaultAction } })),
    ...input.policies.map((p) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: p.kind,
      metadata: p.kind === 'NetworkPolicy' ? { name: p.name, namespace: p.namespace } : { name: p.name },
      spec: spec(p),
    })),
  ];
  for (const service of input.services ?? []) {
    const metadata = { name: service.name, namespace: service.namespace };
    if ('selector' in service) {
      const ports = service.ports.map((port, k) => ({ name: `p${k}`, port: 1000 + k, ...port }));
      docs.push({ apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: service.selector, ports } });
      continue;
    }
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ port: 443 }] } });
    service.slices.forEach((slice, k) =>
      docs.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${service.name}-${k}`, namespace: service.namespace, labels: { 'kubernetes.io/service-name': service.name } },
        addressType: 'IPv4',
        // Port names are unique in a slice.
        ports: slice.ports.map((port, j) => ({ ...(slice.ports.length > 1 ? { name: `p${j}` } : {}), ...port })),
        endpoints: slice.endpoints.map(({ address, ready, pod }) => ({
          addresses: [address],
          ...(ready === undefined ? {} : { conditions: { ready } }),
          ...(pod === undefined ? {} : { targetRef: { kind: 'Pod', name: pod } }),
        })),
      }),
    );
  }
  return docs.map((d) => dump(JSON.parse(JSON.stringify(d)), { noRefs: true })).join('---\n');
}

function addAround(set: Set<number>, port: number): void {
  for (const candidate of [port - 1, port, port + 1]) if (candidate >= 1 && candidate <= 65535) set.add(candidate);
}

function compare(cluster: KubeObject[], calico: CalicoInput): string[] {
  const yaml = [toYaml(cluster), toCalicoYaml(calico)].filter((t) => t !== '').join('---\n');
  const { result, issues } = analyze([{ path: 'gen.yaml', text: yaml }], { cni: 'calico' });
  const errors = issues.filter((i) => i.severity === 'error').map((i) => `${i.code}: ${i.message}`);
  if (errors.length > 0) return [...errors, yaml];
  const portSample = samplePorts(cluster);
  for (const p of [53, 80, 81, 1000, 8080, 9000]) addAround(portSample, p);
  const byId = new Map(referenceWorkloads(cluster).map((w) => [`${w.namespace}/${w.name}[${w.kind}]`, w]));
  const sides: { engine: Endpoint; reference: ReferenceEndpoint | ExternalAddress; label: string }[] = [
    ...result.workloads.map((w) => ({ engine: w, reference: byId.get(`${w.workload.namespace}/${w.workload.name}[${w.workload.kind}]`)!, label: w.id })),
    ...result.externals
      .filter((e) => e.range.family === 4)
      .flatMap((e) => [e.range.start, e.range.end].map((address) => ({ engine: e, reference: { family: 4 as const, address }, label: `${e.id}@${address}` }))),
  ];
  const disagreements: string[] = [];
  for (const source of sides) {
    for (const destination of sides) {
      if (source.engine === destination.engine || (source.engine.kind === 'external' && destination.engine.kind === 'external')) continue;
      const allowed: ConnectionSet = result.allowed(source.engine, destination.engine);
      // allowed() folds compiled tiers; explain() walks them with records: the two must agree.
      const explained = result.explain(source.engine, destination.engine).connections;
      if (!explained.equals(allowed)) disagreements.push(`${source.label} -> ${destination.label}: explain ${explained.toString()}, allowed ${allowed.toString()}`);
      // What each side's denials name (the fast path of sideDenials, or the walk) is exactly what that side drops.
      disagreements.push(...denialDisagreements(result, source.engine, destination.engine));
      for (const protocol of PROTOCOLS) {
        const sample = new Set(portSample);
        for (const interval of allowed.portsOf(protocol).intervals) [interval.start, interval.end].forEach((p) => addAround(sample, p));
        for (const port of sample) {
          const expected = calicoReferenceAllows(cluster, calico, source.reference, destination.reference, protocol, port);
          if (allowed.allows(protocol, port) !== expected) disagreements.push(`${source.label} -> ${destination.label} ${protocol} ${port}: engine ${!expected}, reference ${expected}`);
        }
      }
      const icmp = calicoReferenceAllows(cluster, calico, source.reference, destination.reference, 'ICMP', 0);
      if (allowed.portless.has(1) !== icmp) disagreements.push(`${source.label} -> ${destination.label} ICMP: reference ${icmp}`);
      if (disagreements.length > 5) return [...disagreements, yaml];
    }
  }
  // Matrices go through class representatives: classes must keep apart what Calico selectors tell apart.
  disagreements.push(...matrixDisagreements(result));
  return disagreements.length > 0 ? [...disagreements, yaml] : [];
}

describe('Calico: engine vs plain reference', () => {
  // Many workloads sharing few classes make each run slower (pairs grow with workloads): fewer runs there.
  for (const [name, shape, runs] of [
    ['varied labels', DEFAULT_SHAPE, RUNS],
    ['few classes', SHARED_CLASSES_SHAPE, Math.ceil(RUNS / 4)],
  ] as const) {
    it(`agree on random clusters with tiers and Calico policies (${name})`, () => {
      fc.assert(
        fc.property(clusterArbitrary(shape), calicoArbitrary, (cluster, calico) => {
          const problems = compare(cluster, calico);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { numRuns: runs },
      );
    });
  }

  it('generates service matches of written endpoints that serve different ports at different addresses', () => {
    const samples = fc.sample(calicoArbitrary, { numRuns: 300, seed: 5 });
    const telling = samples.filter(({ policies, services }) =>
      policies.some((p) =>
        (p.egress ?? []).some((r) => {
          const match = r.destination?.services;
          const namespace = match?.namespace ?? (p.kind === 'NetworkPolicy' ? p.namespace : undefined);
          const service = (services ?? []).find((s) => s.name === match?.name && s.namespace === namespace);
          if (service === undefined || !('slices' in service)) return false;
          const portsByAddress = new Map<string, string>();
          for (const slice of service.slices)
            for (const { address } of slice.endpoints) portsByAddress.set(address, `${portsByAddress.get(address) ?? ''}|${JSON.stringify(slice.ports)}`);
          return new Set(portsByAddress.values()).size > 1;
        }),
      ),
    );
    expect(telling.length).toBeGreaterThan(8);
  });

  it('generates policies that decide something with every action', () => {
    const samples = fc.sample(calicoArbitrary, { numRuns: 200, seed: 3 });
    const actions = new Set(samples.flatMap((s) => s.policies.flatMap((p) => [...(p.ingress ?? []), ...(p.egress ?? [])].map((r) => r.action))));
    expect([...actions].sort()).toEqual(['Allow', 'Deny', 'Log', 'Pass']);
    expect(samples.filter((s) => s.tiers.length > 0 && s.policies.some((p) => p.tier !== undefined && p.tier !== 'default')).length).toBeGreaterThan(20);
  });
});
