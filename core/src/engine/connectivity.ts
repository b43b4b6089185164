// The reachability engine: which endpoint may open which connections to which, under networking.k8s.io/v1 NetworkPolicy.
import { podAddressFamilies, type ClusterModel, type NamespaceInfo, type Workload } from '../model/cluster.js';
import type { SourceLocation } from '../source/source.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { fullRange, holdsUnknownAddress, rangeContains, type AddressBlock, type IpFamily, type IpRange } from '../semantics/ip.js';
import { selectorMatches } from '../semantics/label-selector.js';
import {
  hasNamedPorts,
  peerCidrs,
  resolvePorts,
  type CompiledPolicy,
  type Direction,
  type Peer,
  type PolicyRule,
} from '../semantics/policy-ir.js';
import { NamespaceIndex } from '../model/namespace-index.js';
import { classifyWorkloads, namedPortNames, type WorkloadClass } from './classes.js';
import { sameItems } from './kept.js';
import {
  addressCut,
  keptWorkloadEndpoint,
  type Endpoint,
  type ExternalEndpoint,
  type WorkloadEndpoint,
} from './endpoints.js';

/** One rule's share of a side's verdict: the rule matched the peer and allows these connections. */
export interface RuleContribution {
  readonly policy: CompiledPolicy;
  readonly rule: PolicyRule;
  /** May be empty: the rule names the peer but none of its ports applies (an unresolved named port). */
  readonly connections: ConnectionSet;
}

/** The verdict of one side of a connection: the source's egress or the destination's ingress. */
export interface SideVerdict {
  readonly direction: Direction;
  /** The endpoint whose policies decide this side. */
  readonly subject: Endpoint;
  /** Why policies cannot act on this side, when they cannot (an external address, a hostNetwork pod). */
  readonly exemptBecause: 'external' | 'host-network' | undefined;
  /** Policies that select the subject for this direction; empty means not isolated. */
  readonly isolatedBy: readonly CompiledPolicy[];
  readonly allowedBy: readonly RuleContribution[];
  /** Everything when not isolated; otherwise the union of the contributions. */
  readonly connections: ConnectionSet;
}

/** What keeps a side from allowing some connections, for findings to point at. */
export interface SideDenial {
  /** The policy's id (`namespace/name` for a NetworkPolicy; `Kind/name` or `Kind/namespace/name` for the others). */
  readonly policy: string;
  /** `isolates`: the policy isolates the subject and allows none of `connections`; `denies`: a rule denies them. */
  readonly how: 'isolates' | 'denies';
  /** The policy's, or the denying rule's. */
  readonly location: SourceLocation;
  readonly connections: ConnectionSet;
}

export interface PairExplanation {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
  /** egress ∩ ingress (semantics point 7). */
  readonly connections: ConnectionSet;
}

export interface Connection {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly connections: ConnectionSet;
}

/** What one side's policies allow with one peer, and the rules behind it (in policy, then rule order). */
interface PeerEntry {
  connections: ConnectionSet;
  readonly allowedBy: RuleContribution[];
}

type PeerTable = ReadonlyMap<number, PeerEntry>;

/** Interns sequences of objects (and numbers) as ids: a node per prefix. */
interface TrieNode {
  readonly next: Map<object | number, TrieNode>;
  id?: number;
}

/** Peers a table answers rule by rule before it is built (sideConnections). */
const PEERS_BEFORE_TABLE = 8;

/** Whether an ascending list holds a value (binary search). */
function sortedHas(values: Uint32Array, value: number): boolean {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low < values.length && values[low] === value;
}

function trieChild(node: TrieNode, part: object | number): TrieNode {
  let child = node.next.get(part);
  if (child === undefined) node.next.set(part, (child = { next: new Map() }));
  return child;
}

interface ClassPolicies {
  readonly ingress: readonly CompiledPolicy[];
  readonly egress: readonly CompiledPolicy[];
}

