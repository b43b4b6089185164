import rule from './policy-uses-service-port.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, namespace, workload } from './testing/manifests.js';

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

/** An ingress policy of shop selecting every pod, from ingress-nginx, on these ports (flow YAML). */
const everyPodIngress = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]
      ports: ${ports}
`;
const batchEgress = (peers: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: batch}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: ${peers}
      ports: [{port: 80}]
`;
/** api behind its Service, www of namespace web listening on 80, and a job of batch. */
const cluster = documents(
  app,
  workload('www', { namespace: 'web', ports: '[{containerPort: 80}]' }),
  workload('job', { namespace: 'batch', kind: 'Pod' }),
);
const jsonPolicy = JSON.stringify({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web-ingress', namespace: 'shop' },
  spec: { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] },
});
const withFrontend = (ports: string) => documents(app, workload('frontend', { ports }));

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
    {
      name: 'a rule shared with a selected workload that listens on the port: it is not known to mean the Service port',
      code: { 'app.yaml': withFrontend('[{containerPort: 80}]'), 'p.yaml': everyPodIngress('[{port: 80}, {port: 8443}]') },
    },
    {
      name: 'a selected workload a Service reaches on the port, declared or not',
      code: {
        'app.yaml': withFrontend('[]'),
        's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: frontend, namespace: shop}\nspec: {selector: {app: frontend}, ports: [{port: 80}]}\n',
        'p.yaml': everyPodIngress('[{port: 80}]'),
      },
    },
    { name: 'egress to every pod of every namespace stands for many servers', code: { 'app.yaml': app, 'p.yaml': egressPolicy('namespaceSelector: {}') } },
    { name: 'egress to every namespace, whose workloads listen on 80', code: { 'app.yaml': cluster, 'p.yaml': batchEgress('[{namespaceSelector: {}}]') } },
    {
      name: 'egress naming the backend and addresses outside',
      code: { 'app.yaml': app, 'p.yaml': egressPolicy('podSelector: {matchLabels: {app: api}}\n        - ipBlock: {cidr: 10.0.0.0/8}') },
    },
    {
      name: 'egress to namespaces where another workload listens on the port',
      code: {
        'app.yaml': documents(cluster, workload('www', { ports: '[{containerPort: 80}]' }).replace('name: www', 'name: www2')),
        'p.yaml': batchEgress('[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]'),
      },
    },
  ],
  invalid: [
    {
      // The backend is a workload of the input: the peer's match is exact, and the tiers above do not change what it names.
      name: 'egress rule naming the backends by namespace labels, under an AdminNetworkPolicy allowing the targetPort',
      code: {
        'app.yaml': app,
        'p.yaml': egressPolicy(
          '{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [batch]}]}, podSelector: {matchLabels: {app: api}}}',
        ),
        'anp.yaml': `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: api}
spec:
  priority: 10
  subject: {namespaces: {}}
  egress:
    - {name: api, action: Allow, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}}], ports: [{portNumber: {port: 8080, protocol: TCP}}]}
`,
      },
      errors: [{ messageId: 'servicePort', file: 'p.yaml', line: 11, column: 17, endLine: 11, endColumn: 19 }],
    },
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
    {
      name: 'a rule shared with a workload that declares no port: the fix adds the targetPort and keeps the port (flow list)',
      code: { 'app.yaml': withFrontend('[]'), 'p.yaml': everyPodIngress('[{port: 80}, {port: 8443}]') },
      errors: [
        {
          messageId: 'servicePortMaybeShared',
          message:
            'shop/web-ingress spec.ingress[0] allows TCP 80, the port of Service shop/api; policies see the traffic after DNAT, on targetPort 8080 of shop/api[Deployment], which the rule does not allow (it also applies to shop/frontend[Deployment] and shop/web[Deployment]: no container port declared, so TCP 80 may be theirs)',
          file: 'p.yaml',
          line: 8,
          column: 22,
          endLine: 8,
          endColumn: 24,
        },
      ],
      output: { 'app.yaml': withFrontend('[]'), 'p.yaml': everyPodIngress('[{port: 80}, {port: 8080}, {port: 8443}]') },
    },
    {
      name: 'the same in a block list: the copy keeps the protocol and leaves the comment',
      code: { 'app.yaml': withFrontend('[]'), 'p.yaml': everyPodIngress('\n        - port: 80 # web\n          protocol: TCP\n        - port: 8443') },
      errors: [{ messageId: 'servicePortMaybeShared', file: 'p.yaml', line: 9, column: 17, endLine: 9, endColumn: 19 }],
      output: {
        'app.yaml': withFrontend('[]'),
        'p.yaml': everyPodIngress('\n        - port: 80 # web\n          protocol: TCP\n        - port: 8080\n          protocol: TCP\n        - port: 8443'),
      },
    },
    {
      name: 'the same in JSON',
      code: {
        'app.yaml': withFrontend('[]'),
        'p.json': jsonPolicy,
      },
      errors: [{ messageId: 'servicePortMaybeShared', file: 'p.json', line: 1, column: 168, endLine: 1, endColumn: 170 }],
      output: {
        'app.yaml': withFrontend('[]'),
        'p.json': jsonPolicy.replace('{"port":80,"protocol":"TCP"}', '{"port":80,"protocol":"TCP"}, {"port":8080,"protocol":"TCP"}'),
      },
    },
    {
      name: 'egress to the namespace of the backends, naming it (not every namespace)',
      code: { 'app.yaml': documents(cluster, namespace('shop')), 'p.yaml': batchEgress('[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]') },
      errors: [{ messageId: 'servicePortMaybeShared', file: 'p.yaml', line: 9, column: 22, endLine: 9, endColumn: 24 }],
      output: {
        'app.yaml': documents(cluster, namespace('shop')),
        'p.yaml': batchEgress('[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]').replace('[{port: 80}]', '[{port: 80}, {port: 8080}]'),
      },
    },
  ],
});
