// Reproducible synthetic clusters with a realistic shape: per-namespace default deny, app tiers, shared platform namespaces.
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

export interface SyntheticCluster {
  readonly objects: readonly Record<string, unknown>[];
  readonly workloads: number;
  readonly policies: number;
  /** All objects as one multi-document YAML text. */
  readonly yaml: string;
}

const TIERS = ['web', 'api', 'db'] as const;

/**
 * `workloads` Deployments spread over namespaces of about 20, three tiers per app, and about
 * `policiesPerWorkload` policies per workload: default deny per namespace, tier-to-tier allows
 * with named ports, DNS egress to kube-system, ingress from the ingress controller namespace,
 * egress to external CIDRs with excepts, and monitoring scrapes across namespaces.
 */
export function syntheticCluster(workloads: number, seed = 42, policiesPerWorkload = 0.2): SyntheticCluster {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const objects: Record<string, unknown>[] = [];
  const namespaceCount = Math.max(1, Math.round(workloads / 20));
  const namespaces = Array.from({ length: namespaceCount }, (_, k) => `team-${k}`);

  objects.push(namespaceObject('kube-system', {}), namespaceObject('ingress-nginx', { role: 'ingress' }), namespaceObject('monitoring', { role: 'monitoring' }));
  objects.push(deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }]));
  objects.push(deployment('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }, [{ name: 'http', containerPort: 80 }]));
  objects.push(deployment('monitoring', 'prometheus', { app: 'prometheus' }, [{ name: 'web', containerPort: 9090 }]));

  let made = 3;
  let policies = 0;
  const budget = Math.round(workloads * policiesPerWorkload);
  for (const [k, namespace] of namespaces.entries()) {
    objects.push(namespaceObject(namespace, { team: `t${k % 7}`, env: pick(['prod', 'staging', 'dev']) }));
    const perNamespace = Math.round(workloads / namespaceCount);
    for (let i = 0; i < perNamespace && made < workloads; i++, made++) {
      const app = `app${Math.floor(i / 3)}`;
      const tier = TIERS[i % 3]!;
      const port = tier === 'db' ? 5432 : 8080 + (i % 5);
      objects.push(
        deployment(namespace, `${app}-${tier}`, { app, tier, version: `v${Math.floor(random() * 3)}` }, [
          { name: tier === 'db' ? 'db' : 'http', containerPort: port },
          { name: 'metrics', containerPort: 9100 },
        ]),
      );
    }
    if (policies < budget) {
      objects.push(policy(namespace, 'default-deny', {}, ['Ingress', 'Egress'], undefined, undefined));
      objects.push(
        policy(namespace, 'allow-dns', {}, ['Egress'], undefined, [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
          },
        ]),
      );
      policies += 2;
    }
    for (let a = 0; policies < budget && a < perNamespace / 3; a++, policies++) {
      const app = `app${a}`;
      const kind = random();
      if (kind < 0.3) {
        objects.push(
          policy(namespace, `${app}-web`, { app, tier: 'web' }, ['Ingress'], [
            { from: [{ namespaceSelector: { matchLabels: { role: 'ingress' } } }], ports: [{ port: 'http' }] },
          ]),
        );
      } else if (kind < 0.6) {
        objects.push(
          policy(namespace, `${app}-api`, { app, tier: 'api' }, ['Ingress', 'Egress'], [
            { from: [{ podSelector: { matchLabels: { app, tier: 'web' } } }], ports: [{ port: 'http' }] },
            { from: [{ namespaceSelector: { matchLabels: { role: 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] },
          ], [
            { to: [{ podSelector: { matchLabels: { app, tier: 'db' } } }], ports: [{ port: 5432 }] },
            { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] },
          ]),
        );
      } else if (kind < 0.85) {
        objects.push(
          policy(namespace, `${app}-db`, { app, tier: 'db' }, ['Ingress'], [
            { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api'] }, { key: 'app', operator: 'In', values: [app] }] } }], ports: [{ port: 5432, endPort: 5433 }] },
          ]),
        );
      } else {
        const other = pick(namespaces);
        objects.push(
          policy(namespace, `${app}-partner`, { app }, ['Ingress'], [
            {
              from: [
                { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': other } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } },
                { ipBlock: { cidr: `10.${k % 256}.0.0/16`, except: [`10.${k % 256}.1.0/24`] } },
              ],
            },
          ]),
        );
      }
    }
  }
  return { objects, workloads: made, policies, yaml: objects.map((o) => dump(o, { noRefs: true })).join('---\n') };
}

function namespaceObject(name: string, labels: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function deployment(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ports: { name: string; containerPort: number; protocol?: string }[],
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `example/${name}:1`, ports }] } },
    },
  };
}

function policy(
  namespace: string,
  name: string,
  podLabels: Record<string, string>,
  policyTypes: string[],
  ingress: unknown[] | undefined,
  egress?: unknown[],
): Record<string, unknown> {
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
