// A small workspace shared by the service tests: workloads and a Service in one file, policies in two others.
import type { Position } from 'vscode-languageserver-types';

export const WORKLOADS_URI = 'file:///ws/workloads.yaml';
export const POLICY_URI = 'file:///ws/policy.yaml';
export const EGRESS_URI = 'file:///ws/web-egress.yaml';

export const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: api
          ports:
            - containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
    - port: 80
      targetPort: 8080
`;

export const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: {matchLabels: {app: web}}
      ports:
        - port: 80
  egress:
    - {}
`;

export const EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: {matchLabels: {app: api}}
      ports:
        - port: 8080
`;

/** A policy selecting nothing, with no workload in its namespace: a `policy-selects-nothing` finding. */
export const lonelyPolicy = (name: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: other
spec:
  podSelector: {matchLabels: {app: nothing}}
  policyTypes: [Ingress]
`;
/** A config turning that finding off. */
export const RULES_OFF = 'rules:\n  policy-selects-nothing: off\n';

/** A Deployment `w` in namespace `other` labelled `app: <app>`: edited to match a policy, or not, in the save tests. */
export const workloadLabelled = (app: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: other}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec: {containers: [{name: c, image: c}]}\n`;

/** The 0-based position of the `nth` occurrence of `needle` in `text`, found independently of the service. */
export function positionOf(text: string, needle: string, nth = 0): Position {
  let offset = -1;
  for (let k = 0; k <= nth; k++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`no occurrence ${nth} of ${needle}`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

export function rangeOf(text: string, needle: string, nth = 0): { start: Position; end: Position } {
  const start = positionOf(text, needle, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}
