// Calico tiers, order, actions and matches, each case built so that getting precedence or defaulting wrong fails it.
import { describe, expect, it } from 'vitest';
import { analyze, analyzeLoaded } from '../analyze.js';
import { loadManifests } from '../manifest/index.js';
import { mergeLoadResults } from '../manifest/merge.js';
import type { Endpoint } from '../engine/endpoints.js';
import type { PodAddress } from '../model/cluster.js';
import { parseIp } from '../semantics/ip.js';
import { CalicoConnectivityResult, type CalicoPairExplanation } from './evaluate.js';

// client/web (app=web, service account web-sa) and server/api (app=api, ports http=8080/TCP, dns=53/UDP), plus
// server/db (app=db) and a hostNetwork agent in server.
const PODS = `
apiVersion: v1
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
spec:
  serviceAccountName: web-sa
  containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: server, labels: {app: api}}
spec:
  containers:
  - name: c
    image: x
    ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: server, labels: {app: db}}
spec:
  containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: server, labels: {app: agent}}
spec:
  hostNetwork: true
  containers: [{name: c, image: x}]
`;

const doc = (text: string) => `\n---\n${text.trim()}\n`;

function tier(name: string, order: number | undefined, defaultAction?: 'Deny' | 'Pass'): string {
  const fields = [
    order === undefined ? '' : `order: ${order}`,
    defaultAction === undefined ? '' : `defaultAction: ${defaultAction}`,
  ].filter(Boolean);
  return doc(
    `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: {${fields.join(', ')}}`,
  );
}

function gnp(name: string, spec: string): string {
  return doc(
    `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`,
  );
}

function cnp(name: string, namespace: string, spec: string): string {
  return doc(
    `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n${spec}`,
  );
}

