import rule from './invalid-manifest.js';
import { ruleTester } from '../lint/testing/rule-tester.js';

const policy = (ipBlock: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock: ${ipBlock}
`;

ruleTester(rule, {
  valid: [
    policy('{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}'),
    { name: 'skipped kinds are not findings', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' },
    {
      name: 'a non-string label value is yaml-type-gotcha, not this rule',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {v: 1.10}}\nspec: {containers: [{name: c, image: x}]}\n',
    },
  ],
  invalid: [
    {
      name: 'a bad CIDR, at the value',
      code: policy('{cidr: 10.0.0.0/33}'),
      errors: [{ messageId: 'issue', line: 8, column: 27, endLine: 8, endColumn: 38 }],
    },
    {
      name: 'an except outside its cidr',
      code: policy('{cidr: 10.0.0.0/16, except: [10.2.0.0/24]}'),
      errors: [
        {
          messageId: 'issue',
          message: 'spec.egress[0].to[0].ipBlock.except[0]: "10.2.0.0/24" must be a strict subset of cidr "10.0.0.0/16" (except-outside-cidr)',
          line: 8,
          column: 49,
          endLine: 8,
          endColumn: 60,
        },
      ],
    },
    {
      name: 'YAML that does not parse',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n',
      errors: [{ messageId: 'issue', line: 4, column: 1, endLine: 4, endColumn: 1 }],
    },
  ],
});
