// The API server's validation of Service ports (validation.ts), from its sources: ValidateService and
// validateServicePort in pkg/apis/core/validation/validation.go, after SetDefaults_Service in pkg/apis/core/v1/defaults.go,
// with IsValidPortNum, IsValidPortName and IsDNS1123Label (k8s.io/apimachinery/pkg/util/validation) and IntOrString's
// JSON decoding (k8s.io/apimachinery/pkg/util/intstr). A valid case comes with a contrasting object the server rejects.
import { describe, it } from 'vitest';
import { check, type Case } from './testing/validation-cases.js';

/** A Service named `name` whose spec has the `spec` lines (indented by two). */
function service(name: string, spec: readonly string[]): string {
  return ['apiVersion: v1', 'kind: Service', `metadata: {name: ${name}}`, 'spec:', ...spec.map((line) => `  ${line}`), ''].join('\n');
}

const OUT_OF_RANGE = 'must be between 1 and 65535, inclusive';

describe('Service ports', () => {
  it.each<Case>([
    [
      'one port needs no name (valid); of two, each needs one (rejected at the port without)',
      [service('a', ['ports: [{port: 80}]']), service('b', ['ports:', '- {name: http, port: 80}', '- {port: 443}'])],
      [['missing-field', '{port: 443}', 0, 'spec.ports[1].name: required field is missing']],
      [false, true],
    ],
    [
      'port names are unique (rejected at the second)',
      [service('a', ['ports:', '- {name: web, port: 80}', '- {name: web, port: 443}'])],
      [['duplicate-name', 'web', 1, 'spec.ports[1].name: duplicate port name "web"']],
      [true],
    ],
    [
      'port names are DNS labels: over 15 characters, or all digits (valid); capitals, dots, over 63 characters (rejected)',
      [
        service('a', ['ports:', '- {name: a-long-service-port-name, port: 80}', '- {name: "443", port: 443}']),
        service('b', ['ports:', '- {name: HTTP, port: 80}', '- {name: h.t, port: 81}', `- {name: ${'x'.repeat(64)}, port: 82}`]),
      ],
      [
        ['invalid-value', 'HTTP', 0, "spec.ports[0].name: port name must consist of lower case alphanumeric characters or '-'"],
        ['invalid-value', 'h.t', 0, 'spec.ports[1].name: port name must not contain dots'],
        ['invalid-value', 'x'.repeat(64), 0, 'spec.ports[2].name: port name must be no more than 63 characters'],
      ],
      [false, true],
    ],
    [
      'port 1 and 65535 (valid); 0 and 65536 (rejected, once: the targetPort they default is not reported again)',
      [
        service('a', ['ports:', '- {name: low, port: 1}', '- {name: high, port: 65535}']),
        service('b', ['ports:', '- {name: zero, port: 0}', '- {name: over, port: 65536}']),
      ],
      [
        ['invalid-value', '0', 0, `spec.ports[0].port: port 0 ${OUT_OF_RANGE}`],
        ['invalid-value', '65536', 0, `spec.ports[1].port: port 65536 ${OUT_OF_RANGE}`],
      ],
      [false, true],
    ],
    [
      'protocol TCP, UDP, SCTP, or empty (defaulted to TCP) (valid); lower case or another (rejected)',
      [
        service('a', ['ports:', '- {name: a, port: 1, protocol: TCP}', '- {name: b, port: 2, protocol: UDP}', '- {name: c, port: 3, protocol: SCTP}', '- {name: d, port: 4, protocol: ""}']),
        service('b', ['ports:', '- {name: a, port: 1, protocol: tcp}', '- {name: b, port: 2, protocol: ICMP}']),
      ],
      [
        ['invalid-value', 'tcp', 0, 'spec.ports[0].protocol: protocol "tcp" is not supported: use TCP, UDP, SCTP'],
        ['invalid-value', 'ICMP', 0, 'spec.ports[1].protocol: protocol "ICMP" is not supported'],
      ],
      [false, true],
    ],
    [
      'targetPort a number, a name, or 0 or "" (defaulted to port) (valid); a number in quotes, a bad name, out of range (rejected)',
      [
        service('a', ['ports:', '- {name: a, port: 80, targetPort: 8080}', '- {name: b, port: 81, targetPort: http}', '- {name: c, port: 82, targetPort: 0}', '- {name: d, port: 83, targetPort: ""}']),
        service('b', ['ports:', '- {name: a, port: 80, targetPort: "8080"}', '- {name: b, port: 81, targetPort: HTTP}', '- {name: c, port: 82, targetPort: -1}', '- {name: d, port: 83, targetPort: 65536}']),
      ],
      [
        ['invalid-value', '"8080"', 0, 'spec.ports[0].targetPort: port name "8080" must contain at least one letter (a-z) (a number in quotes is a name: write 8080 without quotes)'],
        ['invalid-value', 'HTTP', 0, 'spec.ports[1].targetPort: port name "HTTP" must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
        ['invalid-value', '-1', 0, `spec.ports[2].targetPort: port -1 ${OUT_OF_RANGE}`],
        ['invalid-value', '65536', 0, `spec.ports[3].targetPort: port 65536 ${OUT_OF_RANGE}`],
      ],
      [false, true],
    ],
    [
      'one port number with two protocols (valid); with one protocol twice, written or defaulted (rejected at the second port)',
      [
        service('a', ['ports:', '- {name: dns, port: 53, protocol: UDP}', '- {name: dns-tcp, port: 53}']),
        service('b', ['ports:', '- {name: a, port: 80}', '- {name: b, port: 80, protocol: TCP}']),
      ],
      [['invalid-value', '{name: b, port: 80, protocol: TCP}', 0, 'spec.ports[1]: duplicate port TCP 80 (also spec.ports[0])']],
      [false, true],
    ],
    [
      'no ports on a headless or an ExternalName Service (valid); on another, or an empty list (rejected)',
      [
        service('a', ['clusterIP: None', 'selector: {app: x}']),
        service('b', ['type: ExternalName', 'externalName: db.example.com']),
        service('c', ['selector: {app: x}']),
        service('d', ['ports: []']),
      ],
      [
        // A missing field points at its parent's key: the third document's `spec`.
        ['missing-field', 'spec', 2, 'spec.ports: required field is missing'],
        ['missing-field', '[]', 0, 'spec.ports: required field is missing'],
      ],
      [false, false, true, true],
    ],
    [
      'a nodePort on a NodePort Service, once per protocol (valid); on a ClusterIP Service, or twice for one protocol (rejected)',
      [
        service('a', ['type: NodePort', 'ports:', '- {name: a, port: 80, nodePort: 30080}', '- {name: b, port: 80, protocol: UDP, nodePort: 30080}']),
        service('b', ['ports: [{port: 80, nodePort: 30081}]']),
        service('c', ['type: NodePort', 'ports:', '- {name: a, port: 80, nodePort: 30082}', '- {name: b, port: 81, nodePort: 30082}']),
      ],
      [
        ['invalid-value', '30081', 0, "spec.ports[0].nodePort: may not be used when `type` is 'ClusterIP'"],
        ['invalid-value', '30082', 1, 'spec.ports[1].nodePort: duplicate nodePort TCP 30082 (also spec.ports[0])'],
      ],
      [false, true, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

// ValidateEndpointSlice (pkg/apis/discovery/validation/validation.go) and ValidateEndpoints (validateEndpointSubsets,
// pkg/apis/core/validation/validation.go), with ValidateEndpointIP's special ranges.
function slice(name: string, lines: readonly string[]): string {
  return ['apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', `metadata: {name: ${name}, labels: {kubernetes.io/service-name: db}}`, ...lines, ''].join('\n');
}

function endpoints(name: string, lines: readonly string[]): string {
  return ['apiVersion: v1', 'kind: Endpoints', `metadata: {name: ${name}}`, ...lines, ''].join('\n');
}

describe('EndpointSlices and Endpoints', () => {
  it.each<Case>([
    [
      'addresses of the slice type (valid); of the other family, not an address, loopback or link-local (rejected)',
      [
        slice('a', ['addressType: IPv4', 'endpoints: [{addresses: ["10.1.2.3"]}]', 'ports: [{port: 5432}]']),
        slice('b', ['addressType: IPv4', 'endpoints: [{addresses: ["2001:db8::1", "10.1.2.x"]}]']),
        slice('c', ['addressType: IPv4', 'endpoints: [{addresses: ["127.0.0.1", "169.254.169.254"]}]']),
        slice('d', ['addressType: IPv6', 'endpoints: [{addresses: ["fe80::1"]}]']),
        // FQDN addresses are not checked: kube-proxy ignores such slices.
        slice('e', ['addressType: FQDN', 'endpoints: [{addresses: [db.example.com]}]']),
      ],
      [
        ['invalid-value', '"2001:db8::1"', 0, 'endpoints[0].addresses[0]: "2001:db8::1" must be an IPv4 address'],
        ['invalid-value', '"10.1.2.x"', 0, 'endpoints[0].addresses[1]: "10.1.2.x" must be a valid IP address'],
        ['invalid-value', '"127.0.0.1"', 0, 'may not be in the loopback range (127.0.0.0/8)'],
        ['invalid-value', '"169.254.169.254"', 0, 'may not be in the link-local range (169.254.0.0/16)'],
        ['invalid-value', '"fe80::1"', 0, 'may not be in the link-local range (fe80::/10)'],
      ],
      [false, true, true, true, false],
    ],
    [
      'an endpoint has an address; ports have a protocol kube-proxy knows and a number in range',
      [slice('a', ['addressType: IPv4', 'endpoints: [{addresses: []}]', 'ports: [{port: 0}, {name: b, port: 1, protocol: ICMP}]'])],
      [
        ['missing-field', '[]', 0, 'endpoints[0].addresses: must contain at least 1 address'],
        ['invalid-value', '0', 0, 'ports[0].port: port 0 must be between 1 and 65535'],
        ['invalid-value', 'ICMP', 0, 'ports[1].protocol: protocol "ICMP" is not supported'],
      ],
      [true],
    ],
    [
      'an Endpoints subset has addresses and ports, each named beside another (valid with one unnamed port)',
      [
        endpoints('a', ['subsets: [{addresses: [{ip: 192.0.2.1}], ports: [{port: 5432}]}]']),
        endpoints('b', ['subsets: [{ports: [{port: 1}, {name: x, port: 2}]}]']),
        endpoints('c', ['subsets: [{notReadyAddresses: [{ip: 0.0.0.0}]}]']),
      ],
      [
        ['missing-field', '{ports: [{port: 1}, {name: x, port: 2}]}', 0, 'subsets[0]: must specify `addresses` or `notReadyAddresses`'],
        ['missing-field', '{port: 1}', 0, 'subsets[0].ports[0].name: required field is missing'],
        ['invalid-value', '0.0.0.0', 0, 'subsets[0].notReadyAddresses[0].ip: "0.0.0.0" may not be unspecified'],
        ['missing-field', '{notReadyAddresses: [{ip: 0.0.0.0}]}', 0, 'subsets[0].ports: required field is missing'],
      ],
      [false, true, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});