const K8S_ALLOW_8080 = doc(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: server}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{ports: [{port: 8080}]}]`);

function analysisOf(yaml: string, cni = 'calico') {
  return analyze([{ path: 'test.yaml', text: PODS + yaml }], { cni });
}

/** For every pair, the walk with records (explain) answers what the compiled tiers (allowed) do. */
function expectWalkAndFoldAgree(yaml: string): void {
  const { result } = analysisOf(yaml);
  for (const source of result.endpoints)
    for (const destination of result.endpoints)
      if (source !== destination)
        expect(result.explain(source, destination).connections.toString()).toBe(result.allowed(source, destination).toString());
}

function between(yaml: string, from: string, to: string, cni = 'calico'): string {
  const analysis = analysisOf(yaml, cni);
  const find = (id: string): Endpoint => {
    const endpoint = analysis.result.endpoints.find((e) => e.id === id);
    if (endpoint === undefined)
      throw new Error(`no endpoint ${id} in ${analysis.result.endpoints.map((e) => e.id).join(', ')}`);
    return endpoint;
  };
  return analysis.result.allowed(find(from), find(to)).toString();
}

const webToApi = (yaml: string, cni = 'calico') => between(yaml, 'client/web[Pod]', 'server/api[Pod]', cni);

/** An ingress GNP on server/api in a tier. */
const onApi = (name: string, tierName: string, order: number | undefined, rules: string) =>
  gnp(
    name,
    `  tier: ${tierName}\n${order === undefined ? '' : `  order: ${order}\n`}  selector: app == 'api'\n  ingress:\n${rules}`,
  );

describe('Calico: tiers', () => {
  it('a Deny in an earlier tier beats a Kubernetes NetworkPolicy allow (default tier)', () => {
    const yaml =
      tier('security', 100) +
      onApi(
        'deny-web',
        'security',
        1,
        "  - {action: Deny, source: {selector: app == 'web', namespaceSelector: all()}}",
      ) +
      K8S_ALLOW_8080;
    expect(webToApi(yaml)).toBe('No Connections');
  });

  it('Pass goes to the next tier that applies: the Kubernetes policy in the default tier decides', () => {
    const yaml =
      tier('security', 100) +
      onApi('pass-web', 'security', 1, "  - {action: Pass, source: {namespaceSelector: team == 'a'}}") +
      K8S_ALLOW_8080;
    expect(webToApi(yaml)).toBe('TCP 8080');
  });

  it('Pass past the last applying tier reaches the namespace profile, which allows', () => {
    const yaml =
      tier('security', 100) +
      onApi('pass-web', 'security', 1, "  - {action: Pass, source: {namespaceSelector: team == 'a'}}");
    expect(webToApi(yaml)).toBe('All Connections');
  });

  it('a tier that applies but takes no action drops the packet (defaultAction Deny)', () => {
    const yaml =
      tier('security', 100) +
      onApi('only-db', 'security', 1, "  - {action: Allow, source: {selector: app == 'db'}}");
    expect(webToApi(yaml)).toBe('No Connections');
  });

  it('defaultAction: Pass sends what no rule decided to the next tier', () => {
    const yaml =
      tier('security', 100, 'Pass') +
      onApi('only-db', 'security', 1, "  - {action: Allow, source: {selector: app == 'db'}}");
    expect(webToApi(yaml)).toBe('All Connections');
  });

  it('a tier with no policy applying to the endpoint is skipped (its default action does not drop)', () => {
    const yaml =
      tier('security', 100) +
      gnp('db-only', "  tier: security\n  selector: app == 'db'\n  ingress: [{action: Deny}]\n");
    expect(webToApi(yaml)).toBe('All Connections');
  });

  it('tiers run in order, not in input order: the lower order decides first', () => {
    const yaml =
      tier('late', 500) +
      tier('early', 50) +
      onApi('late-deny', 'late', 1, '  - {action: Deny}') +
      onApi('early-allow', 'early', 1, '  - {action: Allow, protocol: TCP, destination: {ports: [8080]}}');
    // early allows TCP 8080; the rest goes on to `late`, which denies it.
    expect(webToApi(yaml)).toBe('TCP 8080');
  });

  it('a tier without order comes after every ordered tier, the default tier included', () => {
    const yaml =
      tier('unordered', undefined) + onApi('deny', 'unordered', 1, '  - {action: Deny}') + K8S_ALLOW_8080;
    // The default tier (order 1,000,000) applies first: it allows 8080 and drops the rest at its end.
    expect(webToApi(yaml)).toBe('TCP 8080');
  });

  it('a policy in a tier the input does not define is not applied', () => {
    expect(webToApi(onApi('deny', 'missing', 1, '  - {action: Deny}'))).toBe('All Connections');
  });
});

describe('Calico: order and actions inside a tier', () => {
  it('a Calico Deny at order 500 in the default tier runs before Kubernetes policies (order 1000)', () => {
    expect(webToApi(onApi('deny', 'default', 500, '  - {action: Deny}') + K8S_ALLOW_8080)).toBe(
      'No Connections',
    );
  });

  it('a Calico Deny at order 2000 runs after them: the Kubernetes allow decides first', () => {
    expect(webToApi(onApi('deny', 'default', 2000, '  - {action: Deny}') + K8S_ALLOW_8080)).toBe('TCP 8080');
  });

  it('a policy without order comes after ordered ones in its tier', () => {
    const yaml =
      tier('t', 10) +
      onApi('a-unordered', 't', undefined, '  - {action: Deny}') +
      onApi('z-ordered', 't', 99, '  - {action: Allow}');
    expect(webToApi(yaml)).toBe('All Connections');
  });

  it('equal orders break ties by name', () => {
    const yaml =
      tier('t', 10) +
      onApi('b-deny', 't', 5, '  - {action: Deny}') +
      onApi('a-allow', 't', 5, '  - {action: Allow, protocol: UDP}');
    expect(webToApi(yaml)).toBe('UDP 1-65535');
  });

  it('rules are first-match inside a policy; Log matches without deciding', () => {
    const rules = [
      '  - {action: Log}',
      '  - {action: Allow, protocol: TCP, destination: {ports: [8080]}}',
      '  - {action: Deny, protocol: TCP}',
      '  - {action: Allow}',
    ].join('\n');
    // TCP 8080 allowed, other TCP denied, everything else (UDP, SCTP, ICMP, ...) allowed by the last rule.
    expect(webToApi(tier('t', 10) + onApi('p', 't', 1, rules))).toBe(
      'SCTP 1-65535,TCP 8080,UDP 1-65535,other protocols',
    );
  });

  it('a Kubernetes NetworkPolicy selecting the endpoint makes the default tier apply: other Calico allows in it still count', () => {
    const yaml = K8S_ALLOW_8080 + onApi('udp', 'default', 1500, '  - {action: Allow, protocol: UDP}');
    expect(webToApi(yaml)).toBe('TCP 8080,UDP 1-65535');
  });
});

describe('Calico: types, selection and matches', () => {
  it('types default to Egress when only egress rules exist: ingress stays open', () => {
    const yaml =
      tier('t', 10) + gnp('egress-only', "  tier: t\n  selector: app == 'api'\n  egress: [{action: Deny}]\n");
    expect(webToApi(yaml)).toBe('All Connections');
    expect(between(yaml, 'server/api[Pod]', 'client/web[Pod]')).toBe('No Connections');
  });

  it('types default to Ingress when there are no rules: the policy applies and its tier drops', () => {
    expect(webToApi(tier('t', 10) + gnp('empty', "  tier: t\n  selector: app == 'api'\n"))).toBe(
      'No Connections',
    );
  });

  it('an empty types list defaults as an absent one (v3 defaulting: len(types) == 0)', () => {
    // Ingress rules only: Ingress.
    const ingress = cnp('api', 'server', "  selector: app == 'api'\n  types: []\n  ingress: [{action: Allow, protocol: TCP}]\n");
    expect(webToApi(ingress)).toBe('TCP 1-65535');
    expect(between(ingress, 'server/api[Pod]', 'client/web[Pod]')).toBe('All Connections');
    // Egress rules only: Egress.
    const egress = gnp('api', "  selector: app == 'api'\n  types: []\n  egress: [{action: Allow, protocol: UDP}]\n");
    expect(webToApi(egress)).toBe('All Connections');
    expect(between(egress, 'server/api[Pod]', 'client/web[Pod]')).toBe('UDP 1-65535');
    // Both kinds of rules: both.
    const both = gnp(
      'api',
      "  selector: app == 'api'\n  types: []\n  ingress: [{action: Allow, protocol: TCP}]\n  egress: [{action: Allow, protocol: UDP}]\n",
    );
    expect(webToApi(both)).toBe('TCP 1-65535');
    expect(between(both, 'server/api[Pod]', 'client/web[Pod]')).toBe('UDP 1-65535');
  });

  it('a crd.projectcalico.org/v1 policy without types governs both directions, as Felix reads it (policy_sorter.go)', () => {
    const crd = (kind: string, metadata: string, spec: string) =>
      doc(`apiVersion: crd.projectcalico.org/v1\nkind: ${kind}\nmetadata: ${metadata}\nspec:\n${spec}`);
    const ingressRules = "  selector: app == 'api'\n  ingress: [{action: Allow, protocol: TCP}]\n";
    for (const yaml of [
      crd('NetworkPolicy', '{name: api, namespace: server}', ingressRules),
      crd('GlobalNetworkPolicy', '{name: api}', ingressRules),
      crd('GlobalNetworkPolicy', '{name: api}', `${ingressRules}  types: []\n`),
    ]) {
      expect(webToApi(yaml)).toBe('TCP 1-65535');
      // No egress rule: the default tier's end drops the egress the policy now governs.
      expect(between(yaml, 'server/api[Pod]', 'client/web[Pod]')).toBe('No Connections');
    }
    // Types it lists are read as they are.
    const listed = crd('GlobalNetworkPolicy', '{name: api}', `${ingressRules}  types: [Ingress]\n`);
    expect(between(listed, 'server/api[Pod]', 'client/web[Pod]')).toBe('All Connections');
    // The same object through the v3 API is defaulted to Ingress.
    expect(between(gnp('api', ingressRules), 'server/api[Pod]', 'client/web[Pod]')).toBe('All Connections');
  });

  it("a namespaced policy's rule selector is scoped to its own namespace", () => {
    const yaml = cnp(
      'api',
      'server',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: app == 'web'}}]\n",
    );
    expect(webToApi(yaml)).toBe('No Connections');
    const withNamespaces = cnp(
      'api',
      'server',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: app == 'web', namespaceSelector: all()}}]\n",
    );
    expect(webToApi(withNamespaces)).toBe('All Connections');
  });

  it("a namespaced policy's notSelector is scoped to its own namespace too (only same-namespace endpoints match)", () => {
    const yaml = cnp(
      'api',
      'server',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {notSelector: app == 'db'}}]\n",
    );
    expect(webToApi(yaml)).toBe('No Connections');
    expect(between(yaml, 'server/db[Pod]', 'server/api[Pod]')).toBe('No Connections');
  });

  it("a global policy's rule selector matches across namespaces", () => {
    const yaml = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: app == 'web'}}]\n",
    );
    expect(webToApi(yaml)).toBe('All Connections');
    expect(between(yaml, 'server/db[Pod]', 'server/api[Pod]')).toBe('No Connections');
  });

  it("`!=` matches endpoints without the label (libcalico-go's evaluator)", () => {
    const yaml = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: tier != 'frontend'}}]\n",
    );
    expect(webToApi(yaml)).toBe('All Connections');
  });

  it('namespace labels reach selectors as pcns. and projectcalico.org/name', () => {
    const yaml = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: pcns.team == 'a'}}, {action: Allow, source: {namespaceSelector: projectcalico.org/name == 'server'}}]\n",
    );
    expect(webToApi(yaml)).toBe('All Connections');
    expect(between(yaml, 'server/db[Pod]', 'server/api[Pod]')).toBe('All Connections');
  });

  it('a global policy with a namespaceSelector applies only to endpoints in those namespaces', () => {
    const yaml = gnp(
      'server-only',
      "  namespaceSelector: team == 'b'\n  selector: all()\n  egress: [{action: Deny}]\n",
    );
    expect(between(yaml, 'server/api[Pod]', 'client/web[Pod]')).toBe('No Connections');
    expect(webToApi(yaml)).toBe('All Connections');
  });

  it('global() is true wherever libcalico-go does not rewrite it: all but a rule\'s namespaceSelector', () => {
    // A policy selector and a rule selector: every pod (GlobalNode.Evaluate), as all() would.
    expect(webToApi(cnp('api', 'server', '  selector: global()\n  ingress: [{action: Deny}]\n'))).toBe('No Connections');
    expect(webToApi(gnp('api', "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: global()}}]\n"))).toBe('All Connections');
    // A GlobalNetworkPolicy's own namespaceSelector: globalnetworkpolicyprocessor.go rewrites all() only, so global()
    // selects the pods of every namespace.
    expect(webToApi(gnp('api', '  namespaceSelector: global()\n  ingress: [{action: Deny}]\n'))).toBe('No Connections');
    // A rule's namespaceSelector: rules.go rewrites global() to "outside every namespace", which no pod is.
    const rule = gnp('api', "  selector: app == 'api'\n  ingress: [{action: Allow, source: {namespaceSelector: global()}}]\n");
    expect(webToApi(rule)).toBe('No Connections');
    const anyNamespace = gnp('api', "  selector: app == 'api'\n  ingress: [{action: Allow, source: {namespaceSelector: all()}}]\n");
    expect(webToApi(anyNamespace)).toBe('All Connections');
  });

  it('service accounts: serviceAccounts.names and serviceAccountSelector', () => {
    const byName = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {serviceAccounts: {names: [web-sa]}}}]\n",
    );
    expect(webToApi(byName)).toBe('All Connections');
    expect(between(byName, 'server/db[Pod]', 'server/api[Pod]')).toBe('No Connections');
    const applies = gnp(
      'web-sa-egress',
      "  serviceAccountSelector: projectcalico.org/name == 'web-sa'\n  egress: [{action: Deny}]\n",
    );
    expect(webToApi(applies)).toBe('No Connections');
    expect(between(applies, 'server/db[Pod]', 'server/api[Pod]')).toBe('All Connections');
  });

  it("service account selectors see the ServiceAccount object's labels when the input has it", () => {
    const account = doc(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web-sa, namespace: client, labels: {role: frontend}}',
    );
    const bySelector = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {serviceAccounts: {selector: role == 'frontend'}}}]\n",
    );
    expect(webToApi(bySelector)).toBe('No Connections');
    expect(webToApi(account + bySelector)).toBe('All Connections');
    const applies = gnp(
      'frontends',
      "  serviceAccountSelector: role == 'frontend'\n  egress: [{action: Deny}]\n",
    );
    expect(webToApi(account + applies)).toBe('No Connections');
    expect(webToApi(applies)).toBe('All Connections');
    expect(
      webToApi(
        account +
          gnp(
            'pcsa',
            "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: pcsa.role == 'frontend'}}]\n",
          ),
      ),
    ).toBe('All Connections');
  });

  it('protocols without ports: ICMP only', () => {
    expect(
      webToApi(gnp('api', "  selector: app == 'api'\n  ingress: [{action: Allow, protocol: ICMP}]\n")),
    ).toBe('ICMP');
  });

  it('notProtocol and notPorts', () => {
    const yaml = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, notProtocol: UDP, protocol: TCP, destination: {notPorts: ['1:8079', '8081:65535']}}]\n",
    );
    expect(webToApi(yaml)).toBe('TCP 8080');
  });

  it("named ports resolve on the destination's container ports, per protocol", () => {
    const yaml = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, protocol: UDP, destination: {ports: [dns, http]}}]\n",
    );
    expect(webToApi(yaml)).toBe('UDP 53');
  });

  it('destination fields of an ingress rule are matched against the endpoint itself', () => {
    const yaml = gnp(
      'all-ingress',
      "  selector: all()\n  ingress: [{action: Allow, destination: {selector: app == 'db'}}]\n",
    );
    expect(webToApi(yaml)).toBe('No Connections');
    expect(between(yaml, 'client/web[Pod]', 'server/db[Pod]')).toBe('All Connections');
  });

  it('pre-DNAT and untracked policies apply to host endpoints only, never to pods', () => {
    const preDnat = gnp(
      'nodeport',
      '  selector: all()\n  preDNAT: true\n  applyOnForward: true\n  ingress: [{action: Deny}]\n',
    );
    expect(webToApi(preDnat)).toBe('All Connections');
    const untracked = gnp(
      'fast',
      '  selector: all()\n  doNotTrack: true\n  applyOnForward: true\n  ingress: [{action: Deny}]\n',
    );
    expect(webToApi(untracked)).toBe('All Connections');
    expect(
      webToApi(gnp('normal', '  selector: all()\n  applyOnForward: true\n  ingress: [{action: Deny}]\n')),
    ).toBe('No Connections');
  });

  it('hostNetwork pods are not workload endpoints: policies neither apply to nor select them', () => {
    const yaml = gnp(
      'deny-all',
      '  selector: all()\n  ingress: [{action: Deny}]\n  egress: [{action: Deny}]\n',
    );
    expect(between(yaml, 'server/agent[Pod]', 'client/web[Pod]')).toBe('No Connections');
    expect(between(yaml, 'server/agent[Pod]', 'server/agent[Pod]')).toBe('All Connections');
    const selectsAgent = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {selector: app == 'agent'}}]\n",
    );
    expect(between(selectsAgent, 'server/agent[Pod]', 'server/api[Pod]')).toBe('No Connections');
    const notSelectorAgent = gnp(
      'api',
      "  selector: app == 'api'\n  ingress: [{action: Allow, source: {notSelector: app == 'agent'}}]\n",
    );
    expect(between(notSelectorAgent, 'server/agent[Pod]', 'server/api[Pod]')).toBe('All Connections');
  });
});

describe('Calico: nets and network sets', () => {
  const egressFromWeb = (rules: string, extra = '') =>
    extra + gnp('web-egress', `  selector: app == 'web'\n  egress:\n${rules}`);

  it('nets and notNets cut external ranges', () => {
    const yaml = egressFromWeb(
      '  - {action: Allow, destination: {nets: [10.0.0.0/8], notNets: [10.1.0.0/16]}}\n',
    );
    expect(between(yaml, 'client/web[Pod]', '10.0.0.0-10.0.255.255')).toBe('All Connections');
    expect(between(yaml, 'client/web[Pod]', '10.1.0.0-10.1.255.255')).toBe('No Connections');
    expect(between(yaml, 'client/web[Pod]', '11.0.0.0-255.255.255.255')).toBe('No Connections');
  });

  it('nets hold a pod template only when they cover the whole family', () => {
    expect(
      between(
        egressFromWeb('  - {action: Allow, destination: {nets: [10.0.0.0/8]}}\n'),
        'client/web[Pod]',
        'server/db[Pod]',
      ),
    ).toBe('No Connections');
    expect(
      between(
        egressFromWeb('  - {action: Allow, destination: {nets: [0.0.0.0/0]}}\n'),
        'client/web[Pod]',
        'server/db[Pod]',
      ),
    ).toBe('All Connections');
  });

  it('nets with a notNet of the family ("the internet") do not hold a pod template', () => {
    // A pod's future address is most likely private: the usual "internet but the private ranges" rule leaves it out.
    const internet = '{nets: [0.0.0.0/0], notNets: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}';
    const allowInternet = egressFromWeb(`  - {action: Allow, destination: ${internet}}\n`);
    expect(between(allowInternet, 'client/web[Pod]', 'server/db[Pod]')).toBe('No Connections');
    expect(between(allowInternet, 'client/web[Pod]', '11.0.0.0-172.15.255.255')).toBe('All Connections');
    // A Deny on "the internet" does not reach the pods either: the Allow after it does.
    const denyInternet = egressFromWeb(`  - {action: Deny, destination: ${internet}}\n  - {action: Allow}\n`);
    expect(between(denyInternet, 'client/web[Pod]', 'server/db[Pod]')).toBe('All Connections');
    expect(between(denyInternet, 'client/web[Pod]', '11.0.0.0-172.15.255.255')).toBe('No Connections');
    // notNets alone: any address but those, and the template's may be among them.
    const notPrivate = egressFromWeb('  - {action: Allow, destination: {notNets: [10.0.0.0/8]}}\n');
    expect(between(notPrivate, 'client/web[Pod]', 'server/db[Pod]')).toBe('No Connections');
  });

  it('a selector matches the addresses of GlobalNetworkSets in a global policy, not in a namespaced one', () => {
    const set = doc(
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: partners, labels: {role: partner}}\nspec: {nets: [192.0.2.0/24]}',
    );
    const global = egressFromWeb("  - {action: Allow, destination: {selector: role == 'partner'}}\n", set);
    expect(between(global, 'client/web[Pod]', '192.0.2.0-192.0.2.255')).toBe('All Connections');
    expect(between(global, 'client/web[Pod]', '192.0.3.0-255.255.255.255')).toBe('No Connections');
    const namespaced =
      set +
      cnp(
        'web-egress',
        'client',
        "  selector: app == 'web'\n  egress: [{action: Allow, destination: {selector: role == 'partner'}}]\n",
      );
    expect(between(namespaced, 'client/web[Pod]', '192.0.2.0-192.0.2.255')).toBe('No Connections');
  });

  it('a NetworkSet is matched by a namespaced policy of its namespace', () => {
    const set = doc(
      'apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata: {name: partners, namespace: client, labels: {role: partner}}\nspec: {nets: [192.0.2.0/24]}',
    );
    const yaml =
      set +
      cnp(
        'web-egress',
        'client',
        "  selector: app == 'web'\n  egress: [{action: Allow, destination: {selector: role == 'partner'}}]\n",
      );
    expect(between(yaml, 'client/web[Pod]', '192.0.2.0-192.0.2.255')).toBe('All Connections');
  });
});

describe('Calico: profiles and admin tiers', () => {
  const denyAll = onApi('deny', 'default', 1, '  - {action: Deny}');

  it('other plugins ignore Calico policies', () => {
    expect(webToApi(denyAll, 'cilium')).toBe('All Connections');
    expect(webToApi(denyAll, 'generic')).toBe('All Connections');
    expect(webToApi(denyAll, 'canal')).toBe('No Connections');
  });

  const anpAllow = doc(`
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-web}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress: [{action: Allow, from: [{namespaces: {matchLabels: {team: a}}}]}]`);

  it('AdminNetworkPolicies sit in the kube-admin tier (order 1000): before the default tier, after lower tiers', () => {
    expect(webToApi(anpAllow + denyAll, 'calico@3.30')).toBe('All Connections');
    const early = tier('early', 100) + onApi('early-deny', 'early', 1, '  - {action: Deny}');
    expect(webToApi(anpAllow + early, 'calico@3.30')).toBe('No Connections');
    const late = tier('late', 5000) + onApi('late-deny', 'late', 1, '  - {action: Deny}');
    expect(webToApi(anpAllow + late, 'calico@3.30')).toBe('All Connections');
  });

  it('without Calico policies, the Calico profile gives the admin wrapper the same verdicts', () => {
    const plain = analysisOf(anpAllow + K8S_ALLOW_8080, 'calico@3.30');
    expect(plain.result).not.toBeInstanceOf(CalicoConnectivityResult);
    const layered = analysisOf(
      anpAllow + K8S_ALLOW_8080 + tier('t', 10) + gnp('nothing', "  tier: t\n  selector: app == 'none'\n"),
      'calico@3.30',
    );
    expect(layered.result).toBeInstanceOf(CalicoConnectivityResult);
    for (const source of plain.result.workloads) {
      for (const destination of plain.result.workloads) {
        const other = (e: Endpoint) => layered.result.workloads.find((w) => w.id === e.id)!;
        expect([
          source.id,
          destination.id,
          layered.result.allowed(other(source), other(destination)).toString(),
        ]).toEqual([source.id, destination.id, plain.result.allowed(source, destination).toString()]);
      }
    }
  });
  /**
   * Asks ingress sides of fresh analyses in both orders, `[subject, peer, expected]` each: the first sides asked test
   * each policy on their class, the later ones read every policy's classes found at once.
   */
  const expectSidesInBothOrders = (adminPolicy: string, sides: readonly (readonly [string, string, string])[]) => {
    const yaml = doc(adminPolicy) + tier('t', 10) + gnp('nothing', "  tier: t\n  selector: app == 'none'\n");
    for (const order of [sides, [...sides].reverse()]) {
      const { result } = analysisOf(yaml, 'calico@3.30');
      expect(result).toBeInstanceOf(CalicoConnectivityResult);
      const find = (id: string) => result.workloads.find((w) => w.id === id)!;
      for (const [subject, peer, expected] of order)
        expect([subject, peer, result.sideAllowed('ingress', find(subject), find(peer)).toString()]).toEqual([subject, peer, expected]);
    }
  };
  it('an admin policy applies to the classes its subject selects, whichever side is asked first', () => {
    expectSidesInBothOrders(
      `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-into-server}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress: [{action: Deny, from: [{namespaces: {}}]}]`,
      [
        ['client/web[Pod]', 'server/api[Pod]', 'All Connections'],
        ['server/api[Pod]', 'client/web[Pod]', 'No Connections'],
      ],
    );
  });
  it("an admin policy's pod subject selects the classes of the namespaces it selects whose pods it matches, whichever side is asked first", () => {
    expectSidesInBothOrders(
      `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-into-api}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {matchLabels: {team: b}}, podSelector: {matchLabels: {app: api}}}}
  ingress: [{action: Deny, from: [{namespaces: {}}]}]`,
      [
        ['server/db[Pod]', 'client/web[Pod]', 'All Connections'],
        ['client/web[Pod]', 'server/api[Pod]', 'All Connections'],
        ['server/api[Pod]', 'client/web[Pod]', 'No Connections'],
      ],
    );
  });
});

describe('Calico: explanations', () => {
  it('records the chain of tiers: rule decisions, end-of-tier actions and the profile', () => {
    const yaml =
      tier('security', 100, 'Pass') +
      onApi('pass-udp', 'security', 1, '  - {action: Pass, protocol: UDP}\n  - {action: Log}') +
      K8S_ALLOW_8080;
    const analysis = analysisOf(yaml);
    const find = (id: string): Endpoint => analysis.result.workloads.find((w) => w.id === id)!;
    const explanation = analysis.result.explain(
      find('client/web[Pod]'),
      find('server/api[Pod]'),
    ) as CalicoPairExplanation;
    const steps = explanation.ingress.calicoChain!.steps.map((s) => [
      s.tier,
      s.policy?.id,
      s.action,
      s.connections.toString(),
    ]);
    expect(steps).toEqual([
      ['security', 'GlobalNetworkPolicy/pass-udp', 'pass', 'UDP 1-65535'],
      ['security', 'GlobalNetworkPolicy/pass-udp', 'log', 'SCTP 1-65535,TCP 1-65535,other protocols'],
      ['security', undefined, 'end-of-tier-pass', 'SCTP 1-65535,TCP 1-65535,other protocols'],
      ['default', 'server/api', 'allow', 'TCP 8080'],
      [
        'default',
        undefined,
        'end-of-tier-deny',
        'SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535,other protocols',
      ],
    ]);
    expect(explanation.connections.toString()).toBe('TCP 8080');
    expect(explanation.egress.calicoChain!.steps).toEqual([]);
    expect(explanation.egress.calicoChain!.profileAllowed.toString()).toBe('All Connections');
  });
});

describe('analyses of an edited workspace (kept objects)', () => {
  // The server keeps the loaded objects of unchanged files; what evaluation derives from a kept workload must follow
  // the namespace and ServiceAccount labels of the new analysis, which other files give.
  const pods = loadManifests([
    {
      path: 'pods.yaml',
      text: `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {serviceAccountName: runner, containers: [{name: c, image: x}]}
