import rule from './service-unreachable.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';

const app = documents(
  workload('api', { ports: '[{name: http, containerPort: 8080}]' }),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - {port: 80, targetPort: 8080}
`,
);
const policy = (ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  ingress: ${ingress}
`;

ruleTester(rule, {
  valid: [
    { name: 'not isolated', code: { 'app.yaml': app } },
    { name: 'some pod admitted', code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{podSelector: {}}], ports: [{port: 8080}]}]') } },
    { name: 'an outside range admitted', code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]') } },
    { name: 'a pod the input does not hold, from any namespace', code: { 'app.yaml': app, 'p.yaml': policy('[{from: [{namespaceSelector: {}}]}]') } },
  ],
  invalid: [
    {
      name: 'deny all',
      code: { 'app.yaml': app, 'p.yaml': policy('[]') },
      errors: [
        {
          messageId: 'unreachable',
          message: 'no client can reach port TCP 80 of Service shop/api: no ingress rule of shop/api[Deployment] allows TCP 8080',
          file: 'app.yaml',
          line: 16,
          column: 30,
          endLine: 16,
          endColumn: 34,
        },
      ],
    },
    {
      name: 'the only rule allows the Service port',
      code: { 'app.yaml': app, 'p.yaml': policy('[{ports: [{port: 80}]}]') },
      errors: [{ messageId: 'unreachable', file: 'app.yaml', line: 16, column: 30, endLine: 16, endColumn: 34 }],
    },
  ],
});