export interface ConnectivityOptions {
  /**
   * ipBlocks also match the workloads whose pod IPs they hold (the plugin profile says ipBlocks match in-cluster
   * addresses), and the pods without a known IP (templates) when they cover its whole family with no except. Off by
   * default: an ipBlock then matches external ranges only.
   */
  readonly ipBlocksMatchPods?: boolean;
  /**
   * The rules of a direction a policy's policyTypes leaves out still allow what they name to the pods it selects, where
   * another policy isolates them, without isolating anything themselves (Weave's npc renders every rule of
   * spec.ingress and spec.egress). Off by default: such rules have no effect, as the API says.
   */
  readonly inactiveRulesAllow?: boolean;
  /**
   * What else tells workloads apart for policies layered on this result (admin and Calico policies): the label keys
   * their selectors read and any further signature (service account, pod addresses). Workloads with different
   * values are never put in one class, so a class representative stands for its members under those layers too.
   */
  readonly distinguish?: ClassDistinction;
  /**
   * The external ranges span IPv6 even where no ipBlock names an IPv6 CIDR: a result layered on this one (admin
   * networks, Calico nets) does, and each of its ranges must lie in one of this result's.
   */
  readonly ipv6?: boolean;
}

/** One list of CIDRs whose only effect on the address cut is to add the IPv6 family, whole. */
const WHOLE_IPV6: readonly IpRange[] = [fullRange(6)];

export interface ClassDistinction {
  readonly labelKeys?: Iterable<string>;
  readonly signature?: (workload: Workload) => string;
}

/**
 * The classes of a model as distinguished for layered policies, with what follows from them alone. A layered result
 * (admin, Calico) wraps the NetworkPolicy result and builds its own base on the same model without options: it must
 * see the same classes, or a class representative would stand for workloads its policies tell apart. A finer
 * partition is always sound.
 */
const distinguishedBases = new WeakMap<ClusterModel, ClassBase>();

/** The classes of a model and what depends on them and the model alone (not on ipBlock matching). */
interface ClassBase {
  readonly classes: readonly WorkloadClass[];
  readonly classOf: ReadonlyMap<Workload, WorkloadClass>;
  readonly workloads: readonly WorkloadEndpoint[];
  readonly classesIn: ReadonlyMap<string, WorkloadClass[]>;
  readonly classPolicies: readonly ClassPolicies[];
}

const NOT_SELECTED: ClassPolicies = { ingress: [], egress: [] };

/**
 * The policies selecting a workload, kept with it while its namespace's policies are the same objects (the model
 * keeps unchanged workloads and policies across a language server's analyses).
 */
const keptSelections = new WeakMap<
  Workload,
  { readonly inNamespace: readonly CompiledPolicy[]; readonly policies: ClassPolicies }
>();

function classBase(
  model: ClusterModel,
  { classes, classOf }: ReturnType<typeof classifyWorkloads>,
): ClassBase {
  const classesIn = new Map<string, WorkloadClass[]>();
  for (const c of classes) {
    const list = classesIn.get(c.namespace);
    if (list === undefined) classesIn.set(c.namespace, [c]);
    else list.push(c);
  }
  // A policy selects pods of its own namespace only: looking in that namespace's policies keeps this linear.
  const policiesIn = new Map<string, CompiledPolicy[]>();
  for (const policy of model.policies) {
    const list = policiesIn.get(policy.namespace);
    if (list === undefined) policiesIn.set(policy.namespace, [policy]);
    else list.push(policy);
  }
  const classPolicies = classes.map((c) => {
    // Semantics point 9: hostNetwork pods are not selectable, so no policy isolates them.
    if (c.hostNetwork) return NOT_SELECTED;
    const inNamespace = policiesIn.get(c.namespace) ?? [];
    const kept = keptSelections.get(c.representative);
    if (kept !== undefined && sameItems(kept.inNamespace, inNamespace)) return kept.policies;
    const selecting = inNamespace.filter((p) => selectorMatches(p.podSelector, c.representative.labels));
    const policies = {
      ingress: selecting.filter((p) => p.ingress),
      egress: selecting.filter((p) => p.egress),
    };
    keptSelections.set(c.representative, { inNamespace, policies });
    return policies;
  });
  return { classes, classOf, workloads: model.workloads.map(keptWorkloadEndpoint), classesIn, classPolicies };
}

const NO_POLICIES: readonly CompiledPolicy[] = [];

