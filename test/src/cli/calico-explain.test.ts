// End to end: Calico tiers change the matrix, lint warns where the plugin ignores them, and explain shows the tier chain.
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
const security = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: guard-b}
spec:
  tier: security
  order: 10
  selector: app == 'b'
  ingress:
    - {action: Deny, protocol: TCP, source: {selector: app == 'a'}, destination: {ports: [9090]}}
    - {action: Pass}
`;

describe('kubereach with Calico policies', () => {
  it('recognises Calico from its resources and explains the tiers in order', () => {
    const root = tempTree({ 'pods.yaml': pods, 'np.yaml': allowHttp, 'calico.yaml': security });
    const matrix = runCli(['matrix', root, '--format', 'connlist']);
    expect(matrix.stdout).toContain('default/a[Pod] => default/b[Pod] : TCP 8080');
    const run = runCli(['explain', 'a', 'b', root, '--port', '8080']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('ingress of default/b[Pod]: Calico tiers decide: allows TCP 8080');
    expect(run.stdout).toMatch(/tier 'security': GlobalNetworkPolicy 'guard-b' denies TCP 9090 \(ingress rule 1 at .*calico\.yaml:14:7\)/);
    expect(run.stdout).toMatch(/tier 'security': GlobalNetworkPolicy 'guard-b' passes .* \(ingress rule 2 at .*calico\.yaml:15:7\)/);
    expect(run.stdout).toMatch(/tier 'default': Kubernetes NetworkPolicy 'default\/b-http' allows TCP 8080 \(ingress rule 1 at .*np\.yaml:6:13\)/);
    expect(run.stdout).toContain("tier 'default': no rule decides");
    expect(run.stdout).toContain('the end of the tier drops it (defaultAction Deny)');
    // The policies that make the default tier see b's ingress, each with its location.
    expect(run.stdout).toMatch(/drops it \(defaultAction Deny\)\n {4}\(the tier applies through default\/b-http at .*np\.yaml:3:\d+\)\n/);
    expect(run.stdout).toContain('egress of default/a[Pod]: Calico tiers decide: allows All Connections');
    expect(run.stdout).toContain('no policy in any tier applies to it: the namespace profile allows All Connections');
  });

  it('another plugin ignores them: the path stays open and lint warns', () => {
    const root = tempTree({ 'pods.yaml': pods, 'calico.yaml': security });
    const matrix = runCli(['matrix', root, '--format', 'connlist', '--cni', 'cilium']);
    expect(matrix.stdout).toContain('default/a[Pod] => default/b[Pod] : All Connections');
    const calico = runCli(['matrix', root, '--format', 'connlist', '--cni', 'calico']);
    expect(calico.stdout).not.toMatch(/default\/a\[Pod\] => default\/b\[Pod\] : All Connections/);
    const lint = runCli(['lint', root, '--cni', 'cilium', '--format', 'compact']);
    expect(lint.stdout).toMatch(/calico\.yaml:7:7: warning cni-ignores-calico-policies Cilium does not enforce Calico policies: GlobalNetworkPolicy\/guard-b is ignored/);
  });

  it('follows a service match of a Service without a selector to the addresses of its EndpointSlice', () => {
    const payments = `apiVersion: v1
kind: Service
metadata: {name: payments}
spec:
  ports: [{name: https, port: 443}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: payments-1, labels: {kubernetes.io/service-name: payments}}
addressType: IPv4
ports: [{name: https, port: 8443}]
endpoints: [{addresses: [203.0.113.10]}]
`;
    const egress = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: a-egress}
spec:
  selector: app == 'a'
  egress:
    - {action: Allow, protocol: UDP, destination: {ports: [53]}}
    - {action: Allow, destination: {services: {name: payments, namespace: default}}}
`;
    const root = tempTree({ 'pods.yaml': pods, 'payments.yaml': payments, 'calico.yaml': egress });
    const run = runCli(['explain', 'a', 'svc/payments:443', root]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('default/a[Pod] => Service default/payments port 443/TCP: ALLOWED');
    expect(run.stdout).toContain('hop 3: default/a[Pod] => 203.0.113.10 on TCP 8443 (an address outside the cluster\'s workloads: 203.0.113.10-203.0.113.10): ALLOWED');
    expect(run.stdout).toMatch(/tier 'default': GlobalNetworkPolicy 'a-egress' allows TCP 8443 \(egress rule 2 at .*calico\.yaml:8:7\)/);
    // The address's own side is named by the range explain judged, not by a coarser one.
    expect(run.stdout).toContain('ingress of 203.0.113.10-203.0.113.10: not governed by policies');
    // The slice's port, not the Service's, and only at the written address.
    const matrix = runCli(['matrix', root, '--format', 'connlist']);
    expect(matrix.stdout).toContain('default/a[Pod] => 203.0.113.10-203.0.113.10 : TCP 8443,UDP 53');
    expect(matrix.stdout).toContain('default/a[Pod] => 203.0.113.11-255.255.255.255 : UDP 53');
    expect(runCli(['lint', root, '--format', 'compact']).stdout).not.toContain('calico-rule-not-modelled');
  });
});
