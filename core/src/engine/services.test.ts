import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { formatIpRange } from '../semantics/ip.js';
import { analyzeServices } from './services.js';

const controller = (options: { hostNetwork?: boolean; name?: string; namespace?: string; labels?: string } = {}) => {
  const name = options.name ?? 'ingress-nginx-controller';
  const labels = options.labels ?? '{app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}';
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${options.namespace ?? 'ingress-nginx'}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      hostNetwork: ${options.hostNetwork === true}
      containers: [{name: c, image: x, ports: [{name: http, containerPort: 80}, {name: https, containerPort: 443}]}]
`;
};
const loadBalancer = (extra = '', namespace = 'ingress-nginx', selector = '{app.kubernetes.io/name: ingress-nginx}') => `apiVersion: v1
kind: Service
metadata: {name: edge, namespace: ${namespace}}
spec:
  type: LoadBalancer
${extra}  selector: ${selector}
  ports: [{name: http, port: 80, targetPort: http}, {name: https, port: 443, targetPort: https}]
`;
const denyAll = (namespace = 'ingress-nginx') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: ${namespace}}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`;
const admitBlock = (cidr: string, port: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: outside, namespace: ingress-nginx}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: ${cidr}}}], ports: [{port: ${port}}]}]\n`;
const backend = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: storefront, namespace: shop}
spec:
  defaultBackend: {service: {name: api, port: {number: 80}}}
`;

function layerOf(...documents: string[]) {
  return analyzeServices(analyze([{ path: 't.yaml', text: documents.join('---\n') }]));
}

/** How outside clients reach each ingress controller, and the Ingress exposures through which controller. */
function outside(...documents: string[]) {
  const layer = layerOf(...documents);
  return {
    reach: layer.ingressControllers.map((c) => {
      const reach = layer.outsideReach(c);
      return reach.kind === 'services'
        ? { controller: c.id, kind: reach.kind, ports: reach.ports.map((p) => `${p.service.id} ${p.port.port} -> ${p.targetPort}`) }
        : { controller: c.id, ...reach };
    }),
    ingressExposures: layer
      .exposures()
      .flatMap((e) => (e.sources.kind === 'ingress-controller' ? [`${e.workload.id} via ${e.sources.controller.id}`] : [])),
  };
}

const NGINX = 'ingress-nginx/ingress-nginx-controller[Deployment]';