/** A policy's rules of a direction its policyTypes leaves out, by direction (one list per policy, kept). */
export function inactiveRulesOf(policy: CompiledPolicy, direction: Direction): readonly PolicyRule[] {
  if (policy.inactiveRules === undefined) return NO_RULES;
  let byDirection = inactiveByDirection.get(policy);
  if (byDirection === undefined) {
    byDirection = {
      ingress: policy.inactiveRules.filter((r) => r.direction === 'ingress'),
      egress: policy.inactiveRules.filter((r) => r.direction === 'egress'),
    };
    inactiveByDirection.set(policy, byDirection);
  }
  return byDirection[direction];
}

const NO_RULES: readonly PolicyRule[] = [];
const inactiveByDirection = new WeakMap<CompiledPolicy, Record<Direction, readonly PolicyRule[]>>();

/**
 * The result of the analysis. Peer indices: workload classes first (0..C-1), then external
 * ranges (C..C+E-1). Verdicts are computed per class and shared by all members.
 */
export class ConnectivityResult {
  readonly workloads: readonly WorkloadEndpoint[];
  readonly externals: readonly ExternalEndpoint[];
  /** Workload classes: members get identical verdicts; peer indices 0..C-1. */
  readonly classes: readonly WorkloadClass[];
  private readonly classOf: ReadonlyMap<Workload, WorkloadClass>;
  private readonly classPolicies: readonly ClassPolicies[];
  /** Per rule, the peer indices its from/to matches, ascending: a list, since most rules match few of many classes. */
  private readonly ruleMatches = new Map<PolicyRule, Uint32Array>();
  /** Per rule, its connections (no named port), or by destination port table (rulePorts). */
  private readonly portsOfRule = new Map<PolicyRule, ConnectionSet | Map<number, ConnectionSet>>();
  private readonly portTableIds: (number | undefined)[] = [];
  private readonly portTableIdsByKey = new Map<string, number>();
  /** Classes by namespace: policies and pod peers without a namespace selector look in one namespace only. */
  protected readonly classesIn: ReadonlyMap<string, WorkloadClass[]>;
  private readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  /** Tables shared by classes selected by the same policies, by table id (tableId). */
  private readonly sharedTables = new Map<number, PeerTable>();
  /** Per direction, by class index: the id of its table (tableId). */
  private readonly tableIds: Record<Direction, (number | undefined)[]> = { ingress: [], egress: [] };
  private readonly tableTrie: Record<Direction, TrieNode> = { ingress: { next: new Map() }, egress: { next: new Map() } };
  private nextTableId = 0;
  /** By table id, how many peers were asked of a table not built yet. */
  private readonly peersAsked = new Map<number, number>();
  private readonly namedIngressPorts = new Map<CompiledPolicy, boolean>();
  /** Each class's table per direction, once computed. */
  private readonly classTables: Record<Direction, (PeerTable | undefined)[]> = { ingress: [], egress: [] };
  private readonly externalIndex: ReadonlyMap<ExternalEndpoint, number>;
  private readonly ipBlocksMatchPods: boolean;
  private readonly inactiveRulesAllow: boolean;
  /** Per direction, by class index: the policies whose inactive rules of that direction allow (inactiveRulesAllow). */
  private readonly inactiveSources: Record<Direction, (readonly CompiledPolicy[] | undefined)[]> = { ingress: [], egress: [] };
  /** The namespaces of classes, for namespace selectors. */
  private namespaceIndex: NamespaceIndex | undefined;

  constructor(
    readonly model: ClusterModel,
    options: ConnectivityOptions = {},
  ) {
    const cidrs = model.policies.map(peerCidrs);
    const { ranges: addressRanges, endpoints: externals } = addressCut(options.ipv6 === true ? [...cidrs, WHOLE_IPV6] : cidrs);
    this.ipBlocksMatchPods = options.ipBlocksMatchPods === true;
    this.inactiveRulesAllow = options.inactiveRulesAllow === true;
    const inherits = options.distinguish === undefined && options.ipBlocksMatchPods === undefined;
    const base =
      (inherits ? distinguishedBases.get(model) : undefined) ??
      classBase(
        model,
        classifyWorkloads(model, this.ipBlocksMatchPods ? addressRanges : undefined, options.distinguish),
      );
    if (options.distinguish !== undefined) distinguishedBases.set(model, base);
    this.classes = base.classes;
    this.classOf = base.classOf;
    this.workloads = base.workloads;
    this.classesIn = base.classesIn;
    this.classPolicies = base.classPolicies;
    this.externals = externals;
    this.externalIndex = new Map(this.externals.map((e, k) => [e, this.classes.length + k]));
    this.namespaces = new Map(model.namespaces.map((n) => [n.name, n]));
  }

