// The layered fast path's shortcuts: compiled sides shared between classes, the peers a side may allow, and the
// classes a Calico policy applies to, each checked against the full walk (explain) or a plain scan.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { streamMatrix } from '../engine/matrix.js';
import { workloadEndpoint, type Endpoint } from '../engine/endpoints.js';
import { CalicoConnectivityResult } from './evaluate.js';

const pod = (name: string, labels: string, port: number) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {${labels}}}
spec:
  containers: [{name: c, image: x, ports: [{name: http, containerPort: ${port}}]}]
---`;

const YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
${pod('client', 'app: client', 80)}
${pod('web-1', 'app: web, tier: one, role: w', 8080)}
${pod('web-4', 'app: web, tier: one, role: z', 8080)}
${pod('web-5', 'app: web, tier: one, role: z', 9090)}
${pod('web-2', 'app: web, tier: two, role: z', 8080)}
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: guard}
spec:
  tier: security
  selector: app == 'web'
  ingress:
  - {action: Deny, source: {selector: "role == 'w'"}}
  - {action: Allow, protocol: TCP, source: {selector: "app == 'client'"}, destination: {ports: [http]}}
  - {action: Pass, protocol: UDP, source: {selector: "app == 'client'"}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: egress-x}
spec:
  selector: role == 'w'
  egress: [{action: Allow, destination: {nets: [203.0.113.0/24]}}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: nobody}
spec:
  selector: quarantine == 'yes' || (has(quarantine) && role != 'w')
  egress: [{action: Deny}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: not-w}
spec:
  tier: security
  selector: role != 'w'
  egress: [{action: Log}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-one, namespace: shop}
spec:
  podSelector: {matchLabels: {tier: one}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{protocol: UDP, port: 53}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-two, namespace: shop}
spec:
  podSelector: {matchLabels: {tier: two}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{protocol: UDP, port: 53}]}]
`;

function calicoResult(): CalicoConnectivityResult {
  const { result } = analyze([{ path: 'shared.yaml', text: YAML }], { cni: 'calico' });
  if (!(result instanceof CalicoConnectivityResult)) throw new Error('expected a Calico result');
  return result;
}

