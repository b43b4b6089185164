// The cluster model read again from partly the same loaded objects (what a language server does after an edit), where
// kept values are used only while still what the objects say; the labels the API server adds to pod templates; and
// what a workload reads from its pod spec.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../manifest/index.js';
import { mergeLoadResults } from '../manifest/merge.js';
import { analyze } from '../analyze.js';
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


describe('the labels the API server adds to pod templates', () => {
  const job = (meta: string, spec: string, labels = '{app: backup}') => `apiVersion: batch/v1
kind: Job
metadata: {name: backup${meta}}
spec:${spec}
  template:
    metadata: {labels: ${labels}}
    spec: {restartPolicy: Never, containers: [{name: c, image: x}]}
`;
  const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec: {restartPolicy: Never, containers: [{name: c, image: x}]}
`;
  const named = { 'job-name': 'backup', 'batch.kubernetes.io/job-name': 'backup' };
  it.each([
    // pkg/registry/batch/job/strategy.go, generateSelector: both name labels unless spec.manualSelector is true.
    ['a Job', job('', ''), { app: 'backup', ...named }],
    ['a Job with manualSelector: false', job('', '\n  manualSelector: false'), { app: 'backup', ...named }],
    ['a Job with manualSelector: true', job('', '\n  manualSelector: true\n  selector: {matchLabels: {app: backup}}'), { app: 'backup' }],
    // A key already written is kept as written; the API server adds the missing one.
    ['a Job that writes job-name itself', job('', '', '{app: backup, job-name: backup}'), { app: 'backup', ...named }],
    // Its Jobs are named per run: no label value is known.
    ['a CronJob', cronJob, { app: 'backup' }],
    [
      'a Job reported as the CronJob that made it',
      job('-28391', '', '{app: backup}').replace('name: backup-28391}', 'name: backup-28391, ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: backup, uid: u, controller: true}]}'),
      { app: 'backup' },
    ],
  ])('%s', (_name, text, labels) => {
    const [workload] = buildClusterModel(load('j.yaml', text).objects).workloads;
    expect(workload?.labels).toEqual(labels);
  });

  it("lets a peer select a Job's pods by its name", () => {
    const server = 'apiVersion: v1\nkind: Pod\nmetadata: {name: server, labels: {app: server}}\nspec: {containers: [{name: c, image: x}]}\n';
    const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: [{podSelector: {matchLabels: {job-name: backup}}}]}]\n';
    const { result } = analyze([{ path: 'x.yaml', text: [job('', ''), server, policy].join('---\n') }]);
    const find = (id: string) => result.endpoints.find((e) => e.id === id)!;
    expect(result.allowed(find('default/backup[Job]'), find('default/server[Pod]')).toString()).toBe('All Connections');
  });
});

describe('the labels the StatefulSet controller sets on its pods', () => {
  const statefulSet = (spec: string, labels = '{app: db}') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}${spec}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: c, image: x}]}
`;
  const pod = (name: string, index: string) => ({ 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': index });
  it.each([
    // One replica (the default): one pod, `<name>-0`, whose name and ordinal are known.
    ['one replica by default', statefulSet(''), { app: 'db', ...pod('db-0', '0') }],
    ['replicas: 1', statefulSet('\n  replicas: 1'), { app: 'db', ...pod('db-0', '0') }],
    // spec.ordinals.start numbers the pods from there (StatefulSetStartOrdinal).
    ['ordinals from 5', statefulSet('\n  replicas: 1\n  ordinals: {start: 5}'), { app: 'db', ...pod('db-5', '5') }],
    // The controller sets them whatever the template writes (stateful_set_utils.go, updateIdentity).
    ['a template writing the name label', statefulSet('', '{app: db, statefulset.kubernetes.io/pod-name: other}'), { app: 'db', ...pod('db-0', '0') }],
    // Several pods, each its own value: the workload stands for all of them and carries none.
    ['three replicas', statefulSet('\n  replicas: 3'), { app: 'db' }],
  ])('%s', (_name, text, labels) => {
    const [workload] = buildClusterModel(load('s.yaml', text).objects).workloads;
    expect(workload?.labels).toEqual(labels);
  });

  it("lets a Service and a policy select a StatefulSet's one pod by its name", () => {
    const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
    const primaryOnly = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {statefulset.kubernetes.io/pod-name: db-0}}\n  ingress: []\n';
    const { result } = analyze([{ path: 'x.yaml', text: [statefulSet(''), web, primaryOnly].join('---\n') }]);
    const find = (id: string) => result.endpoints.find((e) => e.id === id)!;
    expect(result.allowed(find('default/web[Pod]'), find('default/db[StatefulSet]')).toString()).toBe('No Connections');
  });

  it('makes each pod of several a workload of its own when a policy or Service names one of them', () => {
    const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
    const three = statefulSet('\n  replicas: 3\n  ordinals: {start: 1}');
    // A per-pod Service (the usual way to reach one broker from outside) and a policy isolating the first pod only.
    const perPod = 'apiVersion: v1\nkind: Service\nmetadata: {name: db-2}\nspec: {selector: {statefulset.kubernetes.io/pod-name: db-2}, ports: [{port: 80}]}\n';
    const firstOnly = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {apps.kubernetes.io/pod-index: "1"}}\n  ingress: []\n';
    const analysis = analyze([{ path: 'x.yaml', text: [three, web, perPod, firstOnly].join('---\n') }]);
    const { result } = analysis;
    expect(result.workloads.map((w) => w.id)).toEqual(['default/db-1[Pod]', 'default/db-2[Pod]', 'default/db-3[Pod]', 'default/web[Pod]']);
    expect(result.workloads[1]!.workload.labels).toEqual({ app: 'db', ...pod('db-2', '2') });
    const find = (id: string) => result.endpoints.find((e) => e.id === id)!;
    expect(result.allowed(find('default/web[Pod]'), find('default/db-1[Pod]')).toString()).toBe('No Connections');
    expect(result.allowed(find('default/web[Pod]'), find('default/db-2[Pod]')).toString()).toBe('All Connections');
    // Each pod is located at its StatefulSet.
    expect(analysis.load.sources.get('x.yaml')!.text.slice(result.workloads[0]!.workload.location.range.start).startsWith('db}')).toBe(true);
    // Without such a selector the StatefulSet stays one workload.
    const plain = analyze([{ path: 'x.yaml', text: [three, web].join('---\n') }]).result;
    expect(plain.workloads.map((w) => w.id)).toEqual(['default/db[StatefulSet]', 'default/web[Pod]']);
  });
});