  get endpoints(): readonly Endpoint[] {
    return [...this.workloads, ...this.externals];
  }

  /** The connections `source` may open to `destination` (both directions' policies applied). */
  allowed(source: Endpoint, destination: Endpoint): ConnectionSet {
    const s = this.peerIndex(source);
    const d = this.peerIndex(destination);
    if (s >= this.classes.length && d >= this.classes.length) return ConnectionSet.NONE;
    // Cells are not stored: a cell is two lookups in per-class tables, and storing them all would be pods².
    const egress = s < this.classes.length ? this.sideConnections('egress', s, d) : ConnectionSet.ALL;
    const ingress = d < this.classes.length ? this.sideConnections('ingress', d, s) : ConnectionSet.ALL;
    return egress.intersect(ingress);
  }

  /**
   * Every ordered pair with some allowed connection, workloads first in id order, then external
   * ranges. A workload to itself is left out (loopback is always allowed), and so is external to external.
   */
  *connections(): Generator<Connection> {
    const endpoints = this.endpoints;
    for (const source of endpoints) {
      for (const destination of endpoints) {
        if (source === destination) continue;
        const connections = this.allowed(source, destination);
        if (!connections.isEmpty) yield { source, destination, connections };
      }
    }
  }

  /** The verdict for one pair, with the policies and rules behind each side. */
  explain(source: Endpoint, destination: Endpoint): PairExplanation {
    const egress = this.explainSide('egress', source, destination);
    const ingress = this.explainSide('ingress', destination, source);
    return pairVerdict(source, destination, egress, ingress);
  }

  /**
   * The peers (class indices, then the class count plus an external range's index) a class's egress policies let it
   * reach, in index order; undefined when its egress is not isolated (every peer). The rest get nothing from it.
   * This is the NetworkPolicy verdict alone: a result layering other policies over this one may allow more.
   */
  egressPeers(classIndex: number): readonly number[] | undefined {
    const policies = this.classPolicies[classIndex]!.egress;
    if (policies.length === 0) return undefined;
    return [...this.tableOf('egress', classIndex, policies).keys()].sort((a, b) => a - b);
  }

  /**
   * The peers a class's ingress policies admit anything from, in index order; undefined when its ingress is not
   * isolated (every peer). The counterpart of `egressPeers`, for sources whose egress names no peers (external ranges).
   */
  ingressPeers(classIndex: number): readonly number[] | undefined {
    const policies = this.classPolicies[classIndex]!.ingress;
    if (policies.length === 0) return undefined;
    return [...this.tableOf('ingress', classIndex, policies).keys()].sort((a, b) => a - b);
  }

  /**
   * One side as the NetworkPolicies alone decide it, with the rules behind it: `explain(...)[direction]` of the
   * NetworkPolicy result, whose `allowedBy` a layered result's explanation carries unchanged (it asks the result
   * underneath).
   */
  networkPolicySide(direction: Direction, subject: Endpoint, peer: Endpoint): SideVerdict {
    return this.explainSide(direction, subject, peer);
  }

  /**
   * One side's connections alone: what `explain(...)[direction].connections` says, without building the explanation
   * (the subject's egress toward the peer, or its ingress from it).
   */
  sideAllowed(direction: Direction, subject: Endpoint, peer: Endpoint): ConnectionSet {
    if (subject.kind === 'external') return ConnectionSet.ALL;
    return this.sideConnections(
      direction,
      this.classOfWorkload(subject.workload).index,
      this.peerIndex(peer),
    );
  }

  /**
   * What keeps a workload's side from allowing the rest of the connections with a peer: here, each policy isolating it
   * for the direction. A result layering tiers names its deny rules and the policies of the tiers that drop the rest.
   */
  sideDenials(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): readonly SideDenial[] {
    const denied = ConnectionSet.ALL.subtract(this.sideAllowed(direction, subject, peer));
    if (denied.isEmpty) return [];
    return this.policiesSelecting(subject.workload)[direction].map((policy) => ({
      policy: policy.id,
      how: 'isolates' as const,
      location: policy.location,
      connections: denied,
    }));
  }

