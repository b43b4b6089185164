// The API server's validation of policy.networking.k8s.io objects: the OpenAPI and CEL rules of their CRDs.
// Sources (kubernetes-sigs/network-policy-api): apis/v1alpha1/adminnetworkpolicy_types.go,
// baselineadminnetworkpolicy_types.go and shared_types.go as released in v0.1.7, apis/v1alpha2 and
// apis/v1beta1 clusternetworkpolicy_types.go. The schemas (schemas.ts) already check types, enums, required fields
// and number bounds; here are the rules across fields.
import { parseCidrSloppy } from '../semantics/cidr-syntax.js';
import type {
  AdminPeer,
  AdminPort,
  AdminSubject,
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyProtocol,
} from './kubernetes-types.js';
import type { ObjectIssues } from './object-issues.js';
import { isRecord, valueAt } from './plain-data.js';
import type { FieldPath, InputIssueCode } from './types.js';
import type { WrittenObject } from './validation.js';

/** What differs between the kinds and versions: list sizes, the egress peers, the CIDR and domain name rules. */
interface AdminApi {
  /** MaxItems of `ingress`, `egress`, each rule's peers and its ports (or protocols). */
  readonly maxItems: number;
  readonly egressPeers: readonly (keyof AdminPeer)[];
  /** v1beta1 CIDR: `isCIDR(self) && cidr(self) == cidr(self).masked()`; v1alpha1 and v1alpha2: `isCIDR(self)`. */
  readonly maskedCidrs: boolean;
  /** DomainName's kubebuilder Pattern (v1alpha1 has `A-z` where v1alpha2 has `A-Z`). */
  readonly domainName: RegExp;
}

const INGRESS_PEERS: readonly (keyof AdminPeer)[] = ['namespaces', 'pods'];
const EGRESS_PEERS: readonly (keyof AdminPeer)[] = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
const V1ALPHA1_DOMAIN_NAME =
  /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1: 100 items; a BANP egress peer has no domainNames. */
const ANP_API: AdminApi = {
  maxItems: 100,
  egressPeers: EGRESS_PEERS,
  maskedCidrs: false,
  domainName: V1ALPHA1_DOMAIN_NAME,
};
const BANP_API: AdminApi = { ...ANP_API, egressPeers: ['namespaces', 'pods', 'nodes', 'networks'] };
const CNP_V1ALPHA2_API: AdminApi = {
  maxItems: 25,
  egressPeers: EGRESS_PEERS,
  maskedCidrs: false,
  domainName: DOMAIN_NAME,
};
const CNP_V1BETA1_API: AdminApi = { ...CNP_V1ALPHA2_API, maskedCidrs: true };

type AdminRuleOf = {
  readonly name?: string;
  readonly from?: readonly AdminPeer[];
  readonly to?: readonly AdminPeer[];
};

export function validateAdminNetworkPolicy(
  policy: AdminNetworkPolicy,
  issues: ObjectIssues,
  written: WrittenObject,
): void {
  validateAdminSpec(policy.spec, ANP_API, issues, written.raw, (rule, path) =>
    validatePorts(rule.ports, path, ANP_API, issues, written.raw),
  );
}

export function validateBaselineAdminNetworkPolicy(
  policy: BaselineAdminNetworkPolicy,
  issues: ObjectIssues,
  written: WrittenObject,
): void {
  // baselineadminnetworkpolicy_types.go XValidation: "self.metadata.name == 'default'".
  if (policy.metadata.name !== undefined && policy.metadata.name !== 'default') {
    issues.add(
      'invalid-value',
      'error',
      ['metadata', 'name'],
      'a BaselineAdminNetworkPolicy is a singleton: its name must be "default"',
    );
  }
  validateAdminSpec(policy.spec, BANP_API, issues, written.raw, (rule, path) =>
    validatePorts(rule.ports, path, BANP_API, issues, written.raw),
  );
}

export function validateClusterNetworkPolicy(
  policy: ClusterNetworkPolicy,
  issues: ObjectIssues,
  written: WrittenObject,
): void {
  const api = written.apiVersion.endsWith('/v1alpha2') ? CNP_V1ALPHA2_API : CNP_V1BETA1_API;
  validateAdminSpec(policy.spec, api, issues, written.raw, (rule, path) =>
    validateProtocols(rule.protocols, path, api, issues, written.raw),
  );
}

