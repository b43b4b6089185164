// Property: on random clusters with random Services, the service view is the pod matrix composed with the Service mapping.
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeServices, buildMatrix, ConnectionSet, type ConnectivityResult, type Workload } from '@kubereach/core';
import { clusterArbitrary, DEFAULT_SHAPE, SHARED_CLASSES_SHAPE } from '../property/cluster-arbitraries.js';
import type { KubeObject } from '../reference/reference.js';

type Protocol = 'TCP' | 'UDP' | 'SCTP';

interface GeneratedService {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol; readonly targetPort?: number | string }[];
}

const NAMESPACES = ['default', 'alpha', 'beta', 'gamma'] as const;

/** Selectors over the label keys the cluster arbitraries give pods, so Services select some workloads often. */
const serviceArbitrary: fc.Arbitrary<Omit<GeneratedService, 'name'>> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  selector: fc.oneof(
    fc.record({ app: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ app: fc.constantFrom('a', 'b'), tier: fc.constantFrom('web', 'db') }),
    fc.record({ tier: fc.constantFrom('web', 'db') }),
  ),
  ports: fc.uniqueArray(
    fc.record(
      {
        port: fc.constantFrom(80, 443, 53, 8080),
        protocol: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP'),
        targetPort: fc.oneof(fc.constantFrom(53, 80, 443, 8080, 9090), fc.constantFrom('http', 'dns', 'metrics')),
      },
      { requiredKeys: ['port', 'protocol'] },
    ),
    { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol}` },
  ),
});

const clusterWithServices = fc.tuple(clusterArbitrary(DEFAULT_SHAPE), fc.array(serviceArbitrary, { maxLength: 3 }));

function toYaml(objects: readonly KubeObject[], services: readonly GeneratedService[]): string {
  const serviceObjects = services.map((s) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace },
    // The API server wants every port of a multi-port Service named.
    spec: { selector: s.selector, ports: s.ports.map((p) => ({ name: `p${p.port}-${p.protocol.toLowerCase()}`, ...p })) },
  }));
  return [...objects, ...serviceObjects].map((object) => dump(object, { noRefs: true })).join('---\n');
}

/** The pod matrix as a function: the matrix rows for distinct workloads, the engine's cell for a workload to itself (another replica). */
function podCell(result: ConnectivityResult, rows: ReadonlyMap<string, ConnectionSet>, client: Workload, backend: Workload): ConnectionSet {
  if (client === backend) {
    const endpoint = result.workloads.find((e) => e.workload === client)!;
    return result.allowed(endpoint, endpoint);
  }
  return rows.get(`${client.id}\0${backend.id}`) ?? ConnectionSet.NONE;
}

/** The Service mapping, written from the API's rules: same namespace, selector labels all equal, targetPort number or name per pod. */
function expectedRows(result: ConnectivityResult, services: readonly GeneratedService[]): string[] {
  const matrix = buildMatrix(result);
  const rows = new Map(matrix.rows.map((r) => [`${r.source.id}\0${r.destination.id}`, r.connections]));
  const lines: string[] = [];
  for (const { workload: client } of result.workloads) {
    for (const service of [...services].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1))) {
      const selected = result.model.workloads.filter(
        (w) => w.namespace === service.namespace && Object.entries(service.selector).every(([k, v]) => w.labels[k] === v),
      );
      for (const port of service.ports) {
        const target = port.targetPort ?? port.port;
        const backends = selected.flatMap((backend) => {
          const number = typeof target === 'number' ? target : backend.ports.find((p) => p.name === target && p.protocol === port.protocol)?.port;
          if (number === undefined) return [];
          return [`${backend.id}:${number}:${podCell(result, rows, client, backend).allows(port.protocol, number)}`];
        });
        if (backends.some((b) => b.endsWith(':true'))) lines.push(`${client.id}|${service.namespace}/${service.name}|${port.protocol} ${port.port}|${backends.join(',')}`);
      }
    }
  }
  return lines;
}

describe('service view = pod matrix ∘ Service mapping', () => {
  it('holds on random clusters', () => {
    fc.assert(
      fc.property(clusterWithServices, ([objects, generated]) => {
        const services = generated.map((s, k) => ({ ...s, name: `svc-${k}` }));
        const yaml = toYaml(objects, services);
        const analysis = analyze([{ path: 'gen.yaml', text: yaml }]);
        const errors = analysis.issues.filter((i) => i.severity === 'error');
        if (errors.length > 0) throw new Error(`generated input has errors: ${errors.map((e) => e.message).join('; ')}\n${yaml}`);
        const view = analyzeServices(analysis, { defaultNamespace: 'default' })
          .serviceView()
          .filter((row) => row.ingress === undefined)
          .map((row) => `${row.client.id}|${row.service.id}|${row.port.protocol} ${row.port.port}|${row.backends.map((b) => `${b.id}:${b.targetPort}:${b.allowed}`).join(',')}`);
        expect(view).toEqual(expectedRows(analysis.result, services));
      }),
      { numRuns: 300 },
    );
  });

  it('generates Services that reach backends', () => {
    // Guards the generators: a property over views that are always empty would pass vacuously.
    const samples = fc.sample(fc.tuple(clusterArbitrary(SHARED_CLASSES_SHAPE), fc.array(serviceArbitrary, { minLength: 1, maxLength: 3 })), { numRuns: 100, seed: 7 });
    const nonEmpty = samples.filter(([objects, generated]) => {
      const services = generated.map((s, k) => ({ ...s, name: `svc-${k}` }));
      return analyzeServices(analyze([{ path: 'gen.yaml', text: toYaml(objects, services) }])).serviceView().length > 0;
    });
    expect(nonEmpty.length).toBeGreaterThan(5);
  });
});