`,
    },
  ]);
  const policy = loadManifests([
    {
      path: 'policy.yaml',
      text: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: red-runners}
spec:
  namespaceSelector: team == 'red'
  serviceAccountSelector: trusted == 'yes'
  types: [Ingress]
  ingress: [{action: Allow}]
`,
    },
  ]);
  const context = (team: string, trusted: string) =>
    loadManifests([
      {
        path: 'context.yaml',
        text: `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: ${team}}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner, namespace: shop, labels: {trusted: '${trusted}'}}
`,
      },
    ]);
  const applies = (team: string, trusted: string): boolean => {
    const { result, model } = analyzeLoaded(mergeLoadResults([pods, policy, context(team, trusted)]), { cni: 'calico' });
    if (!(result instanceof CalicoConnectivityResult)) throw new Error('expected Calico evaluation');
    return result.policyApplies(result.calico.policies[0]!, model.workloads[0]!);
  };

  it('sees the namespace and ServiceAccount labels of each analysis', () => {
    expect(applies('red', 'yes')).toBe(true);
    expect(applies('blue', 'yes')).toBe(false);
    expect(applies('red', 'no')).toBe(false);
    expect(applies('red', 'yes')).toBe(true);
  });
});

describe('Calico: service matches (rule_scanner.go: a destination Service is its endpoints on their ports)', () => {
  // server/api serves http on 8080 and dns on UDP 53; server/api2 carries the same app label but declares http on
  // 9090 and no dns; server/cache-a and cache-b differ only in a label the Service alone reads.
  const SERVICES = doc(`
apiVersion: v1
kind: Pod
metadata: {name: api2, namespace: server, labels: {app: api}}
spec:
  containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: cache-a, namespace: server, labels: {app: cache, shard: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cache-b, namespace: server, labels: {app: cache, shard: b}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: server}
spec:
  selector: {app: api}
  ports: [{name: web, port: 80, targetPort: http}, {name: dns, port: 53, protocol: UDP, targetPort: dns}]
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: server}
spec:
  selector: {shard: a}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: server}
spec:
  ports: [{port: 443}]`);
  const webEgress = (rules: string) => SERVICES + gnp('web-egress', `  selector: app == 'web'\n  egress:\n${rules}`);
  const fromWeb = (yaml: string, to: string) => between(yaml, 'client/web[Pod]', to);

  it('an egress Allow to a Service allows its endpoints on the port each serves, not every port', () => {
    const yaml = webEgress('  - action: Allow\n    destination: {services: {name: api, namespace: server}}');
    expect(fromWeb(yaml, 'server/api[Pod]')).toBe('TCP 8080,UDP 53');
    // The named targetPort resolves per pod: api2 serves http on 9090 and has no dns port.
    expect(fromWeb(yaml, 'server/api2[Pod]')).toBe('TCP 9090');
    expect(fromWeb(yaml, 'server/db[Pod]')).toBe('No Connections');
  });

  it("the rule's protocol narrows the endpoints' ports", () => {
    const yaml = webEgress('  - action: Allow\n    protocol: UDP\n    destination: {services: {name: api, namespace: server}}');
    expect(fromWeb(yaml, 'server/api[Pod]')).toBe('UDP 53');
  });

  it('a Deny to a Service takes only its endpoint ports away', () => {
    const yaml = webEgress(
      '  - action: Deny\n    destination: {services: {name: api, namespace: server}}\n  - action: Allow',
    );
    const toApi = analysisOf(yaml);
    const web = toApi.result.endpoints.find((e) => e.id === 'client/web[Pod]')!;
    const api = toApi.result.endpoints.find((e) => e.id === 'server/api[Pod]')!;
    const allowed = toApi.result.allowed(web, api);
    expect(allowed.allows('TCP', 8080)).toBe(false);
    expect(allowed.allows('UDP', 53)).toBe(false);
    expect(allowed.allows('TCP', 80)).toBe(true);
    expect(allowed.allows('UDP', 8080)).toBe(true);
  });

  it('a source Service in an ingress rule matches its endpoints whatever port is asked', () => {
    const yaml =
      SERVICES +
      gnp('db-ingress', "  selector: app == 'db'\n  ingress:\n  - action: Allow\n    source: {services: {name: api, namespace: server}}");
    expect(between(yaml, 'server/api[Pod]', 'server/db[Pod]')).toBe('All Connections');
    expect(between(yaml, 'server/api2[Pod]', 'server/db[Pod]')).toBe('All Connections');
    expect(between(yaml, 'client/web[Pod]', 'server/db[Pod]')).toBe('No Connections');
  });

  it("a namespaced policy's match without a namespace names a Service of the policy's namespace", () => {
    const rules = '  egress:\n  - action: Allow\n    destination: {services: {name: api}}';
    const inServer = SERVICES + cnp('to-api', 'server', `  selector: app == 'db'\n${rules}`);
    expect(between(inServer, 'server/db[Pod]', 'server/api[Pod]')).toBe('TCP 8080,UDP 53');
    // client/api does not exist: the rule matches nothing, and web's egress is dropped by the default tier.
    const inClient = SERVICES + cnp('to-api', 'client', `  selector: app == 'web'\n${rules}`);
    expect(fromWeb(inClient, 'server/api[Pod]')).toBe('No Connections');
  });

  it('pods a policy cannot tell apart but the Service can are not put in one class', () => {
    const yaml =
      webEgress('  - action: Allow\n    destination: {services: {name: cache, namespace: server}}') +
      gnp('db-ingress', "  selector: app == 'db'\n  ingress:\n  - action: Allow\n    source: {services: {name: cache, namespace: server}}");
    const { result } = analysisOf(yaml);
    const at = (id: string) => result.endpoints.find((e) => e.id === id)!;
    const [web, db, a, b] = ['client/web[Pod]', 'server/db[Pod]', 'server/cache-a[Pod]', 'server/cache-b[Pod]'].map(at);
    expect(result.allowed(web!, a!).toString()).toBe('TCP 6379');
    expect(result.allowed(web!, b!).toString()).toBe('No Connections');
    expect(result.allowed(a!, db!).toString()).toBe('All Connections');
    expect(result.allowed(b!, db!).toString()).toBe('No Connections');
  });

  it('a Service without a selector whose EndpointSlices the input lacks: the rule matches nothing, and says so', () => {
    const yaml = webEgress('  - action: Allow\n    destination: {services: {name: external, namespace: server}}');
    expect(fromWeb(yaml, 'server/api[Pod]')).toBe('No Connections');
    expect(analysisOf(yaml).calico.notes.map((n) => n.message)).toEqual([
      'this service match names Service server/external, which has no selector and whose EndpointSlices are not in the input: it is read as matching no endpoint',
    ]);
  });

  it('explain and the fast path agree on service matches', () => {
    const yaml = webEgress(
      '  - action: Deny\n    protocol: TCP\n    destination: {services: {name: api, namespace: server}}\n  - action: Allow',
    );
    expectWalkAndFoldAgree(yaml);
  });
});

