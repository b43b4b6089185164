import rule from './unintended-exposure.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { pluginAgent } from './testing/admin-manifests.js';
import { documents, namespace, workload } from './testing/manifests.js';

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
const nginx = documents(
  namespace('ingress-nginx'),
  workload('ingress-nginx-controller', { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } }),
);
const nginxLoadBalancer = `apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  type: LoadBalancer
  selector: {app: ingress-nginx-controller}
  ports: [{port: 80}]
`;
const denyAll = (namespace: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: ${namespace}}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`;
const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  defaultBackend:
    service: {name: api, port: {number: 80}}
`;
const policy = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [${from}]
`;

/** An AdminNetworkPolicy on shop's ingress; `rules` are YAML list items indented by four spaces. */
const anp = (rules: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
${rules}`;
const allowAllPods = anp('    - {name: pods, action: Allow, from: [{namespaces: {}}]}\n');
const calicoOutside = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: outside}
spec:
  order: 10
  selector: app == 'api'
  types: [Ingress]
  ingress: [{action: Allow, source: {nets: [0.0.0.0/0]}}, {action: Pass}]
`;

ruleTester(rule, {
  valid: [
    // A Calico tier admits outside clients before the NetworkPolicies: the workload does not admit only pods.
    {
      name: 'NodePort on a workload whose pod-only NetworkPolicy follows a Calico policy admitting outside ranges',
      code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('{podSelector: {}}'), 'gnp.yaml': calicoOutside, 'cni.yaml': pluginAgent('calico-node') },
    },
    // The admin tier denies the pods the NetworkPolicy admits: nobody is admitted (service-unreachable's case).
    {
      name: 'NodePort on a workload whose pod-only NetworkPolicy an AdminNetworkPolicy overrides with a deny',
      code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('{podSelector: {}}'), 'anp.yaml': anp('    - {name: pods, action: Deny, from: [{namespaces: {}}]}\n') },
    },
    {
      name: "Ingress whose controller an AdminNetworkPolicy admits by its namespace's name",
      code: {
        'app.yaml': app(''),
        'nginx.yaml': nginx,
        'ing.yaml': ingress,
        'deny.yaml': denyAll('shop'),
        'anp.yaml': anp('    - {name: nginx, action: Allow, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}\n'),
      },
    },
    { name: 'ClusterIP with pod-only policies', code: { 'app.yaml': app(''), 'p.yaml': policy('{podSelector: {}}') } },
    { name: 'NodePort on a workload admitting outside ranges', code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('{ipBlock: {cidr: 0.0.0.0/0}}') } },
    { name: 'NodePort on a workload no policy isolates', code: { 'app.yaml': app('  type: NodePort\n') } },
    {
      name: 'Ingress whose controller namespace is admitted by name',
      code: { 'app.yaml': app(''), 'nginx.yaml': nginx, 'ing.yaml': ingress, 'p.yaml': policy('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}') },
    },
    {
      // Nothing outside reaches the controller, so nothing outside reaches the backend through it.
      name: 'Ingress whose controller admits no outside client',
      code: { 'app.yaml': app(''), 'nginx.yaml': nginx, 'edge.yaml': nginxLoadBalancer, 'deny.yaml': denyAll('ingress-nginx'), 'ing.yaml': ingress, 'p.yaml': policy('{namespaceSelector: {}}') },
    },
    // It admits nothing at all, not "only pods": service-unreachable names that.
    { name: 'NodePort on a workload that admits nothing', code: { 'app.yaml': app('  type: NodePort\n'), 'deny.yaml': denyAll('shop') } },
  ],
  invalid: [
    {
      // The NetworkPolicy isolates and admits nothing; the admin tier admits every pod before it, and no outside address.
      name: 'NodePort on a workload that an AdminNetworkPolicy opens to every pod',
      code: { 'app.yaml': app('  type: NodePort\n'), 'deny.yaml': denyAll('shop'), 'anp.yaml': allowAllPods },
      errors: [{ messageId: 'serviceType', file: 'app.yaml', line: 14, column: 9, endLine: 14, endColumn: 17 }],
    },
    {
      name: 'Ingress reaching a workload through an AdminNetworkPolicy admitting "any pod of any namespace"',
      code: { 'app.yaml': app(''), 'nginx.yaml': nginx, 'ing.yaml': ingress, 'deny.yaml': denyAll('shop'), 'anp.yaml': allowAllPods },
      errors: [{ messageId: 'ingress', file: 'ing.yaml', line: 6, column: 21, endLine: 6, endColumn: 24 }],
    },
    {
      name: 'NodePort on a workload that admits only pods',
      code: { 'app.yaml': app('  type: NodePort\n'), 'p.yaml': policy('{podSelector: {matchLabels: {app: web}}}') },
      errors: [
        {
          messageId: 'serviceType',
          message: 'Service shop/api of type NodePort publishes shop/api[Deployment] on TCP 80 outside the cluster, but their policies admit only pods of the cluster on it',
          file: 'app.yaml',
          line: 14,
          column: 9,
          endLine: 14,
          endColumn: 17,
        },
      ],
    },
    {
      name: 'Ingress reaching a workload through "any pod of any namespace"',
      code: { 'app.yaml': app(''), 'nginx.yaml': nginx, 'ing.yaml': ingress, 'p.yaml': policy('{namespaceSelector: {}}') },
      errors: [{ messageId: 'ingress', file: 'ing.yaml', line: 6, column: 21, endLine: 6, endColumn: 24 }],
    },
  ],
});
