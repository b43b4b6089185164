import rule from './policy-uses-service-port.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';

const app = documents(
  workload('api', { ports: '[{name: http, containerPort: 8080}]' }),
  workload('web'),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: 8080}
`,
);
const ingressPolicy = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from:
        - podSelector: {matchLabels: {app: web}}
      ports:
${ports}`;
const egressPolicy = (peer: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to:
        - ${peer}
      ports:
        - port: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'the targetPort', code: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - port: 8080\n') } },
    { name: 'the named port', code: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - port: http\n') } },
    { name: 'both ports: the path works', code: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - port: 80\n        - port: 8080\n') } },
    { name: 'another protocol', code: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - {protocol: UDP, port: 80}\n') } },
    { name: 'egress to everyone on 80 may mean outside web servers', code: { 'app.yaml': app, 'p.yaml': egressPolicy('ipBlock: {cidr: 0.0.0.0/0}') } },
    {
      name: 'a backend that also listens on the Service port',
      code: { 'app.yaml': app.replace('[{name: http, containerPort: 8080}]', '[{name: http, containerPort: 8080}, {containerPort: 80}]'), 'p.yaml': ingressPolicy('        - port: 80\n') },
    },
  ],
  invalid: [
    {
      name: 'ingress rule allowing the Service port (the example shop mistake)',
      code: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - port: 80\n') },
      errors: [
        {
          messageId: 'servicePort',
          message:
            'shop/api spec.ingress[0] allows TCP 80, the port of Service shop/api; policies see the traffic after DNAT, on targetPort 8080 of shop/api[Deployment], which the rule does not allow',
          file: 'p.yaml',
          line: 10,
          column: 17,
          endLine: 10,
          endColumn: 19,
        },
      ],
      output: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - port: 8080\n') },
    },
    {
      name: 'a range holding the Service port: no fix',
      code: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - {port: 80, endPort: 90}\n') },
      errors: [{ messageId: 'servicePort', file: 'p.yaml', line: 10, column: 18, endLine: 10, endColumn: 20 }],
      output: { 'app.yaml': app, 'p.yaml': ingressPolicy('        - {port: 80, endPort: 90}\n') },
    },
    {
      name: 'egress rule naming the backend pods',
      code: { 'app.yaml': app, 'p.yaml': egressPolicy('podSelector: {matchLabels: {app: api}}') },
      errors: [{ messageId: 'servicePort', file: 'p.yaml', line: 11, column: 17, endLine: 11, endColumn: 19 }],
      output: { 'app.yaml': app, 'p.yaml': egressPolicy('podSelector: {matchLabels: {app: api}}').replace('port: 80', 'port: 8080') },
    },
  ],
});
