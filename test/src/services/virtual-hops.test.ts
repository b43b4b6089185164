// The service views on hops with a virtual party ({cluster-dns}, {ingress-controller}, a pod of another namespace): each
// tier's decisions, and UNKNOWN where a rule may or may not match the party (PathSide.possible, BackendReach.possiblyAllowed).
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../cli/run-cli.js';

const deployment = (namespace: string, name: string, port = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, tier: api}}
    spec:
      containers: [{name: c, image: x${port === '' ? '' : `, ports: [{containerPort: ${port}}]`}}]
`;

const apiService = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {tier: api}
  ports: [{port: 80, targetPort: 8080}]
`;

/** An AdminNetworkPolicy denying every pod's egress to kube-system: cluster DNS included, in the input or not. */
const noDns = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-dns}
spec:
  priority: 10
  subject: {namespaces: {}}
  egress:
    - name: deny-dns
      action: Deny
      to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
`;

/** Backends of shop/api: v1 admits every namespace, v2 only ingress-nginx, where a controller may run or not. */
const backends = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v1, namespace: shop}
spec:
  podSelector: {matchLabels: {app: v1}}
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v2, namespace: shop}
spec:
  podSelector: {matchLabels: {app: v2}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site, namespace: shop}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}}]
`;

const join = (...documents: string[]): string => documents.join('---\n');

describe('explain svc/... with a virtual cluster DNS under an AdminNetworkPolicy', () => {
  const folder = tempTree({
    'a.yaml': join(deployment('front', 'web'), deployment('shop', 'v1', '8080'), apiService, noDns),
  });

  it('names the admin rule that denies the DNS hop, not NetworkPolicy isolation', () => {
    const run = runCli(['explain', 'front/web', 'svc/shop/api:80', folder]);
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('front/web[Deployment] => Service shop/api port 80/TCP: DENIED');
    expect(lines[1]).toBe(
      'hop 1: front/web[Deployment] resolves api.shop.svc through cluster DNS ({cluster-dns}): DENIED (UDP 53 denied, TCP 53 denied)',
    );
    expect(lines[2]).toBe(
      '    egress of front/web[Deployment]: decided by tier admin (UDP 53 denied on this side)',
    );
    expect(lines[3]).toMatch(
      /^ {6}admin: AdminNetworkPolicy\/no-dns egress rule 1 denies All Connections at .*a\.yaml:\d+:\d+$/,
    );
    expect(run.stdout).not.toContain('not isolated for egress');
  });
});

describe('a virtual ingress controller that a rule may or may not match', () => {
  const folder = tempTree({
    'a.yaml': join(deployment('shop', 'v1', '8080'), deployment('shop', 'v2', '8080'), apiService, backends),
  });

  it('explain says UNKNOWN for the backend it may reach, with the tier decisions', () => {
    const run = runCli(['explain', 'internet', 'ingress/shop/site', folder]);
    expect(run.stdout).toContain('  via {ingress-controller}: ALLOWED (only 1 of 2 backends)');
    expect(run.stdout).toContain(
      '  hop 3: {ingress-controller} => shop/v2[Deployment] on TCP 8080: UNKNOWN: allowed only for some placements, depending on the namespace and labels of {ingress-controller}, which the input does not give',
    );
    expect(run.stdout).toContain(
      '        NetworkPolicy: no rule decides All Connections, where the rules above do not match {ingress-controller}: denied by default (shop/v2 apply to it)',
    );
  });

  it('matrix --services lists it as UNKNOWN, and its JSON says possiblyAllowed', () => {
    const connlist = runCli(['matrix', folder, '--services', '-o', 'connlist']).stdout;
    expect(connlist).toContain(
      '{ingress-controller} => shop/site[Ingress] */ -> shop/api[Service] TCP 80 : shop/v1[Deployment] TCP 8080 (only 1 of 2 backends; UNKNOWN, depending on where {ingress-controller} runs: shop/v2[Deployment])',
    );
    const json = JSON.parse(runCli(['matrix', folder, '--services', '-o', 'json']).stdout) as {
      rows: {
        client: string;
        backends: { workload: string; allowed: boolean; possiblyAllowed: boolean }[];
      }[];
    };
    const row = json.rows.find((r) => r.client === '{ingress-controller}');
    expect(row?.backends.map((b) => [b.workload, b.allowed, b.possiblyAllowed])).toEqual([
      ['shop/v1[Deployment]', true, true],
      ['shop/v2[Deployment]', false, true],
    ]);
  });

  it('exposure says what a pod of another namespace may be admitted on, in text and JSON', () => {
    const text = runCli(['exposure', folder]).stdout;
    expect(text).toContain(
      '  shop/v2[Deployment]: isolated for ingress\n    any pod of another namespace: nothing; UNKNOWN, depending on its namespace and labels: TCP 8080\n',
    );
    expect(text).toContain(
      '  shop/v1[Deployment]: isolated for ingress\n    any pod of another namespace: TCP 8080\n',
    );
    const json = JSON.parse(runCli(['exposure', folder, '-o', 'json']).stdout) as {
      crossNamespace: { workload: string; anyPod: string; anyPodPossible: string }[];
    };
    expect(json.crossNamespace.find((a) => a.workload === 'shop/v2[Deployment]')).toMatchObject({
      anyPod: 'No Connections',
      anyPodPossible: 'TCP 8080',
    });
    expect(json.crossNamespace.find((a) => a.workload === 'shop/v1[Deployment]')).toMatchObject({
      anyPod: 'TCP 8080',
      anyPodPossible: 'TCP 8080',
    });
  });
});
