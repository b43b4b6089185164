// `explain` through a Service and an Ingress, `matrix --services` formats and `exposure` JSON, on the example shop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempTree } from '../cli/run-cli.js';

describe('explain through a Service', () => {
  it('names the hop that fails: the api pods do not admit the targetPort', () => {
    const run = runCli(['explain', 'shop/frontend', 'svc/api:80', 'examples']);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('shop/frontend[Deployment] => Service shop/api port 80/TCP: DENIED');
    expect(lines[1]).toBe(
      'hop 1: shop/frontend[Deployment] resolves api.shop.svc through cluster DNS (kube-system/coredns[Deployment]): ALLOWED (UDP 53 allowed, TCP 53 allowed)',
    );
    expect(lines[2]).toBe('hop 2: Service shop/api port 80/TCP -> DNAT to targetPort 8080: shop/api[Deployment] TCP 8080');
    expect(lines[3]).toBe('hop 3: shop/frontend[Deployment] => shop/api[Deployment] on TCP 8080: DENIED');
    expect(run.stdout).toContain('ingress of shop/api[Deployment]: isolated by 2 policies: allows TCP 80 (TCP 8080 denied on this side)');
  });

  it('answers allowed through a headless Service, by port name or number', () => {
    const run = runCli(['explain', 'shop/api', 'svc/shop/postgres:5432', 'examples']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('hop 2: Service shop/postgres port 5432/TCP -> headless: no DNAT, clients connect to the pods on 5432: shop/postgres[StatefulSet] TCP 5432');
  });

  it('reports a missing Service or port as a usage error', () => {
    expect(runCli(['explain', 'shop/frontend', 'svc/nope:80', 'examples']).stderr).toContain('no Service named nope');
    const run = runCli(['explain', 'shop/frontend', 'svc/api:81', 'examples']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Service shop/api has no port 81 (ports: http 80/TCP)');
  });
});

describe('explain through a Service without a selector', () => {
  // Its endpoints are EndpointSlice or Endpoints objects its owner writes: without them in the input the verdict is
  // unknown, not denied, unless a hop before them fails; with them, each endpoint is judged.
  const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
  const db = 'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec: {ports: [{port: 5432}]}\n';
  const dns = '{to: [{namespaceSelector: {}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}';
  const egress = (...rules: string[]) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-egress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: [${rules.join(', ')}]\n`;

  it('is unknown past its DNAT, with why', () => {
    const run = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree({ 'app.yaml': `${web}---\n${db}`, 'p.yaml': egress(dns) })]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: UNKNOWN');
    expect(lines[2]).toBe('hop 2: Service shop/db port 5432/TCP -> DNAT to the endpoint port: endpoints outside the manifests');
    expect(lines[3]).toBe(
      '    the Service has no selector, and no EndpointSlice or Endpoints of the input gives its endpoints: they are managed elsewhere, so whether they admit the client is unknown',
    );
    expect(run.stdout).not.toContain('no endpoints');
  });

  it('is denied when cluster DNS is', () => {
    const run = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree({ 'app.yaml': `${web}---\n${db}`, 'p.yaml': egress() })]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: DENIED');
  });

  it('is unknown from outside the cluster through a NodePort', () => {
    const nodePort = db.replace('spec: {', 'spec: {type: NodePort, ');
    const run = runCli(['explain', '203.0.113.9', 'svc/shop/db:5432', tempTree({ 'app.yaml': `${web}---\n${nodePort}` })]);
    expect(run.stdout.split('\n')[0]).toBe('203.0.113.9 => Service shop/db port 5432/TCP: UNKNOWN');
  });

  // The Kubernetes documentation's pattern: a database outside the cluster behind a Service and an EndpointSlice.
  const slice =
    'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: db-1, namespace: shop, labels: {kubernetes.io/service-name: db}}\naddressType: IPv4\nports: [{name: "", protocol: TCP, port: 15432}]\nendpoints:\n  - addresses: ["10.4.5.6"]\n  - addresses: ["10.1.2.3"]\n';
  const to = (cidr: string, port: number) => `{to: [{ipBlock: {cidr: ${cidr}}}], ports: [{port: ${port}}]}`;

  it('judges each address of its EndpointSlice on the endpoint port, by the client egress toward it', () => {
    // The egress names the endpoint port 15432 of one address, not the Service port 5432.
    const files = { 'app.yaml': `${web}---\n${db}---\n${slice}`, 'p.yaml': egress(dns, to('10.1.0.0/16', 15432)) };
    const run = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree(files)]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: ALLOWED (only 1 of 2 backends)');
    expect(lines[2]).toBe('hop 2: Service shop/db port 5432/TCP -> DNAT to the endpoint port: 10.4.5.6 TCP 15432, 10.1.2.3 TCP 15432');
    expect(lines[3]).toBe('    the Service has no selector: its endpoints come from EndpointSlice shop/db-1');
    expect(lines[4]).toBe("hop 3: shop/web[Pod] => 10.4.5.6 on TCP 15432 (an address outside the cluster's workloads: 10.2.0.0-255.255.255.255): DENIED");
    expect(run.stdout).toContain("hop 3: shop/web[Pod] => 10.1.2.3 on TCP 15432 (an address outside the cluster's workloads: 10.1.0.0-10.1.255.255): ALLOWED");
    // The Service port alone would be the naive reading: allowing 5432 opens nothing.
    const servicePort = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree({ ...files, 'p.yaml': egress(dns, to('10.0.0.0/8', 5432)) })]);
    expect(servicePort.status).toBe(1);
    expect(servicePort.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: DENIED');
    // matrix --services lists the address it reaches, and the one it does not.
    const matrix = runCli(['matrix', '--services', '-o', 'connlist', tempTree(files)]);
    expect(matrix.stdout).toBe('shop/web[Pod] => shop/db[Service] TCP 5432 : 10.1.2.3 TCP 15432 (only 1 of 2 backends; denied: 10.4.5.6)\n');
    const json = JSON.parse(runCli(['matrix', '--services', '-o', 'json', tempTree(files)]).stdout) as { rows: { backends: unknown[] }[] };
    expect(json.rows[0]!.backends).toEqual([
      { workload: null, address: '10.4.5.6', protocol: 'TCP', targetPort: 15432, allowed: false, possiblyAllowed: false },
      { workload: null, address: '10.1.2.3', protocol: 'TCP', targetPort: 15432, allowed: true, possiblyAllowed: true },
    ]);
  });

  it('judges an IPv6 endpoint although no policy names an IPv6 range', () => {
    const v6 = slice.replace('addressType: IPv4', 'addressType: IPv6').replace('- addresses: ["10.4.5.6"]\n  - addresses: ["10.1.2.3"]\n', '- addresses: ["2001:db8::5"]\n');
    const files = (rule: string) => ({ 'app.yaml': `${web}---\n${db}---\n${v6}`, 'p.yaml': egress(dns, rule) });
    const v4Only = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree(files(to('0.0.0.0/0', 15432)))]);
    expect(v4Only.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: DENIED');
    expect(v4Only.stdout).toContain("hop 3: shop/web[Pod] => 2001:db8::5 on TCP 15432 (an address outside the cluster's workloads: ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff): DENIED");
    const v6Too = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree(files(to('"::/0"', 15432)))]);
    expect(v6Too.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: ALLOWED');
  });

  it('gives no endpoint for a port its EndpointSlice does not name, and none for not-ready endpoints', () => {
    const other = slice.replace('name: ""', 'name: metrics').replace('- addresses: ["10.1.2.3"]', '- addresses: ["10.1.2.3"]\n    conditions: {ready: false}');
    const run = runCli(['explain', 'shop/web', 'svc/shop/db:5432', tempTree({ 'app.yaml': `${web}---\n${db}---\n${other}`, 'p.yaml': egress(dns) })]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('shop/web[Pod] => Service shop/db port 5432/TCP: DENIED');
    expect(lines[2]).toBe('hop 2: Service shop/db port 5432/TCP -> DNAT to the endpoint port: no endpoints');
    expect(lines[3]).toBe('    the Service has no selector, and EndpointSlice shop/db-1 gives no ready endpoint for port (unnamed) TCP');
  });
});

describe('explain through an ExternalName Service', () => {
  const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
  const ext = (ports = '[{port: 443}]') =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: shop}\nspec: {type: ExternalName, externalName: api.example.com, ports: ${ports}}\n`;
  const dns = '{to: [{namespaceSelector: {}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}';
  const egress = (...rules: string[]) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-egress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: [${rules.join(', ')}]\n`;
  const to = (cidr: string, port: number) => `{to: [{ipBlock: {cidr: ${cidr}}}], ports: [{port: ${port}}]}`;
  const explainExt = (files: Record<string, string>, query = 'svc/shop/ext:443') => runCli(['explain', 'shop/web', query, tempTree(files)]);

  it('follows the CNAME out of the cluster: no endpoints, no DNAT, the egress toward every outside address decides', () => {
    const run = explainExt({ 'app.yaml': web + '---\n' + ext(), 'p.yaml': egress(dns, to('0.0.0.0/0', 443)) });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('shop/web[Pod] => Service shop/ext port 443/TCP: ALLOWED');
    expect(lines[1]).toMatch(/^hop 1: shop\/web\[Pod\] resolves ext\.shop\.svc through cluster DNS \(\{cluster-dns\}\): ALLOWED/);
    expect(lines[2]).toBe(
      'hop 2: Service shop/ext is ExternalName: cluster DNS answers with a CNAME to api.example.com; no proxying and no DNAT: the client connects to an address api.example.com resolves to, outside the manifests, on TCP 443',
    );
    expect(lines[3]).toBe('hop 3: shop/web[Pod] => api.example.com on TCP 443: ALLOWED: allowed to every address outside the cluster');
    expect(run.stdout).not.toContain('no endpoints');
  });

  it('allows it from a workload not isolated for egress', () => {
    const run = explainExt({ 'app.yaml': web + '---\n' + ext() });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('hop 3: shop/web[Pod] => api.example.com on TCP 443: ALLOWED: allowed to every address outside the cluster');
  });

  it('denies it when the egress allows no outside address on the port, or blocks cluster DNS', () => {
    const port = explainExt({ 'app.yaml': web + '---\n' + ext(), 'p.yaml': egress(dns, to('0.0.0.0/0', 80)) });
    expect(port.status).toBe(1);
    expect(port.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/ext port 443/TCP: DENIED');
    expect(port.stdout).toContain('hop 3: shop/web[Pod] => api.example.com on TCP 443: DENIED: allowed to no address outside the cluster');
    const noDns = explainExt({ 'app.yaml': web + '---\n' + ext(), 'p.yaml': egress(to('0.0.0.0/0', 443)) });
    expect(noDns.status).toBe(1);
    expect(noDns.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/ext port 443/TCP: DENIED');
    expect(noDns.stdout).toMatch(/hop 1: .*: DENIED/);
  });

  it('does not call allowed what holds only for some addresses, which kubereach cannot know', () => {
    const run = explainExt({ 'app.yaml': web + '---\n' + ext(), 'p.yaml': egress(dns, to('10.0.0.0/8', 443)) });
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/ext port 443/TCP: UNKNOWN');
    expect(run.stdout).toContain(
      'hop 3: shop/web[Pod] => api.example.com on TCP 443: UNKNOWN: allowed only if api.example.com resolves into 10.0.0.0-10.255.255.255',
    );
  });

  it('says when the CNAME names a Service of the cluster, which it does not follow', () => {
    const inCluster = ext().replace('api.example.com', 'db.data.svc.cluster.local');
    const run = explainExt({ 'app.yaml': web + '---\n' + inCluster });
    expect(run.stdout).toContain(
      '    db.data.svc.cluster.local looks like a Service of the cluster: kubereach does not follow it, and judges it as an address outside the cluster',
    );
  });

  it('takes the port the client connects to, which an ExternalName Service need not declare', () => {
    const files = { 'app.yaml': web + '---\n' + ext('[]'), 'p.yaml': egress(dns, to('0.0.0.0/0', 5432)) };
    const run = explainExt(files, 'svc/shop/ext:5432');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('shop/web[Pod] => Service shop/ext port 5432/TCP: ALLOWED');
    const none = explainExt(files, 'svc/shop/ext');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Service shop/ext is ExternalName and declares no port: give the port the client connects to (svc/shop/ext:<port>)');
  });
});

describe('explain internet ingress/<name>', () => {
  it('follows the controller, each route, its Service and backends', () => {
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', 'examples']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'hop 1: internet => ingress controller ingress-nginx/ingress-nginx-controller[Deployment]: ALLOWED: LoadBalancer Service ingress-nginx/ingress-nginx-controller port 80 -> TCP 80',
    );
    expect(run.stdout).toContain('  hop 2: Service shop/frontend port 80/TCP -> DNAT to targetPort http: shop/frontend[Deployment] TCP 8080');
    expect(run.stdout).toContain('  hop 3: ingress-nginx/ingress-nginx-controller[Deployment] => shop/api[Deployment] on TCP 8080: ALLOWED');
  });

  it('names the failing route with a virtual controller', () => {
    const run = runCli(['explain', 'internet', 'ingress/shop/site', 'test/fixtures-services/virtual-controller']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('hop 1: internet => ingress controller {ingress-controller}: ALLOWED: not in the input: assumed reachable from outside');
    // admin admits namespace ingress-nginx only: the controller may run there, or not.
    expect(run.stdout).toContain(
      '  hop 3: {ingress-controller} => shop/admin[Deployment] on TCP 9000: UNKNOWN: allowed only for some placements, depending on the namespace and labels of {ingress-controller}, which the input does not give',
    );
    expect(run.stdout).toContain(
      '      ingress of shop/admin[Deployment]: decided by tier NetworkPolicy (TCP 9000 may be allowed on this side, depending on the namespace and labels of {ingress-controller}, which the input does not give)',
    );
    expect(run.stdout).toContain('        NetworkPolicy: shop/admin ingress rule 1 allows TCP 9000, if its peer matches {ingress-controller} at ');
  });

  it('agrees with exposure: a controller that admits no outside client carries no route from outside', () => {
    const fixture = 'test/fixtures-services/controller-deny-all';
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', fixture]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'hop 1: internet => ingress controller ingress-nginx/ingress-nginx-controller[Deployment]: DENIED: its Services admit no outside client',
    );
    expect(run.stdout).toContain('  via ingress-nginx/ingress-nginx-controller[Deployment]: DENIED');
    const exposure = JSON.parse(runCli(['exposure', fixture, '-o', 'json']).stdout) as { external: unknown[] };
    expect(exposure.external).toEqual([]);
  });

  it('denies hop 1 to a controller without a Service whose policies admit no address outside the cluster', () => {
    const folder = tempTree({
      'nginx.yaml': readFileSync(join(repoRoot, 'test/fixtures-services/controller-deny-all/app.yaml'), 'utf8').replace(/apiVersion: v1\nkind: Service\nmetadata: \{name: ingress-nginx-controller[^]*?---\n/, ''),
    });
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', folder]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'hop 1: internet => ingress controller ingress-nginx/ingress-nginx-controller[Deployment]: DENIED: no NodePort or LoadBalancer Service selects it in the input, and its policies admit no address outside the cluster',
    );
    expect(runCli(['exposure', folder, '--no-color']).stdout).toContain('  nothing: ');
  });

  it('follows only the controller of the Ingress class, named by its IngressClass object', () => {
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', 'test/fixtures-services/two-controllers']);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('internet => Ingress shop/storefront (class nginx)');
    expect(lines[1]).toBe('  served by ingress-nginx/ingress-nginx-controller[Deployment]: IngressClass nginx names controller k8s.io/ingress-nginx');
    expect(run.stdout).toContain('  via ingress-nginx/ingress-nginx-controller[Deployment]: DENIED');
    expect(run.stdout).not.toContain('traefik/traefik[Deployment]');
    expect(run.stdout).not.toContain('UNKNOWN');
  });

  it('says UNKNOWN when the controllers disagree and the class names no IngressClass object of the input', () => {
    const app = readFileSync(join(repoRoot, 'test/fixtures-services/two-controllers/app.yaml'), 'utf8');
    // The fixture without its IngressClass objects: class nginx is then only a name.
    const withoutClasses = app
      .split('\n---\n')
      .filter((document) => !document.includes('kind: IngressClass'))
      .join('\n---\n');
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', tempTree({ 'app.yaml': withoutClasses })]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe(
      '  served by one of 2 ingress controllers: kubereach cannot tell which serves class nginx (no IngressClass nginx is in the input); each is followed',
    );
    expect(run.stdout).toContain('\nroute */\n  UNKNOWN: allowed through traefik/traefik[Deployment] only, and which controller serves the Ingress is not known\n');
  });

  it('takes the default IngressClass for an Ingress without a class', () => {
    const app = readFileSync(join(repoRoot, 'test/fixtures-services/two-controllers/app.yaml'), 'utf8')
      .replace('  ingressClassName: nginx\n', '')
      .replace('metadata: {name: traefik}\nspec: {controller', 'metadata: {name: traefik, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}\nspec: {controller');
    const folder = tempTree({ 'app.yaml': app });
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', folder]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'internet => Ingress shop/storefront (class traefik)',
      '  served by traefik/traefik[Deployment]: IngressClass traefik (the default IngressClass) names controller traefik.io/ingress-controller',
    ]);
    const exposure = runCli(['exposure', folder, '--no-color']).stdout;
    expect(exposure).toContain('    from every client of the ingress controller traefik/traefik[Deployment]\n');
  });

  it('says nothing of classes with one controller', () => {
    const run = runCli(['explain', 'internet', 'ingress/shop/storefront', 'examples']);
    expect(run.stdout).not.toContain('served by one of');
    expect(run.stdout).not.toContain('UNKNOWN');
  });

  it('wants internet as the source', () => {
    expect(runCli(['explain', 'shop/frontend', 'ingress/storefront', 'examples']).status).toBe(2);
  });
});

describe('matrix --services and exposure', () => {
  it('writes a table and JSON, and refuses formats it does not write', () => {
    const table = runCli(['matrix', 'test/fixtures-services/partial-backends', '--services']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CLIENT\s+SERVICE PORT\s+REACHES \(PORT AFTER DNAT\)$/);
    expect(table.stdout).toContain('1 client/Service port pairs with some reachable backend, 1 of them partial');
    const json = JSON.parse(runCli(['matrix', 'test/fixtures-services/partial-backends', '--services', '-o', 'json']).stdout) as {
      schema: string;
      rows: { reachable: string; backends: { workload: string; targetPort: number; allowed: boolean; possiblyAllowed: boolean }[] }[];
    };
    expect(json.schema).toBe('kubereach.dev/services/v1');
    expect(json.rows[0]!.reachable).toBe('some');
    expect(json.rows[0]!.backends).toEqual([
      { workload: 'shop/api-v1[Deployment]', address: null, protocol: 'TCP', targetPort: 8080, allowed: true, possiblyAllowed: true },
      { workload: 'shop/api-v2[Deployment]', address: null, protocol: 'TCP', targetPort: 8081, allowed: false, possiblyAllowed: false },
    ]);
    expect(runCli(['matrix', 'examples', '--services', '-o', 'dot']).status).toBe(2);
  });

  it('reads ingressControllers and clusterDns from .kubereach.yaml', () => {
    const folder = tempTree({
      '.kubereach.yaml': 'clusterDns: {namespace: dns, selector: {app: unbound}}\ningressControllers:\n  - {namespace: edge, selector: {app: envoy}}\n',
      'app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\n',
    });
    const json = JSON.parse(runCli(['exposure', folder, '-o', 'json']).stdout) as { ingressControllers: string[]; clusterDns: string[] };
    expect(json.ingressControllers).toEqual(['{ingress-controller}']);
    expect(json.clusterDns).toEqual(['{cluster-dns}']);
    // Both settings are read without a config error (one would name the file and exit 2).
    const lint = runCli(['lint', folder, '-f', 'compact']);
    expect(lint.stderr).not.toContain('.kubereach.yaml:');
    expect(lint.status).not.toBe(2);
  });
});

describe('exposure: what each workload admits from other namespaces', () => {
  const deployment = (namespace: string, name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: x}]}\n`;
  // api admits every pod of every namespace on 80, and prom on 9100 as well.
  const policy = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - {from: [{namespaceSelector: {}}], ports: [{port: 80}]}\n  - {from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}, podSelector: {matchLabels: {app: prom}}}], ports: [{port: 9100}]}\n`;

  it('lists only the workloads admitted otherwise than any pod of another namespace, and counts the others', () => {
    const web = ['a', 'b', 'c', 'd', 'e', 'f'];
    const files = { 'app.yaml': [deployment('shop', 'api'), deployment('mon', 'prom'), ...web.map((name) => deployment('web', name))].join('---\n'), 'p.yaml': policy };
    const text = runCli(['exposure', tempTree(files)]).stdout;
    expect(text).toContain(
      '  shop/api[Deployment]: isolated for ingress\n    mon/prom[Deployment]: TCP 80,9100\n    any pod of another namespace: TCP 80 (as are 6 workloads of other namespaces in the input, not listed); UNKNOWN, depending on its namespace and labels: TCP 9100\n',
    );
    // JSON keeps every workload admitted anything.
    const json = JSON.parse(runCli(['exposure', tempTree(files), '-o', 'json']).stdout) as { crossNamespace: { workload: string; from: { source: string }[] }[] };
    expect(json.crossNamespace.find((a) => a.workload === 'shop/api[Deployment]')!.from.map((f) => f.source)).toEqual([
      'mon/prom[Deployment]',
      ...web.map((name) => `web/${name}[Deployment]`),
    ]);
    // A few are listed by name, as before.
    const few = { ...files, 'app.yaml': [deployment('shop', 'api'), deployment('mon', 'prom'), ...web.slice(0, 5).map((name) => deployment('web', name))].join('---\n') };
    expect(runCli(['exposure', tempTree(few)]).stdout).toContain('    web/e[Deployment]: TCP 80\n    any pod of another namespace: TCP 80; UNKNOWN');
  });
});
