import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import type { Endpoint } from '../engine/endpoints.js';
import { AdminConnectivityResult, type AdminPairExplanation } from './evaluate.js';

// Two namespaces: client/web (label app=web) and server/api (app=api, container port 8080 named http, 9090 named metrics).
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
  containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: server, labels: {app: api}}
spec:
  containers:
  - name: c
    image: x
    ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090, protocol: UDP}]
`;

const NP_DENY_ALL_API = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: server}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const NP_ALLOW_8080 = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: server}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{ports: [{port: 8080}]}]
`;

function anp(
  name: string,
  priority: number,
  rules: string,
  direction: 'ingress' | 'egress' = 'ingress',
  subject = '{namespaces: {matchLabels: {team: b}}}',
): string {
  return `
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: ${subject}
  ${direction}:
${rules}`;
}

function banp(rules: string, direction: 'ingress' | 'egress' = 'ingress'): string {
  return `
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {team: b}}}
  ${direction}:
${rules}`;
}

function cnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  rules: string,
  { version = 'v1alpha2', subject = '{namespaces: {matchLabels: {team: b}}}' } = {},
): string {
  return `
---
apiVersion: policy.networking.k8s.io/${version}
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject: ${subject}
  ingress:
${rules}`;
}

const FROM_CLIENT = 'from: [{namespaces: {matchLabels: {team: a}}}]';

/** The connections web may open to api, as the connlist string. */
function webToApi(yaml: string, cni = 'generic'): string {
  const analysis = analyze([{ path: 'test.yaml', text: PODS + yaml }], { cni });
  const find = (id: string): Endpoint => analysis.result.workloads.find((w) => w.id === id)!;
  return analysis.result.allowed(find('client/web[Pod]'), find('server/api[Pod]')).toString();
}