describe('outside clients to the ingress controller (hop 1 of an Ingress path)', () => {
  it('reaches the controller through the ports of its LoadBalancer Service that its policies admit', () => {
    expect(outside(controller(), loadBalancer(), backend)).toEqual({
      reach: [{ controller: NGINX, kind: 'services', ports: ['ingress-nginx/edge 80 -> 80', 'ingress-nginx/edge 443 -> 443'] }],
      ingressExposures: ['shop/api[Deployment] via ' + NGINX],
    });
    expect(outside(controller(), loadBalancer(), denyAll(), admitBlock('0.0.0.0/0', 'https'), backend).reach).toEqual([
      { controller: NGINX, kind: 'services', ports: ['ingress-nginx/edge 443 -> 443'] },
    ]);
  });

  it('exposes no Ingress route through a controller whose Services admit no outside client', () => {
    expect(outside(controller(), loadBalancer(), denyAll(), backend)).toEqual({
      reach: [{ controller: NGINX, kind: 'unreachable', because: 'services-admit-none' }],
      ingressExposures: [],
    });
    // externalTrafficPolicy Local: the pod sees the client's address, which a pod-only rule does not admit.
    const podsOnly = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: pods, namespace: ingress-nginx}\nspec:\n  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n`;
    expect(outside(controller(), loadBalancer('  externalTrafficPolicy: Local\n'), podsOnly, backend).ingressExposures).toEqual([]);
  });

  it('without a Service of the input: reachable only if its policies admit some address outside the cluster', () => {
    expect(outside(controller(), backend).reach).toEqual([{ controller: NGINX, kind: 'unpublished' }]);
    expect(outside(controller(), denyAll(), backend)).toEqual({
      reach: [{ controller: NGINX, kind: 'unreachable', because: 'policies-admit-none' }],
      ingressExposures: [],
    });
    expect(outside(controller(), denyAll(), admitBlock('203.0.113.0/24', '443'), backend).reach).toEqual([{ controller: NGINX, kind: 'unpublished' }]);
    // A hostNetwork controller is not subject to the policies of its namespace.
    expect(outside(controller({ hostNetwork: true }), denyAll(), backend).reach).toEqual([{ controller: NGINX, kind: 'unpublished' }]);
  });

  it('assumes a controller that is not in the input reachable', () => {
    expect(outside(backend)).toEqual({
      reach: [{ controller: '{ingress-controller}', kind: 'assumed' }],
      ingressExposures: ['shop/api[Deployment] via {ingress-controller}'],
    });
  });

  it('keeps the exposures through a reachable controller when another is not reachable', () => {
    const traefik = controller({ name: 'traefik', namespace: 'traefik', labels: '{app.kubernetes.io/name: traefik}' });
    const result = outside(controller(), loadBalancer(), denyAll(), traefik, loadBalancer('', 'traefik', '{app.kubernetes.io/name: traefik}'), backend);
    expect(result.reach.map((r) => [r.controller, r.kind])).toEqual([
      [NGINX, 'unreachable'],
      ['traefik/traefik[Deployment]', 'services'],
    ]);
    expect(result.ingressExposures).toEqual(['shop/api[Deployment] via traefik/traefik[Deployment]']);
  });
});

describe('a client toward the target of an ExternalName Service (an address outside the cluster)', () => {
  const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
  const egress = (...peers: string[]) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [${peers.join(', ')}], ports: [{port: 443}]}]\n`;

  function reach(...documents: string[]) {
    const layer = layerOf(web, ...documents);
    const result = layer.externalTargetReach(layer.endpoint(layer.result.workloads[0]!.workload), 'TCP', 443);
    return { allowed: result.allowed.map(formatIpRange), denied: result.denied.length };
  }

  it('lists the outside ranges the egress allows on the port, adjacent ones joined', () => {
    expect(reach()).toEqual({ allowed: ['0.0.0.0-255.255.255.255'], denied: 0 });
    expect(reach(egress('{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}'))).toEqual({
      allowed: ['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255'],
      denied: 1,
    });
    // 192.168.0.0/16 cuts the address space further; the allowed ranges on both sides of it are one.
    const other = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: lan, namespace: other}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16}}]}]\n`;
    expect(reach(egress('{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}'), other).allowed).toEqual(['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255']);
    // Pod and namespace selectors match no address outside the cluster.
    expect(reach(egress('{namespaceSelector: {}}'))).toEqual({ allowed: [], denied: 1 });
  });

  it('counts IPv6 addresses once some policy names an IPv6 range: 0.0.0.0/0 then allows only some', () => {
    expect(reach(egress('{ipBlock: {cidr: 0.0.0.0/0}}', '{ipBlock: {cidr: "2001:db8::/32"}}'))).toEqual({
      allowed: ['0.0.0.0-255.255.255.255', '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
      denied: 2,
    });
  });
});

describe('virtual components through admin and Calico tiers', () => {
  const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: front, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
  const coredns = `apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec: {containers: [{name: coredns, image: x, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]}]}
`;
  const anp = (egress: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: dns}
spec:
  priority: 10
  subject: {namespaces: {}}
  egress:
${egress}`;
  const egressDenyAll = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: front}\nspec: {podSelector: {}, policyTypes: [Egress]}\n';

  /** What web reaches of cluster DNS on UDP 53: virtual (no DNS pods in the input), then with a coredns Deployment. */
  function dnsReach(cni: string | undefined, ...documents: string[]) {
    return [[], [coredns]].map((extra) => {
      const analysis = analyze([{ path: 't.yaml', text: [web, ...documents, ...extra].join('---\n') }], cni === undefined ? {} : { cni });
      const layer = analyzeServices(analysis);
      const client = layer.endpoint(analysis.result.workloads.find((e) => e.workload.name === 'web')!.workload);
      const dns = layer.clusterDns[0]!;
      const hop = layer.hop(client, dns);
      return { dns: dns.id, sure: hop.connections.allows('UDP', 53), possible: hop.possible.allows('UDP', 53) };
    });
  }

  it('denies the DNS hop where an AdminNetworkPolicy denies egress to its namespace, whether DNS pods are in the input or not', () => {
    const deny = anp('    - {name: no-dns, action: Deny, to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]}\n');
    expect(dnsReach(undefined, deny)).toEqual([
      { dns: '{cluster-dns}', sure: false, possible: false },
      { dns: 'kube-system/coredns[Deployment]', sure: false, possible: false },
    ]);
  });

  it('allows the DNS hop where an AdminNetworkPolicy allows it above a NetworkPolicy egress default deny', () => {
    const allow = anp(`    - name: dns
      action: Allow
      to: [{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}}]
      ports: [{portNumber: {port: 53, protocol: UDP}}, {portNumber: {port: 53, protocol: TCP}}]
`);
    expect(dnsReach(undefined, allow, egressDenyAll).map((r) => r.sure)).toEqual([true, true]);
    expect(dnsReach(undefined, egressDenyAll).map((r) => r.sure)).toEqual([false, false]);
  });

  it('denies the DNS hop where a Calico policy denies egress to kube-system, by namespace selector or by the namespace label', () => {
    const gnp = (destination: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: no-dns}
spec:
  selector: all()
  types: [Egress]
  egress:
    - {action: Deny, destination: {${destination}}}
    - {action: Allow}
`;
    for (const destination of ["namespaceSelector: projectcalico.org/name == 'kube-system'", "selector: projectcalico.org/namespace == 'kube-system' && k8s-app == 'kube-dns'"]) {
      expect(dnsReach('calico', gnp(destination)).map((r) => [r.sure, r.possible])).toEqual([
        [false, false],
        [false, false],
      ]);
    }
    // A selector on a label the DNS pods lack does not deny them.
    expect(dnsReach('calico', gnp("selector: app == 'dns'")).map((r) => r.sure)).toEqual([true, true]);
  });

  it('leaves a verdict on the virtual ingress controller open where a rule may or may not match it', () => {
    const ingressGnp = (source: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: shop}
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress:
    - {action: Deny, source: {${source}}}
    - {action: Allow}
`;
    const reach = (source: string) => {
      const analysis = analyze([{ path: 't.yaml', text: [backend, ingressGnp(source)].join('---\n') }], { cni: 'calico' });
      const layer = analyzeServices(analysis);
      const [controller] = layer.ingressControllers;
      const hop = layer.hop(controller!, layer.endpoint(analysis.result.workloads[0]!.workload));
      return [controller!.id, hop.connections.allows('TCP', 8080), hop.possible.allows('TCP', 8080)];
    };
    // Its namespace and labels are unknown: a deny of some namespace may or may not hold it; one of every pod surely does.
    expect(reach("namespaceSelector: projectcalico.org/name == 'ingress-nginx'")).toEqual(['{ingress-controller}', false, true]);
    expect(reach("selector: app == 'nginx'")).toEqual(['{ingress-controller}', false, true]);
    expect(reach('selector: all()')).toEqual(['{ingress-controller}', false, false]);
    expect(reach('nets: [192.0.2.0/24]')).toEqual(['{ingress-controller}', true, true]);
  });
});

