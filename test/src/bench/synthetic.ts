// Reproducible synthetic clusters with a realistic shape: teams with per-environment namespaces, default deny, app tiers, shared platform namespaces, admin and Calico policies.
import { dump } from 'js-yaml';

/** mulberry32: a small seeded PRNG so every run generates the same cluster. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The network plugin profile the clusters are written for: it evaluates their admin and Calico policies. */
export const BENCH_CNI = 'calico';

/** The API versions of the Kubernetes objects alone (no admin or Calico policies): what the reference evaluates. */
export const KUBERNETES_API_VERSIONS: readonly unknown[] = ['v1', 'apps/v1', 'networking.k8s.io/v1'];

export interface SyntheticCluster {
  readonly objects: readonly Record<string, unknown>[];
  readonly workloads: number;
  /** NetworkPolicies, Calico policies and admin policies together. */
  readonly policies: number;
  readonly namespaces: number;
  /** All objects as one multi-document YAML text. */
  readonly yaml: string;
}

type Object_ = Record<string, unknown>;
type Port = { name: string; containerPort: number; protocol?: string };

const TIERS = ['web', 'api', 'db'] as const;
const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
/** Workloads per namespace: large clusters run thousands of namespaces of a few dozen workloads. */
const NAMESPACE_SIZE = 24;
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * `workloads` Deployments, about `policiesPerWorkload` policies per workload, all reproducible from `seed`.
 * Each team runs its apps (three tiers each, app names of its own) in one namespace per environment. Platform
 * namespaces (DNS, ingress controller, monitoring, logging) serve every team. A namespace typically holds the
 * policies a chart template writes: default deny, DNS egress, ingress-controller to web, web to api and api to db
 * on named ports, monitoring scrapes, api egress to the internet outside private ranges; the rest of the budget
 * goes to app-specific rules (partners in other namespaces, ipBlocks with excepts), Calico NetworkPolicies in
 * some namespaces, a few Calico GlobalNetworkPolicies, and AdminNetworkPolicies with a BaselineAdminNetworkPolicy.
 */
