// The NetworkPolicy IR: small variants for peers and ports that mirror networking.k8s.io/v1, each with its source.
import type { SourceLocation } from '../source/source.js';
import type {
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PolicyType,
} from '../manifest/kubernetes-types.js';
import { ConnectionSet, isPortProtocol, type PortProtocol } from './connection-set.js';
import { parseCidr, type Cidr } from './ip.js';
import { compileSelector, type Selector } from './label-selector.js';

export type Direction = 'ingress' | 'egress';

/** Which namespaces a pod peer draws from: the policy's own (podSelector alone) or those a namespaceSelector matches. */
export type NamespaceScope =
  | { readonly kind: 'policy-namespace'; readonly namespace: string }
  | { readonly kind: 'selected'; readonly selector: Selector };

export type Peer =
  | {
      readonly kind: 'pods';
      readonly namespaces: NamespaceScope;
      /** `everything` when only namespaceSelector is set. */
      readonly pods: Selector;
      readonly location: SourceLocation;
    }
  | { readonly kind: 'ipBlock'; readonly cidr: Cidr; readonly except: readonly Cidr[]; readonly location: SourceLocation };

/** `any` when `from`/`to` is missing or empty: every source or destination, inside and outside the cluster. */
export type Peers = { readonly kind: 'any' } | { readonly kind: 'list'; readonly peers: readonly Peer[] };

export type PortMatch =
  | { readonly kind: 'all' }
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'named'; readonly name: string };

export interface PortSpec {
  readonly protocol: PortProtocol;
  readonly match: PortMatch;
  readonly location: SourceLocation;
}

/** `any` when `ports` is missing or empty: every port of every protocol, portless ones included. */
export type Ports = { readonly kind: 'any' } | { readonly kind: 'list'; readonly ports: readonly PortSpec[] };

export interface PolicyRule {
  readonly direction: Direction;
  /** Index in spec.ingress or spec.egress. */
  readonly index: number;
  readonly peers: Peers;
  readonly ports: Ports;
  readonly location: SourceLocation;
}

export interface PolicyDirection {
  readonly rules: readonly PolicyRule[];
  /** Where the direction is declared: the policyTypes entry, or the ingress/egress key when defaulted. */
  readonly location: SourceLocation;
  /** True when policyTypes was omitted and the direction was inferred (semantics point 1). */
  readonly defaulted: boolean;
}

export interface CompiledPolicy {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  /** Undefined when the policy does not affect ingress. */
  readonly ingress: PolicyDirection | undefined;
  readonly egress: PolicyDirection | undefined;
  /**
   * Rules of the directions policyTypes leaves out: the API server keeps them and they allow nothing, but a plugin that
   * rejects policies over a feature may scan them too (Weave's npc analyser checks every ingress and egress rule).
   */
  readonly inactiveRules?: readonly PolicyRule[];
  readonly location: SourceLocation;
  /** Locates any field of the policy object (paths start at the object: `['spec', 'ingress', 0]`). */
  readonly locate: Locate;
}

/** Resolves a path inside the policy object to its source location. */
export type Locate = (path: readonly (string | number)[], options?: { key?: boolean }) => SourceLocation;

export interface NetworkPolicyInput {
  readonly namespace: string;
  readonly name: string;
  readonly spec: {
    readonly podSelector: Parameters<typeof compileSelector>[0];
    readonly ingress?: readonly { readonly from?: readonly NetworkPolicyPeer[]; readonly ports?: readonly NetworkPolicyPort[] }[];
    readonly egress?: readonly { readonly to?: readonly NetworkPolicyPeer[]; readonly ports?: readonly NetworkPolicyPort[] }[];
    readonly policyTypes?: readonly PolicyType[];
  };
}

/**
 * Compiles a validated NetworkPolicy. Invalid fields were rejected by the loader, so what cannot
 * be compiled here (an unparsable CIDR) is a broken invariant; such a peer is left out defensively.
 */
