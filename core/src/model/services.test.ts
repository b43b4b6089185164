import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { resolveRules, parseConfig } from '../lint/config.js';
import { RULES } from '../rules/index.js';
import { buildServiceModel } from './services.js';

const pod = (name: string, labels: string, ports = '[]', namespace = 'shop') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}\nspec: {containers: [{name: c, image: x, ports: ${ports}}]}\n`;

function model(text: string, options = {}) {
  const analysis = analyze([{ path: 't.yaml', text }]);
  return buildServiceModel(analysis.load.objects, analysis.model, options);
}

describe('Services', () => {
  it('resolves a named targetPort per backend and per protocol, and a number as it is', () => {
    const services = model(
      [
        pod('a', '{app: x}', '[{name: dns, containerPort: 53, protocol: UDP}, {name: web, containerPort: 8080}]'),
        pod('b', '{app: x}', '[{name: web, containerPort: 9090}]'),
        'apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: shop}\nspec:\n  selector: {app: x}\n  ports: [{name: d, port: 53, protocol: UDP, targetPort: dns}, {name: w, port: 80, targetPort: web}, {name: num, port: 81, targetPort: 7000}]\n',
      ].join('---\n'),
    ).services;
    const [dns, web, number] = services[0]!.ports;
    expect(dns!.backends.map((b) => [b.workload.name, b.targetPort])).toEqual([['a', 53], ['b', undefined]]);
    expect(web!.backends.map((b) => [b.workload.name, b.targetPort])).toEqual([['a', 8080], ['b', 9090]]);
    expect(number!.backends.map((b) => b.targetPort)).toEqual([7000, 7000]);
  });

  it('records types: headless, ExternalName without endpoints, externalTrafficPolicy defaulting to Cluster', () => {
    const services = model(
      [
        pod('a', '{app: x}'),
        'apiVersion: v1\nkind: Service\nmetadata: {name: h, namespace: shop}\nspec: {clusterIP: None, selector: {app: x}, ports: [{port: 1}]}\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: e, namespace: shop}\nspec: {type: ExternalName, externalName: db.example.com, selector: {app: x}}\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: shop}\nspec: {type: NodePort, selector: {}, ports: [{port: 1, nodePort: 30001}]}\n',
      ].join('---\n'),
    ).services;
    const byName = new Map(services.map((s) => [s.name, s]));
    expect(byName.get('h')).toMatchObject({ headless: true, type: 'ClusterIP', externalTrafficPolicy: undefined });
    expect(byName.get('e')).toMatchObject({ selector: undefined, selected: [], externalName: 'db.example.com' });
    expect(byName.get('np')).toMatchObject({ selector: undefined, externalTrafficPolicy: 'Cluster' });
    expect(byName.get('np')!.ports[0]!.nodePort).toBe(30001);
  });
});

describe('Services without a selector: endpoints from EndpointSlices and Endpoints', () => {
  const service = (name: string, spec = 'ports: [{name: sql, port: 5432}, {name: metrics, port: 9100}]') =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {${spec}}\n`;
  const slice = (name: string, service: string, body: string, extraLabels = '') =>
    `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ${name}, namespace: shop, labels: {kubernetes.io/service-name: ${service}${extraLabels}}}\n${body}\n`;
  const addresses = (port: { addressBackends: readonly { text: string; targetPort: number }[] }) => port.addressBackends.map((b) => `${b.text}:${b.targetPort}`);

  it('takes each Service port from the endpoint port of its name and protocol, ready endpoints only, FQDN slices never', () => {
    const [db] = model(
      [
        service('db'),
        slice('db-a', 'db', 'addressType: IPv4\nports: [{name: sql, port: 15432}, {name: metrics, port: 9100, protocol: UDP}]\nendpoints:\n  - addresses: ["10.1.2.3"]\n  - addresses: ["10.1.2.4"]\n    conditions: {ready: false}'),
        slice('db-b', 'db', 'addressType: IPv6\nports: [{name: sql, port: 5432}]\nendpoints: [{addresses: ["2001:db8::1"]}]'),
        slice('db-c', 'db', 'addressType: FQDN\nports: [{name: sql, port: 5432}]\nendpoints: [{addresses: [db.example.com]}]'),
        // Another Service's slice.
        slice('other', 'cache', 'addressType: IPv4\nports: [{name: sql, port: 1}]\nendpoints: [{addresses: ["10.9.9.9"]}]'),
      ].join('---\n'),
    ).services;
    const [sql, metrics] = db!.ports;
    // The ready endpoint of db-a on its sql port, and db-b's IPv6 one; the not-ready and FQDN endpoints are no backends.
    expect(addresses(sql!)).toEqual(['10.1.2.3:15432', '2001:db8::1:5432']);
    // metrics is TCP; db-a names it for UDP only.
    expect(addresses(metrics!)).toEqual([]);
    expect(db!.endpointSources.map((s) => `${s.kind}/${s.name}`)).toEqual(['EndpointSlice/db-a', 'EndpointSlice/db-b', 'EndpointSlice/db-c']);
  });

  it('falls back, per port, to endpoints serving while terminating when none is ready, as kube-proxy does', () => {
    const [db] = model(
      [
        service('db'),
        // sql: one ready endpoint, so the terminating one is left out; metrics: none ready.
        slice(
          'db-a',
          'db',
          'addressType: IPv4\nports: [{name: sql, port: 15432}]\nendpoints:\n  - addresses: ["10.1.2.3"]\n  - addresses: ["10.1.2.4"]\n    conditions: {ready: false, serving: true, terminating: true}',
        ),
        slice(
          'db-b',
          'db',
          [
            'addressType: IPv4\nports: [{name: metrics, port: 9100}]\nendpoints:',
            // Serving defaults to true, terminating to false: the first is a fallback, the second and third are not.
            '  - addresses: ["10.1.3.1"]\n    conditions: {ready: false, terminating: true}',
            '  - addresses: ["10.1.3.2"]\n    conditions: {ready: false, serving: true}',
            '  - addresses: ["10.1.3.3"]\n    conditions: {ready: false, serving: false, terminating: true}',
          ].join('\n'),
        ),
      ].join('---\n'),
    ).services;
    const [sql, metrics] = db!.ports;
    expect(addresses(sql!)).toEqual(['10.1.2.3:15432']);
    expect(addresses(metrics!)).toEqual(['10.1.3.1:9100']);
  });

  it('reads the Endpoints of the Service name, which the control plane mirrors, unless skip-mirror says not to', () => {
    const endpoints = (name: string, labels = '{}') =>
      `apiVersion: v1\nkind: Endpoints\nmetadata: {name: ${name}, namespace: shop, labels: ${labels}}\nsubsets:\n  - addresses: [{ip: 192.0.2.10}]\n    notReadyAddresses: [{ip: 192.0.2.11}]\n    ports: [{port: 5432}]\n`;
    const services = model(
      [
        service('legacy', 'ports: [{port: 5432}]'),
        endpoints('legacy'),
        service('skipped', 'ports: [{port: 5432}]'),
        endpoints('skipped', '{endpointslice.kubernetes.io/skip-mirror: "true"}'),
      ].join('---\n'),
    ).services;
    const byName = new Map(services.map((s) => [s.name, s]));
    expect(addresses(byName.get('legacy')!.ports[0]!)).toEqual(['192.0.2.10:5432']);
    expect(byName.get('skipped')!.endpointSources).toEqual([]);
    expect(addresses(byName.get('skipped')!.ports[0]!)).toEqual([]);
  });

  it('makes an endpoint a workload backend when its targetRef names a Pod of the input or it is a pod status address', () => {
    const [legacy] = model(
      [
        pod('a', '{app: a}'),
        'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.0.0.7}\n',
        service('legacy', 'ports: [{port: 80}]'),
        slice('legacy-1', 'legacy', 'addressType: IPv4\nports: [{port: 8080}]\nendpoints:\n  - addresses: ["10.0.0.5"]\n    targetRef: {kind: Pod, name: a}\n  - addresses: ["10.0.0.7"]\n  - addresses: ["10.0.0.8"]'),
      ].join('---\n'),
    ).services;
    const port = legacy!.ports[0]!;
    expect(port.backends.map((b) => [b.workload.id, b.targetPort])).toEqual([['shop/a[Pod]', 8080], ['shop/b[Pod]', 8080]]);
    expect(addresses(port)).toEqual(['10.0.0.8:8080']);
    expect(legacy!.selected).toEqual([]);
  });

  it('leaves the slices of a Service with a selector, and of an ExternalName Service, alone', () => {
    const services = model(
      [
        pod('a', '{app: a}'),
        service('web', 'selector: {app: a}, ports: [{port: 80}]'),
        slice('web-1', 'web', 'addressType: IPv4\nports: [{port: 80}]\nendpoints: [{addresses: ["10.3.3.3"]}]'),
        service('ext', 'type: ExternalName, externalName: db.example.com, ports: [{port: 80}]'),
        slice('ext-1', 'ext', 'addressType: IPv4\nports: [{port: 80}]\nendpoints: [{addresses: ["10.3.3.4"]}]'),
      ].join('---\n'),
    ).services;
    for (const s of services) {
      expect(s.endpointSources).toEqual([]);
      expect(s.ports[0]!.addressBackends).toEqual([]);
    }
    expect(services.find((s) => s.name === 'web')!.ports[0]!.backends.map((b) => b.workload.name)).toEqual(['a']);
  });
});