describe('whether pods resolve names through the cluster DNS (dnsPolicy)', () => {
  const podWith = (spec: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {${spec}containers: [{name: c, image: x}]}
`;
  // kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy, and the kubelet's
  // getPodDNSType (pkg/kubelet/network/dns/dns.go).
  it.each([
    // "Default" is not the default DNS policy: "ClusterFirst" is used when none is set.
    ['no dnsPolicy', '', true],
    ['ClusterFirst', 'dnsPolicy: ClusterFirst, ', true],
    ['ClusterFirstWithHostNet', 'dnsPolicy: ClusterFirstWithHostNet, ', true],
    // Inherits the name resolution configuration of the node it runs on.
    ['Default', 'dnsPolicy: Default, ', false],
    // Ignores the DNS settings of the Kubernetes environment: only spec.dnsConfig.
    ['None', 'dnsPolicy: None, dnsConfig: {nameservers: [1.1.1.1]}, ', false],
    // hostNetwork with ClusterFirst falls back to the behaviour of "Default": also when the policy is left unset.
    ['hostNetwork and no dnsPolicy', 'hostNetwork: true, ', false],
    ['hostNetwork and ClusterFirst', 'hostNetwork: true, dnsPolicy: ClusterFirst, ', false],
    ['hostNetwork and ClusterFirstWithHostNet', 'hostNetwork: true, dnsPolicy: ClusterFirstWithHostNet, ', true],
    ['hostNetwork and Default', 'hostNetwork: true, dnsPolicy: Default, ', false],
  ])('%s', (_name, spec, usesClusterDns) => {
    const [workload] = buildClusterModel(load('p.yaml', podWith(spec)).objects).workloads;
    expect(workload?.usesClusterDns).toBe(usesClusterDns);
  });

  it("reads a controller's pod template", () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {dnsPolicy: Default, containers: [{name: c, image: x}]}
`;
    const [workload] = buildClusterModel(load('d.yaml', deployment).objects).workloads;
    expect(workload?.usesClusterDns).toBe(false);
  });

  it('rejects a policy the API server does not know, at the field', () => {
    const text = podWith('dnsPolicy: ClusterFirstWithHostNetwork, ');
    const loaded = load('p.yaml', text);
    expect(buildClusterModel(loaded.objects).workloads).toEqual([]);
    expect(
      loaded.issues.map((issue) => [issue.code, text.slice(issue.location.range.start, issue.location.range.end), issue.message]),
    ).toEqual([
      [
        'invalid-value',
        'ClusterFirstWithHostNetwork',
        'spec.dnsPolicy: expected one of "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None", got "ClusterFirstWithHostNetwork"',
      ],
    ]);
  });
});

