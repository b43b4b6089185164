// The API server's validation of policy.networking.k8s.io objects (validation-admin.ts), from the CRDs' rules in
// kubernetes-sigs/network-policy-api: apis/v1alpha1 (v0.1.7: adminnetworkpolicy_types.go,
// baselineadminnetworkpolicy_types.go, shared_types.go) and apis/v1alpha2, apis/v1beta1 clusternetworkpolicy_types.go.
// A valid case comes with a contrasting object the server rejects.
import { describe, it } from 'vitest';
import { check, inDocument, type Case } from './testing/validation-cases.js';

const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`);

/** An AdminNetworkPolicy named `name` whose spec has the `spec` lines (indented by two) after its priority. */
function anp(name: string, spec: readonly string[]): string {
  return [
    'apiVersion: policy.networking.k8s.io/v1alpha1',
    'kind: AdminNetworkPolicy',
    `metadata: {name: ${name}}`,
    'spec:',
    '  priority: 1',
    ...indent(spec),
    '',
  ].join('\n');
}

function banp(spec: readonly string[]): string {
  return [
    'apiVersion: policy.networking.k8s.io/v1alpha1',
    'kind: BaselineAdminNetworkPolicy',
    'metadata: {name: default}',
    'spec:',
    ...indent(spec),
    '',
  ].join('\n');
}

/** A ClusterNetworkPolicy of `version` (v1alpha2 or v1beta1) in the Admin tier. */
function cnp(version: string, name: string, spec: readonly string[]): string {
  return [
    `apiVersion: policy.networking.k8s.io/${version}`,
    'kind: ClusterNetworkPolicy',
    `metadata: {name: ${name}}`,
    'spec:',
    '  tier: Admin',
    '  priority: 1',
    ...indent(spec),
    '',
  ].join('\n');
}

const ALL = 'subject: {namespaces: {}}';

describe('subjects and peers: exactly one field', () => {
  const subjects = [
    anp('a', ['subject: {pods: {namespaceSelector: {}, podSelector: {}}}']),
    anp('b', [
      'subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: c}}}}',
    ]),
    cnp('v1beta1', 'c', ['subject: {}']),
  ];
  const peers = [
    anp('a', [ALL, 'egress:', '- {action: Deny, to: [{namespaces: {}}]}']),
    anp('b', [ALL, 'egress:', '- {action: Deny, to: [{}]}']),
    anp('c', [ALL, 'egress:', '- {action: Deny, to: [{services: [web]}]}']),
  ];
  it.each<Case>([
    [
      'a subject with namespaces or pods (valid); with both, or with neither (rejected)',
      subjects,
      [
        [
          'invalid-value',
          '{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: c}}}}',
          0,
          'spec.subject: a subject sets exactly one of namespaces, pods (this one sets namespaces and pods)',
        ],
        [
          'invalid-value',
          '{}',
          inDocument(subjects, 2, '{}'),
          'spec.subject: a subject sets exactly one of namespaces, pods (this one sets none)',
        ],
      ],
      [false, true, true],
    ],
    [
      'a peer setting one field (valid); none at all (rejected); only a field of a newer version (left to compilation, which fails it closed)',
      peers,
      [
        [
          'invalid-peer',
          '{}',
          inDocument(peers, 1, '{}', 1),
          'spec.egress[0].to[0]: a peer sets exactly one of namespaces, pods, nodes, networks, domainNames (this one sets none)',
        ],
      ],
      [false, true, false],
    ],
    [
      'a BaselineAdminNetworkPolicy egress peer may be networks (valid)',
      [banp([ALL, 'egress:', '- {action: Deny, to: [{networks: [10.0.0.0/8]}, {nodes: {}}]}'])],
      [],
      [false],
    ],
    [
      'domainNames is an AdminNetworkPolicy egress peer (valid), not a BaselineAdminNetworkPolicy one (rejected)',
      [
        anp('a', [ALL, 'egress:', '- {action: Allow, to: [{domainNames: [example.com]}]}']),
        banp([ALL, 'egress:', '- {action: Allow, to: [{domainNames: [example.com]}]}']),
      ],
      [
        [
          'invalid-peer',
          '[example.com]',
          1,
          'spec.egress[0].to[0].domainNames: domainNames is not an egress peer of this kind: an egress rule selects namespaces, pods, nodes or networks',
        ],
      ],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('rules: their peers, names and numbers', () => {
  const many = (count: number, item: string) => `[${Array.from({ length: count }, () => item).join(', ')}]`;
  const sizes = [
    cnp('v1beta1', 'a', [ALL, `ingress: ${many(25, '{action: Deny, from: [{namespaces: {}}]}')}`]),
    anp('b', [
      ALL,
      'ingress:',
      `- {action: Deny, from: ${many(100, '{pods: {namespaceSelector: {}, podSelector: {}}}')}}`,
    ]),
    cnp('v1beta1', 'c', [ALL, `ingress: ${many(26, '{action: Pass, from: [{namespaces: {}}]}')}`]),
    anp('d', [ALL, 'ingress:', `- {action: Deny, from: ${many(101, '{namespaces: {}}')}}`]),
  ];
  it.each<Case>([
    [
      'a rule names its peers (valid); without them, or with an empty list (rejected)',
      [
        anp('a', [ALL, 'ingress:', '- {action: Deny, from: [{namespaces: {}}]}']),
        anp('b', [ALL, 'ingress:', '- {action: Deny, ports: [{portNumber: {port: 80}}]}']),
        cnp('v1alpha2', 'c', [ALL, 'egress:', '- {action: Deny, to: []}']),
      ],
      [
        [
          'missing-field',
          '{action: Deny, ports: [{portNumber: {port: 80}}]}',
          0,
          'spec.ingress[0].from: required field is missing',
        ],
        ['invalid-value', '[]', 0, 'spec.egress[0].to: must have at least 1 item'],
      ],
      [false, true, true],
    ],
    [
      'a rule name of 100 characters (valid); of 101 (rejected)',
      [
        anp('a', [ALL, 'ingress:', `- {name: ${'r'.repeat(100)}, action: Deny, from: [{namespaces: {}}]}`]),
        anp('b', [ALL, 'ingress:', `- {name: ${'s'.repeat(101)}, action: Deny, from: [{namespaces: {}}]}`]),
      ],
      [['invalid-value', 's'.repeat(101), 0, 'spec.ingress[0].name: may not be more than 100 characters']],
      [false, true],
    ],
    [
      '25 ClusterNetworkPolicy rules and 100 AdminNetworkPolicy peers (valid); 26 rules and 101 peers (rejected, at the first beyond)',
      sizes,
      [
        [
          'invalid-value',
          '{action: Pass, from: [{namespaces: {}}]}',
          25,
          'spec.ingress[25]: may have at most 25 items (this list has 26)',
        ],
        [
          'invalid-value',
          '{namespaces: {}}',
          inDocument(sizes, 3, '{namespaces: {}}', 101),
          'spec.ingress[0].from[100]: may have at most 100 items (this list has 101)',
        ],
      ],
      [false, false, true, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('AdminNetworkPolicy ports (v1alpha1)', () => {
  it.each<Case>([
    [
      'a port sets one of portNumber, portRange, namedPort (valid); two, or none (rejected); the list is not empty',
      [
        anp('a', [
          ALL,
          'ingress:',
          '- {action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}, {portRange: {start: 1, end: 9}}, {namedPort: http}]}',
        ]),
        anp('b', [
          ALL,
          'ingress:',
          '- {action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}, namedPort: http}, {}]}',
        ]),
        anp('c', [ALL, 'ingress:', '- {action: Deny, from: [{namespaces: {}}], ports: []}']),
      ],
      [
        [
          'invalid-value',
          '{portNumber: {port: 80}, namedPort: http}',
          0,
          'spec.ingress[0].ports[0]: a port sets exactly one of portNumber, portRange, namedPort (this one sets portNumber and namedPort)',
        ],
        [
          'invalid-value',
          '{}',
          4,
          'spec.ingress[0].ports[1]: a port sets exactly one of portNumber, portRange, namedPort (this one sets none)',
        ],
        ['invalid-value', '[]', 0, 'spec.ingress[0].ports: must have at least 1 item'],
      ],
      [false, true, true],
    ],
    [
      'a named port toward pods (valid); in an egress rule toward networks (rejected: they have none)',
      [
        anp('a', [ALL, 'egress:', '- {action: Deny, to: [{pods: {namespaceSelector: {}, podSelector: {}}}], ports: [{namedPort: dns}]}']),
        anp('b', [ALL, 'egress:', '- {action: Deny, to: [{networks: [10.0.0.0/8]}], ports: [{namedPort: dns}]}']),
      ],
      [
        [
          'invalid-peer',
          '{action: Deny, to: [{networks: [10.0.0.0/8]}], ports: [{namedPort: dns}]}',
          0,
          'networks/nodes/domainNames peer cannot be set with namedPorts',
        ],
      ],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('ClusterNetworkPolicy protocols (v1alpha2, v1beta1)', () => {
  const rule = (list: string) => [
    ALL,
    'ingress:',
    `- {action: Deny, from: [{namespaces: {}}], protocols: ${list}}`,
  ];
  const protocols = [
    cnp('v1beta1', 'a', rule('[{sctp: {destinationPort: {number: 9}}}, {destinationNamedPort: http}]')),
    cnp(
      'v1beta1',
      'b',
      rule('[{tcp: {destinationPort: {number: 80}}, udp: {destinationPort: {number: 80}}}, {}]'),
    ),
    cnp('v1beta1', 'c', rule('[]')),
  ];
  it.each<Case>([
    [
      'a transport with a destinationPort (valid); tcp: {} (rejected: MinProperties=1; leaving protocols out matches every port)',
      [
        cnp(
          'v1alpha2',
          'a',
          rule(
            '[{tcp: {destinationPort: {number: 80}}}, {udp: {destinationPort: {range: {start: 1, end: 2}}}}]',
          ),
        ),
        cnp('v1alpha2', 'b', rule('[{tcp: {}}]')),
      ],
      [
        [
          'missing-field',
          'tcp',
          1,
          'spec.ingress[0].protocols[0].tcp.destinationPort: required field is missing',
        ],
      ],
      [false, true],
    ],
    [
      'a protocol sets one of tcp, udp, sctp, destinationNamedPort (valid); two, or none (rejected); the list is not empty',
      protocols,
      [
        [
          'invalid-value',
          '{tcp: {destinationPort: {number: 80}}, udp: {destinationPort: {number: 80}}}',
          0,
          'spec.ingress[0].protocols[0]: a protocol sets exactly one of tcp, udp, sctp, destinationNamedPort (this one sets tcp and udp)',
        ],
        [
          'invalid-value',
          '{}',
          inDocument(protocols, 1, '{}', 2),
          'spec.ingress[0].protocols[1]: a protocol sets exactly one of tcp, udp, sctp, destinationNamedPort (this one sets none)',
        ],
        ['invalid-value', '[]', 0, 'spec.ingress[0].protocols: must have at least 1 item'],
      ],
      [false, true, true],
    ],
    [
      'a port range with start < end (valid); start = end and start > end (rejected: "self.start < self.end")',
      [
        cnp('v1alpha2', 'a', rule('[{tcp: {destinationPort: {range: {start: 80, end: 81}}}}]')),
        cnp(
          'v1alpha2',
          'b',
          rule(
            '[{tcp: {destinationPort: {range: {start: 80, end: 80}}}}, {udp: {destinationPort: {range: {start: 90, end: 10}}}}]',
          ),
        ),
      ],
      [
        [
          'invalid-value',
          '{start: 80, end: 80}',
          0,
          'spec.ingress[0].protocols[0].tcp.destinationPort.range: Start port must be less than End port',
        ],
        [
          'invalid-value',
          '{start: 90, end: 10}',
          0,
          'spec.ingress[0].protocols[1].udp.destinationPort.range: Start port must be less than End port',
        ],
      ],
      [false, true],
    ],
    [
      'a destinationPort sets a number or a range (valid); both, or neither (rejected)',
      [
        cnp(
          'v1beta1',
          'a',
          rule(
            '[{tcp: {destinationPort: {number: 80, range: {start: 1, end: 2}}}}, {udp: {destinationPort: {}}}]',
          ),
        ),
      ],
      [
        [
          'invalid-value',
          '{number: 80, range: {start: 1, end: 2}}',
          0,
          'a destinationPort sets exactly one of number, range (this one sets number and range)',
        ],
        [
          'invalid-value',
          '{}',
          2,
          'a destinationPort sets exactly one of number, range (this one sets none)',
        ],
      ],
      [true],
    ],
    [
      'a named port toward pods (valid); in an egress rule toward nodes (rejected)',
      [
        cnp('v1beta1', 'a', [
          ALL,
          'egress:',
          '- {action: Accept, to: [{pods: {podSelector: {}}}], protocols: [{destinationNamedPort: dns}]}',
        ]),
        cnp('v1beta1', 'b', [
          ALL,
          'egress:',
          '- {action: Accept, to: [{nodes: {}}], protocols: [{destinationNamedPort: dns}]}',
        ]),
      ],
      [
        [
          'invalid-peer',
          '{action: Accept, to: [{nodes: {}}], protocols: [{destinationNamedPort: dns}]}',
          0,
          'networks/nodes/domainNames peer cannot be set with namedPorts',
        ],
      ],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('NamespacedPod: namespaceSelector', () => {
  const documents = [
    cnp('v1alpha2', 'a', [
      'subject: {pods: {podSelector: {matchLabels: {app: a}}}}',
      'ingress:',
      '- {action: Deny, from: [{pods: {podSelector: {}}}]}',
    ]),
    cnp('v1beta1', 'b', [
      'subject: {pods: {podSelector: {matchLabels: {app: a}}}}',
      'egress:',
      '- {action: Deny, to: [{pods: {podSelector: {}}}]}',
    ]),
    anp('c', ['subject: {pods: {podSelector: {matchLabels: {app: a}}}}']),
  ];
  it.each<Case>([
    [
      'optional in v1alpha2 and v1beta1 ("if empty, it selects all Namespaces"), in subjects and peers (valid); required in v1alpha1 (rejected)',
      documents,
      // A missing field points at its parent's key.
      [
        [
          'missing-field',
          'pods',
          inDocument(documents, 2, 'pods'),
          'spec.subject.pods.namespaceSelector: required field is missing',
        ],
      ],
      // An object that does not decode is not returned at all.
      [false, false],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('networks and domainNames', () => {
  const egress = (version: string, name: string, peer: string) =>
    cnp(version, name, [ALL, 'egress:', `- {action: Deny, to: [${peer}]}`]);
  it.each<Case>([
    [
      'CIDRs (CEL isCIDR): IPv4 and IPv6 (valid); a bad octet, leading zeros, an IPv4-mapped address, a duplicate, none (rejected)',
      [
        egress('v1alpha2', 'a', '{networks: [10.0.0.0/8, "fd00::/8", 0.0.0.0/0]}'),
        egress(
          'v1alpha2',
          'b',
          '{networks: [10.0.0.256/24, 010.0.0.0/8, "::ffff:10.0.0.0/104", 10.1.0.0/16, 10.1.0.0/16]}',
        ),
        egress('v1alpha2', 'c', '{networks: []}'),
      ],
      [
        [
          'invalid-cidr',
          '10.0.0.256/24',
          0,
          'spec.egress[0].to[0].networks[0]: "10.0.0.256/24" is not a valid CIDR',
        ],
        [
          'invalid-cidr',
          '010.0.0.0/8',
          0,
          'spec.egress[0].to[0].networks[1]: "010.0.0.0/8" is not a valid CIDR',
        ],
        [
          'invalid-cidr',
          '"::ffff:10.0.0.0/104"',
          0,
          'spec.egress[0].to[0].networks[2]: "::ffff:10.0.0.0/104" is not a valid CIDR',
        ],
        [
          'duplicate-name',
          '10.1.0.0/16',
          1,
          'spec.egress[0].to[0].networks[4]: duplicate value "10.1.0.0/16"',
        ],
        ['invalid-value', '[]', 0, 'spec.egress[0].to[0].networks: must have at least 1 item'],
      ],
      [false, true, true],
    ],
    [
      'host bits: accepted by v1alpha1 and v1alpha2 (isCIDR), rejected by v1beta1 (cidr(self) == cidr(self).masked())',
      [
        anp('a', [ALL, 'egress:', '- {action: Deny, to: [{networks: [10.0.0.1/8]}]}']),
        egress('v1alpha2', 'b', '{networks: [10.0.0.1/8]}'),
        egress('v1beta1', 'c', '{networks: [10.0.0.1/8]}'),
      ],
      [
        [
          'invalid-cidr',
          '10.0.0.1/8',
          2,
          'spec.egress[0].to[0].networks[0]: "10.0.0.1/8" has bits set beyond the prefix length',
        ],
      ],
      [false, false, true],
    ],
    [
      'domain names (the DomainName pattern): exact and wildcard (valid); no dot, a wildcard inside (rejected)',
      [
        egress('v1beta1', 'a', '{domainNames: [kubernetes.io, "*.kubernetes.io", www.kubernetes.io.]}'),
        egress('v1beta1', 'b', '{domainNames: [localhost, "www.*.io"]}'),
      ],
      [
        [
          'invalid-value',
          'localhost',
          0,
          'spec.egress[0].to[0].domainNames[0]: "localhost" is not a domain name',
        ],
        [
          'invalid-value',
          '"www.*.io"',
          0,
          'spec.egress[0].to[0].domainNames[1]: "www.*.io" is not a domain name',
        ],
      ],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});