export function compilePolicy(input: NetworkPolicyInput, locate: Locate): CompiledPolicy {
  const { spec } = input;
  // Semantics point 1: without policyTypes, Ingress always; Egress only when spec.egress has an element.
  // The API server defaults on `len(policyTypes) == 0` (SetDefaults_NetworkPolicy), so an explicit
  // empty list is defaulted exactly like a missing one.
  const explicitTypes = spec.policyTypes !== undefined && spec.policyTypes.length > 0 ? spec.policyTypes : undefined;
  const ingress = hasType(spec, explicitTypes, 'Ingress');
  const egress = hasType(spec, explicitTypes, 'Egress');
  const inactiveRules = [
    ...(ingress ? [] : compileRules(input, 'ingress', locate)),
    ...(egress ? [] : compileRules(input, 'egress', locate)),
  ];
  return {
    id: `${input.namespace}/${input.name}`,
    namespace: input.namespace,
    name: input.name,
    podSelector: compileSelector(spec.podSelector),
    ingress: ingress ? compileDirection(input, explicitTypes, 'ingress', locate) : undefined,
    egress: egress ? compileDirection(input, explicitTypes, 'egress', locate) : undefined,
    ...(inactiveRules.length === 0 ? {} : { inactiveRules }),
    location: locate(['metadata', 'name']),
    locate,
  };
}

/*
 * The steps of compilePolicy are plain functions rather than closures made per policy: every policy of the input
 * passes here, mostly before the code is optimized.
 */

function hasType(spec: NetworkPolicyInput['spec'], explicitTypes: readonly PolicyType[] | undefined, type: PolicyType): boolean {
  return explicitTypes !== undefined ? explicitTypes.includes(type) : type === 'Ingress' || (spec.egress?.length ?? 0) > 0;
}

function compileDirection(
  input: NetworkPolicyInput,
  explicitTypes: readonly PolicyType[] | undefined,
  direction: Direction,
  locate: Locate,
): PolicyDirection {
  const type: PolicyType = direction === 'ingress' ? 'Ingress' : 'Egress';
  return {
    rules: compileRules(input, direction, locate),
    // The policyTypes entry, or the ingress/egress key when defaulted.
    location:
      explicitTypes !== undefined
        ? locate(['spec', 'policyTypes', explicitTypes.indexOf(type)])
        : locate(input.spec[direction] !== undefined ? ['spec', direction] : ['spec'], { key: true }),
    defaulted: explicitTypes === undefined,
  };
}

function compileRules(input: NetworkPolicyInput, direction: Direction, locate: Locate): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const written: readonly (NetworkPolicyIngressRule | NetworkPolicyEgressRule)[] = input.spec[direction] ?? [];
  for (let index = 0; index < written.length; index++) {
    const rule = written[index]!;
    // The peers are `from` on ingress, `to` on egress.
    const peers = direction === 'ingress' ? (rule as NetworkPolicyIngressRule).from : (rule as NetworkPolicyEgressRule).to;
    rules.push(compileRule(direction, index, peers, rule.ports, input.namespace, locate));
  }
  return rules;
}

function compileRule(
  direction: Direction,
  index: number,
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
  policyNamespace: string,
  locate: Locate,
): PolicyRule {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  let compiledPeers: Peers = ANY;
  if (peers !== undefined && peers.length > 0) {
    const list: Peer[] = [];
    for (let k = 0; k < peers.length; k++) {
      const peer = compilePeer(peers[k]!, policyNamespace, locate(['spec', direction, index, peersKey, k]));
      if (peer !== undefined) list.push(peer);
    }
    compiledPeers = { kind: 'list', peers: list };
  }
  let compiledPorts: Ports = ANY;
  if (ports !== undefined && ports.length > 0) {
    const list: PortSpec[] = [];
    for (let k = 0; k < ports.length; k++) {
      const port = compilePort(ports[k]!, locate(['spec', direction, index, 'ports', k]));
      if (port !== undefined) list.push(port);
    }
    compiledPorts = { kind: 'list', ports: list };
  }
  return { direction, index, peers: compiledPeers, ports: compiledPorts, location: locate(['spec', direction, index]) };
}

