// The admin policy IR: AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy compiled to one shape.
// Sources (kubernetes-sigs/network-policy-api): apis/v1alpha1/adminnetworkpolicy_types.go,
// apis/v1alpha1/baselineadminnetworkpolicy_types.go, apis/v1alpha1/shared_types.go, and clusternetworkpolicy_types.go of
// apis/v1alpha2 and apis/v1beta1 (the same shape).
import type {
  AdminPeer,
  AdminPort,
  AdminSubject,
  ClusterNetworkPolicyProtocol,
} from '../manifest/kubernetes-types.js';
import type { ManifestObject } from '../manifest/types.js';
import { objectLocator } from '../model/cluster.js';
import {
  ConnectionSet,
  PORT_PROTOCOLS,
  isPortProtocol,
  type PortProtocol,
} from '../semantics/connection-set.js';
import { parseCidr, type Cidr } from '../semantics/ip.js';
import { compileSelector, EVERYTHING, type Selector } from '../semantics/label-selector.js';
import type { Direction, Locate, NamedPortTable } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';

export type AdminPolicyKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';

/** Admin runs before NetworkPolicy, baseline after it (and only for endpoints no NetworkPolicy isolates). */
export type AdminTier = 'admin' | 'baseline';

/** Allow (v1alpha1) and Accept (v1alpha2) are the same decision and compile to `allow`. */
export type AdminAction = 'allow' | 'deny' | 'pass';

/** Pods (namespaces AND pods), CIDRs, or peers kubereach cannot see in manifests (nodes, domain names). */
export type AdminPeerMatch =
  | {
      readonly kind: 'pods';
      readonly namespaces: Selector;
      readonly pods: Selector;
      readonly location: SourceLocation;
    }
  | { readonly kind: 'networks'; readonly cidrs: readonly Cidr[]; readonly location: SourceLocation }
  | {
      readonly kind: 'unmodelled';
      readonly what: 'nodes' | 'domainNames';
      readonly location: SourceLocation;
    };

export type AdminPortMatch =
  | { readonly kind: 'range'; readonly protocol: PortProtocol; readonly start: number; readonly end: number }
  | { readonly kind: 'named'; readonly name: string };

export interface AdminRule {
  readonly direction: Direction;
  readonly index: number;
  readonly name: string | undefined;
  /** The action as written (after fail-closed rewriting: see `failClosed`). */
  readonly action: AdminAction;
  /** `all`: every peer (a fail-closed Deny/Pass rule); otherwise any of the peers. */
  readonly peers: 'all' | readonly AdminPeerMatch[];
  /** `any` when ports/protocols are absent: every port of every protocol. */
  readonly ports: 'any' | readonly AdminPortMatch[];
  /** A peer had no field kubereach knows (a newer API version): the spec's "fail closed". */
  readonly failClosed: boolean;
  readonly location: SourceLocation;
}

export interface AdminPolicy {
  /** `AdminNetworkPolicy/name`. */
  readonly id: string;
  readonly kind: AdminPolicyKind;
  readonly name: string;
  readonly tier: AdminTier;
  /** Lower is evaluated first; the BANP, which has none, counts as 1001 (after every Baseline-tier CNP). */
  readonly priority: number;
  readonly subject: { readonly namespaces: Selector; readonly pods: Selector };
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  readonly location: SourceLocation;
  readonly locate: Locate;
}

/** Something compile could not model, reported as an info finding. */
export interface AdminNote {
  readonly location: SourceLocation;
  readonly message: string;
}

const ADMIN_KINDS: readonly string[] = [
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];

export function isAdminPolicyObject(object: ManifestObject): boolean {
  return ADMIN_KINDS.includes(object.kind);
}

/**
 * Compiles the accepted admin policy objects, sorted in evaluation order: tier, priority, then name.
 * Two policies of one tier with the same priority: "The behavior is undefined" (adminnetworkpolicy_types.go,
 * Priority) and "the implementation can apply any of the matching policies" (clusternetworkpolicy_types.go);
 * kubereach orders them by kind and name, deterministically, and the lint rule conflicting-priority flags them.
 */
export function compileAdminPolicies(objects: readonly ManifestObject[]): {
  policies: AdminPolicy[];
  notes: AdminNote[];
} {
  const notes: AdminNote[] = [];
  const policies: AdminPolicy[] = [];
  for (const object of objects) {
    if (object.rejected || !isAdminPolicyObject(object)) continue;
    const policy = compileAdminObject(object, notes);
    if (policy !== undefined) policies.push(policy);
  }
  const tierRank = (p: AdminPolicy): number => (p.tier === 'admin' ? 0 : 1);
  policies.sort((a, b) => tierRank(a) - tierRank(b) || a.priority - b.priority || compare(a.id, b.id));
  return { policies, notes };
}

