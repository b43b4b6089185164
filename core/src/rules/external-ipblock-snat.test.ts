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
/** A Calico GlobalNetworkPolicy admitting api from `source` (its presence makes the analysis follow Calico). */
const calico = (source: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: office}
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress:
    - action: Allow
      source: ${source}
    - action: Deny
`;

ruleTester(rule, {
  valid: [
    { name: 'externalTrafficPolicy Local keeps the client address', code: { 'app.yaml': app('  type: LoadBalancer\n  externalTrafficPolicy: Local\n'), 'p.yaml': policy(office) } },
    { name: 'a ClusterIP Service is not reached from outside', code: { 'app.yaml': app(''), 'p.yaml': policy(office) } },
    { name: 'the whole address space still admits the node', code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('ipBlock: {cidr: 0.0.0.0/0}') } },
    { name: 'a pod peer', code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('podSelector: {}') } },
    { name: 'Calico nets behind externalTrafficPolicy Local', code: { 'app.yaml': app('  type: LoadBalancer\n  externalTrafficPolicy: Local\n'), 'p.yaml': calico('{nets: [198.51.100.0/24]}') } },
    { name: 'Calico nets of the whole address space', code: { 'app.yaml': app('  type: LoadBalancer\n'), 'p.yaml': calico('{nets: [0.0.0.0/0]}') } },
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
    {
      name: 'Calico nets behind a Cluster LoadBalancer: the same SNAT',
      code: { 'app.yaml': app('  type: LoadBalancer\n'), 'p.yaml': calico('{nets: [198.51.100.0/24]}') },
      errors: [
        {
          messageId: 'snatNets',
          message:
            'nets 198.51.100.0/24 in GlobalNetworkPolicy/office spec.ingress[0] cannot see outside clients of Service shop/api (LoadBalancer, externalTrafficPolicy Cluster): their traffic reaches shop/api[Deployment] from a node address after SNAT',
          file: 'p.yaml',
          line: 9,
          column: 22,
          endLine: 9,
          endColumn: 39,
        },
      ],
    },
    {
      name: 'Calico notNets behind a NodePort',
      code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': calico('{notNets: [10.0.0.0/8]}') },
      errors: [
        {
          messageId: 'snatNets',
          message:
            'notNets 10.0.0.0/8 in GlobalNetworkPolicy/office spec.ingress[0] cannot see outside clients of Service shop/api (NodePort, externalTrafficPolicy Cluster): their traffic reaches shop/api[Deployment] from a node address after SNAT',
          file: 'p.yaml',
          line: 9,
          column: 25,
          endLine: 9,
          endColumn: 37,
        },
      ],
    },
  ],
});
