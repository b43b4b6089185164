import rule from './pod-ip-in-ipblock.js';
import { ruleTester } from '../lint/testing/rule-tester.js';

const pod = (ip: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: tools}
spec: {containers: [{name: c, image: x}]}
status: {podIP: ${ip}${extra}}
`;
const policy = (block: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock: ${block}
`;

ruleTester(rule, {
  valid: [
    { name: 'the pod IP is outside the block', code: { 'pod.yaml': pod('10.0.6.1'), 'p.yaml': policy('{cidr: 10.0.5.0/24}') } },
    { name: 'the pod IP is in an except', code: { 'pod.yaml': pod('10.0.5.7'), 'p.yaml': policy('{cidr: 10.0.5.0/24, except: [10.0.5.0/29]}') } },
    { name: 'pods from manifests have no IP', code: { 'pod.yaml': pod('10.0.5.7').replace(/status:.*\n/, ''), 'p.yaml': policy('{cidr: 0.0.0.0/0}') } },
    { name: 'another address family', code: { 'pod.yaml': pod('fd00::7'), 'p.yaml': policy('{cidr: 0.0.0.0/0}') } },
  ],
  invalid: [
    {
      name: 'the block holds the pod IP',
      code: { 'pod.yaml': pod('10.0.5.7'), 'p.yaml': policy('{cidr: 10.0.5.0/24}') },
      errors: [
        {
          messageId: 'podInBlock',
          message:
            'ingress rule 1 of policy shop/api: ipBlock 10.0.5.0/24 holds 10.0.5.7, the IP of pod tools/debug; whether an ipBlock matches pod traffic depends on the network plugin, select the pod with a podSelector instead',
          file: 'p.yaml',
          line: 8,
          column: 11,
          endLine: 8,
          endColumn: 39,
        },
      ],
    },
    {
      name: 'an IPv6 address among podIPs, the IPv4 one counted once',
      code: { 'pod.yaml': pod('10.0.5.7', ', podIPs: [{ip: 10.0.5.7}, {ip: "fd00::7"}]'), 'p.yaml': policy('{cidr: "fd00::/64"}') },
      errors: [{ messageId: 'podInBlock', file: 'p.yaml', line: 8, column: 11, endLine: 8, endColumn: 39 }],
    },
  ],
});
