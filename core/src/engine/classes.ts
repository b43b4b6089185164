// Equivalence classes of workloads that no selector, policy or named port in the input can tell apart.
import type { ClusterModel, ContainerPort, Workload } from '../model/cluster.js';
import type { ClassDistinction } from './connectivity.js';
import type { PortProtocol } from '../semantics/connection-set.js';
import type { IpRange } from '../semantics/ip.js';
import type { Labels, Requirement, Selector } from '../semantics/label-selector.js';
import type { CompiledPolicy, NamedPortTable } from '../semantics/policy-ir.js';
import { KeptText } from './kept.js';

export interface WorkloadClass {
  readonly index: number;
  readonly namespace: string;
  /** A member standing for all: no pod selector in the input tells its labels from another member's. */
  readonly representative: Workload;
  /**
   * The labels that tell this class from others in its namespace: every key some selector reads, with the value
   * `*` where the members' values are ones no selector names (present, but not told apart).
   */
  readonly labels: Labels;
  readonly members: Workload[];
  readonly hostNetwork: boolean;
  readonly namedPorts: NamedPortTable;
  /** Indices of the address ranges that hold the members' pod IPs (sorted; empty unless ranges were given). */
  readonly addressRanges: readonly number[];
}

/**
 * Groups workloads by namespace, hostNetwork, named container ports and their labels as pod
 * selectors see them (the keys they read, the values they name). Members of a class get identical verdicts, so the engine's
 * cost grows with the number of classes, not with the number of workloads.
 * With `addressRanges` (the address space cut at every ipBlock boundary), workloads are also told
 * apart by the ranges holding their pod IPs, so that ipBlocks can match classes.
 */
export function classifyWorkloads(
  model: ClusterModel,
  addressRanges?: readonly IpRange[],
  distinguish: ClassDistinction = {},
): { classes: WorkloadClass[]; classOf: Map<Workload, WorkloadClass> } {
  const values = selectorValues(model, distinguish);

  // By the workload's own signature, then by the rest (address ranges, layered policies' signature): two lookups of
  // strings that are kept, and so hashed once, rather than one of a string joining them, made and hashed per workload.
  const byOwn = new Map<string, Map<string, WorkloadClass>>();
  const classes: WorkloadClass[] = [];
  const classOf = new Map<Workload, WorkloadClass>();
  for (const workload of model.workloads) {
    const own = ownSignature(workload, values);
    const ranges = addressRanges === undefined ? NO_RANGES : rangesHolding(workload, addressRanges);
    const extra = distinguish.signature?.(workload) ?? '';
    // The ranges are digits and commas: a NUL keeps them apart from the layered signature. A pod whose address no range
    // holds (IPv6, when no CIDR is) stays apart from those without an address, which whole-family CIDRs may match.
    const unheld = ranges.length === 0 && addressRanges !== undefined && workload.addresses.length > 0;
    const rest = unheld ? `-\0${extra}` : ranges.length === 0 ? extra : `${ranges.join(',')}\0${extra}`;
    let byRest = byOwn.get(own.text);
    if (byRest === undefined) byOwn.set(own.text, (byRest = new Map()));
    let workloadClass = byRest.get(rest);
    if (workloadClass === undefined) {
      workloadClass = {
        index: classes.length,
        namespace: workload.namespace,
        representative: workload,
        labels: own.labels,
        members: [],
        hostNetwork: workload.hostNetwork,
        namedPorts: own.namedPorts,
        addressRanges: ranges,
      };
      byRest.set(rest, workloadClass);
      classes.push(workloadClass);
    }
    workloadClass.members.push(workload);
    classOf.set(workload, workloadClass);
  }
  return { classes, classOf };
}

/** Per label key some selector reads: the values selectors name, or `all` when any value may matter. */
type KeyValues = ReadonlyMap<string, ReadonlySet<string> | 'all'>;

/** Selector values with a text that is equal exactly when two analyses' values are. */
interface SelectorValues {
  readonly values: KeyValues;
  readonly key: string;
}

/** What a workload's class owes to the workload and the selector values alone. */
class OwnSignature {
  #namedPorts: NamedPortTable | undefined;

  constructor(
    /** SelectorValues.key of the values it was computed with. */
    readonly valuesKey: string,
    readonly labels: Labels,
    private readonly workload: Workload,
    /** The signature as text: equal for two workloads exactly when no selector tells them apart. */
    readonly text: string,
  ) {}

