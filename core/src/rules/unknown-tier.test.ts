import rule from './unknown-tier.js';
import { ruleTester } from '../lint/testing/rule-tester.js';

const policy = (tier: string, kind = 'NetworkPolicy', apiVersion = 'projectcalico.org/v3') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata: {name: p, namespace: shop}
spec:
  ${tier}
  selector: all()
`;

const tier = (name: string) => `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: {order: 100}\n`;

const message = (name: string) =>
  `tier "${name}" is not defined by any Tier in the input (nor built into Calico): Calico refuses a policy in a tier that does not exist`;

ruleTester(rule, {
  valid: [
    { name: 'no tier: the default one', code: policy('order: 10') },
    { name: 'a built-in tier', code: policy('tier: default') },
    { name: 'the ANP tier of Calico 3.30', code: policy('tier: kube-admin') },
    { name: 'a Tier in another file', code: { 'p.yaml': policy('tier: security'), 't.yaml': tier('security') } },
    { name: 'a Tier stored as crd.projectcalico.org/v1', code: [policy('tier: security'), tier('security').replace('projectcalico.org/v3', 'crd.projectcalico.org/v1')].join('---\n') },
  ],
  invalid: [
    {
      name: 'a NetworkPolicy in an undefined tier',
      code: [policy('tier: securty'), tier('security')].join('---\n'),
      errors: [{ messageId: 'unknownTier', message: message('securty'), line: 5, column: 9, endLine: 5, endColumn: 16 }],
    },
    {
      name: 'a GlobalNetworkPolicy in an undefined tier',
      code: policy('tier: platform', 'GlobalNetworkPolicy', 'crd.projectcalico.org/v1'),
      errors: [{ messageId: 'unknownTier', message: message('platform'), line: 5, column: 9, endLine: 5, endColumn: 17 }],
    },
  ],
});
