import rule from './port-not-served.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';
import { spanOf } from './testing/text-span.js';

const workloads = documents(
  workload('api', { ports: '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9102}]' }),
  workload('dns', { labels: { role: 'infra' }, ports: '[{name: dns, containerPort: 53, protocol: UDP}]' }),
  workload('cache', { labels: { role: 'infra' }, ports: '[{containerPort: 6379}]' }),
  workload('bare'),
  workload('client'),
);
const ingress = (selector: string, ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in, namespace: shop}
spec:
  podSelector: {matchLabels: {${selector}}}
  ingress:
    - ports:
${ports}`;
const egress = (to: string, ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
    - to: ${to}
      ports:
${ports}`;

const servicePort = ingress('app: api', '        - port: 80\n');
const wrongProtocol = ingress('role: infra', '        - port: 53\n        - port: dns\n');
const belowRange = ingress('app: api', '        - {port: 8000, endPort: 8079}\n');
const namedOnBare = ingress('app: bare', '        - port: http\n        - port: 80\n');
const egressNamed = egress('[{podSelector: {matchLabels: {role: infra}}}]', '        - port: http\n        - port: 6379\n        - port: 9999\n');

ruleTester(rule, {
  valid: [
    { name: 'a number a container exposes', code: { 'w.yaml': workloads, 'p.yaml': ingress('app: api', '        - port: 8080\n') } },
    { name: 'a range around an exposed port', code: { 'w.yaml': workloads, 'p.yaml': ingress('app: api', '        - {port: 8000, endPort: 8100}\n') } },
    { name: 'a named port with its protocol', code: { 'w.yaml': workloads, 'p.yaml': ingress('role: infra', '        - {port: dns, protocol: UDP}\n') } },
    { name: 'one destination serving is enough', code: { 'w.yaml': workloads, 'p.yaml': ingress('role: infra', '        - port: 6379\n') } },
    { name: 'a destination without declared ports may listen on any number', code: { 'w.yaml': workloads, 'p.yaml': ingress('app: bare', '        - port: 80\n') } },
    { name: 'a protocol without a port is not a port', code: { 'w.yaml': workloads, 'p.yaml': ingress('app: api', '        - protocol: UDP\n') } },
    { name: 'a policy that selects nothing is policy-selects-nothing business', code: { 'w.yaml': workloads, 'p.yaml': ingress('app: nobody', '        - port: 80\n') } },
    {
      name: 'an egress rule with an ipBlock may serve the number outside the cluster',
      code: { 'w.yaml': workloads, 'p.yaml': egress('[{podSelector: {matchLabels: {app: api}}}, {ipBlock: {cidr: 203.0.113.0/24}}]', '        - port: 443\n') },
    },
    {
      name: 'ports in a direction the policy does not have',
      code: { 'w.yaml': workloads, 'p.yaml': egress('[{podSelector: {matchLabels: {app: api}}}]', '        - port: 443\n').replace('[Egress]', '[Ingress]') },
    },
  ],
  invalid: [
    {
      name: 'the Service port instead of the container port',
      code: { 'w.yaml': workloads, 'p.yaml': servicePort },
      errors: [
        {
          messageId: 'numberNotServed',
          message: 'TCP 80 in shop/in spec.ingress[0] is not served: no container of shop/api[Deployment] exposes it (declared: TCP 8080 and TCP 9102)',
          file: 'p.yaml',
          ...spanOf(servicePort, 'port: 80'),
        },
      ],
    },
    {
      name: 'the protocol defaults to TCP, for numbers and names',
      code: { 'w.yaml': workloads, 'p.yaml': wrongProtocol },
      errors: [
        {
          messageId: 'numberNotServed',
          message:
            'TCP 53 in shop/in spec.ingress[0] is not served: no container of shop/cache[Deployment] and shop/dns[Deployment] exposes it (declared: TCP 6379 and UDP 53)',
          file: 'p.yaml',
          ...spanOf(wrongProtocol, 'port: 53'),
        },
        {
          messageId: 'nameNotServed',
          message:
            'named port dns in shop/in spec.ingress[0] matches nothing: no container of shop/cache[Deployment] and shop/dns[Deployment] has a TCP port named dns (named ports: dns (UDP 53))',
          file: 'p.yaml',
          ...spanOf(wrongProtocol, 'port: dns'),
        },
      ],
    },
    {
      name: 'a range that misses the exposed port',
      code: { 'w.yaml': workloads, 'p.yaml': belowRange },
      errors: [{ messageId: 'numberNotServed', file: 'p.yaml', ...spanOf(belowRange, '{port: 8000, endPort: 8079}') }],
    },
    {
      name: 'without declared ports there are no named ports; numbers are checked only on request',
      code: { 'w.yaml': workloads, 'p.yaml': namedOnBare },
      errors: [
        {
          messageId: 'nameNotServed',
          message: 'named port http in shop/in spec.ingress[0] matches nothing: no container of shop/bare[Deployment] has a TCP port named http (named ports: none)',
          file: 'p.yaml',
          ...spanOf(namedOnBare, 'port: http'),
        },
      ],
    },
    {
      name: 'requireDeclaredPorts checks numbers on workloads that declare none',
      code: { 'w.yaml': workloads, 'p.yaml': namedOnBare },
      options: { requireDeclaredPorts: true },
      errors: [
        { messageId: 'nameNotServed', file: 'p.yaml', ...spanOf(namedOnBare, 'port: http') },
        {
          messageId: 'numberNotServed',
          message: 'TCP 80 in shop/in spec.ingress[0] is not served: no container of shop/bare[Deployment] exposes it (declared: none)',
          file: 'p.yaml',
          ...spanOf(namedOnBare, 'port: 80'),
        },
      ],
    },
    {
      name: 'egress ports are checked on the peer pods',
      code: { 'w.yaml': workloads, 'p.yaml': egressNamed },
      errors: [
        {
          messageId: 'nameNotServed',
          message:
            'named port http in shop/out spec.egress[0] matches nothing: no container of shop/cache[Deployment] and shop/dns[Deployment] has a TCP port named http (named ports: dns (UDP 53))',
          file: 'p.yaml',
          ...spanOf(egressNamed, 'port: http'),
        },
        { messageId: 'numberNotServed', file: 'p.yaml', ...spanOf(egressNamed, 'port: 9999') },
      ],
    },
  ],
});