export function syntheticCluster(workloads: number, seed = 42, policiesPerWorkload = 0.2): SyntheticCluster {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const objects: Object_[] = [];
  const budget = Math.max(1, Math.round(workloads * policiesPerWorkload));
  let policies = 0;
  let made = 0;
  const add = (object: Object_, isPolicy = false) => {
    objects.push(object);
    if (isPolicy) policies++;
  };

  // Platform namespaces and their workloads.
  add(namespaceObject('kube-system', {}));
  add(namespaceObject('ingress-nginx', { role: 'ingress' }));
  add(namespaceObject('monitoring', { role: 'monitoring' }));
  add(namespaceObject('logging', { role: 'logging' }));
  add(deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }]));
  add(deployment('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }, [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }]));
  add(deployment('monitoring', 'prometheus', { app: 'prometheus' }, [{ name: 'web', containerPort: 9090 }]));
  add(deployment('logging', 'fluentd', { app: 'fluentd' }, [{ name: 'forward', containerPort: 24224 }]));
  made += 4;

  // Cluster-wide policies: about 2% of the budget, at least one of each kind.
  const clusterWide = Math.max(4, Math.round(budget * 0.02));
  add(baselineAdminPolicy(), true);
  add(adminPolicy('dev-not-to-prod', 10, { matchLabels: { env: 'prod' } }, [{ name: 'deny-dev', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'dev' } } }] }]), true);
  add(adminPolicy('monitoring-scrapes', 5, {}, [{ name: 'allow-prometheus', action: 'Allow', from: [{ namespaces: { matchLabels: { role: 'monitoring' } } }], ports: [{ portNumber: { protocol: 'TCP', port: 9100 } }] }]), true);
  add(calicoGlobalPolicy('deny-metadata', 100, "all()", [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }]), true);
  for (let k = 4; k < clusterWide; k++) {
    add(calicoGlobalPolicy(`quarantine-${k}`, 200 + k, `quarantine == 'q${k}'`, [{ action: 'Deny' }]), true);
  }

  const teams = Math.max(1, Math.ceil((workloads - made) / (NAMESPACE_SIZE * ENVIRONMENTS.length)));
  const namespaces: string[] = [];
  for (let team = 0; team < teams && made < workloads; team++) {
    for (const env of ENVIRONMENTS) {
      if (made >= workloads) break;
      const namespace = `team-${team}-${env}`;
      namespaces.push(namespace);
      add(namespaceObject(namespace, { team: `team-${team}`, env, ...(random() < 0.3 ? { isolation: 'strict' } : {}) }));
      const apps: string[] = [];
      for (let i = 0; i < NAMESPACE_SIZE && made < workloads; i++, made++) {
        const app = `t${team}-app${Math.floor(i / TIERS.length)}`;
        if (!apps.includes(app)) apps.push(app);
        const tier = TIERS[i % TIERS.length]!;
        const ports: Port[] = [{ name: tier === 'db' ? 'db' : 'http', containerPort: tier === 'db' ? 5432 : 8080 }, { name: 'metrics', containerPort: 9100 }];
        add(deployment(namespace, `${app}-${tier}`, { app, tier, version: `v${Math.floor(random() * 3)}`, 'pod-template-hash': hash(random) }, ports));
      }
      // Every namespace: default deny, DNS egress and the ingress controller to web; then, while the namespace's share
      // of the budget lasts, the chart template's other policies or app-specific ones, at random.
      add(networkPolicy(namespace, 'default-deny', {}, ['Ingress', 'Egress']), true);
      add(networkPolicy(namespace, 'allow-dns', {}, ['Egress'], undefined, [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      ]), true);
      add(networkPolicy(namespace, 'web-from-ingress', { tier: 'web' }, ['Ingress'], [{ from: [{ namespaceSelector: { matchLabels: { role: 'ingress' } } }], ports: [{ port: 'http' }] }]), true);
      const template: Object_[] = [
        networkPolicy(namespace, 'api-from-web', { tier: 'api' }, ['Ingress', 'Egress'], [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] }], [
          { to: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 'db' }] },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }], ports: [{ port: 443 }] },
        ]),
        networkPolicy(namespace, 'db-from-api', { tier: 'db' }, ['Ingress'], [
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api'] }] } }], ports: [{ port: 5432, endPort: 5433 }] },
        ]),
        networkPolicy(namespace, 'web-to-api', { tier: 'web' }, ['Egress'], undefined, [{ to: [{ podSelector: { matchLabels: { tier: 'api' } } }], ports: [{ port: 8080 }] }]),
        networkPolicy(namespace, 'metrics-from-monitoring', {}, ['Ingress'], [
          { from: [{ namespaceSelector: { matchLabels: { role: 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] },
        ]),
      ];
      for (let k = 0; policies < (budget * made) / workloads; k++) {
        const app = pick(apps);
        const kind = random();
        if (kind < 0.5 && k < template.length) add(template[k]!, true);
        else if (kind < 0.7) {
          const other = pick(namespaces);
          add(networkPolicy(namespace, `${app}-partner-${k}`, { app, tier: 'api' }, ['Ingress'], [
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': other } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } }] },
          ]), true);
        } else if (kind < 0.85) {
          const octet = Math.floor(random() * 256);
          add(networkPolicy(namespace, `${app}-vpn-${k}`, { app, tier: 'web' }, ['Ingress'], [
            { from: [{ ipBlock: { cidr: `10.${octet}.0.0/16`, except: [`10.${octet}.1.0/24`] } }], ports: [{ port: 'http' }] },
          ]), true);
        } else {
          add(calicoPolicy(namespace, `${app}-db-${k}`, `app == '${app}' && tier == 'db'`, [
            { action: 'Allow', protocol: 'TCP', source: { selector: `app == '${app}'` }, destination: { ports: [5432] } },
          ]), true);
        }
      }
    }
  }
  return { objects, workloads: made, policies, namespaces: namespaces.length + 4, yaml: objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n') };
}

function hash(random: () => number): string {
  return Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
}

function namespaceObject(name: string, labels: Record<string, string>): Object_ {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function deployment(namespace: string, name: string, labels: Record<string, string>, ports: Port[]): Object_ {
  const selector = Object.fromEntries(Object.entries(labels).filter(([key]) => key !== 'version' && key !== 'pod-template-hash'));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `example/${name}:1`, ports }] } },
    },
  };
}

function networkPolicy(namespace: string, name: string, podLabels: Record<string, string>, policyTypes: string[], ingress?: unknown[], egress?: unknown[]): Object_ {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: {
      podSelector: Object.keys(podLabels).length === 0 ? {} : { matchLabels: podLabels },
      policyTypes,
      ...(ingress === undefined ? {} : { ingress }),
      ...(egress === undefined ? {} : { egress }),
    },
  };
}

function adminPolicy(name: string, priority: number, namespaces: Record<string, unknown>, ingress: unknown[]): Object_ {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name },
    spec: { priority, subject: { namespaces }, ingress },
  };
}

function baselineAdminPolicy(): Object_ {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: {
      subject: { namespaces: { matchLabels: { isolation: 'strict' } } },
      ingress: [{ name: 'deny-other-namespaces', action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'isolation', operator: 'DoesNotExist' }] } }] }],
    },
  };
}

function calicoPolicy(namespace: string, name: string, selector: string, ingress: unknown[]): Object_ {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { order: 100, selector, types: ['Ingress'], ingress } };
}

function calicoGlobalPolicy(name: string, order: number, selector: string, egress: unknown[]): Object_ {
  return { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec: { order, selector, types: ['Egress'], egress } };
}