describe('the owner a pod is reported as', () => {
  const ownedPod = (name: string, app: string, owner: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: edge
  labels: {app: ${app}}
  ownerReferences: [${owner}]
spec: {containers: [{name: c, image: x}]}
`;
  const ids = (...texts: string[]) => buildClusterModel(load('o.yaml', texts.join('---\n')).objects).workloads.map((w) => [w.id, w.labels]);

  it('keeps static pods apart: their mirror Pods are owned by their Node, which is no pod controller', () => {
    // kubernetes.io/docs/tasks/configure-pod-container/static-pod: the kubelet creates a mirror Pod for each static
    // Pod, and "labels from the static Pod are propagated into the mirror Pod".
    const node = '{apiVersion: v1, kind: Node, name: node1, uid: 1a, controller: true}';
    expect(ids(ownedPod('web-node1', 'web', node), ownedPod('cache-node1', 'cache', node))).toEqual([
      ['edge/cache-node1[Pod]', { app: 'cache' }],
      ['edge/web-node1[Pod]', { app: 'web' }],
    ]);
  });

  it("keeps apart the pods of another API group's kind that shares a pod controller's name", () => {
    // A Volcano Job runs the pods of several tasks, each task from its own template.
    const job = '{apiVersion: batch.volcano.sh/v1alpha1, kind: Job, name: train, uid: v, controller: true}';
    expect(ids(ownedPod('train-ps-0', 'ps', job), ownedPod('train-worker-0', 'worker', job))).toEqual([
      ['edge/train-ps-0[Pod]', { app: 'ps' }],
      ['edge/train-worker-0[Pod]', { app: 'worker' }],
    ]);
  });

  it('stops at the last pod controller when the one above it is no pod controller', () => {
    const replicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d9
  namespace: edge
  ownerReferences: [{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web, uid: r, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x}]}
`;
    const pod = ownedPod('web-7d9-x', 'web', '{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9, uid: s, controller: true}');
    expect(ids(replicaSet, pod)).toEqual([['edge/web-7d9[ReplicaSet]', { app: 'web' }]]);
  });

  it.each([
    ['its controller, a ReplicaSet', '{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9, uid: s, controller: true}', 'edge/web-7d9[ReplicaSet]'],
    ['its controller, a StatefulSet', '{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: s, controller: true}', 'edge/db[StatefulSet]'],
    ['its controller, a DaemonSet', '{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: s, controller: true}', 'edge/agent[DaemonSet]'],
    ['its controller, a Job', '{apiVersion: batch/v1, kind: Job, name: backup-1, uid: s, controller: true}', 'edge/backup-1[Job]'],
    ['its controller, a ReplicationController', '{apiVersion: v1, kind: ReplicationController, name: rc, uid: s, controller: true}', 'edge/rc[ReplicationController]'],
    ['its controller, a ReplicaSet written without apiVersion', '{kind: ReplicaSet, name: web-7d9, uid: s, controller: true}', 'edge/web-7d9[ReplicaSet]'],
    ['a ReplicaSet that is not its controller', '{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9, uid: s}', 'edge/p[Pod]'],
  ])('a pod owned by %s, which the input lacks, is %s', (_name, owner, id) => {
    expect(ids(ownedPod('p', 'web', owner)).map(([workloadId]) => workloadId)).toEqual([id]);
  });
});

describe('labels under keys kubectl sends otherwise', () => {
  // A label written `on:` reaches the cluster as the key "true" (sigs.k8s.io/yaml), and so does a selector's unquoted
  // `on:`; a quoted "on" stays "on". A model that kept the written keys would match the quoted selector.
  const text = (selectorKey: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {on: x}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {${selectorKey}: x}}
  policyTypes: [Ingress]
`;
  const selected = (selectorKey: string) => {
    const { result } = analyze([{ path: 'x.yaml', text: text(selectorKey) }]);
    return result.model.policies.flatMap((p) => result.selectedWorkloads(p).map((w) => `${p.id} ${w.id}`));
  };

  it('selects the pod by the key the cluster has', () => {
    expect(selected('on')).toEqual(['shop/web shop/web[Pod]']);
    expect(selected('"true"')).toEqual(['shop/web shop/web[Pod]']);
  });

  it('does not select it by the key as written', () => {
    expect(selected('"on"')).toEqual([]);
  });
});
