// End to end: admin network policies change the matrix, and explain shows the decision chain per side.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './run-cli.js';

const pods = `apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
`;
const allowHttp = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-http}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress: [{ports: [{port: 8080}]}]
`;
const anp = (action: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ops}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: b}}}}
  ingress:
    - name: from-a
      action: ${action}
      from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}}]
`;

describe('kubereach with admin network policies', () => {
  it('an ANP Deny removes the path and explain names the rule', () => {
    const root = tempTree({ 'pods.yaml': pods, 'np.yaml': allowHttp, 'anp.yaml': anp('Deny') });
    const matrix = runCli(['matrix', root, '--format', 'connlist', '--cni', 'generic']);
    expect(matrix.stdout).not.toContain('default/a[Pod] => default/b[Pod]');
    const run = runCli(['explain', 'a', 'b', root, '--port', '8080', '--cni', 'generic']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('ingress of default/b[Pod]: admin policies decide first: allows No Connections');
    expect(run.stdout).toMatch(/AdminNetworkPolicy 'ops' denies All Connections \(ingress rule 1 "from-a" at .*anp\.yaml:8:7\)/);
  });

  it('a Pass hands the decision to NetworkPolicy, shown after the admin step', () => {
    const root = tempTree({ 'pods.yaml': pods, 'np.yaml': allowHttp, 'anp.yaml': anp('Pass') });
    const run = runCli(['explain', 'a', 'b', root, '--port', '8080', '--cni', 'generic']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("AdminNetworkPolicy 'ops' passes All Connections");
    expect(run.stdout).toContain('then NetworkPolicy decides All Connections: isolated by 1 policy, which allows TCP 8080');
    expect(run.stdout).toMatch(/ingress rule 1 allows TCP 8080 at .*np\.yaml:6:13/);
  });

  it('a plugin without ANP support ignores it', () => {
    const root = tempTree({ 'pods.yaml': pods, 'np.yaml': allowHttp, 'anp.yaml': anp('Deny') });
    const matrix = runCli(['matrix', root, '--format', 'connlist', '--cni', 'flannel']);
    expect(matrix.stdout).toContain('default/a[Pod] => default/b[Pod]');
  });
});
