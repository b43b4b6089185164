import rule from './duplicate-policy-name.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const policy = (metadata: string, selector = '{}') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: ${metadata}
spec:
  podSelector: ${selector}
  ingress: []
`;

const inShop = policy('{name: web, namespace: shop}');
const defaulted = policy('{name: web}');
const explicitDefault = policy('\n  namespace: default\n  name: web', '{matchLabels: {app: web}}');
const threeTimes = [inShop, inShop, inShop].join('---\n');
const list = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: db, namespace: data}
    spec: {podSelector: {}}
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: db, namespace: data}
    spec: {podSelector: {matchLabels: {app: db}}}
`;

const duplicateMessage = (file: string) =>
  `NetworkPolicy shop/web is already defined (in ${file}): a cluster holds one object per name, so one definition overwrites the other; the analysis leaves this one out`;

ruleTester(rule, {
  valid: [
    {
      name: 'the same name in two namespaces',
      code: { 'a.yaml': inShop, 'b.yaml': policy('{name: web, namespace: other}') },
    },
    {
      name: "a Service with the policy's name",
      code: [
        inShop,
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}}\n',
      ].join('---\n'),
    },
  ],
  invalid: [
    {
      name: 'across files, at the later one',
      code: { 'a.yaml': inShop, 'b.yaml': inShop },
      errors: [
        {
          messageId: 'duplicate',
          message: duplicateMessage('a.yaml'),
          file: 'b.yaml',
          ...spanOf(inShop, 'web'),
        },
      ],
    },
    {
      name: 'no namespace is the default namespace',
      code: { 'a.yaml': defaulted, 'b.yaml': explicitDefault },
      errors: [{ messageId: 'duplicate', file: 'b.yaml', ...spanOf(explicitDefault, 'web') }],
    },
    {
      name: 'three copies: two findings, both about the first',
      code: threeTimes,
      errors: [
        {
          messageId: 'duplicate',
          message: duplicateMessage('test.yaml'),
          ...spanOf(threeTimes, 'web', { after: '---' }),
        },
        {
          messageId: 'duplicate',
          message: duplicateMessage('test.yaml'),
          ...spanOf(threeTimes, 'web', { after: `${inShop}---\n${inShop}---` }),
        },
      ],
    },
    {
      name: 'items of a List',
      code: list,
      errors: [{ messageId: 'duplicate', ...spanOf(list, 'db', { after: 'spec: {podSelector: {}}' }) }],
    },
  ],
});