describe('Calico: service matches of a Service without a selector (serviceindex.go: every address of its slices)', () => {
  // server/payments has no selector. Its slice gives two outside addresses (one not ready) and the Pod db by
  // targetRef, on 8443 and 9100, not on the Service's 443; the mirrored Endpoints add db-ip by its status address, not
  // ready. server/db-twin looks like db to every selector.
  const WRITTEN = doc(`
apiVersion: v1
kind: Pod
metadata: {name: db-twin, namespace: server, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db-ip, namespace: server, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.1.0.9}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: server}
spec:
  ports: [{name: https, port: 443, targetPort: 8443}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: payments-1, namespace: server, labels: {kubernetes.io/service-name: payments}}
addressType: IPv4
ports: [{name: https, port: 8443, protocol: TCP}, {name: metrics, port: 9100}, {name: unset}]
endpoints:
- addresses: [203.0.113.10]
- addresses: [203.0.113.11]
  conditions: {ready: false}
- addresses: [10.1.0.5]
  targetRef: {kind: Pod, name: db}
---
apiVersion: v1
kind: Endpoints
metadata: {name: payments, namespace: server}
subsets:
- notReadyAddresses: [{ip: 10.1.0.9}]
  ports: [{name: admin, port: 7000, protocol: UDP}]`);
  const webEgress = (rules: string) => WRITTEN + gnp('web-egress', `  selector: app == 'web'\n  egress:\n${rules}`);
  const TO_PAYMENTS = webEgress('  - action: Allow\n    destination: {services: {name: payments, namespace: server}}');
  /** An outside address: the external range holding it. */
  const address = (text: string) => ({ address: parseIp(text)! });
  const allowed = (yaml: string, from: string | { address: PodAddress }, to: string | { address: PodAddress }): string => {
    const { result } = analysisOf(yaml);
    const at = (peer: string | { address: PodAddress }): Endpoint => {
      const found =
        typeof peer === 'string'
          ? result.endpoints.find((e) => e.id === peer)
          : result.externals.find(({ range }) => range.family === peer.address.family && range.start <= peer.address.value && peer.address.value <= range.end);
      if (found === undefined) throw new Error(`no endpoint ${JSON.stringify(peer)}`);
      return found;
    };
    return result.allowed(at(from), at(to)).toString();
  };

  it("allows each written address on its slice's ports, not on the Service's port", () => {
    expect(allowed(TO_PAYMENTS, 'client/web[Pod]', address('203.0.113.10'))).toBe('TCP 8443,9100');
    expect(allowed(TO_PAYMENTS, 'client/web[Pod]', address('203.0.113.12'))).toBe('No Connections');
  });

  it('counts addresses whatever their ready condition, unlike kube-proxy', () => {
    expect(allowed(TO_PAYMENTS, 'client/web[Pod]', address('203.0.113.11'))).toBe('TCP 8443,9100');
    // The mirrored Endpoints' not-ready address is db-ip's status address, on its subset's port.
    expect(allowed(TO_PAYMENTS, 'client/web[Pod]', 'server/db-ip[Pod]')).toBe('UDP 7000');
  });

  it('matches the Pod a targetRef names, and not a pod that only looks like it', () => {
    expect(allowed(TO_PAYMENTS, 'client/web[Pod]', 'server/db[Pod]')).toBe('TCP 8443,9100');
    expect(allowed(TO_PAYMENTS, 'client/web[Pod]', 'server/db-twin[Pod]')).toBe('No Connections');
  });

  it('in an ingress source, matches the addresses on any port, a port without a number included', () => {
    const yaml =
      WRITTEN +
      gnp('api-ingress', "  selector: app == 'api'\n  ingress:\n  - action: Allow\n    source: {services: {name: payments, namespace: server}}");
    expect(allowed(yaml, address('203.0.113.11'), 'server/api[Pod]')).toBe('All Connections');
    expect(allowed(yaml, 'server/db[Pod]', 'server/api[Pod]')).toBe('All Connections');
    expect(allowed(yaml, 'server/db-twin[Pod]', 'server/api[Pod]')).toBe('No Connections');
    expect(allowed(yaml, address('203.0.113.12'), 'server/api[Pod]')).toBe('No Connections');
  });

  it('leaves out an Endpoints labelled skip-mirror, and FQDN slices', () => {
    const yaml =
      webEgress('  - action: Allow\n    destination: {services: {name: payments, namespace: server}}').replace(
        'metadata: {name: payments, namespace: server}\nsubsets:',
        'metadata: {name: payments, namespace: server, labels: {endpointslice.kubernetes.io/skip-mirror: "true"}}\nsubsets:',
      ) +
      doc(`
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: payments-fqdn, namespace: server, labels: {kubernetes.io/service-name: payments}}
addressType: FQDN
ports: [{port: 80}]
endpoints: [{addresses: [api.example.com]}]`);
    expect(allowed(yaml, 'client/web[Pod]', 'server/db-ip[Pod]')).toBe('No Connections');
    expect(allowed(yaml, 'client/web[Pod]', address('203.0.113.10'))).toBe('TCP 8443,9100');
    expect(analysisOf(yaml).calico.notes).toEqual([]);
  });

  it('explain and the fast path agree, outside addresses included', () => {
    const yaml = webEgress(
      '  - action: Deny\n    protocol: TCP\n    destination: {services: {name: payments, namespace: server}}\n  - action: Allow',
    );
    const { result } = analysisOf(yaml);
    const web = result.endpoints.find((e) => e.id === 'client/web[Pod]')!;
    for (const destination of [...result.endpoints, ...result.externals]) {
      if (destination === web) continue;
      expect(result.explain(web, destination).connections.toString()).toBe(result.allowed(web, destination).toString());
    }
    expect(allowed(yaml, 'client/web[Pod]', address('203.0.113.10'))).toBe('SCTP 1-65535,TCP 1-8442,8444-9099,9101-65535,UDP 1-65535,other protocols');
  });

  it('an ExternalName Service has no endpoints: matches nothing, and says so', () => {
    const yaml =
      webEgress('  - action: Allow\n    destination: {services: {name: mail, namespace: server}}') +
      doc('apiVersion: v1\nkind: Service\nmetadata: {name: mail, namespace: server}\nspec: {type: ExternalName, externalName: mail.example.com}');
    expect(allowed(yaml, 'client/web[Pod]', address('203.0.113.10'))).toBe('No Connections');
    expect(analysisOf(yaml).calico.notes.map((n) => n.message)).toEqual([
      'this service match names Service server/mail, of type ExternalName, which has no endpoints: it is read as matching no endpoint',
    ]);
  });
});