  /** Made on first use: only a class's representative needs its table. */
  get namedPorts(): NamedPortTable {
    return (this.#namedPorts ??= namedPortTable(this.workload));
  }
}

/**
 * Kept with each workload (the model keeps unchanged workloads across analyses): a language server's next analysis
 * reads it again when the selector values are the same, which they are after most edits.
 */
const ownSignatures = new WeakMap<Workload, OwnSignature>();

function ownSignature(workload: Workload, { values, key }: SelectorValues): OwnSignature {
  const kept = ownSignatures.get(workload);
  if (kept !== undefined && kept.valuesKey === key) return kept;
  const labels = distinguishingLabels(workload.labels, values);
  // The labels' keys are in sorted order.
  const text = JSON.stringify([workload.namespace, workload.hostNetwork, labels, namedPortNames(workload.ports)]);
  const own = new OwnSignature(key, labels, workload, text);
  ownSignatures.set(workload, own);
  return own;
}

/** `name/protocol/port` of each named port, sorted: what tells named-port tables apart. */
export function namedPortNames(ports: readonly ContainerPort[]): string[] {
  const named: string[] = [];
  for (const port of ports) if (port.name !== undefined) named.push(`${port.name}/${port.protocol}/${port.port}`);
  return sortTexts(named);
}

/**
 * Sorted in place in UTF-16 code unit order (compareText's). A workload has a few labels selectors read and a few
 * named ports: those are sorted by insertion, since Array.prototype.sort allocates its state (hundreds of bytes)
 * whatever the length.
 */
function sortTexts(texts: string[]): string[] {
  if (texts.length > SORTED_BY_INSERTION) return texts.sort(compareText);
  for (let end = 1; end < texts.length; end++) {
    const text = texts[end]!;
    let at = end;
    for (; at > 0 && texts[at - 1]! > text; at--) texts[at] = texts[at - 1]!;
    texts[at] = text;
  }
  return texts;
}

const SORTED_BY_INSERTION = 16;

/**
 * Selectors test a key's value only against the values they name (In, NotIn, matchLabels) and otherwise its
 * presence (Exists, DoesNotExist), so two values no selector names are indistinguishable. Layered policies
 * (admin, Calico) may read values in other ways: their keys keep every value apart.
 */
function selectorValues(model: ClusterModel, distinguish: ClassDistinction): SelectorValues {
  const named = podSelectorValues(model.policies);
  const labelKeys = JSON.stringify([...(distinguish.labelKeys ?? [])]);
  if (lastValues?.named !== named || lastValues.labelKeys !== labelKeys) {
    const values = new Map<string, ReadonlySet<string> | 'all'>(named);
    for (const key of JSON.parse(labelKeys) as string[]) values.set(key, 'all');
    lastValues = { named, labelKeys, values: { values, key: valuesKey(values) } };
  }
  return lastValues.values;
}

/** The last selector values made, with what they were made from. */
let lastValues:
  | {
      readonly named: ReadonlyMap<string, ReadonlySet<string>>;
      readonly labelKeys: string;
      readonly values: SelectorValues;
    }
  | undefined;

/** The last union of pod selector values made, with the policies it was made of. */
let lastUnion:
  | {
      readonly policies: ReadonlySet<CompiledPolicy>;
      readonly values: ReadonlyMap<string, ReadonlySet<string>>;
    }
  | undefined;

/**
 * Per label key that the policies' pod selectors (podSelector, pod peers) read, the values they name: the same map as
 * last call while those values are the same.
 */
export function podSelectorValues(
  policies: readonly CompiledPolicy[],
): ReadonlyMap<string, ReadonlySet<string>> {
  const now = new Set(policies);
  const last = lastUnion;
  if (last !== undefined) {
    // An edit reloads its file, whose policies come back as new objects naming what they named before: when the
    // policies that came and went read the same requirements, the union is the last one.
    const came = policies.filter((p) => !last.policies.has(p));
    const went = [...last.policies].filter((p) => !now.has(p));
    if (
      came.length + went.length <= policies.length &&
      sameTexts(came.map(requirementsText), went.map(requirementsText))
    ) {
      lastUnion = { policies: now, values: last.values };
      return last.values;
    }
  }
  const values = new Map<string, Set<string>>();
  for (const policy of policies) {
    for (const requirement of requirementsOf(policy)) {
      let named = values.get(requirement.key);
      if (named === undefined) values.set(requirement.key, (named = new Set()));
      for (const value of requirement.values) named.add(value);
    }
  }
  // A policy edit seldom changes what selectors name: the same map then, so that what is kept with it holds.
  const kept = last !== undefined && sameValues(last.values, values) ? last.values : values;
  lastUnion = { policies: now, values: kept };
  return kept;
}

/** A policy's selector requirements as text, key and values (what the union reads), kept with the policy. */
function requirementsText(policy: CompiledPolicy): string {
  let text = requirementTexts.get(policy);
  if (text === undefined) {
    text = JSON.stringify(requirementsOf(policy).map((r) => [r.key, r.values]));
    requirementTexts.set(policy, text);
  }
  return text;
}

const requirementTexts = new WeakMap<CompiledPolicy, string>();

/** Equal as multisets. */
function sameTexts(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  a.sort();
  b.sort();
  return a.every((text, k) => text === b[k]);
}

/** The requirements of a policy's pod selectors (podSelector, pod peers of every rule), kept with the policy. */
function requirementsOf(policy: CompiledPolicy): readonly Requirement[] {
  let requirements = policyRequirements.get(policy);
  if (requirements === undefined) {
    const found: Requirement[] = [];
    const read = (selector: Selector) => {
      if (selector.kind === 'requirements') found.push(...selector.requirements);
    };
    read(policy.podSelector);
    // Rules of a direction policyTypes leaves out too: a plugin may apply them (Weave), and they then tell apart what
    // they name. Elsewhere they only split classes that agree anyway.
    for (const rules of [policy.ingress?.rules, policy.egress?.rules, policy.inactiveRules]) {
      for (const rule of rules ?? []) {
        if (rule.peers.kind !== 'list') continue;
        for (const peer of rule.peers.peers) if (peer.kind === 'pods') read(peer.pods);
      }
    }
    policyRequirements.set(policy, (requirements = found));
  }
  return requirements;
}

const policyRequirements = new WeakMap<CompiledPolicy, readonly Requirement[]>();

function sameValues(
  a: ReadonlyMap<string, ReadonlySet<string>>,
  b: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [key, values] of a) {
    const other = b.get(key);
    if (other === undefined || other.size !== values.size) return false;
    for (const value of values) if (!other.has(value)) return false;
  }
  return true;
}

