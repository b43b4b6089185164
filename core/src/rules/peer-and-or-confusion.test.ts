import rule from './peer-and-or-confusion.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, namespace, workload } from './testing/manifests.js';
import { spanOf } from './testing/text-span.js';

const cluster = documents(
  namespace('shop', { team: 'shop' }),
  namespace('monitoring', { team: 'platform' }),
  namespace('ingress-nginx', { team: 'platform' }),
  workload('api'),
  workload('web'),
  workload('prometheus', { namespace: 'monitoring' }),
  workload('grafana', { namespace: 'monitoring' }),
  workload('controller', { namespace: 'ingress-nginx' }),
);
const policy = (rules: string, direction = 'ingress') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [${direction === 'ingress' ? 'Ingress' : 'Egress'}]
  ${direction}:
${rules}`;

const namespaceThenPod = `    - from:
        - namespaceSelector:
            matchLabels:
              team: platform
        - podSelector:
            matchLabels:
              app: prometheus
      ports:
        - port: 8080
`;
const merged = `    - from:
        - namespaceSelector:
            matchLabels:
              team: platform
          podSelector:
            matchLabels:
              app: prometheus
      ports:
        - port: 8080
`;
const podThenNamespace = `    - to:
      - podSelector: {matchLabels: {app: prometheus}}

      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
`;
const podThenNamespaceMerged = `    - to:
      - podSelector: {matchLabels: {app: prometheus}}
        namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
`;
const flow = '    - from: [{namespaceSelector: {matchLabels: {team: platform}}}, {podSelector: {matchLabels: {app: prometheus}}}]\n';
const commented = `    - from:
        - namespaceSelector: {matchLabels: {team: platform}}
        # Prometheus scrapes the API.
        - podSelector: {matchLabels: {app: prometheus}}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'one element is already an AND',
      code: { 'c.yaml': cluster, 'p.yaml': policy(merged) },
    },
    {
      name: 'the AND would match nothing: own pods plus another namespace was meant',
      code: { 'c.yaml': cluster, 'p.yaml': policy('    - from:\n        - namespaceSelector: {matchLabels: {team: platform}}\n        - podSelector: {matchLabels: {app: web}}\n') },
    },
    {
      name: 'the OR admits no more than the AND would',
      code: {
        'c.yaml': cluster,
        'p.yaml': policy('    - from:\n        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}\n        - podSelector: {matchLabels: {app: controller}}\n'),
      },
    },
    {
      name: 'not adjacent',
      code: {
        'c.yaml': cluster,
        'p.yaml': policy('    - from:\n        - namespaceSelector: {matchLabels: {team: platform}}\n        - ipBlock: {cidr: 10.0.0.0/8}\n        - podSelector: {matchLabels: {app: prometheus}}\n'),
      },
    },
    {
      name: 'rules of a direction the policy does not have',
      code: { 'c.yaml': cluster, 'p.yaml': policy(namespaceThenPod).replace('policyTypes: [Ingress]', 'policyTypes: [Egress]') },
    },
  ],
  invalid: [
    {
      name: 'namespaceSelector then podSelector, block style: fixed by merging',
      code: { 'c.yaml': cluster, 'p.yaml': policy(namespaceThenPod) },
      errors: [
        {
          messageId: 'orNotAnd',
          message:
            'from[0] and from[1] of shop/api spec.ingress[0] are two peers, so either one matches: they admit 3 workloads; as one element (namespaceSelector AND podSelector) they would admit 1 workload',
          file: 'p.yaml',
          ...spanOf(policy(namespaceThenPod), 'namespaceSelector', { last: 'app: prometheus' }),
        },
      ],
      output: { 'c.yaml': cluster, 'p.yaml': policy(merged) },
    },
    {
      name: 'podSelector then namespaceSelector in egress, flow mappings on block items, a blank line between',
      code: { 'c.yaml': cluster, 'p.yaml': policy(podThenNamespace, 'egress') },
      errors: [
        {
          messageId: 'orNotAnd',
          message:
            'to[0] and to[1] of shop/api spec.egress[0] are two peers, so either one matches: they admit 2 workloads; as one element (namespaceSelector AND podSelector) they would admit 1 workload',
          file: 'p.yaml',
          ...spanOf(policy(podThenNamespace, 'egress'), 'podSelector', { after: 'to:', last: 'monitoring}}' }),
        },
      ],
      output: { 'c.yaml': cluster, 'p.yaml': policy(podThenNamespaceMerged, 'egress') },
    },
    {
      name: 'flow-style list: reported without a fix',
      code: { 'c.yaml': cluster, 'p.yaml': policy(flow) },
      errors: [{ messageId: 'orNotAnd', file: 'p.yaml', ...spanOf(policy(flow), '{namespaceSelector', { last: 'prometheus}}}' }) }],
      output: { 'c.yaml': cluster, 'p.yaml': policy(flow) },
    },
    {
      name: 'a comment between the items: reported without a fix',
      code: { 'c.yaml': cluster, 'p.yaml': policy(commented) },
      errors: [{ messageId: 'orNotAnd', file: 'p.yaml', ...spanOf(policy(commented), 'namespaceSelector', { last: 'prometheus}}' }) }],
      output: { 'c.yaml': cluster, 'p.yaml': policy(commented) },
    },
  ],
});