describe('admin policies: precedence (ANP -> NetworkPolicy -> BANP -> allow)', () => {
  it('nothing anywhere: allowed', () => {
    expect(webToApi('')).toBe('All Connections');
  });
  it('ANP Deny beats a NetworkPolicy allow', () => {
    expect(webToApi(NP_ALLOW_8080 + anp('deny', 10, `  - {action: Deny, ${FROM_CLIENT}}`))).toBe(
      'No Connections',
    );
  });
  it('ANP Allow beats NetworkPolicy default deny', () => {
    expect(
      webToApi(
        NP_DENY_ALL_API +
          anp(
            'allow',
            10,
            `  - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {protocol: TCP, port: 443}}]}`,
          ),
      ),
    ).toBe('TCP 443');
  });
  it('ANP Pass falls to NetworkPolicy, which decides alone when it isolates', () => {
    const yaml =
      NP_ALLOW_8080 +
      anp('pass', 10, `  - {action: Pass, ${FROM_CLIENT}}`) +
      banp(`  - {action: Allow, ${FROM_CLIENT}}`);
    expect(webToApi(yaml)).toBe('TCP 8080');
  });
  it('ANP Pass with no NetworkPolicy isolation falls to the BANP', () => {
    const yaml =
      anp('pass', 10, `  - {action: Pass, ${FROM_CLIENT}}`) + banp(`  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml)).toBe('No Connections');
  });
  it('Pass skips the remaining ANPs', () => {
    const yaml =
      anp('a-pass', 10, `  - {action: Pass, ${FROM_CLIENT}}`) +
      anp('b-deny', 20, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml)).toBe('All Connections');
  });
  it('the BANP applies only where no NetworkPolicy isolates', () => {
    const deny = banp(`  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(deny)).toBe('No Connections');
    expect(webToApi(NP_ALLOW_8080 + deny)).toBe('TCP 8080');
  });
  it('BANP rules are first-match; what no rule matches is allowed', () => {
    const yaml = banp(
      `  - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {port: 80}}]}\n  - {action: Deny, ${FROM_CLIENT}, ports: [{portRange: {start: 1, end: 1000}}]}`,
    );
    const result = webToApi(yaml);
    expect(result).toContain('TCP 80,1001-65535');
    expect(result).toContain('UDP 1-65535');
  });
  it('first matching rule wins within an ANP', () => {
    const rules = `  - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {port: 8080}}]}\n  - {action: Deny, ${FROM_CLIENT}}`;
    expect(webToApi(anp('ordered', 10, rules))).toBe('TCP 8080');
    const reversed = `  - {action: Deny, ${FROM_CLIENT}}\n  - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {port: 8080}}]}`;
    expect(webToApi(anp('ordered', 10, reversed))).toBe('No Connections');
  });
  it('a lower priority number is evaluated first, whatever the names', () => {
    const allow = (p: number) =>
      anp('z-allow', p, `  - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {port: 8080}}]}`);
    const deny = (p: number) => anp('a-deny', p, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(allow(1) + deny(2))).toBe('TCP 8080');
    expect(webToApi(allow(2) + deny(1))).toBe('No Connections');
  });
  it('same priority: ordered by name (deterministic; the spec leaves it undefined)', () => {
    const yaml =
      anp('b-allow', 5, `  - {action: Allow, ${FROM_CLIENT}, ports: [{portNumber: {port: 8080}}]}`) +
      anp('a-deny', 5, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml)).toBe('No Connections');
  });
  it('named ports resolve on the destination pod, any protocol', () => {
    const rules = `  - {action: Allow, ${FROM_CLIENT}, ports: [{namedPort: http}, {namedPort: metrics}]}\n  - {action: Deny, ${FROM_CLIENT}}`;
    expect(webToApi(anp('named', 10, rules))).toBe('TCP 8080,UDP 9090');
  });
  it('an egress Allow does not open the destination ingress: both sides must allow', () => {
    const egressAllow = anp(
      'egress',
      10,
      `  - {action: Allow, to: [{namespaces: {matchLabels: {team: b}}}]}`,
      'egress',
      '{namespaces: {matchLabels: {team: a}}}',
    );
    expect(webToApi(NP_DENY_ALL_API + egressAllow)).toBe('No Connections');
  });
  it('unsupported by the profile: admin policies are ignored', () => {
    const yaml = NP_ALLOW_8080 + anp('deny', 10, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml, 'cilium')).toBe('TCP 8080');
    expect(webToApi(yaml, 'ovn-kubernetes')).toBe('No Connections');
    expect(webToApi(yaml, 'calico@3.28')).toBe('TCP 8080');
    expect(webToApi(yaml, 'calico@3.29')).toBe('No Connections');
  });
  it('calico 3.29 enforces ANP but not BANP', () => {
    expect(webToApi(banp(`  - {action: Deny, ${FROM_CLIENT}}`), 'calico@3.29')).toBe('All Connections');
    expect(webToApi(banp(`  - {action: Deny, ${FROM_CLIENT}}`), 'calico@3.30')).toBe('No Connections');
  });
  it('a peer with no known field fails closed: an Allow matches nothing, a Pass denies all', () => {
    expect(
      webToApi(NP_DENY_ALL_API + anp('allow', 10, `  - {action: Allow, from: [{futurePeer: {}}]}`)),
    ).toBe('No Connections');
    expect(webToApi(anp('pass', 10, `  - {action: Pass, from: [{futurePeer: {}}]}`))).toBe('No Connections');
  });
});