/** The values as text, keys and values sorted (the same string as last time when equal: see KeptText). */
function valuesKey(values: KeyValues): string {
  return keptValuesKey.of(
    JSON.stringify(
      [...values]
        .map(([key, named]) => [key, named === 'all' ? 'all' : [...named].sort()])
        .sort((a, b) => compareText(a[0] as string, b[0] as string)),
    ),
  );
}

const keptValuesKey = new KeptText();

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The workload's labels on the keys selectors read, sorted by key, with unnamed values as `*`. */
function distinguishingLabels(labels: Labels, values: KeyValues): Labels {
  const keys: string[] = [];
  // A workload carries a few labels where selectors may read hundreds of keys: look its own labels up.
  for (const key in labels) if (values.has(key)) keys.push(key);
  const distinguishing: Record<string, string> = {};
  for (const key of sortTexts(keys)) {
    const named = values.get(key)!;
    const value = labels[key]!;
    distinguishing[key] = named === 'all' || named.has(value) ? value : '*';
  }
  return distinguishing;
}

/** No address range: what every workload without a pod IP has. */
const NO_RANGES: readonly number[] = [];

/** The indices of the ranges holding the workload's addresses, sorted and distinct. */
function rangesHolding(workload: Workload, ranges: readonly IpRange[]): readonly number[] {
  if (workload.addresses.length === 0) return NO_RANGES;
  const indices = new Set<number>();
  for (const address of workload.addresses) {
    const index = ranges.findIndex(
      (r) => r.family === address.family && r.start <= address.value && address.value <= r.end,
    );
    if (index >= 0) indices.add(index);
  }
  return [...indices].sort((a, b) => a - b);
}

/** The named ports of a pod: a workload's, or a pod's the input holds in part (the service layer's parties). */
export function namedPortTable(pod: Pick<Workload, 'ports'>): NamedPortTable {
  return {
    lookup(name: string, protocol: PortProtocol): readonly number[] {
      return pod.ports.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port);
    },
  };
}