/** The subject and each rule of both directions; `ports` checks a rule's ports or protocols and says if any is named. */
function validateAdminSpec<R extends AdminRuleOf>(
  spec: { readonly subject: AdminSubject; readonly ingress?: readonly R[]; readonly egress?: readonly R[] },
  api: AdminApi,
  issues: ObjectIssues,
  raw: unknown,
  ports: (rule: R, path: FieldPath) => boolean,
): void {
  // AdminNetworkPolicySubject, ClusterNetworkPolicySubject: MinProperties=1, MaxProperties=1.
  exactlyOne(
    spec.subject,
    ['namespaces', 'pods'],
    ['spec', 'subject'],
    'invalid-value',
    'a subject',
    issues,
    raw,
  );
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = spec[direction] ?? [];
    maxItems(rules, ['spec', direction], api.maxItems, issues);
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index]!;
      const path = ['spec', direction, index];
      // Name: MaxLength=100.
      if (rule.name !== undefined && rule.name.length > 100) {
        issues.add(
          'invalid-value',
          'error',
          [...path, 'name'],
          `may not be more than 100 characters (this one has ${rule.name.length})`,
        );
      }
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      const peers = rule[peersKey];
      // From, To: required, MinItems=1.
      if (peers === undefined)
        issues.add(
          'missing-field',
          'error',
          [...path, peersKey],
          'required field is missing: a rule names its peers',
        );
      else if (peers.length === 0)
        issues.add('invalid-value', 'error', [...path, peersKey], 'must have at least 1 item');
      else maxItems(peers, [...path, peersKey], api.maxItems, issues);
      const allowed = direction === 'ingress' ? INGRESS_PEERS : api.egressPeers;
      let unnamedPeer = false;
      for (let p = 0; p < (peers?.length ?? 0); p++) {
        const peer = peers![p]!;
        validatePeer(peer, [...path, peersKey, p], direction, allowed, api, issues, raw);
        unnamedPeer ||=
          peer.networks !== undefined || peer.nodes !== undefined || peer.domainNames !== undefined;
      }
      // The egress rule's XValidation (experimental channel, where named ports are): no named port toward networks,
      // nodes or domain names, which have none.
      const namedPort = ports(rule, path);
      if (direction === 'egress' && unnamedPeer && namedPort) {
        issues.add(
          'invalid-peer',
          'error',
          path,
          'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
        );
      }
    }
  }
}

/**
 * A peer: exactly one field (MinProperties=1, MaxProperties=1), one its direction allows; `networks` and
 * `domainNames` are sets of 1 to 25 valid items. A peer holding only fields kubereach does not know is left to
 * compilation, which fails it closed as the API asks; one holding nothing at all the API server rejects.
 */
function validatePeer(
  peer: AdminPeer,
  path: FieldPath,
  direction: 'ingress' | 'egress',
  allowed: readonly (keyof AdminPeer)[],
  api: AdminApi,
  issues: ObjectIssues,
  raw: unknown,
): void {
  const set = EGRESS_PEERS.filter((field) => peer[field] !== undefined);
  for (const field of set) {
    if (allowed.includes(field)) continue;
    const detail =
      direction === 'ingress'
        ? `${field} is not an ingress peer: an ingress rule selects namespaces or pods`
        : `${field} is not an egress peer of this kind: an egress rule selects ${listed(allowed, 'or')}`;
    issues.add('invalid-peer', 'error', [...path, field], detail);
  }
  exactlyOne(peer, allowed, path, 'invalid-peer', 'a peer', issues, raw);
  if (peer.networks !== undefined) {
    validateSet(peer.networks, [...path, 'networks'], issues, (network) =>
      cidrProblem(network, api.maskedCidrs),
    );
  }
  if (peer.domainNames !== undefined) {
    validateSet(peer.domainNames, [...path, 'domainNames'], issues, (name) =>
      api.domainName.test(name)
        ? undefined
        : `"${name}" is not a domain name (such as "example.com" or "*.example.com")`,
    );
  }
}

/** CIDR: MaxLength=43 and CEL isCIDR (netip.ParsePrefix, which takes no leading zeros, no IPv4-mapped IPv6 address). */
function cidrProblem(text: string, masked: boolean): string | undefined {
  if (text.length > 43) return `"${text}" may not be more than 43 characters`;
  const cidr = parseCidrSloppy(text);
  if (cidr === undefined || cidr.leadingZeros || cidr.ipv4Mapped) {
    return `"${text}" is not a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8)`;
  }
  if (masked && cidr.ip.some((byte, index) => byte !== cidr.network[index])) {
    return `"${text}" has bits set beyond the prefix length: v1beta1 requires the network address`;
  }
  return undefined;
}

/** A `+listType=set` of 1 to 25 items (MinItems, MaxItems), each checked by `problem`, none repeated. */
function validateSet(
  items: readonly string[],
  path: FieldPath,
  issues: ObjectIssues,
  problem: (item: string) => string | undefined,
): void {
  if (items.length === 0) issues.add('invalid-value', 'error', path, 'must have at least 1 item');
  maxItems(items, path, 25, issues);
  const seen = new Set<string>();
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const found = problem(item);
    if (found !== undefined)
      issues.add(
        path.at(-1) === 'networks' ? 'invalid-cidr' : 'invalid-value',
        'error',
        [...path, index],
        found,
      );
    if (seen.has(item)) issues.add('duplicate-name', 'error', [...path, index], `duplicate value "${item}"`);
    seen.add(item);
  }
}

