import rule from './policy-types-ignore-rules.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

const policy = (spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
${spec}`;

const blockList = policy(`  policyTypes:
    - Ingress # inbound only
  ingress:
    - from: [{podSelector: {}}]
  egress:
    - to: [{podSelector: {}}]
    - ports: [{port: 53, protocol: UDP}]
`);
const indentless = policy(`  policyTypes:
  - Ingress
  egress: [{}]
`);
const flowList = policy(`  policyTypes: [Ingress]
  egress: [{}]
`);
/** Weave's agent, from which the plugin is detected. */
const weaveAgent =
  'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: weave-net, namespace: kube-system}\nspec:\n  selector: {matchLabels: {name: weave-net}}\n  template:\n    metadata: {labels: {name: weave-net}}\n    spec: {hostNetwork: true, containers: [{name: weave, image: weaveworks/weave-kube}]}\n';
const quotedFlow = policy(`  policyTypes: ["Egress"]
  ingress:
    - {}
`);
const emptyFlow = policy(`  policyTypes: [ ]
  ingress: [{}]
`);
const crlf = policy(`  policyTypes:\r\n    - 'Egress'\r\n  ingress: [{}]\r\n`).replace(/\r?\n/g, '\r\n');
const json = `{
  "apiVersion": "networking.k8s.io/v1",
  "kind": "NetworkPolicy",
  "metadata": {"name": "web"},
  "spec": {
    "podSelector": {},
    "policyTypes": [],
    "ingress": [{}],
    "egress": [{}]
  }
}
`;

const anchored = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a}
    spec:
      podSelector: {}
      policyTypes: &types [Ingress]
      egress: [{}]
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: b}
    spec:
      podSelector: {}
      policyTypes: *types
`;

ruleTester(rule, {
  valid: [
    { name: 'no policyTypes: Egress follows the egress rules', code: policy('  egress: [{}]\n') },
    // SetDefaults_NetworkPolicy defaults on len(policyTypes) == 0: an empty list ignores nothing.
    { name: 'an empty flow list is defaulted like a missing one', code: emptyFlow },
    { name: 'an empty JSON list is defaulted like a missing one', code: { 'p.json': json } },
    {
      name: 'egress: [] with policyTypes [Ingress] ignores nothing',
      code: policy('  policyTypes: [Ingress]\n  egress: []\n'),
    },
    {
      name: 'both directions listed',
      code: policy('  policyTypes: [Ingress, Egress]\n  ingress: [{}]\n  egress: [{}]\n'),
    },
    {
      name: 'ingress absent with policyTypes [Egress]',
      code: policy('  policyTypes: [Egress]\n  egress: [{}]\n'),
    },
  ],
  invalid: [
    {
      name: 'a block list with a trailing comment',
      code: blockList,
      errors: [
        {
          messageId: 'ignored',
          message:
            'spec.egress is ignored: policyTypes [Ingress] leaves out Egress, so its 2 rules have no effect',
          ...spanOf(blockList, 'egress'),
        },
      ],
      output: blockList.replace('# inbound only\n', '# inbound only\n    - Egress\n'),
    },
    {
      name: 'an indentless block list',
      code: indentless,
      errors: [
        {
          messageId: 'ignored',
          message:
            'spec.egress is ignored: policyTypes [Ingress] leaves out Egress, so its rule has no effect',
          ...spanOf(indentless, 'egress'),
        },
      ],
      output: indentless.replace('  - Ingress\n', '  - Ingress\n  - Egress\n'),
    },
    {
      name: 'a flow list',
      code: flowList,
      errors: [{ messageId: 'ignored', ...spanOf(flowList, 'egress') }],
      output: flowList.replace('[Ingress]', '[Ingress, Egress]'),
    },
    {
      name: 'ingress rules left out, quoted like the other item',
      code: quotedFlow,
      errors: [
        {
          messageId: 'ignored',
          message:
            'spec.ingress is ignored: policyTypes [Egress] leaves out Ingress, so its rule has no effect',
          ...spanOf(quotedFlow, 'ingress'),
        },
      ],
      output: quotedFlow.replace('["Egress"]', '["Egress", "Ingress"]'),
    },
    {
      name: 'CRLF line endings',
      code: crlf,
      errors: [{ messageId: 'ignored', ...spanOf(crlf, 'ingress') }],
      output: crlf.replace("'Egress'\r\n", "'Egress'\r\n    - 'Ingress'\r\n"),
    },
    {
      name: 'under Weave, whose npc applies every rule whatever policyTypes says, the rule is not without effect',
      code: {
        'policy.yaml': flowList,
        'weave.yaml': weaveAgent,
      },
      errors: [
        {
          messageId: 'appliedByPlugin',
          message:
            'spec.egress is ignored by the specification: policyTypes [Ingress] leaves out Egress, yet Weave Net 2.8 applies its rule as allows, so the policy means something else on other plugins',
          file: 'policy.yaml',
          ...spanOf(flowList, 'egress'),
        },
      ],
      output: { 'policy.yaml': flowList.replace('[Ingress]', '[Ingress, Egress]'), 'weave.yaml': weaveAgent },
    },
    {
      name: 'no fix for an anchored list: its aliases would change too',
      code: anchored,
      errors: [{ messageId: 'ignored', ...spanOf(anchored, 'egress') }],
      output: anchored,
    },
  ],
});