describe('layered fast path: shared compiled sides', () => {
  const result = calicoResult();
  const endpoint = (name: string): Endpoint => {
    const found = result.workloads.find((w) => w.id === `shop/${name}[Pod]`);
    if (found === undefined)
      throw new Error(`no shop/${name}[Pod] among ${result.workloads.map((w) => w.id).join(', ')}`);
    return found;
  };
  const side = (direction: 'ingress' | 'egress', name: string) =>
    result.compiledSide(direction, endpoint(name) as ReturnType<typeof workloadEndpoint>);

  it('classes whose sides compile to the same steps and NetworkPolicy table share one; others do not', () => {
    // web-1 and web-4 differ only in what their egress reads (role).
    expect(
      result.classOfWorkload((endpoint('web-1') as ReturnType<typeof workloadEndpoint>).workload),
    ).not.toBe(result.classOfWorkload((endpoint('web-4') as ReturnType<typeof workloadEndpoint>).workload));
    expect(side('ingress', 'web-1')).toBe(side('ingress', 'web-4'));
    expect(side('egress', 'web-1')).not.toBe(side('egress', 'web-4'));
    // The named port resolves to another number on web-5; web-2 is isolated by another NetworkPolicy.
    expect(side('ingress', 'web-5')).not.toBe(side('ingress', 'web-1'));
    expect(side('ingress', 'web-2')).not.toBe(side('ingress', 'web-1'));
  });

  it('compiles the tiers of classes that differ only in their NetworkPolicies once, keeping their blocks apart', () => {
    // One GlobalNetworkPolicy reading nothing of the subject, and a NetworkPolicy of each namespace: the pods of a and
    // b share one list of steps, in two sides, since each one's NetworkPolicy block decides by its own table.
    const namespaced = (namespace: string) => `
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: ${namespace}, labels: {app: x}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-${namespace}, namespace: ${namespace}}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}}]}]
---`;
    const text = `${namespaced('a')}${namespaced('b')}
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: no-test-net}
spec:
  selector: all()
  ingress: [{action: Deny, source: {nets: [198.51.100.0/24]}}]
`;
    const { result: layered } = analyze([{ path: 'blocks.yaml', text }], { cni: 'calico' });
    if (!(layered instanceof CalicoConnectivityResult)) throw new Error('expected a Calico result');
    const [a, b] = ['a', 'b'].map((namespace) =>
      layered.compiledSide('ingress', layered.workloads.find((w) => w.workload.namespace === namespace)!),
    );
    expect(a!.tiers).toBe(b!.tiers);
    expect(a).not.toBe(b);
    const [podA, podB] = layered.workloads;
    expect(layered.allowed(podA!, podB!).toString()).toBe('No Connections');
    expect(layered.allowed(podA!, podA!).toString()).toBe('All Connections');
  });

  it('gives every pair the verdict of the full walk (explain), in any order of questions', () => {
    const endpoints = [...result.endpoints].reverse();
    for (const source of endpoints) {
      for (const destination of endpoints) {
        const explained = result.explain(source, destination);
        expect([
          source.id,
          destination.id,
          result.allowed(source, destination).toString(),
          result.sideAllowed('egress', source, destination).toString(),
          result.sideAllowed('ingress', destination, source).toString(),
        ]).toEqual([
          source.id,
          destination.id,
          explained.connections.toString(),
          explained.egress.connections.toString(),
          explained.ingress.connections.toString(),
        ]);
      }
    }
    expect(result.allowed(endpoint('client'), endpoint('web-1')).toString()).toBe('TCP 8080,UDP 53');
    expect(result.allowed(endpoint('client'), endpoint('web-5')).toString()).toBe('TCP 9090,UDP 53');
  });

  it('names a superset of the peers each side may allow anything with, leaving out peers only denied', () => {
    const peers = [...result.classes.map((c) => workloadEndpoint(c.representative)), ...result.externals];
    for (const subjectClass of result.classes) {
      const subject = workloadEndpoint(subjectClass.representative);
      const egress = result.egressPeers(subjectClass.index);
      const ingress = result.ingressPeers(subjectClass.index);
      peers.forEach((peer, k) => {
        if (egress !== undefined && !egress.includes(k))
          expect(result.allowed(subject, peer).isEmpty).toBe(true);
        if (ingress !== undefined && !ingress.includes(k))
          expect(result.allowed(peer, subject).isEmpty).toBe(true);
      });
    }
    // web-1 (role w) is only denied by web-4's ingress: it is not named.
    const web4 = result.classOfWorkload((endpoint('web-4') as ReturnType<typeof workloadEndpoint>).workload);
    const web1 = result.classOfWorkload((endpoint('web-1') as ReturnType<typeof workloadEndpoint>).workload);
    const client = result.classOfWorkload(
      (endpoint('client') as ReturnType<typeof workloadEndpoint>).workload,
    );
    expect(result.ingressPeers(web4.index)).toEqual([client.index]);
    expect(web1.index).not.toBe(client.index);
  });

  it('streams the class matrix as the pairwise verdicts', () => {
    const rows = [...streamMatrix(result, 'class').rows].map(
      (r) => `${r.source.id} => ${r.destination.id}: ${r.connections.toString()}`,
    );
    const expected: string[] = [];
    const ids = new Map(
      [...streamMatrix(result, 'class').nodes].flatMap((n) =>
        (n.members ?? [n.id]).map((m) => [m, n.id] as const),
      ),
    );
    for (const source of result.endpoints) {
      for (const destination of result.endpoints) {
        if (source === destination || (source.kind === 'external' && destination.kind === 'external'))
          continue;
        const connections = result.allowed(source, destination);
        if (!connections.isEmpty)
          expected.push(`${ids.get(source.id)!} => ${ids.get(destination.id)!}: ${connections.toString()}`);
      }
    }
    expect(rows.sort()).toEqual([...new Set(expected)].sort());
  });

  it('finds the classes a Calico policy applies to as a scan of every class does', () => {
    for (const policy of result.calico.policies) {
      const scanned = result.classes.filter((c) => result.policyApplies(policy, c.representative));
      expect([policy.id, result.classesApplying(policy)]).toEqual([policy.id, scanned]);
    }
    const named = (name: string) => result.calico.policies.find((p) => p.name === name)!;
    expect(result.classesApplying(named('nobody'))).toEqual([]);
    // `!=` holds without the label: the client, which has no role, is among them.
    const client = result.classOfWorkload(
      (endpoint('client') as ReturnType<typeof workloadEndpoint>).workload,
    );
    expect(result.classesApplying(named('not-w'))).toContain(client);
  });
});