describe('ClusterNetworkPolicy v1alpha2 tiers', () => {
  it('Admin Accept beats NetworkPolicy; Admin Deny beats NetworkPolicy', () => {
    expect(
      webToApi(
        NP_DENY_ALL_API +
          cnp(
            'accept',
            'Admin',
            1,
            `  - {action: Accept, ${FROM_CLIENT}, protocols: [{tcp: {destinationPort: {number: 443}}}]}`,
          ),
      ),
    ).toBe('TCP 443');
    expect(webToApi(NP_ALLOW_8080 + cnp('deny', 'Admin', 1, `  - {action: Deny, ${FROM_CLIENT}}`))).toBe(
      'No Connections',
    );
  });
  it('Admin Pass goes to NetworkPolicy; Baseline Deny applies only without NetworkPolicy', () => {
    const yaml =
      cnp('pass', 'Admin', 1, `  - {action: Pass, ${FROM_CLIENT}}`) +
      cnp('base', 'Baseline', 1, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml)).toBe('No Connections');
    expect(webToApi(NP_ALLOW_8080 + yaml)).toBe('TCP 8080');
  });
  it('Baseline Pass goes to the default allow, skipping later Baseline policies', () => {
    const yaml =
      cnp('a', 'Baseline', 1, `  - {action: Pass, ${FROM_CLIENT}, protocols: [{udp: {destinationPort: {range: {start: 1, end: 65535}}}}]}`) +
      cnp('b', 'Baseline', 2, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml)).toBe('UDP 1-65535');
  });
  it('ClusterNetworkPolicy is enforced by calico from 3.32 only', () => {
    const yaml = cnp('deny', 'Admin', 1, `  - {action: Deny, ${FROM_CLIENT}}`);
    expect(webToApi(yaml, 'calico@3.31')).toBe('All Connections');
    expect(webToApi(yaml, 'calico@3.32')).toBe('No Connections');
  });
});

describe('ClusterNetworkPolicy v1beta1 (apis/v1beta1, the v1alpha2 shape) and NamespacedPod without namespaceSelector', () => {
  const v1beta1 = { version: 'v1beta1' };
  it('reads v1beta1 as v1alpha2: the same tiers, enforced by the same plugins', () => {
    const yaml =
      cnp('pass', 'Admin', 1, `  - {action: Pass, ${FROM_CLIENT}}`, v1beta1) +
      cnp('base', 'Baseline', 1, `  - {action: Deny, ${FROM_CLIENT}}`, v1beta1);
    expect(webToApi(yaml)).toBe('No Connections');
    expect(webToApi(NP_ALLOW_8080 + yaml)).toBe('TCP 8080');
    const deny = cnp('deny', 'Admin', 1, `  - {action: Deny, ${FROM_CLIENT}}`, v1beta1);
    expect(webToApi(deny, 'calico@3.31')).toBe('All Connections');
    expect(webToApi(deny, 'calico@3.32')).toBe('No Connections');
  });
  it('an omitted namespaceSelector selects every namespace ("if empty, it selects all Namespaces"), in a peer and in the subject', () => {
    const fromWebPods = 'from: [{pods: {podSelector: {matchLabels: {app: web}}}}]';
    expect(webToApi(cnp('peer', 'Admin', 1, `  - {action: Deny, ${fromWebPods}}`))).toBe('No Connections');
    const apiPods = { ...v1beta1, subject: '{pods: {podSelector: {matchLabels: {app: api}}}}' };
    expect(webToApi(cnp('subject', 'Admin', 1, `  - {action: Deny, ${FROM_CLIENT}}`, apiPods))).toBe('No Connections');
    // A selector that matches no pod of any namespace denies nothing.
    const otherPods = { ...v1beta1, subject: '{pods: {podSelector: {matchLabels: {app: db}}}}' };
    expect(webToApi(cnp('other', 'Admin', 1, `  - {action: Deny, ${FROM_CLIENT}}`, otherPods))).toBe('All Connections');
  });
});

