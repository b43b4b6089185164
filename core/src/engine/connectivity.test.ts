import { describe, expect, it } from 'vitest';
import type { NetworkPolicySpec } from '../manifest/kubernetes-types.js';
import type { ClusterModel, ContainerPort, Workload } from '../model/cluster.js';
import { compilePolicy, type PolicyRule } from '../semantics/policy-ir.js';
import { analyzeConnectivity } from './connectivity.js';

const nowhere = () => ({ file: 'test.yaml', range: { start: 0, end: 0 } });

function workload(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ports: Partial<ContainerPort>[] = [],
): Workload {
  return {
    id: `${namespace}/${name}[Deployment]`,
    namespace,
    name,
    kind: 'Deployment',
    labels,
    ports: ports.map((p) => ({ container: 'c', name: undefined, port: 1, protocol: 'TCP', ...p })),
    hostNetwork: false,
    usesClusterDns: true,
    serviceAccount: 'default',
    addresses: [],
    location: nowhere(),
  };
}

function model(
  workloads: Workload[],
  policies: { namespace: string; name: string; spec: NetworkPolicySpec }[],
): ClusterModel {
  const namespaces = [
    ...new Set([...workloads.map((w) => w.namespace), ...policies.map((p) => p.namespace)]),
  ].map((name) => ({
    name,
    labels: { 'kubernetes.io/metadata.name': name },
    location: undefined,
  }));
  return { namespaces, workloads, policies: policies.map((p) => compilePolicy(p, nowhere)), defaultNamespace: 'default' };
}

function allowed(m: ClusterModel, from: string, to: string): string {
  const result = analyzeConnectivity(m);
  const find = (name: string) => result.endpoints.find((e) => e.id.includes(`/${name}[`) || e.id === name)!;
  return result.allowed(find(from), find(to)).toString();
}

describe('engine', () => {
  it('intersects the source egress with the destination ingress', () => {
    const m = model(
      [workload('ns', 'a', { app: 'a' }), workload('ns', 'b', { app: 'b' })],
      [
        {
          namespace: 'ns',
          name: 'a-out',
          spec: {
            podSelector: { matchLabels: { app: 'a' } },
            policyTypes: ['Egress'],
            egress: [{ ports: [{ port: 80, endPort: 90 }] }],
          },
        },
        {
          namespace: 'ns',
          name: 'b-in',
          spec: {
            podSelector: { matchLabels: { app: 'b' } },
            ingress: [{ ports: [{ port: 85 }, { port: 95 }] }],
          },
        },
      ],
    );
    expect(allowed(m, 'a', 'b')).toBe('TCP 85');
    expect(allowed(m, 'b', 'a')).toBe('All Connections');
    expect(allowed(m, 'a', '0.0.0.0-255.255.255.255')).toBe('TCP 80-90');
  });

  it('resolves an ingress named port on each selected pod separately, even when one policy selects both', () => {
    const m = model(
      [
        workload('ns', 'client', { role: 'client' }),
        workload('ns', 'one', { app: 'srv' }, [{ name: 'http', port: 8080 }]),
        workload('ns', 'two', { app: 'srv', v: '2' }, [{ name: 'http', port: 9090 }]),
      ],
      [
        {
          namespace: 'ns',
          name: 'srv',
          spec: { podSelector: { matchLabels: { app: 'srv' } }, ingress: [{ ports: [{ port: 'http' }] }] },
        },
      ],
    );
    expect(allowed(m, 'client', 'one')).toBe('TCP 8080');
    expect(allowed(m, 'client', 'two')).toBe('TCP 9090');
  });

  it('gives members of one class the same verdict and explains it with the same rules', () => {
    const m = model(
      [
        workload('ns', 'a1', { app: 'a', pod: '1' }),
        workload('ns', 'a2', { app: 'a', pod: '2' }),
        workload('ns', 'db', { app: 'db' }),
      ],
      [
        {
          namespace: 'ns',
          name: 'db',
          spec: {
            podSelector: { matchLabels: { app: 'db' } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 5432 }] }],
          },
        },
      ],
    );
    const result = analyzeConnectivity(m);
    const [a1, a2, db] = result.workloads;
    expect(result.allowed(a1!, db!).toString()).toBe('TCP 5432');
    expect(result.allowed(a2!, db!).toString()).toBe('TCP 5432');
    expect(result.allowed(a1!, a2!).isAll).toBe(true);
    const explanation = result.explain(a2!, db!);
    expect(explanation.ingress.isolatedBy.map((p) => p.id)).toEqual(['ns/db']);
    expect(explanation.ingress.allowedBy.map((c) => c.connections.toString())).toEqual(['TCP 5432']);
    expect(explanation.egress.isolatedBy).toEqual([]);
  });

  it('keeps pods without addresses out of ipBlocks and cuts external ranges at every boundary', () => {
    const m = model(
      [workload('ns', 'a', { app: 'a' })],
      [
        {
          namespace: 'ns',
          name: 'in',
          spec: {
            podSelector: {},
            ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
          },
        },
      ],
    );
    const result = analyzeConnectivity(m);
    const rows = [...result.connections()].map(
      (c) => `${c.source.id} => ${c.destination.id} : ${c.connections.toString()}`,
    );
    expect(rows).toEqual([
      'ns/a[Deployment] => 0.0.0.0-9.255.255.255 : All Connections',
      'ns/a[Deployment] => 10.0.0.0-10.0.255.255 : All Connections',
      'ns/a[Deployment] => 10.1.0.0-10.1.255.255 : All Connections',
      'ns/a[Deployment] => 10.2.0.0-10.255.255.255 : All Connections',
      'ns/a[Deployment] => 11.0.0.0-255.255.255.255 : All Connections',
      '10.0.0.0-10.0.255.255 => ns/a[Deployment] : All Connections',
      '10.2.0.0-10.255.255.255 => ns/a[Deployment] : All Connections',
    ]);
  });

  it('finds the ranges an ipBlock holds whether or not its CIDRs are cut boundaries', () => {
    // The active rule cuts at 10.0.0.0/8, 10.1.0.0/16 and 10.200.0.0/16 (and IPv6 ::/0, fd00::/8); the egress rule that
    // policyTypes leaves out is inactive: its CIDR 10.0.0.0/9 cuts nothing and holds only the ranges wholly inside it
    // (10.2.0.0-10.199.255.255 reaches past it).
    const m = model(
      [workload('ns', 'a', { app: 'a' })],
      [
        {
          namespace: 'ns',
          name: 'in',
          spec: {
            podSelector: {},
            policyTypes: ['Ingress'],
            ingress: [
              { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.200.0.0/16'] } }] },
              { from: [{ ipBlock: { cidr: '::/0', except: ['fd00::/8'] } }] },
            ],
            egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/9', except: ['10.1.0.0/16'] } }] }],
          },
        },
      ],
    );
    const result = analyzeConnectivity(m);
    const [v4, v6] = m.policies[0]!.ingress!.rules;
    const ids = (rule: PolicyRule) => result.peersMatchedBy(rule).map((e) => e.id);
    expect(ids(v4!)).toEqual(['10.0.0.0-10.0.255.255', '10.2.0.0-10.199.255.255', '10.201.0.0-10.255.255.255']);
    expect(ids(v6!)).toEqual(['::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(ids(m.policies[0]!.inactiveRules![0]!)).toEqual(['10.0.0.0-10.0.255.255']);
  });
});