describe('Calico: IPv6 nets where no NetworkPolicy names IPv6', () => {
  it('analyses them (each finer range lies in one of the NetworkPolicy result, IPv6 included)', () => {
    const yaml = gnp('no-doc-range', "  selector: app == 'web'\n  egress:\n  - {action: Deny, destination: {nets: ['2001:db8::/32']}}\n  - {action: Allow}");
    const { result } = analysisOf(yaml);
    const web = result.endpoints.find((e) => e.id === 'client/web[Pod]')!;
    const documentation = result.externals.find((e) => e.id === '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')!;
    const other = result.externals.find((e) => e.id === '::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')!;
    expect(result.allowed(web, documentation).toString()).toBe('No Connections');
    expect(result.allowed(web, other).toString()).toBe('All Connections');
  });
});

describe('Calico: ipVersion (a rule matches the traffic of its IP version only)', () => {
  /** Bare pods with the addresses their status gives (none: a template's, of the cluster's pod families). */
  const pod = (name: string, ips: readonly string[]) =>
    doc(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: x}]}` +
        (ips.length === 0 ? '' : `\nstatus: {podIP: '${ips[0]}', podIPs: [${ips.map((ip) => `{ip: '${ip}'}`).join(', ')}]}`),
    );
  const onIngressOf = (app: string, rules: string) => gnp(`in-${app}`, `  selector: app == '${app}'\n  ingress:\n${rules}`);
  function verdicts(yaml: string, pairs: readonly (readonly [string, string])[]): string[] {
    const { result } = analyze([{ path: 'test.yaml', text: yaml }], { cni: 'calico' });
    const find = (name: string) => {
      const endpoint = result.endpoints.find((e) => e.id === name || e.id === `default/${name}[Pod]`);
      if (endpoint === undefined) throw new Error(`no endpoint ${name}`);
      return endpoint;
    };
    return pairs.map(([from, to]) => {
      const allowed = result.allowed(find(from), find(to)).toString();
      // The walk with records answers the same as the compiled tiers.
      expect(result.explain(find(from), find(to)).connections.toString()).toBe(allowed);
      return `${from} -> ${to}: ${allowed}`;
    });
  }

  it('in an IPv4 cluster, a rule for IPv6 matches no pod traffic, and a rule for IPv4 all of it', () => {
    const pods = pod('a', []) + pod('b', []) + pod('e', ['10.1.0.5']);
    const denySix = pods + onIngressOf('b', '  - {action: Deny, ipVersion: 6}\n  - {action: Allow}\n');
    expect(verdicts(denySix, [['a', 'b'], ['e', 'b']])).toEqual(['a -> b: All Connections', 'e -> b: All Connections']);
    const denyFour = pods + onIngressOf('b', '  - {action: Deny, ipVersion: 4}\n  - {action: Allow}\n');
    expect(verdicts(denyFour, [['a', 'b'], ['e', 'b']])).toEqual(['a -> b: No Connections', 'e -> b: No Connections']);
    const allowSix = pods + onIngressOf('b', '  - {action: Allow, ipVersion: 6}\n');
    expect(verdicts(allowSix, [['a', 'b']])).toEqual(['a -> b: No Connections']);
  });

  it("the subject's families count too: a subject of one family has no traffic of the other with pods", () => {
    // The egress of an IPv6-only pod: an IPv4 rule matches none of its pod traffic, an IPv6 rule all of it.
    const pods = pod('six', ['fd00::5']) + pod('other', ['fd00::6']);
    const egress = (rules: string) => pods + gnp('out-six', `  selector: app == 'six'\n  egress:\n${rules}`);
    expect(verdicts(egress('  - {action: Deny, ipVersion: 4}\n  - {action: Allow}\n'), [['six', 'other']])).toEqual([
      'six -> other: All Connections',
    ]);
    expect(verdicts(egress('  - {action: Deny, ipVersion: 6}\n  - {action: Allow}\n'), [['six', 'other']])).toEqual([
      'six -> other: No Connections',
    ]);
  });

  it('traffic with an external range is of its family', () => {
    const yaml =
      pod('a', []) +
      gnp('out-a', "  selector: app == 'a'\n  egress:\n  - {action: Deny, ipVersion: 6}\n  - {action: Allow, destination: {notNets: ['2001:db8::/32']}}\n");
    expect(
      verdicts(yaml, [
        ['a', '0.0.0.0-255.255.255.255'],
        ['a', '::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff'],
      ]),
    ).toEqual([
      'a -> 0.0.0.0-255.255.255.255: All Connections',
      'a -> ::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff: No Connections',
    ]);
  });

  it('a rule of one family decides nothing of a dual-stack pair, whatever its action', () => {
    // A dual-stack cluster: templates have both families, as `dual` does; `four` and `six` have one.
    const pods = pod('tmpl', []) + pod('dual', ['10.1.0.7', 'fd00::7']) + pod('four', ['10.1.0.6']) + pod('six', ['fd00::6']);
    const pairs = [
      ['four', 'dual'],
      ['six', 'dual'],
      ['tmpl', 'dual'],
    ] as const;
    // The Deny takes the IPv6-only peer's traffic; the dual-stack template's is not all IPv6, so the Allow decides it.
    expect(verdicts(pods + onIngressOf('dual', '  - {action: Deny, ipVersion: 6}\n  - {action: Allow}\n'), pairs)).toEqual([
      'four -> dual: All Connections',
      'six -> dual: No Connections',
      'tmpl -> dual: All Connections',
    ]);
    // The Allow takes the IPv6-only peer's traffic; the template's is not all IPv6, so the tier's end drops it.
    expect(verdicts(pods + onIngressOf('dual', '  - {action: Allow, ipVersion: 6}\n'), pairs)).toEqual([
      'four -> dual: No Connections',
      'six -> dual: All Connections',
      'tmpl -> dual: No Connections',
    ]);
    // A single-family subject shares one family with a dual-stack peer: the rule of that family decides.
    expect(verdicts(pods + onIngressOf('four', '  - {action: Deny, ipVersion: 4}\n  - {action: Allow}\n'), [['dual', 'four'], ['six', 'four']])).toEqual([
      'dual -> four: No Connections',
      'six -> four: All Connections',
    ]);
  });

  it('keeps pods of different families apart (classes stand for their members)', () => {
    const labelled = (name: string, ips: readonly string[]) => pod(name, ips).replace(`app: ${name}`, 'app: x');
    const yaml =
      labelled('x-four', ['10.1.0.5']) +
      labelled('x-dual', ['10.1.0.6', 'fd00::6']) +
      pod('six', ['fd00::9']) +
      onIngressOf('x', '  - {action: Deny, ipVersion: 6}\n  - {action: Allow}\n');
    expect(verdicts(yaml, [['six', 'x-four'], ['six', 'x-dual']])).toEqual([
      'six -> x-four: All Connections',
      'six -> x-dual: No Connections',
    ]);
  });
});

describe("Calico: hostNetwork pods as peers (not workload endpoints, but their traffic carries their node's address)", () => {
  // A hostNetwork pod whose address the input gives (its node's), and the hostNetwork template `server/agent` of PODS.
  const NODE_AGENT = doc(`