describe('admin policies: networks peers and explanations', () => {
  const egress = (rules: string) =>
    anp('egress', 10, rules, 'egress', '{namespaces: {matchLabels: {team: a}}}');
  it('cuts external ranges at networks CIDRs and matches them', () => {
    const analysis = analyze(
      [{ path: 'test.yaml', text: PODS + egress(`  - {action: Deny, to: [{networks: [203.0.113.0/24]}]}`) }],
      { cni: 'generic' },
    );
    const web = analysis.result.workloads.find((w) => w.id === 'client/web[Pod]')!;
    const inside = analysis.result.externals.find((e) => e.id === '203.0.113.0-203.0.113.255')!;
    const outside = analysis.result.externals.find((e) => e.id === '0.0.0.0-203.0.112.255')!;
    expect(analysis.result.allowed(web, inside).toString()).toBe('No Connections');
    expect(analysis.result.allowed(web, outside).toString()).toBe('All Connections');
    // The range's own side is about the range judged, not about the NetworkPolicy result's coarser one.
    expect(analysis.result.explain(web, inside).ingress.subject).toBe(inside);
  });
  it('networks also match pods by their known address (status.podIP), as the API says', () => {
    const withIp = PODS.replace('    ports: [{name: http', '    ports: [{name: http').concat(
      'status: {podIP: 10.0.0.5}\n',
    );
    const yaml = egress(`  - {action: Deny, to: [{networks: [10.0.0.0/8]}]}`);
    const analysis = analyze([{ path: 'test.yaml', text: withIp + yaml }], { cni: 'generic' });
    const [web, api] = ['client/web[Pod]', 'server/api[Pod]'].map((id) =>
      analysis.result.workloads.find((w) => w.id === id)!,
    );
    expect(analysis.result.allowed(web!, api!).toString()).toBe('No Connections');
    expect(webToApi(yaml)).toBe('All Connections');
  });
  it('a network covering the whole family matches pods whose address the input does not give ("0.0.0.0/0 ... all IPv4 pod-to-pod traffic as well")', () => {
    // A pod template has no address yet: 0.0.0.0/0 holds it whatever it gets; 10.0.0.0/8 may not.
    expect(webToApi(egress(`  - {action: Deny, to: [{networks: [0.0.0.0/0]}]}`))).toBe('No Connections');
    // Networks that together cover the family hold it too; ones leaving part of it out may not.
    expect(webToApi(egress(`  - {action: Deny, to: [{networks: [0.0.0.0/1, 128.0.0.0/1]}]}`))).toBe('No Connections');
    expect(webToApi(egress(`  - {action: Deny, to: [{networks: [10.0.0.0/8, 0.0.0.0/1]}]}`))).toBe('All Connections');
    // "::/0 will match both IPv6 and ICMPv6 traffic": none of it is traffic between the pods of a cluster whose pods
    // the input shows only IPv4 addresses of (or none, as here: most clusters are IPv4), ...
    expect(webToApi(egress(`  - {action: Deny, to: [{networks: ['::/0']}]}`))).toBe('All Connections');
    // ... but a cluster with IPv6 pod addresses gives its templates IPv6 addresses too.
    const ipv6Pod = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: six, namespace: client}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: fd00::5}\n';
    expect(webToApi(ipv6Pod + egress(`  - {action: Deny, to: [{networks: ['::/0']}]}`))).toBe('No Connections');
    // A Pass for the pods first, as the API suggests, keeps pod-to-pod traffic out of the Deny.
    const passFirst = egress(
      `  - {action: Pass, to: [{namespaces: {}}]}\n  - {action: Deny, to: [{networks: [0.0.0.0/0]}]}`,
    );
    expect(webToApi(passFirst)).toBe('All Connections');
  });
  it('explains the chain per side', () => {
    const analysis = analyze(
      [
        {
          path: 'test.yaml',
          text: PODS + NP_ALLOW_8080 + anp('ops', 10, `  - {action: Pass, ${FROM_CLIENT}}`),
        },
      ],
      { cni: 'generic' },
    );
    expect(analysis.result).toBeInstanceOf(AdminConnectivityResult);
    const [web, api] = ['client/web[Pod]', 'server/api[Pod]'].map((id) =>
      analysis.result.workloads.find((w) => w.id === id)!,
    );
    const explanation = analysis.result.explain(web!, api!) as AdminPairExplanation;
    const chain = explanation.ingress.adminChain!;
    expect(chain.admin.map((s) => [s.policy.id, s.action, s.connections.toString()])).toEqual([
      ['AdminNetworkPolicy/ops', 'pass', 'All Connections'],
    ]);
    expect(chain.networkPolicyIsolates).toBe(true);
    expect(explanation.connections.toString()).toBe('TCP 8080');
    expect(explanation.egress.adminChain).toBeUndefined();
  });
});
