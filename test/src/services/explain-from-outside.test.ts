// `explain <address> svc/...`: a client outside the cluster reaches only NodePort and LoadBalancer Services, and the
// backends see its address (externalTrafficPolicy Local) or a node's (Cluster), as `exposure` reads it.
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempTree } from '../cli/run-cli.js';

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]
`;

/** A Service of shop selecting web, port 80 to 8080; `spec` holds the lines that set its type and the rest. */
const service = (name: string, spec = '', port = '{port: 80, targetPort: 8080}'): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: web}
  ports: [${port}]
${spec}`;

/** An ingress policy of shop admitting `from` on 8080 to every pod. */
const admit = (from: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from: [${from}]
      ports: [{port: 8080}]
`;

const office = admit('{ipBlock: {cidr: 203.0.113.0/24}}');

function explain(files: Record<string, string>, source: string, query: string) {
  return runCli(['explain', source, query, tempTree(files)]);
}

function join(...documents: string[]): string {
  return documents.join('---\n');
}

describe('explain from an address outside the cluster', () => {
  it('denies a ClusterIP Service: its cluster IP is reachable only from within the cluster', () => {
    const run = explain({ 'a.yaml': join(web, service('internal'), office) }, '203.0.113.5', 'svc/shop/internal:80');
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      '203.0.113.5 => Service shop/internal port 80/TCP: DENIED',
      'hop 1: 203.0.113.5, outside the cluster => Service shop/internal: DENIED: ClusterIP Service shop/internal is reachable only from within the cluster: no nodePort or load balancer publishes it',
      "    the pods' own addresses are another path, where the network routes them from outside: explain 203.0.113.5 shop/web[Deployment] --port 8080",
    ]);
    expect(run.stdout).not.toContain('hop 2');
  });

  it('denies a headless Service: no cluster IP, and its name resolves to pod addresses for clients inside', () => {
    const run = explain({ 'a.yaml': join(web, service('db', '  clusterIP: None\n'), office) }, '203.0.113.5', 'svc/shop/db:80');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "hop 1: 203.0.113.5, outside the cluster => Service shop/db: DENIED: headless Service shop/db has no cluster IP: cluster DNS answers its name with the pods' own addresses, for clients inside the cluster, and no nodePort or load balancer publishes it",
    );
  });

  it('with externalTrafficPolicy Cluster the pod sees a node address: an ipBlock for the client decides nothing (UNKNOWN, as exposure says)', () => {
    const files = { 'a.yaml': join(web, service('web', '  type: NodePort\n', '{port: 80, targetPort: 8080, nodePort: 30080}'), office) };
    const run = explain(files, '203.0.113.5', 'svc/shop/web:80');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '203.0.113.5 => Service shop/web port 80/TCP: UNKNOWN',
      'hop 1: 203.0.113.5, outside the cluster => nodePort 30080 of a node (NodePort Service shop/web): ALLOWED: externalTrafficPolicy Cluster: the node forwards the connection from its own address (SNAT), so the backends see a node address, not 203.0.113.5',
      'hop 2: Service shop/web port 80/TCP -> DNAT to targetPort 8080: shop/web[Deployment] TCP 8080',
      "hop 3: a node address => shop/web[Deployment] on TCP 8080: UNKNOWN: allowed only if the nodes' addresses fall in 203.0.113.0/24",
    ]);
    expect(lines[4]).toBe('    toward 203.0.113.0-203.0.113.255, a range a node address would have to fall in:');
    // The same reading as exposure's, and the same answer from a client the ipBlock does not hold.
    const exposure = runCli(['exposure', tempTree(files)]);
    expect(exposure.stdout).toContain("from every address, if the nodes' addresses fall in 203.0.113.0/24 (externalTrafficPolicy Cluster: the pod sees a node address)");
    expect(explain(files, '192.0.2.1', 'svc/shop/web:80').stdout).toContain("UNKNOWN: allowed only if the nodes' addresses fall in 203.0.113.0/24");
    // The nodePort names the same path.
    expect(explain(files, '203.0.113.5', 'svc/shop/web:30080').stdout.split('\n')[0]).toBe('203.0.113.5 => Service shop/web port 80/TCP: UNKNOWN');
  });

  it('with Cluster: ALLOWED when the pod admits every address, DENIED when it admits none from outside', () => {
    const nodePort = service('web', '  type: NodePort\n');
    const open = explain({ 'a.yaml': join(web, nodePort) }, '203.0.113.5', 'svc/shop/web:80');
    expect(open.status).toBe(0);
    expect(open.stdout).toContain('hop 3: a node address => shop/web[Deployment] on TCP 8080: ALLOWED\n    every address is admitted on TCP 8080, a node\'s too; toward ');
    expect(open.stdout).toContain('its nodePort (the API server allocates it) of a node (NodePort Service shop/web)');
    const podsOnly = explain({ 'a.yaml': join(web, nodePort, admit('{namespaceSelector: {}}')) }, '203.0.113.5', 'svc/shop/web:80');
    expect(podsOnly.status).toBe(1);
    expect(podsOnly.stdout.split('\n')[0]).toBe('203.0.113.5 => Service shop/web port 80/TCP: DENIED');
    expect(podsOnly.stdout).toContain("hop 3: a node address => shop/web[Deployment] on TCP 8080: DENIED\n    no address outside the cluster is admitted on TCP 8080, a node's neither; toward 0.0.0.0-255.255.255.255:");
  });

  it('with externalTrafficPolicy Local the pod sees the client address: the ipBlock decides', () => {
    const files = { 'a.yaml': join(web, service('web', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n'), office) };
    const inside = explain(files, '203.0.113.5', 'svc/shop/web:80');
    expect(inside.status).toBe(0);
    expect(inside.stdout.split('\n').slice(0, 4)).toEqual([
      '203.0.113.5 => Service shop/web port 80/TCP: ALLOWED',
      'hop 1: 203.0.113.5, outside the cluster => the load balancer of LoadBalancer Service shop/web, port 80: ALLOWED: externalTrafficPolicy Local keeps the client address: the backends see 203.0.113.5',
      'hop 2: Service shop/web port 80/TCP -> DNAT to targetPort 8080: shop/web[Deployment] TCP 8080',
      'hop 3: 203.0.113.5 => shop/web[Deployment] on TCP 8080: ALLOWED',
    ]);
    const outside = explain(files, '192.0.2.1', 'svc/shop/web:80');
    expect(outside.status).toBe(1);
    expect(outside.stdout).toContain('hop 3: 192.0.2.1 => shop/web[Deployment] on TCP 8080: DENIED');
  });

  it('a load balancer admits only its loadBalancerSourceRanges; its nodePort is not restricted by them', () => {
    const lb = service('web', '  type: LoadBalancer\n  loadBalancerSourceRanges: [198.51.100.0/24]\n', '{port: 80, targetPort: 8080, nodePort: 30080}');
    const files = { 'a.yaml': join(web, lb) };
    const refused = explain(files, '203.0.113.5', 'svc/shop/web:80');
    expect(refused.status).toBe(1);
    expect(refused.stdout.split('\n').slice(0, 3)).toEqual([
      '203.0.113.5 => Service shop/web port 80/TCP: DENIED',
      'hop 1: 203.0.113.5, outside the cluster => the load balancer of LoadBalancer Service shop/web, port 80: DENIED: loadBalancerSourceRanges admit only 198.51.100.0/24',
      "    they restrict the load balancer's address, not nodePort 30080 on the nodes: a client that reaches a node directly is not checked against them (explain 203.0.113.5 svc/shop/web:30080)",
    ]);
    const admitted = explain(files, '198.51.100.9', 'svc/shop/web:80');
    expect(admitted.status).toBe(0);
    expect(admitted.stdout).toContain('port 80: ALLOWED (within loadBalancerSourceRanges 198.51.100.0/24): externalTrafficPolicy Cluster');
    const byNodePort = explain(files, '203.0.113.5', 'svc/shop/web:30080');
    expect(byNodePort.status).toBe(0);
    expect(byNodePort.stdout).toContain('hop 1: 203.0.113.5, outside the cluster => nodePort 30080 of a node (LoadBalancer Service shop/web): ALLOWED');
  });

  it('a pod address (status.podIP) of the input is that pod, inside the cluster', () => {
    const client = 'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.244.1.7}\n';
    const files = { 'a.yaml': join(web, service('internal'), client) };
    const run = explain(files, '10.244.1.7', 'svc/shop/internal:80');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      '10.244.1.7 is the address of shop/client[Pod] (its status.podIP): the path starts from that pod, inside the cluster',
      'shop/client[Pod] => Service shop/internal port 80/TCP: ALLOWED',
      'hop 1: shop/client[Pod] resolves internal.shop.svc through cluster DNS ({cluster-dns}): ALLOWED (UDP 53 allowed, TCP 53 allowed)',
    ]);
    // Any other address is outside.
    expect(explain(files, '10.244.1.8', 'svc/shop/internal:80').stdout.split('\n')[0]).toBe('10.244.1.8 => Service shop/internal port 80/TCP: DENIED');
  });

  it('a nodePort is a port of the query only from outside', () => {
    const files = { 'a.yaml': join(web, service('web', '  type: NodePort\n', '{port: 80, targetPort: 8080, nodePort: 30080}'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\n') };
    const run = explain(files, 'shop/client', 'svc/shop/web:30080');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Service shop/web has no port 30080');
  });
});

describe('docs/services.md, From outside the cluster', () => {
  it("shows what explain prints for a NodePort's nodePort behind externalTrafficPolicy Cluster", () => {
    const docs = readFileSync(joinPath(repoRoot, 'docs', 'services.md'), 'utf8');
    const example = /```console\n\$ npx kubereach (explain 203\.0\.113\.5 svc\/[^\n]*)\n([\s\S]*?)```/.exec(docs);
    expect(example).not.toBeNull();
    const run = runCli([...example![1]!.split(' '), '--no-color']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(example![2]);
  });
});