apiVersion: v1
kind: Pod
metadata: {name: node-agent, namespace: server, labels: {app: node-agent}}
spec: {hostNetwork: true, containers: [{name: c, image: x}]}
status: {podIP: 192.168.1.10, podIPs: [{ip: 192.168.1.10}]}`);
  const fromNodeAgent = (yaml: string) => between(NODE_AGENT + yaml, 'server/node-agent[Pod]', 'server/api[Pod]');
  const fromAgent = (yaml: string) => between(NODE_AGENT + yaml, 'server/agent[Pod]', 'server/api[Pod]');
  const apiIngress = (rules: string, extra = '') => extra + onApi('api-in', 'default', undefined, rules);

  it("nets match a hostNetwork pod by its node's address", () => {
    const nodes = apiIngress('  - {action: Allow, source: {nets: [192.168.1.0/24]}}\n');
    expect(fromNodeAgent(nodes)).toBe('All Connections');
    // The template's address is unknown: only nets covering the whole family hold it.
    expect(fromAgent(nodes)).toBe('No Connections');
    const others = apiIngress('  - {action: Allow, source: {nets: [10.0.0.0/8]}}\n');
    expect(fromNodeAgent(others)).toBe('No Connections');
    const everything = apiIngress('  - {action: Deny, source: {nets: [0.0.0.0/0]}}\n  - {action: Allow}\n');
    expect(fromNodeAgent(everything)).toBe('No Connections');
    expect(fromAgent(everything)).toBe('No Connections');
    expect(between(NODE_AGENT + everything, 'client/web[Pod]', 'server/api[Pod]')).toBe('No Connections');
    const notNodes = apiIngress('  - {action: Allow, source: {notNets: [192.168.1.0/24]}}\n');
    expect(fromNodeAgent(notNodes)).toBe('No Connections');
  });

  it("an egress rule's destination nets match it too", () => {
    const yaml = gnp('web-out', "  selector: app == 'web'\n  egress:\n  - {action: Deny, destination: {nets: [192.168.1.10/32]}}\n  - {action: Allow}\n");
    expect(between(NODE_AGENT + yaml, 'client/web[Pod]', 'server/node-agent[Pod]')).toBe('No Connections');
    expect(between(NODE_AGENT + yaml, 'client/web[Pod]', 'server/api[Pod]')).toBe('All Connections');
  });

  it('selectors never match it, beside nets or not; a notSelector never excludes it', () => {
    const selected = apiIngress("  - {action: Allow, source: {selector: app == 'node-agent', nets: [192.168.1.0/24]}}\n");
    expect(fromNodeAgent(selected)).toBe('No Connections');
    const scoped = apiIngress('  - {action: Allow, source: {namespaceSelector: all(), nets: [192.168.1.0/24]}}\n');
    expect(fromNodeAgent(scoped)).toBe('No Connections');
    const notSelected = apiIngress("  - {action: Allow, source: {notSelector: app == 'node-agent', nets: [192.168.1.0/24]}}\n");
    expect(fromNodeAgent(notSelected)).toBe('All Connections');
  });

  it("a network set holding its node's address makes a selector match it", () => {
    const set = doc(
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: nodes, labels: {role: nodes}}\nspec: {nets: [192.168.1.0/24]}',
    );
    const yaml = apiIngress("  - {action: Allow, source: {selector: role == 'nodes'}}\n", set);
    expect(fromNodeAgent(yaml)).toBe('All Connections');
    expect(fromAgent(yaml)).toBe('No Connections');
  });

  it('explain and the fast path agree on it', () => {
    const set = doc('apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: nodes, labels: {role: nodes}}\nspec: {nets: [192.168.1.0/24]}');
    const yaml =
      NODE_AGENT +
      set +
      apiIngress("  - {action: Deny, source: {notSelector: app == 'web', nets: [192.168.1.0/24]}}\n  - {action: Allow, source: {selector: role == 'nodes'}}\n") +
      gnp('web-out', "  selector: app == 'web'\n  egress:\n  - {action: Pass, destination: {nets: [0.0.0.0/0]}}\n");
    expectWalkAndFoldAgree(yaml);
  });

  it('no policy applies to it, whatever its address', () => {
    const yaml = gnp('deny-out', "  selector: all()\n  egress:\n  - {action: Deny, destination: {nets: [0.0.0.0/0]}}\n");
    expect(between(NODE_AGENT + yaml, 'server/node-agent[Pod]', '0.0.0.0-255.255.255.255')).toBe('All Connections');
  });
});

describe('Calico: network sets and pods whose address is unknown', () => {
  it('a network set covering a whole family holds pod templates, hostNetwork ones too, as such nets do', () => {
    const everything = doc(
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: everything, labels: {role: everything}}\nspec: {nets: [0.0.0.0/0]}',
    );
    const yaml =
      everything + gnp('web-out', "  selector: app == 'web'\n  egress:\n  - {action: Allow, destination: {selector: role == 'everything'}}\n");
    expect(between(yaml, 'client/web[Pod]', 'server/db[Pod]')).toBe('All Connections');
    expect(between(yaml, 'client/web[Pod]', 'server/agent[Pod]')).toBe('All Connections');
    // A set holding part of the family may or may not hold a template's future address: not taken to.
    const partners = everything.replace('0.0.0.0/0', '10.0.0.0/8');
    expect(between(partners + yaml.slice(everything.length), 'client/web[Pod]', 'server/db[Pod]')).toBe('No Connections');
    expectWalkAndFoldAgree(yaml);
  });
});
