import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { compareProfiles } from './compare.js';
import { resolveProfile } from './index.js';

const pod = (name: string, labels: string, ports = '[]') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: ${labels}}\nspec: {containers: [{name: c, image: x, ports: ${ports}}]}\n`;
const client = pod('client', '{app: client}');
const server = pod('server', '{app: server}', '[{name: http, containerPort: 8080}]');
const policy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n${spec}`;

function allowed(text: string, cni: string, from: string, to: string): string {
  const { result } = analyze([{ path: 'x.yaml', text }], { cni });
  const find = (id: string) => result.endpoints.find((e) => e.id === id)!;
  return result.allowed(find(from), find(to)).toString();
}

const C = 'default/client[Pod]';
const S = 'default/server[Pod]';

const ingressOnPort = (ports: string) =>
  [client, server, policy(`  podSelector: {matchLabels: {app: server}}\n  ingress: [{ports: ${ports}}]\n`)].join('---\n');

describe('network plugin profiles change the matrix as the plugin enforces', () => {
  it.each([
    // Each case is built so that applying the wrong capability changes the answer.
    ['generic', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000-8090'],
    ['kubenet', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'All Connections'],
    ['flannel', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'All Connections'],
    ['cilium@1.14', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000'],
    // Cilium 1.15 rejects a NetworkPolicy using endPort: it fails open.
    ['cilium@1.15', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'All Connections'],
    ['cilium@1.16', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000-8090'],
    ['cilium', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000-8090'],
    ['aci@6.1.1', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000'],
    ['aci@6.1.2.1', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000-8090'],
    ['azure-npm@1', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000'],
    ['azure-npm', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000-8090'],
    // Weave's npc builds each iptables rule from `port` alone and never reads endPort.
    ['weave', ingressOnPort('[{port: 8000, endPort: 8090}]'), 'TCP 8000'],
    // Weave rejects a policy with a named port: it fails open.
    ['weave', ingressOnPort('[{port: http}]'), 'All Connections'],
    ['calico', ingressOnPort('[{port: http}]'), 'TCP 8080'],
    ['azure-npm-windows', ingressOnPort('[{port: http}]'), 'All Connections'],
    ['azure-npm-windows', ingressOnPort('[{port: 9000, protocol: SCTP}]'), 'All Connections'],
    ['generic', ingressOnPort('[{port: 9000, protocol: SCTP}]'), 'SCTP 9000'],
  ])('%s', (cni, text, expected) => {
    expect(allowed(text, cni, C, S)).toBe(expected);
  });

  it('azure-npm-windows drops a policy using NotIn or DoesNotExist, and one with except', () => {
    const notIn = [client, server, policy('  podSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}\n  ingress: []\n')].join('---\n');
    expect(allowed(notIn, 'generic', C, S)).toBe('No Connections');
    expect(allowed(notIn, 'azure-npm-windows', C, S)).toBe('All Connections');
    const except = [client, server, policy('  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]\n')].join('---\n');
    expect(allowed(except, 'generic', C, S)).toBe('No Connections');
    expect(allowed(except, 'azure-npm-windows', C, S)).toBe('All Connections');
  });

  describe('azure-npm-windows skips a policy only over a feature in a rule NPM translates', () => {
    // NPM's TranslatePolicy translates only the directions policyTypes lists, and ingressPolicy/egressPolicy return
    // allow-all for a direction with a rule that has no ports and no peers before translating any of its rules.
    const a = pod('a', '{app: a}', '[{name: http, containerPort: 80}]');
    const b = pod('b', '{app: b}');
    const isolatingA = (spec: string, selector = '{matchLabels: {app: a}}') => [a, b, policy(`  podSelector: ${selector}\n${spec}`)].join('---\n');
    const A = 'default/a[Pod]';
    const B = 'default/b[Pod]';
    it.each([
      [
        'a named port in egress rules policyTypes leaves out',
        '  policyTypes: [Ingress]\n  ingress: [{from: [{podSelector: {matchLabels: {app: b}}}], ports: [{port: 80}]}]\n  egress: [{ports: [{port: http}]}]\n',
        'TCP 80',
      ],
      ['SCTP in egress rules policyTypes leaves out', '  policyTypes: [Ingress]\n  egress: [{ports: [{port: 9000, protocol: SCTP}]}]\n', 'No Connections'],
      ['an except in egress rules policyTypes leaves out', '  policyTypes: [Ingress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]\n', 'No Connections'],
      [
        'NotIn in a peer of egress rules policyTypes leaves out',
        '  policyTypes: [Ingress]\n  egress: [{to: [{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [x]}]}}]}]\n',
        'No Connections',
      ],
      ['a named port after an allow-all egress rule', '  policyTypes: [Ingress, Egress]\n  egress: [{}, {ports: [{port: http}]}]\n', 'No Connections'],
      ['a named port before an allow-all egress rule', '  policyTypes: [Ingress, Egress]\n  egress: [{ports: [{port: http}]}, {}]\n', 'No Connections'],
    ])('applies a policy with %s', (_case, spec, expected) => {
      const text = isolatingA(spec);
      expect(allowed(text, 'generic', B, A)).toBe(expected);
      expect(allowed(text, 'azure-npm-windows', B, A)).toBe(expected);
      expect(analyze([{ path: 'x.yaml', text }], { cni: 'azure-npm-windows' }).cni.effects).toEqual([]);
    });

    const negative = '{matchLabels: {app: a}, matchExpressions: [{key: tier, operator: DoesNotExist}]}';
    it.each([
      ['a named port in a translated rule', '  ingress: [{ports: [{port: http}]}]\n', undefined, 'TCP 80'],
      ['a named port beside an allow-all rule of the other direction', '  policyTypes: [Ingress, Egress]\n  ingress: [{ports: [{port: http}]}]\n  egress: [{}]\n', undefined, 'TCP 80'],
      // The policy's podSelector is translated first, whatever its directions hold.
      ['DoesNotExist in the podSelector', '  ingress: []\n', negative, 'No Connections'],
      // Later NPM (work_budget.go) also rejects NotIn and DoesNotExist in namespaceSelectors of translated rules.
      ['DoesNotExist in a namespaceSelector', '  ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: DoesNotExist}]}}]}]\n', undefined, 'No Connections'],
    ])('skips a policy with %s', (_case, spec, selector, declared) => {
      const text = isolatingA(spec, selector);
      expect(allowed(text, 'generic', B, A)).toBe(declared);
      expect(allowed(text, 'azure-npm-windows', B, A)).toBe('All Connections');
    });

    it("weave's analyser still rejects a policy over a named port in a rule NPM never translates", () => {
      const text = isolatingA('  policyTypes: [Ingress]\n  ingress: []\n  egress: [{ports: [{port: http}]}]\n');
      expect(allowed(text, 'azure-npm-windows', B, A)).toBe('No Connections');
      expect(allowed(text, 'weave', B, A)).toBe('All Connections');
    });

    it('points the effect at the first field NPM fails on, not at one in a rule it skips', () => {
      const text = isolatingA('  policyTypes: [Ingress]\n  ingress: [{ports: [{port: 9000, protocol: SCTP}]}]\n  egress: [{ports: [{port: http}]}]\n');
      const { cni } = analyze([{ path: 'x.yaml', text }], { cni: 'azure-npm-windows' });
      expect(cni.effects.map((e) => [e.kind, e.capability, text.slice(e.location.range.start, e.location.range.end)])).toEqual([
        ['policy-dropped', 'sctp', '{port: 9000, protocol: SCTP}'],
      ]);
    });
  });

  it('openshift-sdn ignores egress, and an ipBlock with except then matches nothing (not everything)', () => {
    const egress = [client, server, policy('  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]\n  egress: []\n')].join('---\n');
    expect(allowed(egress, 'generic', C, S)).toBe('No Connections');
    expect(allowed(egress, 'openshift-sdn', C, S)).toBe('All Connections');
    const ingress = [client, server, policy('  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]\n')].join('---\n');
    expect(allowed(ingress, 'generic', '10.0.0.0-10.0.255.255', S)).toBe('All Connections');
    // The ignored ipBlock no longer cuts the address space: one external range, admitted nowhere.
    expect(allowed(ingress, 'openshift-sdn', '0.0.0.0-255.255.255.255', S)).toBe('No Connections');
  });

  it('records an effect at the exact field, and unverified features as such', () => {
    const text = ingressOnPort('[{port: 8000, endPort: 8090}]');
    for (const profile of ['cilium@1.14', 'weave']) {
      const { cni } = analyze([{ path: 'x.yaml', text }], { cni: profile });
      expect(cni.effects.map((e) => [e.kind, e.capability, text.slice(e.location.range.start, e.location.range.end)])).toEqual([
        ['end-port-reduced', 'endPort', '{port: 8000, endPort: 8090}'],
      ]);
    }
    const sctp = ingressOnPort('[{port: 9000, protocol: SCTP}]');
    expect(analyze([{ path: 'x.yaml', text: sctp }], { cni: 'weave' }).cni.effects.map((e) => [e.kind, e.capability])).toEqual([['unverified', 'sctp']]);
  });
});

describe('rules of a direction policyTypes leaves out', () => {
  // The server is isolated for ingress by a default deny; a second policy selecting it lists only Egress, with an
  // ingress rule admitting the client.
  const other = pod('other', '{app: other}');
  const denyIngress = policy('  podSelector: {}\n  policyTypes: [Ingress]\n').replace('name: p', 'name: deny');
  const egressOnly = (ingress: string) =>
    policy(`  podSelector: {matchLabels: {app: server}}\n  policyTypes: [Egress]\n  egress: [{}]\n  ingress: ${ingress}\n`);
  const text = (ingress: string, ...more: string[]) => [client, server, other, egressOnly(ingress), ...more].join('---\n');

  it('weave applies them as allows where another policy isolates the pods (npc/analyser.go renders every rule)', () => {
    const isolated = text('[{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8080}]}]', denyIngress);
    expect(allowed(isolated, 'weave', C, S)).toBe('TCP 8080');
    expect(allowed(isolated, 'weave', 'default/other[Pod]', S)).toBe('No Connections');
    // The API says they have no effect: every other plugin follows it.
    expect(allowed(isolated, 'generic', C, S)).toBe('No Connections');
    expect(allowed(isolated, 'calico', C, S)).toBe('No Connections');
    // Alone they isolate nothing: the server's ingress stays open.
    const alone = text('[{from: [{podSelector: {matchLabels: {app: client}}}]}]');
    expect(allowed(alone, 'weave', 'default/other[Pod]', S)).toBe('All Connections');
    // explain names the rule that allows it.
    const { result } = analyze([{ path: 'x.yaml', text: isolated }], { cni: 'weave' });
    const find = (id: string) => result.endpoints.find((e) => e.id === id)!;
    const ingress = result.explain(find(C), find(S)).ingress;
    expect(ingress.isolatedBy.map((p) => p.name)).toEqual(['deny']);
    expect(ingress.allowedBy.map((a) => `${a.policy.name} ${a.rule.direction} ${a.rule.index}`)).toEqual(['p ingress 0']);
  });

  it('weave changes them as it changes other rules, and says where it applies them', () => {
    const ranged = text('[{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8000, endPort: 8090}]}]', denyIngress);
    expect(allowed(ranged, 'weave', C, S)).toBe('TCP 8000');
    const { cni } = analyze([{ path: 'x.yaml', text: ranged }], { cni: 'weave' });
    expect(cni.effects.map((e) => [e.kind, ranged.slice(e.location.range.start, e.location.range.end).split('\n')[0]])).toEqual([
      ['inactive-rules-applied', '{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8000, endPort: 8090}]}'],
      ['end-port-reduced', '{port: 8000, endPort: 8090}'],
    ]);
    // A named port in them still gets the whole policy rejected, and then nothing of it applies.
    const named = text('[{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: http}]}]', denyIngress);
    expect(allowed(named, 'weave', C, S)).toBe('No Connections');
  });
});

describe('profile resolution and detection', () => {
  it('resolves names and versions, and rejects unknown ones', () => {
    const cilium = resolveProfile('cilium@1.14');
    expect('error' in cilium ? cilium.error : cilium.capabilities.endPort).toBe('port-only');
    expect(resolveProfile('cilium@1.15.3')).toMatchObject({ capabilities: { endPort: 'policy-dropped' } });
    expect(resolveProfile('calico@v3.29')).toMatchObject({ family: { name: 'calico' }, version: [3, 29] });
    expect(resolveProfile('nope')).toHaveProperty('error');
    expect(resolveProfile('cilium@latest')).toHaveProperty('error');
  });

  it('detects Calico from its DaemonSet, and falls back to generic', () => {
    const calicoNode = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node, namespace: kube-system}\nspec:\n  selector: {matchLabels: {k8s-app: calico-node}}\n  template:\n    metadata: {labels: {k8s-app: calico-node}}\n    spec: {hostNetwork: true, containers: [{name: calico-node, image: calico/node}]}\n`;
    const detected = analyze([{ path: 'x.yaml', text: calicoNode }]).cni;
    expect(detected).toMatchObject({ how: 'detected', profile: { id: 'calico' }, description: 'DaemonSet kube-system/calico-node' });
    expect(analyze([{ path: 'x.yaml', text: client }]).cni).toMatchObject({ how: 'default', profile: { id: 'generic' } });
    expect(analyze([{ path: 'x.yaml', text: calicoNode }], { cni: 'cilium' }).cni.how).toBe('declared');
  });

  it('detects Calico from a Calico resource when no agent DaemonSet says otherwise', () => {
    const tier = 'apiVersion: crd.projectcalico.org/v1\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n';
    const detected = analyze([{ path: 'x.yaml', text: tier }]).cni;
    expect(detected).toMatchObject({ how: 'detected', profile: { id: 'calico' }, description: 'Calico resource Tier security (crd.projectcalico.org/v1)' });
    const canal = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: canal, namespace: kube-system}\nspec:\n  selector: {matchLabels: {k8s-app: canal}}\n  template:\n    metadata: {labels: {k8s-app: canal}}\n    spec: {containers: [{name: calico-node, image: calico/node}]}\n`;
    expect(analyze([{ path: 'x.yaml', text: `${tier}---\n${canal}` }]).cni).toMatchObject({ how: 'detected', profile: { id: 'canal' } });
  });

  it("drops a policy over a feature in a direction its policyTypes leaves out: Weave's analyser scans every rule", () => {
    const text = `${client}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: egress-only}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{ports: [{port: http}]}]\n`;
    const weave = analyze([{ path: 'x.yaml', text }], { cni: 'weave' });
    expect(weave.cni.effects.map((e) => [e.kind, e.capability, text.slice(e.location.range.start, e.location.range.end)])).toEqual([['policy-dropped', 'namedPorts', '{port: http}']]);
    expect(weave.result.policiesSelecting(weave.result.workloads[0]!.workload).egress).toEqual([]);
    const generic = analyze([{ path: 'x.yaml', text }], { cni: 'generic' });
    expect(generic.result.policiesSelecting(generic.result.workloads[0]!.workload).egress.map((p) => p.name)).toEqual(['egress-only']);
  });

  it("detects the plugin from its CustomResourceDefinitions' API group", () => {
    const crd = (name: string, group: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ${name}}\nspec: {group: ${group}, names: {kind: X, plural: xs}, scope: Namespaced}\n`;
    const cilium = analyze([{ path: 'x.yaml', text: crd('ciliumnetworkpolicies.cilium.io', 'cilium.io') }]);
    expect(cilium.cni).toMatchObject({ how: 'detected', profile: { id: 'cilium' }, description: 'CustomResourceDefinition ciliumnetworkpolicies.cilium.io' });
    expect(cilium.issues).toEqual([]);
    const calico = analyze([{ path: 'x.yaml', text: crd('tiers.crd.projectcalico.org', 'crd.projectcalico.org') }]);
    expect(calico.cni).toMatchObject({ how: 'detected', profile: { id: 'calico' } });
    const other = analyze([{ path: 'x.yaml', text: crd('certificates.cert-manager.io', 'cert-manager.io') }]);
    expect(other.cni.how).toBe('default');
  });

  it('lists the paths whose verdict differs between two profiles', () => {
    const text = ingressOnPort('[{port: 8000, endPort: 8090}]');
    const before = analyze([{ path: 'x.yaml', text }], { cni: 'cilium@1.16' });
    const after = analyze([{ path: 'x.yaml', text }], { cni: 'cilium@1.14' });
    expect(compareProfiles(before, after).map((d) => `${d.source} => ${d.destination} : ${d.before} | ${d.after}`)).toEqual([
      '0.0.0.0-255.255.255.255 => default/server[Pod] : TCP 8000-8090 | TCP 8000',
      'default/client[Pod] => default/server[Pod] : TCP 8000-8090 | TCP 8000',
    ]);
  });
});

describe('pod IPs and ipBlocks, by what the plugin matches', () => {
  const withIp = (name: string, status: string, owner = '') =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: client}${owner}}\nspec: {containers: [{name: c, image: x}]}\nstatus: ${status}\n`;
  const text = [
    server,
    withIp('inside', '{podIP: 10.0.1.7}'),
    withIp('excepted', '{podIP: 10.0.5.7}'),
    // Dual stack: the IPv4 address decides, the IPv6 one lies in no ipBlock.
    withIp('dual', '{podIPs: [{ip: "fd00::7"}, {ip: 10.0.2.9}]}'),
    // A controller's pod stands for its controller, whose pods share no address.
    withIp('owned-abc', '{podIP: 10.0.1.8}', ', ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: owned, uid: u, controller: true}]'),
    withIp('elsewhere', '{podIP: 192.168.0.4}'),
    policy('  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.5.0/24]}}], ports: [{port: 8080}]}]\n'),
  ].join('---\n');
  const clients = ['inside', 'dual', 'excepted', 'owned[ReplicaSet]', 'elsewhere'].map((name) => `default/${name.includes('[') ? name : `${name}[Pod]`}`);
  const verdicts = (cni: string) => clients.map((client) => `${client}: ${allowed(text, cni, client, S)}`);

  it.each(['ovn-kubernetes', 'calico', 'canal'])('%s matches a pod whose IP lies in cidr minus except, and no other', (cni) => {
    expect(verdicts(cni)).toEqual([
      'default/inside[Pod]: TCP 8080',
      'default/dual[Pod]: TCP 8080',
      'default/excepted[Pod]: No Connections',
      'default/owned[ReplicaSet]: No Connections',
      'default/elsewhere[Pod]: No Connections',
    ]);
    const { result } = analyze([{ path: 'x.yaml', text }], { cni });
    const inside = result.endpoints.find((e) => e.id === 'default/inside[Pod]')!;
    const explanation = result.explain(inside, result.endpoints.find((e) => e.id === S)!);
    expect(explanation.ingress.allowedBy.map((c) => `${c.policy.id} rule ${c.rule.index + 1}: ${c.connections.toString()}`)).toEqual(['default/p rule 1: TCP 8080']);
  });

  it('calico matches pods with ipBlocks also when its own tiers lie over the NetworkPolicies', () => {
    // libcalico-go's conversion.go turns an ipBlock into nets and notNets, which match any address, pods included. A
    // GlobalNetworkPolicy selecting another workload puts Calico's tiers over the NetworkPolicy result.
    const elsewhere = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec:\n  selector: app == \'other\'\n  types: [Ingress]\n  ingress: [{action: Allow, source: {nets: [10.0.0.0/16]}}]\n';
    const layered = `${text}---\n${elsewhere}`;
    expect(analyze([{ path: 'x.yaml', text: layered }], { cni: 'calico' }).calico.policies).toHaveLength(1);
    expect(allowed(layered, 'calico', 'default/inside[Pod]', S)).toBe('TCP 8080');
    expect(allowed(layered, 'calico', 'default/excepted[Pod]', S)).toBe('No Connections');
  });

  it.each(['calico', 'ovn-kubernetes'])('%s matches a pod template only by a block covering its family, with no except', (cni) => {
    // The template's pods get their addresses at run time: 0.0.0.0/0 surely holds them; "the internet", 0.0.0.0/0
    // except the private ranges, most likely does not, as pod addresses are private. A pod whose known address is IPv6
    // lies in no IPv4 block, not even in 0.0.0.0/0. (With pods of both families in the input, the cluster is dual
    // stack: a template's pods have addresses of both.)
    const template = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: client}}\n  template:\n    metadata: {labels: {app: client}}\n    spec: {containers: [{name: c, image: x}]}\n';
    const from = (block: string) =>
      [server, template, withIp('six', '{podIP: "fd00::7"}'), withIp('four', '{podIP: 10.9.9.9}'), policy(`  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: [{ipBlock: ${block}}], ports: [{port: 8080}]}]\n`)].join('---\n');
    expect(allowed(from('{cidr: 0.0.0.0/0}'), cni, 'default/web[Deployment]', S)).toBe('TCP 8080');
    expect(allowed(from('{cidr: 0.0.0.0/0}'), cni, 'default/six[Pod]', S)).toBe('No Connections');
    expect(allowed(from('{cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}'), cni, 'default/web[Deployment]', S)).toBe('No Connections');
    expect(allowed(from('{cidr: 10.0.0.0/8}'), cni, 'default/web[Deployment]', S)).toBe('No Connections');
    expect(allowed(from('{cidr: 0.0.0.0/0}'), 'cilium', 'default/web[Deployment]', S)).toBe('No Connections');
  });

  it.each(['calico', 'ovn-kubernetes'])('%s: the blocks of a rule hold a pod template together, in the families of the pods of the input', (cni) => {
    const template = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: client}}\n  template:\n    metadata: {labels: {app: client}}\n    spec: {containers: [{name: c, image: x}]}\n';
    const from = (peers: string, ...pods: string[]) =>
      [server, template, ...pods, policy(`  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: ${peers}, ports: [{port: 8080}]}]\n`)].join('---\n');
    // Two halves of IPv4 hold every address of it, as 0.0.0.0/0 does; two blocks leaving a gap do not.
    expect(allowed(from('[{ipBlock: {cidr: 0.0.0.0/1}}, {ipBlock: {cidr: 128.0.0.0/1}}]'), cni, 'default/web[Deployment]', S)).toBe('TCP 8080');
    expect(allowed(from('[{ipBlock: {cidr: 0.0.0.0/1}}, {ipBlock: {cidr: 128.0.0.0/2}}]'), cni, 'default/web[Deployment]', S)).toBe('No Connections');
    expect(allowed(from('[{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}, {ipBlock: {cidr: 10.0.0.0/8}}]'), cni, 'default/web[Deployment]', S)).toBe('TCP 8080');
    // Rules are not blocks of one another: a rule of its own on the other half does not complete the first.
    const twoRules = from('[{ipBlock: {cidr: 0.0.0.0/1}}]').replace('ports: [{port: 8080}]}]', 'ports: [{port: 8080}]}, {from: [{ipBlock: {cidr: 128.0.0.0/1}}], ports: [{port: 8080}]}]');
    expect(allowed(twoRules, cni, 'default/web[Deployment]', S)).toBe('No Connections');
    // ::/0 holds no address of the pods of a cluster whose pods are IPv4 (most are; the input shows no IPv6 pod), and
    // every address of those of an IPv6 cluster.
    expect(allowed(from('[{ipBlock: {cidr: "::/0"}}]'), cni, 'default/web[Deployment]', S)).toBe('No Connections');
    expect(allowed(from('[{ipBlock: {cidr: "::/0"}}]', withIp('six', '{podIP: "fd00::7"}')), cni, 'default/web[Deployment]', S)).toBe('TCP 8080');
    expect(allowed(from('[{ipBlock: {cidr: 0.0.0.0/0}}]', withIp('six', '{podIP: "fd00::7"}')), cni, 'default/web[Deployment]', S)).toBe('No Connections');
  });

  it.each(['calico', 'ovn-kubernetes'])("%s matches a hostNetwork pod by its node's address, like any address", (cni) => {
    // "Traffic to/from hostNetwork pods is treated the same as all other traffic to/from the node IP" (kubernetes.io,
    // network policies): a block holding the node's address matches it; pod selectors still never do.
    const host = (name: string, status: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: client}}\nspec: {hostNetwork: true, containers: [{name: c, image: x}]}\n${status}`;
    const daemon = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: client}}\n  template:\n    metadata: {labels: {app: client}}\n    spec: {hostNetwork: true, containers: [{name: c, image: x}]}\n';
    const from = (peers: string) =>
      [server, host('node-a', 'status: {podIP: 192.168.1.10}\n'), host('node-b', 'status: {podIP: 172.16.0.3}\n'), daemon,
        policy(`  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: ${peers}, ports: [{port: 8080}]}]\n`)].join('---\n');
    const nodeSubnet = from('[{ipBlock: {cidr: 192.168.1.0/24}}]');
    expect(allowed(nodeSubnet, cni, 'default/node-a[Pod]', S)).toBe('TCP 8080');
    expect(allowed(nodeSubnet, cni, 'default/node-b[Pod]', S)).toBe('No Connections');
    expect(allowed(nodeSubnet, cni, 'default/agent[DaemonSet]', S)).toBe('No Connections');
    // A template's node is not known: only blocks covering the family hold its address.
    expect(allowed(from('[{ipBlock: {cidr: 0.0.0.0/0}}]'), cni, 'default/agent[DaemonSet]', S)).toBe('TCP 8080');
    expect(allowed(from('[{podSelector: {matchLabels: {app: client}}}]'), cni, 'default/node-a[Pod]', S)).toBe('No Connections');
    expect(allowed(nodeSubnet, 'cilium', 'default/node-a[Pod]', S)).toBe('No Connections');
  });

  it.each(['cilium', 'generic'])('%s (ipBlocks match no pod, or unknown) matches external ranges only', (cni) => {
    expect(verdicts(cni)).toEqual(clients.map((client) => `${client}: No Connections`));
    expect(allowed(text, cni, '10.0.0.0-10.0.4.255', S)).toBe('TCP 8080');
  });
});

describe('the effective model', () => {
  it('keeps a policy the plugin enforces as written as the same object, and transforms only what it changes', () => {
    const text = ingressOnPort('[{port: 8000, endPort: 8090}]') + '---\n' + policy('  podSelector: {matchLabels: {app: client}}\n  ingress: [{ports: [{port: 80}]}]\n').replace('name: p', 'name: q');
    const declared = (cni: string) => {
      const analysis = analyze([{ path: 'x.yaml', text }], { cni });
      return { declared: analysis.model.policies, effective: analysis.result.model.policies };
    };
    const calico = declared('calico');
    expect(calico.effective).toHaveLength(2);
    calico.effective.forEach((p, k) => expect(p).toBe(calico.declared[k]));
    // Cilium 1.14 reduces endPort to its first port: that policy is a new object, the other one is kept.
    const cilium = declared('cilium@1.14');
    expect(cilium.effective[0]).not.toBe(cilium.declared[0]);
    expect(cilium.effective[0]!.ingress!.rules[0]!.ports).not.toEqual(cilium.declared[0]!.ingress!.rules[0]!.ports);
    expect(cilium.effective[1]).toBe(cilium.declared[1]);
  });
});