describe('Ingresses', () => {
  it('resolves backends by port number or name, and the default backend', () => {
    const ingresses = model(
      [
        'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {selector: {app: x}, ports: [{name: http, port: 80}]}\n',
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: shop, annotations: {kubernetes.io/ingress.class: traefik}}\nspec:\n  defaultBackend: {service: {name: s, port: {name: http}}}\n  tls: [{hosts: [a.example.com]}]\n  rules:\n    - host: a.example.com\n      http: {paths: [{path: /x, pathType: Prefix, backend: {service: {name: s, port: {number: 81}}}}]}\n',
      ].join('---\n'),
    ).ingresses;
    const [ingress] = ingresses;
    expect(ingress).toMatchObject({ className: 'traefik', tlsHosts: ['a.example.com'] });
    expect(ingress!.routes.map((r) => [r.label, r.service?.id, r.servicePort?.port])).toEqual([
      ['(default backend)', 'shop/s', 80],
      ['a.example.com/x', 'shop/s', undefined],
    ]);
  });
});

describe('ingress controllers and cluster DNS', () => {
  it('recognises Traefik and CoreDNS by their labels', () => {
    const m = model([pod('traefik', '{app.kubernetes.io/name: traefik}', '[]', 'edge'), pod('coredns', '{k8s-app: kube-dns}', '[]', 'kube-system')].join('---\n'));
    expect(m.ingressController).toMatchObject({ source: 'recognised', virtual: undefined });
    expect(m.ingressController.workloads.map((w) => w.id)).toEqual(['edge/traefik[Pod]']);
    expect(m.clusterDns.workloads.map((w) => w.id)).toEqual(['kube-system/coredns[Pod]']);
  });

  it('falls back to virtual endpoints: an unknown controller, DNS with the kube-dns labels', () => {
    const m = model(pod('a', '{app: x}'));
    expect(m.ingressController.virtual).toMatchObject({ id: '{ingress-controller}', namespace: undefined, labels: undefined });
    expect(m.clusterDns.virtual).toMatchObject({ id: '{cluster-dns}', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } });
  });

  it('uses the configured namespace and selector, virtual when nothing matches', () => {
    const text = [pod('envoy', '{app: envoy}', '[]', 'edge')].join('---\n');
    expect(model(text, { ingressControllers: [{ namespace: 'edge', selector: { app: 'envoy' } }] }).ingressController).toMatchObject({ source: 'config' });
    const virtual = model(text, { clusterDns: { namespace: 'dns', selector: { app: 'unbound' } } }).clusterDns;
    expect(virtual).toMatchObject({ source: 'config', virtual: { namespace: 'dns', labels: { app: 'unbound' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'dns' } } });
  });
});

