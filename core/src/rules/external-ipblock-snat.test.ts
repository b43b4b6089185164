import rule from './external-ipblock-snat.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';

const app = (type: string) =>
  documents(
    workload('api', { ports: '[{name: http, containerPort: 8080}]' }),
    `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
${type}  selector: {app: api}
  ports:
    - {port: 80, targetPort: 8080}
`,
  );
const policy = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from:
        - ${from}
`;
const office = 'ipBlock: {cidr: 198.51.100.0/24}';

ruleTester(rule, {
  valid: [
    { name: 'externalTrafficPolicy Local keeps the client address', code: { 'app.yaml': app('  type: LoadBalancer\n  externalTrafficPolicy: Local\n'), 'p.yaml': policy(office) } },
    { name: 'a ClusterIP Service is not reached from outside', code: { 'app.yaml': app(''), 'p.yaml': policy(office) } },
    { name: 'the whole address space still admits the node', code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('ipBlock: {cidr: 0.0.0.0/0}') } },
    { name: 'a pod peer', code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('podSelector: {}') } },
  ],
  invalid: [
    {
      name: 'LoadBalancer with the default Cluster policy',
      code: { 'app.yaml': app('  type: LoadBalancer\n'), 'p.yaml': policy(office) },
      errors: [
        {
          messageId: 'snat',
          message:
            'ipBlock 198.51.100.0/24 in shop/api spec.ingress[0] cannot see outside clients of Service shop/api (LoadBalancer, externalTrafficPolicy Cluster): their traffic reaches shop/api[Deployment] from a node address after SNAT',
          file: 'p.yaml',
          line: 8,
          column: 11,
          endLine: 8,
          endColumn: 43,
        },
      ],
    },
    {
      name: 'NodePort with an explicit Cluster policy',
      code: { 'app.yaml': app('  type: NodePort\n  externalTrafficPolicy: Cluster\n'), 'p.yaml': policy(office) },
      errors: [{ messageId: 'snat', file: 'p.yaml', line: 8, column: 11, endLine: 8, endColumn: 43 }],
    },
  ],
});
