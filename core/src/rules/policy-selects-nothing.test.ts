import rule from './policy-selects-nothing.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { pluginAgent } from './testing/admin-manifests.js';

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x}]}
`;
const policy = (selector: string, namespace = 'shop') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ${namespace}}
spec:
  podSelector: ${selector}
  ingress: []
`;

const gnp = (spec: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
${spec}`;

ruleTester(rule, {
  valid: [
    { name: 'Calico: a global policy applying to a pod', code: { 'web.yaml': web, 'g.yaml': gnp("  selector: app == 'web'\n") } },
    { name: 'Calico: no selector applies to every pod', code: { 'web.yaml': web, 'g.yaml': gnp('  types: [Ingress]\n') } },
    { name: 'Calico policies under another plugin are left to cni-ignores-calico-policies', code: { 'web.yaml': web, 'g.yaml': gnp("  selector: app == 'nope'\n"), 'cni.yaml': pluginAgent('cilium') } },
    { name: 'matchLabels matching the pod template', code: { 'web.yaml': web, 'p.yaml': policy('{matchLabels: {app: web}}') } },
    { name: '{} selects every pod of the namespace', code: { 'web.yaml': web, 'p.yaml': policy('{}') } },
    {
      name: 'NotIn matches pods without the key',
      code: { 'web.yaml': web, 'p.yaml': policy('{matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}') },
    },
    { name: 'policyTypes: [] still selects', code: { 'web.yaml': web, 'p.yaml': policy('{}').replace('ingress: []', 'policyTypes: []') } },
    {
      // The plugin drops every policy, so no selector splits the engine's classes: web and api share one, with api
      // (first by id) standing for both.
      name: 'under a plugin that enforces no policy, the selector is still matched workload by workload',
      code: { 'web.yaml': `${web}---\n${web.replaceAll('web', 'api')}`, 'p.yaml': policy('{matchLabels: {app: web}}'), 'cni.yaml': pluginAgent('kube-flannel-ds') },
    },
  ],
  invalid: [
    {
      name: 'Calico: a global policy whose selector matches no pod, at the selector',
      code: { 'web.yaml': web, 'g.yaml': gnp("  selector: app == 'wbe'\n  namespaceSelector: team == 'shop'\n") },
      errors: [
        {
          messageId: 'calicoNoWorkload',
          message: "GlobalNetworkPolicy/g applies to no workload: no pod matches selector app == 'wbe' in namespaces matching team == 'shop'",
          file: 'g.yaml',
          line: 5,
          column: 13,
          endLine: 5,
          endColumn: 25,
        },
      ],
    },
    {
      name: 'Calico: a namespaced policy in a namespace without a matching pod',
      code: {
        'web.yaml': web,
        'n.yaml': "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: np, namespace: other}\nspec:\n  selector: app == 'web'\n",
      },
      errors: [{ messageId: 'calicoNoWorkload', message: "NetworkPolicy/other/np applies to no workload: no pod matches selector app == 'web' in namespace other", file: 'n.yaml', line: 5, column: 13, endLine: 5, endColumn: 25 }],
    },
    {
      name: 'a label no pod carries',
      code: { 'web.yaml': web, 'p.yaml': policy('{matchLabels: {app: wbe}}') },
      errors: [
        {
          messageId: 'noWorkload',
          message: 'policy shop/p selects no workload: no pod in namespace shop matches app=wbe',
          file: 'p.yaml',
          line: 5,
          column: 16,
          endLine: 5,
          endColumn: 41,
        },
      ],
    },
    {
      name: 'the workload lives in another namespace',
      code: { 'web.yaml': web, 'p.yaml': policy('{}', 'other') },
      errors: [{ messageId: 'emptyNamespace', file: 'p.yaml', line: 5, column: 16, endLine: 5, endColumn: 18 }],
    },
    {
      name: 'hostNetwork pods are not selectable',
      code: {
        'web.yaml': web.replace('spec: {containers', 'spec: {hostNetwork: true, containers'),
        'p.yaml': policy('{matchLabels: {app: web}}'),
      },
      errors: [{ messageId: 'emptyNamespace', file: 'p.yaml', line: 5, column: 16, endLine: 5, endColumn: 41 }],
    },
  ],
});