describe('the default namespace', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n';
  it('is the one the cluster model gave objects that name none', () => {
    const text = `${service}---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: api}}\nspec: {containers: [{name: c, image: x}]}\n`;
    const analysis = analyze([{ path: 't.yaml', text }], { defaultNamespace: 'team' });
    const { services } = buildServiceModel(analysis.load.objects, analysis.model);
    expect(services.map((s) => [s.id, s.selected.map((w) => w.id)])).toEqual([['team/api', ['team/a[Pod]']]]);
  });
  it('is the model\'s even when every workload names its namespace', () => {
    const analysis = analyze([{ path: 't.yaml', text: service }], { defaultNamespace: 'team' });
    expect(buildServiceModel(analysis.load.objects, analysis.model).services.map((s) => s.id)).toEqual(['team/api']);
  });
});

describe('.kubereach.yaml', () => {
  it('parses ingressControllers and clusterDns and hands them to the Service rules only', () => {
    const { config, issues } = parseConfig(
      { path: '.kubereach.yaml', text: 'ingressControllers:\n  - {namespace: edge, selector: {app: envoy}}\nclusterDns: {namespace: dns}\n' },
      RULES,
    );
    expect(issues).toEqual([]);
    expect(config.clusterDns).toEqual({ namespace: 'dns', selector: {} });
    const resolved = resolveRules(RULES, config);
    expect(resolved.find((r) => r.rule.meta.id === 'egress-blocks-dns')!.options).toEqual({
      ingressControllers: [{ namespace: 'edge', selector: { app: 'envoy' } }],
      clusterDns: { namespace: 'dns', selector: {} },
    });
    expect(resolved.find((r) => r.rule.meta.id === 'policy-selects-nothing')!.options).toEqual({});
  });

  it('reports a bad setting at its place', () => {
    const { issues } = parseConfig({ path: '.kubereach.yaml', text: 'clusterDns: {selector: {app: x}}\n' }, RULES);
    expect(issues.map((i) => i.code)).toEqual(['missing-field']);
  });
});
