import rule from './calico-rule-not-modelled.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { pluginAgent } from './testing/admin-manifests.js';

const policy = (rule: string) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  selector: all()
  ingress:
    - action: Allow
      ${rule}
`;

ruleTester(rule, {
  valid: [
    { name: 'destination ports, nets and selectors are modelled', code: policy("protocol: TCP\n      source: {nets: [10.0.0.0/8], selector: app == 'web'}\n      destination: {ports: [80, '8000:9000', http]}") },
    {
      name: 'a Service match on a Service of the input is modelled',
      code: `${policy('source: {services: {name: api, namespace: shop}}')}---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80}]}
`,
    },
    { name: 'ignored plugin: nothing to model', code: { 'p.yaml': policy('protocol: TCP\n      source: {ports: [80]}'), 'cni.yaml': pluginAgent('cilium') } },
  ],
  invalid: [
    {
      name: 'source ports',
      code: policy('protocol: TCP\n      source: {ports: [80]}'),
      errors: [
        {
          messageId: 'note',
          message: 'source ports are ephemeral on the client side and not modelled: this rule is read as matching no connection',
          line: 9,
          column: 23,
          endLine: 9,
          endColumn: 27,
        },
      ],
    },
    {
      name: 'ICMP type',
      code: policy('protocol: ICMP\n      icmp: {type: 8}'),
      errors: [{ messageId: 'note', message: 'ICMP types and codes are not modelled: the rule is read as matching all of its ICMP protocol', line: 9, column: 13, endLine: 9, endColumn: 22 }],
    },
    {
      name: 'a pre-DNAT policy (host endpoints only)',
      code: 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec:\n  preDNAT: true\n  applyOnForward: true\n  ingress: [{action: Deny}]\n',
      errors: [
        {
          messageId: 'note',
          message: 'a pre-DNAT policy applies to host endpoints only, which manifests do not describe: it governs no pod',
          line: 5,
          column: 12,
          endLine: 5,
          endColumn: 16,
        },
      ],
    },
    {
      name: 'a Service match naming a Service the input does not hold',
      code: policy('source: {services: {name: api, namespace: shop}}'),
      errors: [
        {
          messageId: 'note',
          message: 'this service match names Service shop/api, which is not in the input: it is read as matching no endpoint',
          line: 8,
          column: 26,
          endLine: 8,
          endColumn: 54,
        },
      ],
    },
  ],
});