function compileAdminObject(object: ManifestObject, notes: AdminNote[]): AdminPolicy | undefined {
  const locate = objectLocator(object);
  const base = { name: object.name, location: locate(['metadata', 'name']), locate };
  switch (object.kind) {
    case 'AdminNetworkPolicy': {
      const { spec } = (object as ManifestObject<'AdminNetworkPolicy'>).value;
      return {
        ...base,
        id: `AdminNetworkPolicy/${object.name}`,
        kind: 'AdminNetworkPolicy',
        tier: 'admin',
        priority: spec.priority,
        subject: compileSubject(spec.subject),
        ingress: (spec.ingress ?? []).map((r, k) =>
          compileRule('ingress', k, r.name, r.action, r.from, portsOf(r.ports), locate, notes),
        ),
        egress: (spec.egress ?? []).map((r, k) =>
          compileRule('egress', k, r.name, r.action, r.to, portsOf(r.ports), locate, notes),
        ),
      };
    }
    case 'BaselineAdminNetworkPolicy': {
      const { spec } = (object as ManifestObject<'BaselineAdminNetworkPolicy'>).value;
      return {
        ...base,
        id: `BaselineAdminNetworkPolicy/${object.name}`,
        kind: 'BaselineAdminNetworkPolicy',
        tier: 'baseline',
        priority: 1001,
        subject: compileSubject(spec.subject),
        ingress: (spec.ingress ?? []).map((r, k) =>
          compileRule('ingress', k, r.name, r.action, r.from, portsOf(r.ports), locate, notes),
        ),
        egress: (spec.egress ?? []).map((r, k) =>
          compileRule('egress', k, r.name, r.action, r.to, portsOf(r.ports), locate, notes),
        ),
      };
    }
    case 'ClusterNetworkPolicy': {
      const { spec } = (object as ManifestObject<'ClusterNetworkPolicy'>).value;
      return {
        ...base,
        id: `ClusterNetworkPolicy/${object.name}`,
        kind: 'ClusterNetworkPolicy',
        tier: spec.tier === 'Admin' ? 'admin' : 'baseline',
        priority: spec.priority,
        subject: compileSubject(spec.subject),
        ingress: (spec.ingress ?? []).map((r, k) =>
          compileRule('ingress', k, r.name, r.action, r.from, protocolsOf(r.protocols), locate, notes),
        ),
        egress: (spec.egress ?? []).map((r, k) =>
          compileRule('egress', k, r.name, r.action, r.to, protocolsOf(r.protocols), locate, notes),
        ),
      };
    }
    default:
      return undefined;
  }
}

/** Subject: `namespaces` selects every pod of the matching namespaces; `pods` is namespaceSelector AND podSelector. */
function compileSubject(subject: AdminSubject): AdminPolicy['subject'] {
  if (subject.pods !== undefined) {
    return {
      namespaces: compileSelector(subject.pods.namespaceSelector),
      pods: compileSelector(subject.pods.podSelector),
    };
  }
  if (subject.namespaces !== undefined)
    return { namespaces: compileSelector(subject.namespaces), pods: EVERYTHING };
  // MinProperties=1: an empty subject is a field of a newer version; select nothing rather than everything.
  return {
    namespaces: { kind: 'requirements', requirements: [{ key: '', operator: 'In', values: [] }] },
    pods: EVERYTHING,
  };
}

function compileRule(
  direction: Direction,
  index: number,
  name: string | undefined,
  writtenAction: 'Allow' | 'Accept' | 'Deny' | 'Pass',
  peers: readonly AdminPeer[] | undefined,
  ports: 'any' | readonly AdminPortMatch[],
  locate: Locate,
  notes: AdminNote[],
): AdminRule {
  const rulePath = ['spec', direction, index] as const;
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const action: AdminAction =
    writtenAction === 'Allow' || writtenAction === 'Accept'
      ? 'allow'
      : writtenAction === 'Deny'
        ? 'deny'
        : 'pass';
  const compiled: AdminPeerMatch[] = [];
  let failClosed = false;
  (peers ?? []).forEach((peer, k) => {
    const location = locate([...rulePath, peersKey, k]);
    const match = compilePeer(peer, location);
    if (match === undefined) failClosed = true;
    else {
      compiled.push(match);
      if (match.kind === 'unmodelled') {
        notes.push({
          location,
          message: `${match.what} peers are not modelled (no ${match.what === 'nodes' ? 'Node objects' : 'DNS resolution'} in manifests): this peer matches nothing`,
        });
      }
    }
  });
  const location = locate(rulePath);
  if (failClosed) {
    // shared_types.go / clusternetworkpolicy_types.go, on a peer with no known field: 'For "Allow" rules, "fail
    // closed" means treat the rule as matching no traffic. For "Deny" and "Pass" rules, "fail closed" means:
    // treat the rule as a "Deny all" rule.'
    notes.push({
      location,
      message: `a peer sets no field kubereach knows (a newer API version?): the rule fails closed`,
    });
    return action === 'allow'
      ? { direction, index, name, action, peers: [], ports, failClosed, location }
      : { direction, index, name, action: 'deny', peers: 'all', ports: 'any', failClosed, location };
  }
  return { direction, index, name, action, peers: compiled, ports, failClosed, location };
}

