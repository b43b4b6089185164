// Examples pinning the reference evaluator to the spec, so the property test compares the engine against something checked.
import { describe, expect, it } from 'vitest';
import { referenceAllows, referenceWorkloads, type KubeObject, type NetworkPolicySpec, type PodSpec } from './reference.js';

function pod(namespace: string, name: string, labels: Record<string, string>, spec: Partial<PodSpec> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, labels }, spec: { containers: [{ name: 'main' }], ...spec } };
}

function policy(namespace: string, name: string, spec: NetworkPolicySpec): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

function workloadsByName(cluster: readonly KubeObject[]) {
  return new Map(referenceWorkloads(cluster).map((workload) => [workload.name, workload]));
}

describe('reference evaluator', () => {
  it('defaults an empty policyTypes list like a missing one (SetDefaults_NetworkPolicy: len == 0)', () => {
    const cluster = [
      pod('default', 'a', { app: 'a' }),
      pod('default', 'b', { app: 'b' }),
      policy('default', 'p', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: [], egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }] }] }),
    ];
    const pods = workloadsByName(cluster);
    expect(referenceAllows(cluster, pods.get('b')!, pods.get('a')!, 'TCP', 80)).toBe(false);
    expect(referenceAllows(cluster, pods.get('a')!, pods.get('b')!, 'TCP', 80)).toBe(true);
    expect(referenceAllows(cluster, pods.get('a')!, '8.8.8.8', 'UDP', 53)).toBe(false);
  });

  it('does not isolate egress for `egress: []` without policyTypes, but does with explicit Egress', () => {
    const base = [pod('default', 'a', { app: 'a' }), pod('default', 'b', { app: 'b' })];
    const implicit = [...base, policy('default', 'p', { podSelector: {}, egress: [] })];
    const explicit = [...base, policy('default', 'p', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [] })];
    const implicitPods = workloadsByName(implicit);
    // Ingress is isolated (and denied) for every pod, egress is not.
    expect(referenceAllows(implicit, implicitPods.get('a')!, implicitPods.get('b')!, 'TCP', 80)).toBe(false);
    expect(referenceAllows(implicit, implicitPods.get('a')!, '1.2.3.4', 'TCP', 80)).toBe(true);
    expect(referenceAllows(implicit, '1.2.3.4', implicitPods.get('a')!, 'TCP', 80)).toBe(false);
    const explicitPods = workloadsByName(explicit);
    expect(referenceAllows(explicit, explicitPods.get('a')!, explicitPods.get('b')!, 'TCP', 80)).toBe(false);
    expect(referenceAllows(explicit, explicitPods.get('b')!, explicitPods.get('a')!, 'UDP', 53)).toBe(true);
  });

  it('matches NotIn and DoesNotExist on pods without the key, and namespaces by their implicit name label', () => {
    const cluster: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod' } } },
      pod('prod', 'server', { app: 'server' }),
      pod('prod', 'plain', {}),
      pod('prod', 'web', { tier: 'web' }),
      pod('other', 'outsider', {}),
      policy('prod', 'allow', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] } }] },
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] } }] },
        ],
      }),
    ];
    const pods = workloadsByName(cluster);
    expect(referenceAllows(cluster, pods.get('plain')!, pods.get('server')!, 'TCP', 80)).toBe(true);
    expect(referenceAllows(cluster, pods.get('web')!, pods.get('server')!, 'TCP', 80)).toBe(false);
    expect(referenceAllows(cluster, pods.get('outsider')!, pods.get('server')!, 'SCTP', 9)).toBe(true);
    expect(referenceAllows(cluster, '10.0.0.1', pods.get('server')!, 'TCP', 80)).toBe(false);
  });

  it('resolves named ports on the destination by name and protocol, and never for ICMP or external destinations', () => {
    const ports = { containers: [{ name: 'main', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'http', containerPort: 8080 }] }] };
    const cluster: KubeObject[] = [
      pod('default', 'client', { app: 'client' }),
      pod('default', 'server', { app: 'server' }, ports),
      policy('default', 'ingress', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'http' }] }] }),
      policy('default', 'egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'dns' }, { port: 'http' }] }] }),
    ];
    const pods = workloadsByName(cluster);
    const client = pods.get('client')!;
    const server = pods.get('server')!;
    expect(referenceAllows(cluster, '192.0.2.1', server, 'UDP', 53)).toBe(true);
    expect(referenceAllows(cluster, '192.0.2.1', server, 'TCP', 53)).toBe(false);
    expect(referenceAllows(cluster, '192.0.2.1', server, 'TCP', 8080)).toBe(true);
    expect(referenceAllows(cluster, '192.0.2.1', server, 'ICMP', 0)).toBe(false);
    // The egress rule's `dns` defaults to TCP, which the server's UDP `dns` port is not.
    expect(referenceAllows(cluster, client, server, 'UDP', 53)).toBe(false);
    expect(referenceAllows(cluster, client, server, 'TCP', 8080)).toBe(true);
    expect(referenceAllows(cluster, client, '192.0.2.1', 'TCP', 8080)).toBe(false);
  });

  it('applies ipBlock excepts to external addresses only, per family', () => {
    const cluster: KubeObject[] = [
      pod('default', 'a', {}),
      pod('default', 'b', {}),
      policy('default', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '2001:db8::/32' } }] }] }),
    ];
    const pods = workloadsByName(cluster);
    const a = pods.get('a')!;
    expect(referenceAllows(cluster, '10.2.0.1', a, 'ICMP', 0)).toBe(true);
    expect(referenceAllows(cluster, '10.1.255.255', a, 'TCP', 1)).toBe(false);
    expect(referenceAllows(cluster, { family: 6, address: 0x20010db8_0000_0000_0000_0000_0000_0001n }, a, 'TCP', 1)).toBe(true);
    expect(referenceAllows(cluster, { family: 6, address: 0x0a000001n }, a, 'TCP', 1)).toBe(false);
    expect(referenceAllows(cluster, '2001:db9::', a, 'TCP', 1)).toBe(false);
    expect(referenceAllows(cluster, pods.get('b')!, a, 'TCP', 1)).toBe(false);
  });

  it('never selects or matches hostNetwork pods with selectors, only with peer-less rules', () => {
    const cluster: KubeObject[] = [
      pod('default', 'host', { app: 'a' }, { hostNetwork: true }),
      pod('default', 'normal', { app: 'a' }),
      policy('default', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ ports: [{ port: 80 }] }] }),
    ];
    const pods = workloadsByName(cluster);
    const host = pods.get('host')!;
    const normal = pods.get('normal')!;
    expect(referenceAllows(cluster, '8.8.8.8', host, 'UDP', 9)).toBe(true);
    expect(referenceAllows(cluster, host, normal, 'TCP', 80)).toBe(false);
    expect(referenceAllows(cluster, normal, host, 'TCP', 80)).toBe(true);
    expect(referenceAllows(cluster, normal, host, 'TCP', 81)).toBe(false);
  });

  it("resolves named ports on a sidecar's ports, not on those of an init container that is no sidecar", () => {
    const cluster: KubeObject[] = [
      pod('default', 'server', { app: 'server' }, {
        initContainers: [
          { name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] },
          { name: 'setup', ports: [{ name: 'setup', containerPort: 9000 }] },
        ],
      }),
      pod('default', 'client', { app: 'client' }),
      policy('default', 'in', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 'proxy' }, { port: 'setup' }] }] }),
    ];
    const pods = workloadsByName(cluster);
    expect(referenceAllows(cluster, pods.get('client')!, pods.get('server')!, 'TCP', 15001)).toBe(true);
    expect(referenceAllows(cluster, pods.get('client')!, pods.get('server')!, 'TCP', 9000)).toBe(false);
  });
});