/** v1alpha1 ports: 1 to 100 (MinItems, MaxItems), each exactly one of portNumber, portRange, namedPort. */
function validatePorts(
  ports: readonly AdminPort[] | undefined,
  rulePath: FieldPath,
  api: AdminApi,
  issues: ObjectIssues,
  raw: unknown,
): boolean {
  if (ports === undefined) return false;
  const path = [...rulePath, 'ports'];
  if (ports.length === 0) issues.add('invalid-value', 'error', path, 'must have at least 1 item');
  maxItems(ports, path, api.maxItems, issues);
  for (let index = 0; index < ports.length; index++) {
    exactlyOne(
      ports[index]!,
      ['portNumber', 'portRange', 'namedPort'],
      [...path, index],
      'invalid-value',
      'a port',
      issues,
      raw,
    );
  }
  return ports.some((port) => port.namedPort !== undefined);
}

/**
 * v1alpha2 and v1beta1 protocols: 1 to 25, each exactly one of tcp, udp, sctp, destinationNamedPort. A transport
 * sets a destinationPort (MinProperties=1), which is exactly one of number and range, a range with start < end.
 */
function validateProtocols(
  protocols: readonly ClusterNetworkPolicyProtocol[] | undefined,
  rulePath: FieldPath,
  api: AdminApi,
  issues: ObjectIssues,
  raw: unknown,
): boolean {
  if (protocols === undefined) return false;
  const path = [...rulePath, 'protocols'];
  if (protocols.length === 0) issues.add('invalid-value', 'error', path, 'must have at least 1 item');
  maxItems(protocols, path, api.maxItems, issues);
  for (let index = 0; index < protocols.length; index++) {
    const protocol = protocols[index]!;
    const protocolPath = [...path, index];
    exactlyOne(
      protocol,
      ['tcp', 'udp', 'sctp', 'destinationNamedPort'],
      protocolPath,
      'invalid-value',
      'a protocol',
      issues,
      raw,
    );
    for (const transport of ['tcp', 'udp', 'sctp'] as const) {
      const match = protocol[transport];
      if (match === undefined) continue;
      const transportPath = [...protocolPath, transport];
      if (match.destinationPort === undefined) {
        if (isEmptyMapping(raw, transportPath))
          issues.add(
            'missing-field',
            'error',
            [...transportPath, 'destinationPort'],
            `required field is missing: ${transport} sets a destinationPort, a number or a range (1 to 65535 for every port)`,
          );
        continue;
      }
      const portPath = [...transportPath, 'destinationPort'];
      exactlyOne(
        match.destinationPort,
        ['number', 'range'],
        portPath,
        'invalid-value',
        'a destinationPort',
        issues,
        raw,
      );
      const range = match.destinationPort.range;
      // PortRange XValidation: "self.start < self.end".
      if (range !== undefined && range.start >= range.end) {
        issues.add(
          'invalid-value',
          'error',
          [...portPath, 'range'],
          `Start port must be less than End port (start ${range.start}, end ${range.end})`,
        );
      }
    }
  }
  return protocols.some((protocol) => protocol.destinationNamedPort !== undefined);
}

/**
 * MinProperties=1, MaxProperties=1 over `fields`. With none of them set, the object as written decides: with no field
 * at all the API server rejects it; with fields kubereach does not know (of a newer version) compilation handles it.
 */
function exactlyOne<T extends object>(
  value: T,
  fields: readonly (keyof T & string)[],
  path: FieldPath,
  code: InputIssueCode,
  what: string,
  issues: ObjectIssues,
  raw: unknown,
): void {
  const set = fields.filter((field) => value[field] !== undefined);
  if (set.length > 1) {
    issues.add(
      code,
      'error',
      path,
      `${what} sets exactly one of ${fields.join(', ')} (this one sets ${listed(set, 'and')})`,
    );
  } else if (set.length === 0 && isEmptyMapping(raw, path)) {
    issues.add(code, 'error', path, `${what} sets exactly one of ${fields.join(', ')} (this one sets none)`);
  }
}

function isEmptyMapping(raw: unknown, path: FieldPath): boolean {
  const written = valueAt(raw, path);
  return isRecord(written) && Object.keys(written).length === 0;
}

/** MaxItems: reported at the first item beyond the limit. */
function maxItems(items: readonly unknown[], path: FieldPath, limit: number, issues: ObjectIssues): void {
  if (items.length > limit)
    issues.add(
      'invalid-value',
      'error',
      [...path, limit],
      `may have at most ${limit} items (this list has ${items.length})`,
    );
}

function listed(items: readonly string[], conjunction: string): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)!}`;
}