describe('exposure through admin and Calico tiers', () => {
  const shopWeb = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;
  const other = 'apiVersion: v1\nkind: Pod\nmetadata: {name: other, namespace: other, labels: {app: o}}\nspec: {containers: [{name: c, image: x}]}\n';

  function exposure(cni: string | undefined, ...documents: string[]) {
    const analysis = analyze([{ path: 't.yaml', text: [shopWeb, other, ...documents].join('---\n') }], cni === undefined ? {} : { cni });
    const layer = analyzeServices(analysis);
    const web = layer.crossNamespaceAdmissions().find((a) => a.workload.name === 'web')!;
    return {
      outside: layer.exposures().map((e) => (e.sources.kind === 'node-address' ? (e.sources.onlyIfNodeIn ?? 'every address') : e.sources.kind)),
      isolated: web.isolated,
      anyPod: web.anyPod.toString(),
      anyPodPossible: web.anyPodPossible.toString(),
      from: web.from.map((f) => `${f.source.id}: ${f.connections.toString()}`),
    };
  }

  it('publishes nothing where a Calico policy denies all ingress', () => {
    const denyAll = 'apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: deny-all}\nspec: {selector: all(), types: [Ingress]}\n';
    expect(exposure('calico', denyAll)).toEqual({ outside: [], isolated: true, anyPod: 'No Connections', anyPodPossible: 'No Connections', from: [] });
  });

  it('keeps outside clients where a baseline policy denies every pod, since a node address is no pod', () => {
    const banp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress: [{name: deny-pods, action: Deny, from: [{namespaces: {}}]}]
`;
    expect(exposure(undefined, banp)).toEqual({ outside: ['every address'], isolated: true, anyPod: 'No Connections', anyPodPossible: 'No Connections', from: [] });
  });

  it('admits a pod of another namespace only possibly where an admin policy denies some namespaces', () => {
    const anp = (namespace: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress: [{name: deny, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ${namespace}}}}]}]
`;
    const pods = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n';
    expect(exposure(undefined, anp('other'), pods)).toEqual({ outside: [], isolated: true, anyPod: 'No Connections', anyPodPossible: 'All Connections', from: [] });
    // A pod of another namespace is never in shop: a deny of shop's own pods leaves it admitted.
    expect(exposure(undefined, anp('shop'), pods)).toMatchObject({ anyPod: 'All Connections', from: ['other/other[Pod]: All Connections'] });
  });

  it('lists the node addresses a Calico policy admits behind externalTrafficPolicy Cluster', () => {
    const gnp = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: office}
spec:
  selector: app == 'web'
  types: [Ingress]
  ingress:
    - {action: Allow, source: {nets: [198.51.100.0/24]}}
    - {action: Deny, source: {nets: [0.0.0.0/0]}}
    - {action: Allow}
`;
    expect(exposure('calico', gnp).outside).toEqual([['198.51.100.0/24']]);
  });
});
