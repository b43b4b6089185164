import rule from './cni-ignores-calico-policies.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { pluginAgent } from './testing/admin-manifests.js';

const gnp = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-egress}
spec:
  selector: app == 'web'
  egress: [{action: Deny}]
`;

const message = (plugin: string) => `${plugin} does not enforce Calico policies: GlobalNetworkPolicy/deny-egress is ignored, and the matrix is computed without it`;

ruleTester(rule, {
  valid: [
    { name: 'Calico recognised from the Calico resource itself', code: { 'gnp.yaml': gnp } },
    { name: 'a calico-node DaemonSet', code: { 'gnp.yaml': gnp, 'cni.yaml': pluginAgent('calico-node') } },
    { name: 'Canal runs Calico policy', code: { 'gnp.yaml': gnp, 'cni.yaml': pluginAgent('canal') } },
  ],
  invalid: [
    {
      name: 'Cilium ignores Calico policies',
      code: { 'gnp.yaml': gnp, 'cni.yaml': pluginAgent('cilium') },
      errors: [{ messageId: 'ignored', message: message('Cilium'), file: 'gnp.yaml', line: 2, column: 7, endLine: 2, endColumn: 26 }],
    },
    {
      name: 'a NetworkPolicy stored as crd.projectcalico.org/v1 on Flannel',
      code: {
        'np.yaml': 'apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {selector: all()}\n',
        'cni.yaml': pluginAgent('kube-flannel-ds'),
      },
      errors: [{ messageId: 'ignored', file: 'np.yaml', line: 2, column: 7, endLine: 2, endColumn: 20 }],
    },
  ],
});
