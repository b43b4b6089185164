// Manifests shared by the admin policy rule tests: two namespaces with one pod each, and admin policy builders.

/** client/web (team a) and server/api (team b, TCP 8080 named http). */
export const ADMIN_PODS = `apiVersion: v1
kind: Namespace
metadata: {name: client, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: server, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: client, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: server, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
`;

/** An ANP on the server namespace's ingress; `rules` are YAML list items indented by four spaces. */
export function serverAnp(name: string, priority: number, rules: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
${rules}`;
}

export const FROM_CLIENT = 'from: [{namespaces: {matchLabels: {team: a}}}]';

/** A DaemonSet that makes the analysis detect a plugin (`cilium`, `ovnkube-node`, `calico-node`). */
export function pluginAgent(name: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: ${name}}}
  template:
    metadata: {labels: {k8s-app: ${name}}}
    spec: {hostNetwork: true, containers: [{name: agent, image: x}]}
`;
}
