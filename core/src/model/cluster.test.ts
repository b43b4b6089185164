// The model read again from partly the same loaded objects (what a language server does after an edit): kept values
// are used only where they are still what the objects say.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../manifest/index.js';
import { mergeLoadResults } from '../manifest/merge.js';
import { buildClusterModel } from './cluster.js';

const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
const pod = (owner: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web-abc
  namespace: shop
  labels: {app: web}${owner === '' ? '' : `\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, uid: u, controller: true}]`}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 80, name: http}]}]
`;
const replicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-rs
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x}]}
`;

const load = (path: string, text: string) => loadManifests([{ path, text }]);

describe('the model read again from kept objects', () => {
  it('equals the model of freshly loaded objects, and keeps their values', () => {
    const kept = [load('a.yaml', policy), load('b.yaml', pod('web-rs'))];
    const first = buildClusterModel(mergeLoadResults(kept).objects);
    const again = buildClusterModel(mergeLoadResults(kept).objects);
    const fresh = buildClusterModel(mergeLoadResults([load('a.yaml', policy), load('b.yaml', pod('web-rs'))]).objects);
    // Compiled policies carry functions (their locators): compared as data.
    const data = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    expect(data(again)).toEqual(data(fresh));
    expect(data(again)).toEqual(data(first));
    expect(again.policies[0]).toBe(first.policies[0]);
    expect(again.workloads[0]).toBe(first.workloads[0]);
  });

  it('reads a policy again when the default namespace changes', () => {
    const objects = load('a.yaml', policy).objects;
    expect(buildClusterModel(objects).policies.map((p) => p.id)).toEqual(['default/deny']);
    expect(buildClusterModel(objects, { defaultNamespace: 'shop' }).policies.map((p) => p.id)).toEqual(['shop/deny']);
    expect(buildClusterModel(objects).policies.map((p) => p.id)).toEqual(['default/deny']);
  });

  it('reads a workload again when an owner in another file changes what it is reported as', () => {
    const pods = load('b.yaml', pod('web-rs'));
    expect(buildClusterModel(pods.objects).workloads.map((w) => w.id)).toEqual(['shop/web-rs[ReplicaSet]']);
    const withOwner = mergeLoadResults([pods, load('c.yaml', replicaSet)]).objects;
    expect(buildClusterModel(withOwner).workloads.map((w) => w.id)).toEqual(['shop/web[Deployment]']);
    expect(buildClusterModel(pods.objects).workloads.map((w) => w.id)).toEqual(['shop/web-rs[ReplicaSet]']);
  });

  it('reads a workload without a namespace again when the default namespace changes', () => {
    const objects = load('d.yaml', pod('').replace('  namespace: shop\n', '')).objects;
    const ids = (defaultNamespace?: string) => buildClusterModel(objects, { defaultNamespace }).workloads.map((w) => w.id);
    expect(ids()).toEqual(['default/web-abc[Pod]']);
    expect(ids('shop')).toEqual(['shop/web-abc[Pod]']);
    expect(ids()).toEqual(['default/web-abc[Pod]']);
  });
});

