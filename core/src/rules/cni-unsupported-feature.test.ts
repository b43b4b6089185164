import rule from './cni-unsupported-feature.js';
import { ruleTester } from '../lint/testing/rule-tester.js';

const pods = `apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, labels: {app: server}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
`;
const policy = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
    - ports: ${ports}
`;
const cilium = (version: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: cilium, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: cilium}}
  template:
    metadata: {labels: {k8s-app: cilium, version: "${version}"}}
    spec: {hostNetwork: true, containers: [{name: cilium-agent, image: cilium}]}
`;
const weave = cilium('x').replaceAll('cilium', 'weave-net');
// Three server pods no selector tells apart: one class, but every path between two workloads counts.
const servers = ['server-2', 'server-3'].reduce((text, name) => `${text}---\n${pods.slice(pods.indexOf('apiVersion', 1)).replace('name: server', `name: ${name}`)}`, pods);

ruleTester(rule, {
  valid: [
    { name: 'generic enforces endPort', code: { 'pods.yaml': pods, 'p.yaml': policy('[{port: 8000, endPort: 8090}]') } },
    { name: 'Cilium (latest) enforces endPort', code: { 'pods.yaml': pods, 'p.yaml': policy('[{port: 8000, endPort: 8090}]'), 'cni.yaml': cilium('1.16') } },
  ],
  invalid: [
    {
      // Both the client and the (hostNetwork) weave-net pods gain everything instead of TCP 8080.
      name: 'Weave rejects a policy with a named port, which opens the paths',
      code: { 'pods.yaml': pods, 'p.yaml': policy('[{port: http}]'), 'cni.yaml': weave },
      errors: [
        {
          messageId: 'changed',
          message:
            'Weave Net 2.8 rejects the whole policy because of a named port, so it isolates nothing (this opens 2 paths between workloads)',
          file: 'p.yaml',
          line: 7,
          column: 15,
          endLine: 7,
          endColumn: 27,
        },
      ],
    },
    {
      // Into each of the three servers from the client, the weave-net pods and the two other servers: 4 x 3.
      name: 'paths are counted between workloads, also within one class',
      code: { 'pods.yaml': servers, 'p.yaml': policy('[{port: http}]'), 'cni.yaml': weave },
      errors: [
        {
          messageId: 'changed',
          message:
            'Weave Net 2.8 rejects the whole policy because of a named port, so it isolates nothing (this opens 12 paths between workloads)',
          file: 'p.yaml',
          line: 7,
          column: 15,
          endLine: 7,
          endColumn: 27,
        },
      ],
    },
    {
      name: 'an unverified capability is an info, not a change',
      code: { 'pods.yaml': pods, 'p.yaml': policy('[{port: 8000, protocol: SCTP}]'), 'cni.yaml': weave },
      errors: [{ messageId: 'uncertain', message: 'no primary source says how Weave Net 2.8 handles SCTP; the matrix assumes upstream semantics', file: 'p.yaml', line: 7, column: 15, endLine: 7, endColumn: 43 }],
    },
  ],
});