  /**
   * An id of the table that decides a class's side: classes with equal ids get equal verdicts from every peer on
   * that side (-1 where the side is not isolated, which allows everything).
   */
  policyTableId(direction: Direction, classIndex: number): number {
    const policies = this.classPolicies[classIndex]![direction];
    return policies.length === 0 ? -1 : this.tableId(direction, classIndex, policies);
  }

  /**
   * Whether a workload is isolated for a direction: some policy of its namespace selects it with that direction
   * (semantics point 2). A result layering tiers says it in its own terms (Calico: a tier that denies by default).
   */
  isolates(direction: Direction, workload: Workload): boolean {
    return this.policiesSelecting(workload)[direction].length > 0;
  }

  /** The policies selecting a workload, per direction. */
  policiesSelecting(workload: Workload): ClassPolicies {
    return this.classPolicies[this.classOfWorkload(workload).index]!;
  }

  /** The endpoints a rule's from/to matches (all of them for a rule without from/to); any rule, in effect or not. */
  peersMatchedBy(rule: PolicyRule): Endpoint[] {
    const matches = new Set(this.ruleMatchesOf(rule));
    const endpoints: Endpoint[] = [];
    for (const endpoint of this.workloads) {
      if (matches.has(this.classOfWorkload(endpoint.workload).index)) endpoints.push(endpoint);
    }
    this.externals.forEach((external, k) => {
      if (matches.has(this.classes.length + k)) endpoints.push(external);
    });
    return endpoints;
  }