/** `any` peers or ports: one value for all. */
const ANY: { readonly kind: 'any' } = { kind: 'any' };

function compilePeer(peer: NetworkPolicyPeer, policyNamespace: string, location: SourceLocation): Peer | undefined {
  if (peer.ipBlock !== undefined) {
    const cidr = parseCidr(peer.ipBlock.cidr);
    if (cidr === undefined) return undefined;
    const except: Cidr[] = [];
    for (const text of peer.ipBlock.except ?? []) {
      const parsed = parseCidr(text);
      if (parsed !== undefined) except.push(parsed);
    }
    return { kind: 'ipBlock', cidr, except, location };
  }
  if (peer.podSelector === undefined && peer.namespaceSelector === undefined) return undefined;
  return {
    kind: 'pods',
    // Semantics point 4: podSelector alone means the policy's namespace; with namespaceSelector, an AND.
    namespaces:
      peer.namespaceSelector === undefined
        ? { kind: 'policy-namespace', namespace: policyNamespace }
        : { kind: 'selected', selector: compileSelector(peer.namespaceSelector) },
    pods: peer.podSelector === undefined ? { kind: 'everything' } : compileSelector(peer.podSelector),
    location,
  };
}

function compilePort(port: NetworkPolicyPort, location: SourceLocation): PortSpec | undefined {
  const protocol = port.protocol ?? 'TCP';
  if (!isPortProtocol(protocol)) return undefined;
  if (port.port === undefined) return { protocol, match: { kind: 'all' }, location };
  if (typeof port.port === 'string') return { protocol, match: { kind: 'named', name: port.port }, location };
  return { protocol, match: { kind: 'range', start: port.port, end: port.endPort ?? port.port }, location };
}

/** A destination's named container ports, for resolving named ports (semantics point 6). */
export interface NamedPortTable {
  lookup(name: string, protocol: PortProtocol): readonly number[];
}

/**
 * The connections a rule's ports allow toward one destination. Named ports resolve against the
 * destination's containers with the same protocol; with no destination table (an external
 * address) or no such port, a named port matches nothing.
 */
export function resolvePorts(ports: Ports, destination: NamedPortTable | undefined): ConnectionSet {
  if (ports.kind === 'any') return ConnectionSet.ALL;
  let result = ConnectionSet.NONE;
  for (const spec of ports.ports) result = result.union(resolvePortSpec(spec, destination));
  return result;
}

export function resolvePortSpec(spec: PortSpec, destination: NamedPortTable | undefined): ConnectionSet {
  switch (spec.match.kind) {
    case 'all':
      return ConnectionSet.allPorts(spec.protocol);
    case 'range':
      return ConnectionSet.ports(spec.protocol, spec.match.start, spec.match.end);
    case 'named': {
      let result = ConnectionSet.NONE;
      for (const number of destination?.lookup(spec.match.name, spec.protocol) ?? []) {
        result = result.union(ConnectionSet.ports(spec.protocol, number));
      }
      return result;
    }
  }
}

/** True when some port of the rule is named, so its resolution differs per destination. */
export function hasNamedPorts(ports: Ports): boolean {
  return ports.kind === 'list' && ports.ports.some((p) => p.match.kind === 'named');
}

/** Policies are immutable and kept across analyses of an edited workspace (the model keeps them with their objects). */
const cidrsOf = new WeakMap<CompiledPolicy, Cidr[]>();

export function peerCidrs(policy: CompiledPolicy): readonly Cidr[] {
  let cidrs = cidrsOf.get(policy);
  if (cidrs !== undefined) return cidrs;
  cidrs = [];
  cidrsOf.set(policy, cidrs);
  for (const direction of [policy.ingress, policy.egress]) {
    for (const rule of direction?.rules ?? []) {
      if (rule.peers.kind !== 'list') continue;
      for (const peer of rule.peers.peers) {
        if (peer.kind === 'ipBlock') cidrs.push(peer.cidr, ...peer.except);
      }
    }
  }
  return cidrs;
}
