// Classes read again from kept workloads (a language server's next analysis): a workload's kept signature is used
// only while the selectors read the same label values, and the layered result's base shares the engine's classes.
import { describe, expect, it } from 'vitest';
import { analyzeLoaded } from '../analyze.js';
import { loadManifests } from '../manifest/index.js';
import { mergeLoadResults } from '../manifest/merge.js';
import { buildClusterModel } from '../model/cluster.js';
import { analyzeConnectivity } from './connectivity.js';

const deployment = (name: string, tier: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, group: web, tier: "${tier}"}}
    spec: {containers: [{name: c, image: x}]}
`;
const selecting = (labels: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {${labels}}}
  policyTypes: [Ingress]
`;

const load = (path: string, text: string) => loadManifests([{ path, text }]);
// Loaded once, as a language server keeps the load of a file that did not change: the model keeps its workloads.
const kept = load('workloads.yaml', `${deployment('a', '1')}---\n${deployment('b', '2')}`);
const classNames = (policy: string) => {
  const model = buildClusterModel(mergeLoadResults([kept, load('policy.yaml', policy)]).objects);
  return analyzeConnectivity(model).classes.map((c) => c.members.map((w) => w.name).join('+'));
};

describe('classes of kept workloads', () => {
  it('split and merge again as the selectors read other values', () => {
    expect(classNames(selecting('group: web'))).toEqual(['a+b']);
    // The same workload objects: a selector naming tier 1 now tells them apart.
    expect(classNames(selecting('tier: "1"'))).toEqual(['a', 'b']);
    expect(classNames(selecting('group: web'))).toEqual(['a+b']);
    // A value no selector names is `*`: tier 3 does not split a from b.
    expect(classNames(selecting('tier: "3"'))).toEqual(['a+b']);
  });

  it('are the same objects in the layered result and the NetworkPolicy result beneath it', () => {
    const admin = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {tier: "1"}}}}
  ingress: [{name: deny-all, action: Deny, from: [{namespaces: {}}]}]
`;
    const analysis = analyzeLoaded(mergeLoadResults([kept, load('policy.yaml', selecting('app: c')), load('admin.yaml', admin)]), {
      cni: 'ovn-kubernetes',
    });
    const { result } = analysis;
    // The admin subject reads tier: a and b stay apart although no NetworkPolicy reads it.
    expect(result.classes.map((c) => c.members.map((w) => w.name).join('+'))).toEqual(['a', 'b']);
    expect(result.constructor.name).toBe('AdminConnectivityResult');
    const [a, b] = result.workloads;
    expect(result.allowed(b!, a!).isEmpty).toBe(true);
    expect(result.allowed(a!, b!).isEmpty).toBe(false);
  });

  it('split and merge again as Calico selectors read other values', () => {
    const calico = (selector: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: guard}
spec:
  selector: ${selector}
  types: [Ingress]
  ingress: [{action: Deny}]
`;
    const classesUnder = (selector: string) =>
      analyzeLoaded(mergeLoadResults([kept, load('policy.yaml', selecting('app: c')), load('calico.yaml', calico(selector))]), {
        cni: 'calico',
      }).result.classes.map((c) => c.members.map((w) => w.name).join('+'));
    expect(classesUnder(`group == 'web'`)).toEqual(['a+b']);
    expect(classesUnder(`tier == '1'`)).toEqual(['a', 'b']);
    expect(classesUnder(`group == 'web'`)).toEqual(['a+b']);
  });

  it('are selected by the policies of their namespace as they are now', () => {
    const selectedNames = (policy: string) => {
      const model = buildClusterModel(mergeLoadResults([kept, load('policy.yaml', policy)]).objects);
      const result = analyzeConnectivity(model);
      return result.workloads.map((e) => `${e.workload.name}:${result.policiesSelecting(e.workload).ingress.length}`);
    };
    expect(selectedNames(selecting('tier: "1"'))).toEqual(['a:1', 'b:0']);
    // Same classes (tier 1 and 2 both named), the policy now selects the other one.
    expect(selectedNames(selecting('tier: "2"'))).toEqual(['a:0', 'b:1']);
    expect(selectedNames(`${selecting('tier: "2"')}---\n${selecting('tier: "1"').replace('name: p', 'name: q')}`)).toEqual([
      'a:1',
      'b:1',
    ]);
  });
});


describe('classes', () => {
  it('hold workloads with the same labels and named ports whatever order they are written in, labels sorted by key', () => {
    const pod = (name: string, labels: string, ports: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: {${labels}}}\nspec: {containers: [{name: c, image: x, ports: [${ports}]}]}\n`;
    const ports = ['{name: zz, containerPort: 1}', '{name: yy, containerPort: 2}', '{name: xx, containerPort: 3}'];
    const text = [
      pod('a', 'e: "1", d: "1", c: "1", b: "1", a: "1"', ports.join(', ')),
      pod('b', 'a: "1", b: "1", c: "1", d: "1", e: "1"', [...ports].reverse().join(', ')),
      pod('c', 'c: "1", a: "1", e: "1", b: "1", d: "2"', ports.join(', ')),
      selecting('a: "1", b: "1", c: "1", d: "1", e: "1"'),
    ].join('---\n');
    const { classes } = analyzeConnectivity(buildClusterModel(load('m.yaml', text).objects));
    expect(classes.map((c) => c.members.map((w) => w.name).join('+'))).toEqual(['a+b', 'c']);
    expect(classes.map((c) => Object.entries(c.labels))).toEqual([
      [['a', '1'], ['b', '1'], ['c', '1'], ['d', '1'], ['e', '1']],
      [['a', '1'], ['b', '1'], ['c', '1'], ['d', '*'], ['e', '1']],
    ]);
  });
});