  /**
   * The workloads a policy's podSelector selects (hostNetwork ones never), in id order, whether
   * or not the policy is in effect (a network plugin may drop it, or it may isolate nothing).
   */
  selectedWorkloads(policy: Pick<CompiledPolicy, 'namespace' | 'podSelector'>): Workload[] {
    return (this.classesIn.get(policy.namespace) ?? [])
      .filter((c) => !c.hostNetwork && selectorMatches(policy.podSelector, c.representative.labels))
      .flatMap((c) => c.members)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The external endpoint holding an address (undefined for an IPv6 address when no policy names IPv6). */
  externalAt(family: IpFamily, address: bigint): ExternalEndpoint | undefined {
    return this.externals.find(
      (e) => e.range.family === family && e.range.start <= address && address <= e.range.end,
    );
  }

  private explainSide(direction: Direction, subject: Endpoint, peer: Endpoint): SideVerdict {
    if (subject.kind === 'external') {
      return {
        direction,
        subject,
        exemptBecause: 'external',
        isolatedBy: [],
        allowedBy: [],
        connections: ConnectionSet.ALL,
      };
    }
    const subjectClass = this.classOfWorkload(subject.workload);
    const isolatedBy = this.classPolicies[subjectClass.index]![direction];
    const exemptBecause = subjectClass.hostNetwork ? 'host-network' : undefined;
    if (isolatedBy.length === 0)
      return { direction, subject, exemptBecause, isolatedBy, allowedBy: [], connections: ConnectionSet.ALL };
    // The explanation is the table entry the matrix reads, so `explain` and `allowed` cannot disagree.
    const entry = this.tableOf(direction, subjectClass.index, isolatedBy).get(this.peerIndex(peer));
    return {
      direction,
      subject,
      exemptBecause,
      isolatedBy,
      allowedBy: entry?.allowedBy ?? [],
      connections: entry?.connections ?? ConnectionSet.NONE,
    };
  }

  /** What the subject class's `direction` policies allow with the peer; everything when not isolated. */
  private sideConnections(direction: Direction, subject: number, peer: number): ConnectionSet {
    const policies = this.classPolicies[subject]![direction];
    if (policies.length === 0) return ConnectionSet.ALL;
    let table = this.classTables[direction][subject];
    if (table === undefined) {
      // A table is every peer's entry: a table asked about a few peers (a lint asks each class about cluster DNS, say)
      // answers them rule by rule instead, and is built only once asked about more.
      const id = this.tableId(direction, subject, policies);
      table = this.sharedTables.get(id);
      if (table === undefined) {
        const asked = (this.peersAsked.get(id) ?? 0) + 1;
        this.peersAsked.set(id, asked);
        if (asked <= PEERS_BEFORE_TABLE) return this.ruleByRule(direction, subject, policies, peer);
      }
      table = this.tableOf(direction, subject, policies);
    }
    return table.get(peer)?.connections ?? ConnectionSet.NONE;
  }

  /** A table's entry for one peer without the table: the union of what the rules matching the peer allow. */
  private ruleByRule(direction: Direction, subject: number, policies: readonly CompiledPolicy[], peer: number): ConnectionSet {
    let connections = ConnectionSet.NONE;
    const add = (rules: readonly PolicyRule[]) => {
      for (const rule of rules) {
        if (!sortedHas(this.ruleMatchesOf(rule), peer)) continue;
        // Named ports resolve on the destination: the subject for ingress, the peer for egress.
        connections = connections.union(this.rulePorts(rule, direction === 'ingress' ? subject : peer));
      }
    };
    for (const policy of policies) add(policy[direction]!.rules);
    for (const policy of this.inactiveSourcesOf(direction, subject)) add(inactiveRulesOf(policy, direction));
    return connections;
  }

  private tableOf(direction: Direction, subject: number, policies: readonly CompiledPolicy[]): PeerTable {
    let table = this.classTables[direction][subject];
    if (table === undefined) {
      table = this.classTable(direction, subject, policies);
      this.classTables[direction][subject] = table;
    }
    return table;
  }

  /** The union of the selecting policies' tables, shared by classes selected by the same policies. */
  private classTable(direction: Direction, subject: number, policies: readonly CompiledPolicy[]): PeerTable {
    const id = this.tableId(direction, subject, policies);
    let table = this.sharedTables.get(id);
    if (table === undefined) {
      const merged = new Map<number, PeerEntry>();
      const add = (policy: CompiledPolicy, rules: readonly PolicyRule[]) => {
        for (const rule of rules) {
          for (const peer of this.ruleMatchesOf(rule)) {
            // Named ports resolve on the destination: the subject for ingress, the peer for egress.
            const connections = this.rulePorts(rule, direction === 'ingress' ? subject : peer);
            const entry = merged.get(peer);
            if (entry === undefined)
              merged.set(peer, { connections, allowedBy: [{ policy, rule, connections }] });
            else {
              entry.connections = entry.connections.union(connections);
              entry.allowedBy.push({ policy, rule, connections });
            }
          }
        }
      };
      for (const policy of policies) add(policy, policy[direction]!.rules);
      for (const policy of this.inactiveSourcesOf(direction, subject)) add(policy, inactiveRulesOf(policy, direction));
      table = merged;
      this.sharedTables.set(id, table);
    }
    return table;
  }

  /**
   * What a class's table is made of, as an id: the selecting policies and, where a named port resolves on the subject
   * (ingress), the subject itself. Equal ids, one table. Found once per class and direction, through a trie of those
   * parts (no key text to build and hash).
   */
  private tableId(direction: Direction, subject: number, policies: readonly CompiledPolicy[]): number {
    let id = this.tableIds[direction][subject];
    if (id === undefined) {
      const inactive = this.inactiveSourcesOf(direction, subject);
      const subjectDependent =
        direction === 'ingress' &&
        (policies.some((p) => this.namedIngress(p)) ||
          inactive.some((p) => inactiveRulesOf(p, 'ingress').some((r) => hasNamedPorts(r.ports))));
      let node = this.tableTrie[direction];
      if (subjectDependent) node = trieChild(node, subject);
      // A policy reads its rules of a direction it isolates or (inactive) of one it does not: never both, so a path of
      // policies tells which rules.
      for (const policy of policies) node = trieChild(node, policy);
      for (const policy of inactive) node = trieChild(node, policy);
      id = node.id ??= this.nextTableId++;
      this.tableIds[direction][subject] = id;
    }
    return id;
  }

  /**
   * The policies selecting an isolated class whose rules of `direction`, left out by their policyTypes, still allow
   * (inactiveRulesAllow); none otherwise.
   */
  private inactiveSourcesOf(direction: Direction, subject: number): readonly CompiledPolicy[] {
    if (!this.inactiveRulesAllow) return NO_POLICIES;
    let sources = this.inactiveSources[direction][subject];
    if (sources === undefined) {
      const c = this.classes[subject]!;
      sources = c.hostNetwork
        ? NO_POLICIES
        : this.model.policies.filter(
            (p) =>
              p.namespace === c.namespace &&
              inactiveRulesOf(p, direction).length > 0 &&
              selectorMatches(p.podSelector, c.representative.labels),
          );
      this.inactiveSources[direction][subject] = sources;
    }
    return sources;
  }

  /** Whether some ingress rule of the policy names a port (computed once per policy). */
  private namedIngress(policy: CompiledPolicy): boolean {
    let named = this.namedIngressPorts.get(policy);
    if (named === undefined) {
      named = policy.ingress!.rules.some((r) => hasNamedPorts(r.ports));
      this.namedIngressPorts.set(policy, named);
    }
    return named;
  }

  /**
   * A rule's connections toward a destination (a peer index): resolved once per rule where no port is named, else once
   * per rule and destination port table (named ports resolve on the destination's class, semantics point 6; classes
   * declaring the same named ports share a table id; external ranges have none).
   */
  rulePorts(rule: PolicyRule, destination: number): ConnectionSet {
    let resolved = this.portsOfRule.get(rule);
    if (resolved === undefined) {
      resolved = hasNamedPorts(rule.ports) ? new Map() : resolvePorts(rule.ports, undefined);
      this.portsOfRule.set(rule, resolved);
    }
    if (!(resolved instanceof Map)) return resolved;
    const table = destination < this.classes.length ? this.portTableId(destination) : -1;
    let connections = resolved.get(table);
    if (connections === undefined)
      resolved.set(table, (connections = resolvePorts(rule.ports, this.classes[destination]?.namedPorts)));
    return connections;
  }

  /** An id of a class's named ports (equal for classes whose containers name the same ports alike). */
  private portTableId(classIndex: number): number {
    let id = this.portTableIds[classIndex];
    if (id === undefined) {
      const key = namedPortNames(this.classes[classIndex]!.representative.ports).join(',');
      id = this.portTableIdsByKey.get(key);
      if (id === undefined) this.portTableIdsByKey.set(key, (id = this.portTableIdsByKey.size));
      this.portTableIds[classIndex] = id;
    }
    return id;
  }

  /** Which peers (classes, then external ranges) a rule's from/to matches; computed once per rule. */
  private ruleMatchesOf(rule: PolicyRule): Uint32Array {
    let matches = this.ruleMatches.get(rule);
    if (matches === undefined) {
      matches = this.matchPeers(rule);
      this.ruleMatches.set(rule, matches);
    }
    return matches;
  }

  private matchPeers(rule: PolicyRule): Uint32Array {
    const peerCount = this.classes.length + this.externals.length;
    if (rule.peers.kind === 'any') return Uint32Array.from({ length: peerCount }, (_, k) => k);
    const matches = new Set<number>();
    const blocks: AddressBlock[] = [];
    for (const peer of rule.peers.peers) {
      if (peer.kind === 'pods') {
        for (const c of this.classesSelectedBy(peer.namespaces)) {
          if (!c.hostNetwork && selectorMatches(peer.pods, c.representative.labels)) matches.add(c.index);
        }
        continue;
      }
      // Each range lies wholly inside or outside cidr minus except. Classes have address ranges only when ipBlocks
      // match pods.
      const inside = this.externalsHeld(peer);
      inside.forEach((holds, k) => {
        if (holds) matches.add(this.classes.length + k);
      });
      if (!this.ipBlocksMatchPods) continue;
      blocks.push({ ranges: [peer.cidr], excluded: peer.except });
      // A pod with a known address is held by a block holding it. A hostNetwork pod's address is its node's: "traffic
      // to/from hostNetwork pods is treated the same as all other traffic to/from the node IP" (kubernetes.io, network
      // policies), which these plugins match against the block like any address.
      for (const c of this.classes) {
        if (c.representative.addresses.length > 0 && c.addressRanges.some((k) => inside[k] === true)) matches.add(c.index);
      }
    }
    // A pod template has no address yet: only the rule's blocks together covering its whole family surely hold it.
    if (blocks.length > 0 && holdsUnknownAddress(blocks, podAddressFamilies(this.model))) {
      for (const c of this.classes) if (c.representative.addresses.length === 0) matches.add(c.index);
    }
    return Uint32Array.from(matches).sort();
  }

  /**
   * Which external ranges (by index) an ipBlock holds: its CIDR's, but for its excepts'. Each range lies wholly inside
   * or outside each CIDR of the model's policies (and of a layered result's own matches).
   */
  externalsHeld(block: Pick<Extract<Peer, { kind: 'ipBlock' }>, 'cidr' | 'except'>): boolean[] {
    const inside: boolean[] = new Array(this.externals.length).fill(false);
    const [from, to] = this.externalRun(block.cidr);
    for (let k = from; k < to; k++) inside[k] = true;
    for (const except of block.except) {
      const [start, end] = this.externalRun(except);
      for (let k = start; k < end; k++) inside[k] = false;
    }
    return inside;
  }

  /**
   * The external ranges a CIDR holds, as indices from..to (excluded): ranges are in address order and cut at the CIDRs
   * of the model's policies, so those a CIDR holds are consecutive. A CIDR that is no cut boundary is scanned range by
   * range.
   */
  private externalRun(cidr: IpRange): [number, number] {
    const ranges = this.externals;
    // The first range at or after an address of the CIDR's family.
    const lowerBound = (address: bigint): number => {
      let low = 0;
      let high = ranges.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        const range = ranges[middle]!.range;
        if (range.family < cidr.family || (range.family === cidr.family && range.start < address)) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    const from = lowerBound(cidr.start);
    const to = lowerBound(cidr.end + 1n);
    const [first, last] = [ranges[from]?.range, ranges[to - 1]?.range];
    if (from < to && first!.family === cidr.family && first!.start === cidr.start && last!.family === cidr.family && last!.end === cidr.end)
      return [from, to];
    // Not a cut boundary (a rule of no policy in the model): the ranges it holds wholly, still consecutive.
    const held = ranges.flatMap((e, k) => (rangeContains(cidr, e.range) ? [k] : []));
    return held.length === 0 ? [0, 0] : [held[0]!, held.at(-1)! + 1];
  }

  /** The classes in the namespaces a pod peer's namespace part selects. */
  private classesSelectedBy(selection: Extract<Peer, { kind: 'pods' }>['namespaces']): readonly WorkloadClass[] {
    if (selection.kind === 'policy-namespace') return this.classesIn.get(selection.namespace) ?? [];
    const namespaces = this.namespacesOfClasses().matching(selection.selector);
    return namespaces.length === 1
      ? this.classesIn.get(namespaces[0]!.name)!
      : namespaces.flatMap((namespace) => this.classesIn.get(namespace.name)!);
  }

  /** The namespaces that have classes, indexed for namespace selectors (matchPeers sorts what it collects). */
  private namespacesOfClasses(): NamespaceIndex {
    this.namespaceIndex ??= new NamespaceIndex(
      [...this.classesIn.keys()].map(
        (name) => this.namespaces.get(name) ?? { name, labels: {}, location: undefined },
      ),
    );
    return this.namespaceIndex;
  }

  private peerIndex(endpoint: Endpoint): number {
    if (endpoint.kind === 'workload') return this.classOfWorkload(endpoint.workload).index;
    const index = this.externalIndex.get(endpoint);
    if (index === undefined) throw new Error(`endpoint ${endpoint.id} does not belong to this result`);
    return index;
  }

  /** The class of a workload of this result. */
  classOfWorkload(workload: Workload): WorkloadClass {
    const c = this.classOf.get(workload);
    if (c === undefined) throw new Error(`workload ${workload.id} does not belong to this result`);
    return c;
  }
}

/**
 * A pair's verdict from its two sides, each decided on its own: what the pair allows is egress ∩ ingress (semantics
 * point 7), whatever layers decided each side.
 */
export function pairVerdict<E, S extends { readonly connections: ConnectionSet }>(
  source: E,
  destination: E,
  egress: S,
  ingress: S,
): {
  readonly source: E;
  readonly destination: E;
  readonly egress: S;
  readonly ingress: S;
  readonly connections: ConnectionSet;
} {
  return {
    source,
    destination,
    egress,
    ingress,
    connections: egress.connections.intersect(ingress.connections),
  };
}

/** Runs the engine on a cluster model. */
export function analyzeConnectivity(
  model: ClusterModel,
  options: ConnectivityOptions = {},
): ConnectivityResult {
  return new ConnectivityResult(model, options);
}