function compilePeer(peer: AdminPeer, location: SourceLocation): AdminPeerMatch | undefined {
  if (peer.pods !== undefined) {
    return {
      kind: 'pods',
      namespaces: compileSelector(peer.pods.namespaceSelector),
      pods: compileSelector(peer.pods.podSelector),
      location,
    };
  }
  if (peer.namespaces !== undefined)
    return { kind: 'pods', namespaces: compileSelector(peer.namespaces), pods: EVERYTHING, location };
  if (peer.networks !== undefined)
    return { kind: 'networks', cidrs: peer.networks.flatMap((text) => parseCidr(text) ?? []), location };
  if (peer.nodes !== undefined) return { kind: 'unmodelled', what: 'nodes', location };
  if (peer.domainNames !== undefined) return { kind: 'unmodelled', what: 'domainNames', location };
  return undefined;
}

/** v1alpha1 ports: "If Ports is not set then the rule does not filter traffic via port" (adminnetworkpolicy_types.go). */
function portsOf(ports: readonly AdminPort[] | undefined): 'any' | AdminPortMatch[] {
  if (ports === undefined) return 'any';
  return ports.flatMap((port): AdminPortMatch[] => {
    if (port.portNumber !== undefined) {
      // shared_types.go Port.Protocol: "If not specified, this field defaults to TCP."
      const protocol = port.portNumber.protocol ?? 'TCP';
      return isPortProtocol(protocol)
        ? [{ kind: 'range', protocol, start: port.portNumber.port, end: port.portNumber.port }]
        : [];
    }
    if (port.portRange !== undefined) {
      const protocol = port.portRange.protocol ?? 'TCP';
      return isPortProtocol(protocol)
        ? [{ kind: 'range', protocol, start: port.portRange.start, end: port.portRange.end }]
        : [];
    }
    return port.namedPort !== undefined ? [{ kind: 'named', name: port.namedPort }] : [];
  });
}

/** v1alpha2 and v1beta1 protocols: a transport with a destinationPort, or a named port. */
function protocolsOf(
  protocols: readonly ClusterNetworkPolicyProtocol[] | undefined,
): 'any' | AdminPortMatch[] {
  if (protocols === undefined || protocols.length === 0) return 'any';
  return protocols.flatMap((entry): AdminPortMatch[] => {
    if (entry.destinationNamedPort !== undefined)
      return [{ kind: 'named', name: entry.destinationNamedPort }];
    const transports: [PortProtocol, (typeof entry)['tcp']][] = [
      ['TCP', entry.tcp],
      ['UDP', entry.udp],
      ['SCTP', entry.sctp],
    ];
    return transports.flatMap(([protocol, match]): AdminPortMatch[] => {
      if (match === undefined) return [];
      const port = match.destinationPort;
      if (port?.number !== undefined)
        return [{ kind: 'range', protocol, start: port.number, end: port.number }];
      if (port?.range !== undefined)
        return [{ kind: 'range', protocol, start: port.range.start, end: port.range.end }];
      // Only fields of a newer version (an empty transport is rejected, MinProperties=1): every port of it.
      return [{ kind: 'range', protocol, start: 1, end: 65535 }];
    });
  });
}

/**
 * The connections a rule's ports cover toward a destination. A named port is a container port name of the
 * destination pod, whatever its protocol (shared_types.go NamedPort: "selects a port on a pod(s) based on name");
 * toward an address outside the cluster it matches nothing.
 */
export function resolveAdminPorts(
  ports: AdminRule['ports'],
  destination: NamedPortTable | undefined,
): ConnectionSet {
  if (ports === 'any') return ConnectionSet.ALL;
  let result = ConnectionSet.NONE;
  for (const port of ports) {
    if (port.kind === 'range')
      result = result.union(ConnectionSet.ports(port.protocol, port.start, port.end));
    else {
      for (const protocol of PORT_PROTOCOLS) {
        for (const number of destination?.lookup(port.name, protocol) ?? [])
          result = result.union(ConnectionSet.ports(protocol, number));
      }
    }
  }
  return result;
}

export function adminCidrs(policies: readonly AdminPolicy[]): Cidr[] {
  return policies.flatMap((p) =>
    [...p.ingress, ...p.egress].flatMap((r) =>
      r.peers === 'all' ? [] : r.peers.flatMap((peer) => (peer.kind === 'networks' ? peer.cidrs : [])),
    ),
  );
}

/** The profile capability that says whether a plugin enforces a kind. */
export function adminCapability(
  kind: AdminPolicyKind,
): 'adminNetworkPolicy' | 'baselineAdminNetworkPolicy' | 'clusterNetworkPolicy' {
  return kind === 'AdminNetworkPolicy'
    ? 'adminNetworkPolicy'
    : kind === 'BaselineAdminNetworkPolicy'
      ? 'baselineAdminNetworkPolicy'
      : 'clusterNetworkPolicy';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
