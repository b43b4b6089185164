// The loader on Calico's own kinds (projectcalico.org/v3 and crd.projectcalico.org/v1).
import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';

function issuesOf(text: string) {
  return loadManifests([{ path: 'm.yaml', text }]).issues.map((issue) => ({
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
    text: text.slice(issue.location.range.start, issue.location.range.end),
  }));
}

const policy = (spec: string, apiVersion = 'projectcalico.org/v3', kind = 'NetworkPolicy', name = 'p') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ns}\nspec:\n${spec}`;

describe('loadManifests: Calico kinds', () => {
  it('reads every Calico kind in both API groups, apart from Kubernetes kinds of the same name', () => {
    const text = [
      policy("  tier: security\n  order: 10\n  selector: app == 'web'\n  ingress:\n  - action: Allow\n    protocol: TCP\n    source: {selector: has(role), nets: [10.0.0.0/8]}\n    destination: {ports: [80, '8000:9000', http]}\n"),
      policy('  selector: all()\n  types: [Egress]\n  egress: [{action: Deny}]\n', 'crd.projectcalico.org/v1', 'NetworkPolicy', 'q'),
      policy("  namespaceSelector: global()\n  selector: all()\n", 'projectcalico.org/v3', 'GlobalNetworkPolicy'),
      'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100, defaultAction: Pass}\n',
      'apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata: {name: s, namespace: ns}\nspec: {nets: [192.0.2.0/24]}\n',
      'apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkSet\nmetadata: {name: g}\nspec: {nets: [198.51.100.0/24]}\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec: {podSelector: {}}\n',
    ].join('---\n');
    const result = loadManifests([{ path: 'm.yaml', text }]);
    expect(result.issues.map((issue) => issue.message)).toEqual([]);
    expect(result.objects.map((o) => [o.kind, o.name, o.rejected])).toEqual([
      ['CalicoNetworkPolicy', 'p', false],
      ['CalicoNetworkPolicy', 'q', false],
      ['CalicoGlobalNetworkPolicy', 'p', false],
      ['CalicoTier', 'security', false],
      ['CalicoNetworkSet', 's', false],
      ['CalicoGlobalNetworkSet', 'g', false],
      ['NetworkPolicy', 'p', false],
    ]);
  });

  it('reads both groups as one kind: the same name twice is a duplicate', () => {
    const text = [policy('  selector: all()\n'), policy('  selector: all()\n', 'crd.projectcalico.org/v1')].join('---\n');
    expect(issuesOf(text).filter((issue) => issue.severity === 'error')).toMatchObject([{ code: 'duplicate-name', text: 'p' }]);
  });

  it('points a selector syntax error at the offending character', () => {
    expect(issuesOf(policy("  selector: app = 'web'\n"))).toEqual([
      { code: 'invalid-value', severity: 'error', message: 'spec.selector: invalid selector: unexpected character "="', text: '=' },
    ]);
  });

  it('checks the selectors of rules, inside quoted scalars too', () => {
    const text = policy(`  ingress:\n  - action: Allow\n    source:\n      notSelector: "role in {'a' 'b'}"\n`);
    expect(issuesOf(text)[0]).toEqual({
      code: 'invalid-value',
      severity: 'error',
      message: `spec.ingress[0].source.notSelector: invalid selector: expected ',' or '}', found the string "b"`,
      text: "'b'",
    });
  });

  it.each([
    ['9000:8000', 'minimum port number (9000) is greater than maximum port number (8000) in port range'],
    ['80:70000', 'port 80:70000 is not in 0..65535'],
    ['70000', 'port 70000 is not in 0..65535'],
    ['"http server"', 'invalid name for named port (http server)'],
  ])('rejects the port %s at the entry (numorstring.PortFromString)', (port, problem) => {
    const text = policy(`  egress:\n  - action: Allow\n    protocol: TCP\n    destination:\n      notPorts: [80, ${port}]\n`);
    expect(issuesOf(text)[0]).toEqual({
      code: 'invalid-value',
      severity: 'error',
      message: `spec.egress[0].destination.notPorts[1]: ${problem}`,
      text: port,
    });
  });

  it('accepts numbers, ranges and names as ports', () => {
    const text = policy("  ingress:\n  - action: Allow\n    protocol: udp\n    destination: {ports: [0, 65535, '1:65535', '80', http-alt, my_port.v2]}\n");
    expect(issuesOf(text).filter((issue) => issue.severity === 'error')).toEqual([]);
  });

  it.each([
    ['protocol: TCP\n    destination: {nets: [10.0.0.0/33]}', 'spec.ingress[0].destination.nets[0]: invalid CIDR or IP address "10.0.0.0/33"', '10.0.0.0/33'],
    ['source: {notNets: [10.0.0.256]}', 'spec.ingress[0].source.notNets[0]: invalid CIDR or IP address "10.0.0.256"', '10.0.0.256'],
    ['protocol: GRE', 'spec.ingress[0].protocol: unsupported protocol "GRE": use one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1..255', 'GRE'],
    ['notProtocol: 256', 'spec.ingress[0].notProtocol: unsupported protocol 256: use one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1..255', '256'],
    ['protocol: ICMP\n    destination: {ports: [80]}', 'spec.ingress[0].destination.ports: ports are only valid with protocol TCP, UDP, SCTP or UDPLite', '[80]'],
    ['destination: {ports: [80]}', 'spec.ingress[0].destination.ports: ports are only valid with protocol TCP, UDP, SCTP or UDPLite', '[80]'],
    ['protocol: TCP\n    icmp: {type: 8}', 'spec.ingress[0].icmp: icmp is only valid with protocol ICMP or ICMPv6', '{type: 8}'],
  ])('rejects a rule Calico\'s validator rejects: %s', (rule, message, text) => {
    const issue = issuesOf(policy(`  ingress:\n  - action: Allow\n    ${rule}\n`))[0];
    expect(issue).toEqual({ code: 'invalid-value', severity: 'error', message, text });
  });

  it('accepts addresses, CIDRs with host bits, protocol numbers and ICMP matches', () => {
    const text = policy(
      '  ingress:\n  - action: Allow\n    protocol: 132\n    source: {nets: [10.1.2.3, 10.1.2.3/8, "2001:db8::/32"]}\n    destination: {ports: [80]}\n  - action: Deny\n    protocol: ICMPv6\n    notICMP: {type: 128, code: 0}\n',
    );
    expect(issuesOf(text).filter((issue) => issue.severity === 'error')).toEqual([]);
  });

  it('checks the nets of network sets', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: g}\nspec: {nets: [198.51.100.0/24, nope]}\n';
    expect(issuesOf(text)).toEqual([{ code: 'invalid-value', severity: 'error', message: 'spec.nets[1]: invalid CIDR or IP address "nope"', text: 'nope' }]);
  });

  it('checks service matches as libcalico-go does: a name, nothing beside them, and on the side each direction allows', () => {
    expect(issuesOf(policy('  egress:\n  - action: Allow\n    destination: {services: {name: api, namespace: shop}}\n'))).toEqual([]);
    expect(issuesOf(policy('  ingress:\n  - action: Allow\n    protocol: TCP\n    source: {services: {name: api}}\n    destination: {ports: [80]}\n'))).toEqual([]);
    const problems = (spec: string) => issuesOf(policy(spec)).map((i) => [i.message, i.text]);
    expect(problems('  ingress:\n  - action: Allow\n    destination: {services: {name: api}}\n')).toEqual([
      ['spec.ingress[0].destination.services: a service match is not allowed in the destination of an ingress rule (only in the source)', '{name: api}'],
    ]);
    expect(problems('  egress:\n  - action: Allow\n    source: {services: {name: api}}\n')).toEqual([
      ['spec.egress[0].source.services: a service match is not allowed in the source of an egress rule (only in the destination)', '{name: api}'],
    ]);
    expect(problems("  egress:\n  - action: Allow\n    protocol: TCP\n    destination: {services: {namespace: shop}, selector: app == 'x', nets: [10.0.0.0/8], ports: [80]}\n")).toEqual([
      ['spec.egress[0].destination.services: a service match must name a Service', '{namespace: shop}'],
      ['spec.egress[0].destination.services: selector and services cannot be used on the same rule destination', '{namespace: shop}'],
      ['spec.egress[0].destination.services: nets and services cannot be used on the same rule destination', '{namespace: shop}'],
      ['spec.egress[0].destination.ports: ports cannot be used with a destination service match: the Service\'s endpoint ports are used', '[80]'],
    ]);
  });

  it('rejects an unknown action at the field', () => {
    expect(issuesOf(policy('  ingress: [{action: Accept}]\n'))[0]).toMatchObject({ severity: 'error', text: 'Accept' });
  });

  it('skips other versions and Calico-prefixed kind names with an info', () => {
    expect(issuesOf(policy('  selector: all()\n', 'projectcalico.org/v4')).map((i) => [i.severity, i.message])).toEqual([
      ['info', 'CalicoNetworkPolicy projectcalico.org/v4 is not read by kubereach (it reads projectcalico.org/v3 and crd.projectcalico.org/v1): skipped'],
    ]);
    expect(issuesOf(policy('  selector: all()\n', 'networking.k8s.io/v1', 'CalicoNetworkPolicy')).map((i) => i.message)).toEqual([
      'kind CalicoNetworkPolicy is not read by kubereach: skipped',
    ]);
  });
});
