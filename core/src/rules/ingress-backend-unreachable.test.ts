import rule from './ingress-backend-unreachable.js';
import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { documents, namespace, workload } from './testing/manifests.js';

const nginx = documents(
  namespace('ingress-nginx'),
  workload('ingress-nginx-controller', {
    namespace: 'ingress-nginx',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
  }),
);
const app = documents(
  workload('api', { ports: '[{name: http, containerPort: 8080}]' }),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: http}
`,
);
const ingress = (port: string, name = 'api') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            backend:
              service:
                name: ${name}
                port: ${port}
`;
const admit = (from: string, port = 'http') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [${from}]
      ports: [{port: ${port}}]
`;
const byNamespace = '{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}';
/** The Ingress of `ingress('{number: 80}')` with spec.ingressClassName (appended: the finding's line is unchanged). */
const ingressOfClass = (className: string) => `${ingress('{number: 80}')}  ingressClassName: ${className}\n`;
const annotated = (className: string) => ingress('{number: 80}').replace('namespace: shop}', `namespace: shop, annotations: {kubernetes.io/ingress.class: ${className}}}`);
const ingressClass = (name: string, controller: string, isDefault = false) => `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ${name}${isDefault ? ', annotations: {ingressclass.kubernetes.io/is-default-class: "true"}' : ''}}
spec: {controller: ${controller}}
`;
const classes = documents(ingressClass('nginx', 'k8s.io/ingress-nginx'), ingressClass('traefik', 'traefik.io/ingress-controller'));
const byTraefik = '{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: traefik}}}';
const traefik = documents(namespace('traefik'), workload('traefik', { namespace: 'traefik', labels: { 'app.kubernetes.io/name': 'traefik' } }));

ruleTester(rule, {
  valid: [
    { name: 'backends not isolated', code: { 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}') } },
    { name: 'controller namespace admitted on the named targetPort', code: { 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{name: http}'), 'p.yaml': admit(byNamespace) } },
    { name: 'virtual controller admitted by every namespace', code: { 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit('{namespaceSelector: {}}') } },
    {
      name: 'virtual controller admitted by a selector every namespace matches (kubernetes.io/metadata.name exists)',
      code: { 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit('{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: Exists}]}}') },
    },
    {
      name: 'configured controller outside the input',
      code: { 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: traefik}}}') },
      options: { ingressControllers: [{ namespace: 'traefik', selector: { app: 'traefik' } }] },
    },
    {
      // No class and no default IngressClass: which controller serves the Ingress is not known, and one reaching it may be the one.
      name: 'one of two controllers admitted, Ingress without a class',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'classes.yaml': classes, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit(byNamespace) },
    },
    {
      // A class name without an IngressClass object in the input: unknown.
      name: 'one of two controllers admitted, class without an IngressClass object',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'app.yaml': app, 'ing.yaml': ingressOfClass('traefik'), 'p.yaml': admit(byNamespace) },
    },
    {
      // An IngressClass whose controller kubereach does not recognise: unknown.
      name: 'one of two controllers admitted, class of an unrecognised controller',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'c.yaml': ingressClass('other', 'example.com/ingress'), 'app.yaml': app, 'ing.yaml': ingressOfClass('other'), 'p.yaml': admit(byNamespace) },
    },
    {
      // Two IngressClasses marked default: the admission controller refuses an Ingress without a class; kubereach leaves its class unknown.
      name: 'one of two controllers admitted, two default IngressClasses',
      code: {
        'nginx.yaml': nginx,
        'traefik.yaml': traefik,
        'c.yaml': documents(ingressClass('nginx', 'k8s.io/ingress-nginx', true), ingressClass('traefik', 'traefik.io/ingress-controller', true)),
        'app.yaml': app,
        'ing.yaml': ingress('{number: 80}'),
        'p.yaml': admit(byNamespace),
      },
    },
    {
      name: 'the controller of the IngressClass admitted',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'classes.yaml': classes, 'app.yaml': app, 'ing.yaml': ingressOfClass('nginx'), 'p.yaml': admit(byNamespace) },
    },
    {
      name: 'the deprecated annotation naming ingress-nginx\'s default class, ingress-nginx admitted',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'app.yaml': app, 'ing.yaml': annotated('nginx'), 'p.yaml': admit(byNamespace) },
    },
  ],
  invalid: [
    {
      name: 'the controller is not admitted',
      code: { 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit('{podSelector: {matchLabels: {app: web}}}') },
      errors: [
        {
          messageId: 'denied',
          message:
            'Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controller ingress-nginx/ingress-nginx-controller[Deployment] cannot reach shop/api[Deployment] on TCP 8080: no ingress rule of the backends admits it',
          file: 'ing.yaml',
          line: 12,
          column: 23,
          endLine: 12,
          endColumn: 26,
        },
      ],
    },
    {
      name: 'admitted on the Service port instead of the targetPort',
      code: { 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit(byNamespace, '80') },
      errors: [{ messageId: 'denied', file: 'ing.yaml', line: 12, column: 23, endLine: 12, endColumn: 26 }],
    },
    {
      name: 'virtual controller and a namespace-specific rule',
      code: { 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit(byNamespace) },
      errors: [{ messageId: 'denied', message: expectVirtual(), file: 'ing.yaml', line: 12, column: 23, endLine: 12, endColumn: 26 }],
    },
    {
      name: 'neither of two controllers admitted',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit('{podSelector: {matchLabels: {app: web}}}') },
      errors: [
        {
          messageId: 'denied',
          message:
            'Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controllers ingress-nginx/ingress-nginx-controller[Deployment] and traefik/traefik[Deployment] cannot reach shop/api[Deployment] on TCP 8080: no ingress rule of the backends admits it',
          file: 'ing.yaml',
          line: 12,
          column: 23,
          endLine: 12,
          endColumn: 26,
        },
      ],
    },
    {
      // spec.ingressClassName names IngressClass traefik (traefik.io/ingress-controller): ingress-nginx does not serve it.
      name: 'an Ingress of class traefik is not reached through ingress-nginx',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'classes.yaml': classes, 'app.yaml': app, 'ing.yaml': ingressOfClass('traefik'), 'p.yaml': admit(byNamespace) },
      errors: [
        {
          messageId: 'denied',
          message:
            'Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controller traefik/traefik[Deployment] cannot reach shop/api[Deployment] on TCP 8080: no ingress rule of the backends admits it',
          file: 'ing.yaml',
          line: 12,
          column: 23,
          endLine: 12,
          endColumn: 26,
        },
      ],
    },
    {
      // No class: the one IngressClass marked default is the Ingress's (the DefaultIngressClass admission plugin).
      name: 'an Ingress without a class gets the default IngressClass',
      code: {
        'nginx.yaml': nginx,
        'traefik.yaml': traefik,
        'c.yaml': documents(ingressClass('nginx', 'k8s.io/ingress-nginx'), ingressClass('traefik', 'traefik.io/ingress-controller', true)),
        'app.yaml': app,
        'ing.yaml': ingress('{number: 80}'),
        'p.yaml': admit(byNamespace),
      },
      errors: [{ messageId: 'denied', message: 'Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controller traefik/traefik[Deployment] cannot reach shop/api[Deployment] on TCP 8080: no ingress rule of the backends admits it', file: 'ing.yaml', line: 12, column: 23, endLine: 12, endColumn: 26 }],
    },
    {
      name: 'the deprecated annotation naming class nginx, only Traefik admitted',
      code: { 'nginx.yaml': nginx, 'traefik.yaml': traefik, 'app.yaml': app, 'ing.yaml': annotated('nginx'), 'p.yaml': admit(byTraefik) },
      errors: [{ messageId: 'denied', message: 'Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controller ingress-nginx/ingress-nginx-controller[Deployment] cannot reach shop/api[Deployment] on TCP 8080: no ingress rule of the backends admits it', file: 'ing.yaml', line: 12, column: 23, endLine: 12, endColumn: 26 }],
    },
    {
      name: 'missing Service',
      code: { 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}', 'apis') },
      errors: [{ messageId: 'serviceMissing', file: 'ing.yaml', line: 12, column: 23, endLine: 12, endColumn: 27 }],
    },
    {
      name: 'missing port',
      code: { 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 8080}') },
      errors: [
        {
          messageId: 'portMissing',
          message: 'Ingress shop/shop routes shop.example.com/api to port 8080 of Service shop/api, which has no such TCP port (ports: http (TCP 80))',
          file: 'ing.yaml',
          line: 13,
          column: 32,
          endLine: 13,
          endColumn: 36,
        },
      ],
    },
  ],
});

function expectVirtual(): string {
  return 'Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controller {ingress-controller} cannot reach shop/api[Deployment] on TCP 8080: no ingress rule admits it (the controller is not in the input: kubereach assumes only rules admitting every namespace reach it; set ingressControllers in .kubereach.yaml)';
}

describe('ingress-backend-unreachable related locations', () => {
  const related = (files: Record<string, string>) => runRule(rule, files).findings.flatMap((f) => [f.message, ...f.related.map((r) => `${r.location.file} ${r.message}`)]);
  const denied = (why: string) =>
    `Ingress shop/shop routes shop.example.com/api to Service shop/api port 80, but the ingress controller ingress-nginx/ingress-nginx-controller[Deployment] cannot reach shop/api[Deployment] on TCP 8080: ${why}`;

  it('points at a deny rule of an AdminNetworkPolicy, above NetworkPolicies that would admit the controller', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-edge}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
    - {name: edge, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}
`;
    expect(related({ 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit(byNamespace), 'anp.yaml': anp })).toEqual([
      denied('a rule of AdminNetworkPolicy/no-edge denies it'),
      'app.yaml shop/api[Deployment] receives the traffic on TCP 8080',
      'anp.yaml a rule of AdminNetworkPolicy/no-edge denies TCP 8080 to shop/api[Deployment]',
    ]);
  });

  it('points at a Calico deny rule, and at the NetworkPolicies isolating the backends', () => {
    const gnp = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: quarantine}
spec:
  order: 10
  selector: app == 'api'
  types: [Ingress]
  ingress: [{action: Deny, source: {namespaceSelector: projectcalico.org/name == 'ingress-nginx'}}]
`;
    expect(related({ 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit(byNamespace), 'gnp.yaml': gnp })).toEqual([
      denied('a rule of GlobalNetworkPolicy/quarantine denies it'),
      'app.yaml shop/api[Deployment] receives the traffic on TCP 8080',
      'gnp.yaml a rule of GlobalNetworkPolicy/quarantine denies TCP 8080 to shop/api[Deployment]',
    ]);
    expect(related({ 'nginx.yaml': nginx, 'app.yaml': app, 'ing.yaml': ingress('{number: 80}'), 'p.yaml': admit('{podSelector: {}}') })).toEqual([
      denied('no ingress rule of the backends admits it'),
      'app.yaml shop/api[Deployment] receives the traffic on TCP 8080',
      'p.yaml shop/api isolates shop/api[Deployment] for ingress',
    ]);
  });
});
