// Three-valued policy matching for path ends the manifests hold only in part (a virtual cluster DNS or ingress
// controller, any pod of another namespace), and the tier walk that gives what such a side surely and possibly allows.
import { NAMESPACE_NAME_LABEL, podAddressFamilies, type ContainerPort } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { holdsUnknownAddress, type AddressBlock, type IpRange } from '../semantics/ip.js';
import {
  requirementHolds,
  selectorMatches,
  type Labels,
  type Requirement,
  type Selector,
} from '../semantics/label-selector.js';
import {
  resolvePorts,
  type CompiledPolicy,
  type Direction,
  type NamedPortTable,
  type Peer,
  type PolicyRule,
} from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { namedPortTable } from './classes.js';
import { inactiveRulesOf, type ConnectivityResult, type RuleContribution } from './connectivity.js';
import type { Endpoint, ExternalEndpoint, WorkloadEndpoint } from './endpoints.js';

/** Whether a policy's selector or a rule's peer holds for a party: surely, surely not, or depending on what is not known. */
export type Truth = boolean | 'maybe';

export function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : 'maybe';
}

export function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : 'maybe';
}

export function not3(a: Truth): Truth {
  return a === 'maybe' ? a : !a;
}

/** Kleene conjunction and disjunction of a list (true, and false, for an empty one). */
export function every3<T>(items: readonly T[], truth: (item: T) => Truth): Truth {
  let result: Truth = true;
  for (const item of items) {
    result = and3(result, truth(item));
    if (result === false) return false;
  }
  return result;
}

export function some3<T>(items: readonly T[], truth: (item: T) => Truth): Truth {
  let result: Truth = false;
  for (const item of items) {
    result = or3(result, truth(item));
    if (result === true) return true;
  }
  return result;
}

/** A label set known whole, or in part. */
export interface PartialLabels {
  /** Keys known to be present, with their values. */
  readonly known: Labels;
  /** Keys known to be present whose value is not known, except that it is none of these. */
  readonly present: Readonly<Record<string, readonly string[]>>;
  /** Whether a key in neither list may be present (with any value); false: it is absent. */
  readonly open: (key: string) => boolean;
}

const CLOSED = (): boolean => false;
const OPEN = (): boolean => true;

export function exactLabels(labels: Labels): PartialLabels {
  return { known: labels, present: {}, open: CLOSED };
}

export const UNKNOWN_LABELS: PartialLabels = { known: {}, present: {}, open: OPEN };

/** What is known of one key: its value, that it is absent, that it is present with a value none of `not`, or nothing. */
export type LabelState =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly not: readonly string[] }
  | { readonly kind: 'unknown' };

const ABSENT: LabelState = { kind: 'absent' };
const UNKNOWN: LabelState = { kind: 'unknown' };

export function labelState(labels: PartialLabels, key: string): LabelState {
  if (Object.hasOwn(labels.known, key)) return { kind: 'value', value: labels.known[key]! };
  if (Object.hasOwn(labels.present, key)) return { kind: 'present', not: labels.present[key]! };
  return labels.open(key) ? UNKNOWN : ABSENT;
}

/**
 * Whether a label set with a key whose value is unknown matches `In values`: surely not when every value is excluded (or
 * there is none), else maybe. `NotIn`, `!=` and `not in` are its negation.
 */
export function membershipTruth(state: LabelState, values: readonly string[]): Truth {
  switch (state.kind) {
    case 'value':
      return values.includes(state.value);
    case 'absent':
      return false;
    case 'present':
      return values.every((v) => state.not.includes(v)) ? false : 'maybe';
    case 'unknown':
      return values.length === 0 ? false : 'maybe';
  }
}

/** Whether the key is present: surely, surely not, or maybe. */
export function presenceTruth(state: LabelState): Truth {
  return state.kind === 'unknown' ? 'maybe' : state.kind !== 'absent';
}

function requirementTruth(requirement: Requirement, labels: PartialLabels): Truth {
  const state = labelState(labels, requirement.key);
  // A known value or absence decides as for any label set.
  if (state.kind === 'value') return requirementHolds(requirement, { [requirement.key]: state.value });
  if (state.kind === 'absent') return requirementHolds(requirement, {});
  switch (requirement.operator) {
    case 'In':
      return membershipTruth(state, requirement.values);
    case 'NotIn':
      return not3(membershipTruth(state, requirement.values));
    case 'Exists':
      return presenceTruth(state);
    case 'DoesNotExist':
      return not3(presenceTruth(state));
  }
}

/** A Kubernetes label selector over labels known in part (semantics point 5: NotIn and DoesNotExist hold without the key). */
export function selectorTruth(selector: Selector, labels: PartialLabels): Truth {
  if (selector.kind === 'everything') return true;
  if (labels.open === CLOSED && Object.keys(labels.present).length === 0)
    return selectorMatches(selector, labels.known);
  return every3(selector.requirements, (r) => requirementTruth(r, labels));
}

/**
 * A pod the input does not hold. Its namespace is known, or unknown (then possibly known not to be some), its labels may
 * be unknown, and its service account and address are (an address as a pod template's: only blocks covering a whole
 * address family surely hold it, holdsUnknownAddress). It never runs on the host network.
 */
export interface PartialPod {
  readonly kind: 'partial';
  /** Names the pod in memo keys: equal for pods known alike. */
  readonly id: string;
  readonly namespace: string | undefined;
  /** Namespaces it is known not to run in, when its namespace is unknown. */
  readonly notIn: readonly string[];
  /** Its namespace's labels, `kubernetes.io/metadata.name` included. */
  readonly namespaceLabels: PartialLabels;
  readonly labels: PartialLabels;
  /** Its container ports, for named ports of rules toward it. */
  readonly ports: readonly ContainerPort[];
}

/** One end of a side: an endpoint of the engine, or a pod known in part. */
export type Party = Endpoint | PartialPod;

/** The labels of a namespace known only as not one of `notIn`: its name label is there, with another value. */
export function unknownNamespaceLabels(notIn: readonly string[]): PartialLabels {
  return { known: {}, present: { [NAMESPACE_NAME_LABEL]: notIn }, open: OPEN };
}

/** Whether a party runs in a namespace: surely, surely not, or maybe (a pod whose namespace is unknown). */
export function inNamespace(party: PartialPod, namespace: string): Truth {
  if (party.namespace !== undefined) return party.namespace === namespace;
  return party.notIn.includes(namespace) ? false : 'maybe';
}

/** The named ports of a destination party, for rules naming ports (none for an address outside the cluster). */
export function portTableOf(party: Party): NamedPortTable | undefined {
  if (party.kind === 'external') return undefined;
  return namedPortTable(party.kind === 'workload' ? party.workload : party);
}

/** Where a step comes from, for explanations. */
export interface StepOrigin {
  /** The policy's id (`namespace/name`, `Kind/name`, ...). */
  readonly policy: string;
  /** The rule's index in its policy's direction. */
  readonly rule: number;
  readonly location: SourceLocation;
}

/** A rule in a tier: what it surely decides for the pair (its peer surely matches), and what it may decide. */
export interface UncertainStep {
  readonly action: 'allow' | 'deny' | 'pass' | 'log';
  readonly sure: ConnectionSet;
  /** A superset of `sure`. */
  readonly possible: ConnectionSet;
  readonly origin: StepOrigin;
}

/** A rule's step where its peers may match the pair (`truth` not false): it surely decides its connections only where they surely match. */
export function uncertainStep(
  action: UncertainStep['action'],
  truth: Truth,
  connections: ConnectionSet,
  policy: string,
  rule: { readonly index: number; readonly location: SourceLocation },
): UncertainStep {
  return {
    action,
    sure: truth === true ? connections : ConnectionSet.NONE,
    possible: connections,
    origin: { policy, rule: rule.index, location: rule.location },
  };
}

/** A tier that applies to the subject: first-match steps, then its default for what none decided. */
export interface UncertainTier {
  readonly name: string;
  /** What no step decides: passed on (true) or dropped. */
  readonly defaultPass: boolean;
  /** The tier's policies that apply to the subject (what makes a dropping default theirs). */
  readonly policies: readonly { readonly id: string; readonly location: SourceLocation }[];
  readonly steps: readonly UncertainStep[];
}

/** A step, or a tier's default, that decided (or may have decided) some connections. */
export interface PartyDecision {
  readonly tier: string;
  /** Undefined for a tier's default. */
  readonly origin: StepOrigin | undefined;
  readonly action: UncertainStep['action'] | 'end-of-tier-deny' | 'end-of-tier-pass';
  readonly connections: ConnectionSet;
  /** False when it decides them only if the party is what it may be (its rule may or may not match it). */
  readonly certain: boolean;
  /** A tier's default: the tier's policies that apply to the subject. */
  readonly policies?: UncertainTier['policies'];
}

export interface PartyVerdict {
  /** What the side allows wherever the party runs and whatever its labels. */
  readonly sure: ConnectionSet;
  /** What it allows for some placement of the party: a superset of `sure`. */
  readonly possible: ConnectionSet;
  readonly decisions: readonly PartyDecision[];
}

/**
 * Tiers in order, first match in each; what a tier leaves undecided meets its default; what every tier passed is
 * allowed. A step whose rule may match the party decides its connections in some placements and leaves them to the
 * next step in the others, so each connection is followed through every outcome it may have: it is surely allowed when
 * every outcome allows it, possibly when some does. (Placements are not tied across steps: the two bounds are sound,
 * and exact when every step surely matches or surely does not.)
 */
export function foldUncertain(tiers: readonly UncertainTier[]): PartyVerdict {
  // Connections undecided in some outcome, and those some outcome allows or refuses.
  let undecided = ConnectionSet.ALL;
  let allowed = ConnectionSet.NONE;
  let refused = ConnectionSet.NONE;
  // Connections undecided in every outcome: a decision on them alone is certain.
  let surelyUndecided = ConnectionSet.ALL;
  const decisions: PartyDecision[] = [];
  for (const tier of tiers) {
    if (undecided.isEmpty) break;
    let passed = ConnectionSet.NONE;
    let surelyPassed = ConnectionSet.NONE;
    for (const step of tier.steps) {
      const reached = step.possible.intersect(undecided);
      if (reached.isEmpty) continue;
      const surely = step.sure.intersect(surelyUndecided);
      decisions.push({
        tier: tier.name,
        origin: step.origin,
        action: step.action,
        connections: reached,
        certain: reached.subtract(surely).isEmpty,
      });
      if (step.action === 'log') continue;
      if (step.action === 'allow') allowed = allowed.union(reached);
      else if (step.action === 'deny') refused = refused.union(reached);
      else {
        passed = passed.union(reached);
        surelyPassed = surelyPassed.union(surely);
      }
      undecided = undecided.subtract(step.sure);
      surelyUndecided = surelyUndecided.subtract(step.possible);
    }
    if (!undecided.isEmpty) {
      decisions.push({
        tier: tier.name,
        origin: undefined,
        action: tier.defaultPass ? 'end-of-tier-pass' : 'end-of-tier-deny',
        connections: undecided,
        certain: undecided.subtract(surelyUndecided).isEmpty,
        policies: tier.policies,
      });
      if (tier.defaultPass) {
        passed = passed.union(undecided);
        surelyPassed = surelyPassed.union(surelyUndecided);
      } else refused = refused.union(undecided);
    }
    undecided = passed;
    surelyUndecided = surelyPassed;
  }
  allowed = allowed.union(undecided);
  return { sure: allowed.subtract(refused), possible: allowed, decisions };
}

/** How the network plugin enforces NetworkPolicies (its profile's capabilities), as the engine was told. */
export interface NetworkPolicyEnforcement {
  /** ipBlocks match pod addresses: a pod whose address is unknown is held by blocks covering its whole family. */
  readonly ipBlocksMatchPods: boolean;
  /** The rules of a direction a policy's policyTypes leaves out still allow, where another policy isolates. */
  readonly inactiveRulesAllow: boolean;
}

/**
 * NetworkPolicies over parties: which select a subject and what their rules allow with a peer, three-valued where a
 * party is a pod known in part. Endpoints of the engine are matched by the engine itself (peersMatchedBy), so the
 * answer for them is the engine's.
 */
export class NetworkPolicyParties {
  private readonly matched = new Map<PolicyRule, ReadonlySet<Endpoint>>();
  private readonly endpointOf: ReadonlyMap<object, Endpoint>;
  private readonly selectedPartial = new Map<PartialPod, readonly CompiledPolicy[]>();

  constructor(
    readonly result: ConnectivityResult,
    private readonly enforcement: NetworkPolicyEnforcement,
  ) {
    this.endpointOf = new Map<object, Endpoint>([
      ...result.workloads.map((e): [object, Endpoint] => [e.workload, e]),
      ...result.externals.map((e): [object, Endpoint] => [e, e]),
    ]);
  }

  /**
   * The policies selecting the subject for a direction (semantics point 2). A pod known in part is selected only by the
   * policies that surely select it: none when its namespace is unknown (no policy of the input is known to select it).
   */
  selecting(direction: Direction, subject: WorkloadEndpoint | PartialPod): readonly CompiledPolicy[] {
    if (subject.kind === 'workload') return this.result.policiesSelecting(subject.workload)[direction];
    return this.inNamespaceSelecting(subject, (p) => p[direction] !== undefined);
  }

  /** The steps of some rules of one policy for the pair: each allows what its ports cover where its peers match. */
  steps(
    policy: CompiledPolicy,
    rules: readonly PolicyRule[],
    direction: Direction,
    subject: Party,
    peer: Party,
  ): UncertainStep[] {
    return this.matches(rules, direction, subject, peer).map(({ rule, truth, connections }) =>
      uncertainStep('allow', truth, connections, policy.id, rule),
    );
  }

  /**
   * The NetworkPolicies' tier for a side: their allow rules, dropping the rest; undefined when none isolates the subject.
   * With inactiveRulesAllow, the rules of directions left out by policyTypes of the policies selecting it allow too.
   */
  tier(direction: Direction, subject: WorkloadEndpoint | PartialPod, peer: Party): UncertainTier | undefined {
    const isolating = this.selecting(direction, subject);
    if (isolating.length === 0) return undefined;
    return {
      name: 'NetworkPolicy',
      defaultPass: false,
      policies: isolating,
      steps: this.sources(direction, subject, isolating).flatMap(({ policy, rules }) =>
        this.steps(policy, rules, direction, subject, peer),
      ),
    };
  }

  /** The rules of the side's tier that surely match the peer, with what they allow (the engine's allowedBy). */
  contributions(
    direction: Direction,
    subject: WorkloadEndpoint | PartialPod,
    peer: Party,
  ): RuleContribution[] {
    const isolating = this.selecting(direction, subject);
    return this.sources(direction, subject, isolating).flatMap(({ policy, rules }) =>
      this.matches(rules, direction, subject, peer).flatMap(({ rule, truth, connections }) =>
        truth === true ? [{ policy, rule, connections }] : [],
      ),
    );
  }

  /** The policies and rules of the side's tier: the isolating policies' rules, then the inactive ones that allow. */
  private sources(
    direction: Direction,
    subject: WorkloadEndpoint | PartialPod,
    isolating: readonly CompiledPolicy[],
  ): { readonly policy: CompiledPolicy; readonly rules: readonly PolicyRule[] }[] {
    const sources = isolating.map((policy) => ({ policy, rules: policy[direction]!.rules }));
    if (isolating.length === 0 || !this.enforcement.inactiveRulesAllow) return sources;
    for (const policy of this.inactiveSelecting(direction, subject))
      sources.push({ policy, rules: inactiveRulesOf(policy, direction) });
    return sources;
  }

  /** The rules whose peers may match the party, with what their ports cover toward the destination. */
  private matches(
    rules: readonly PolicyRule[],
    direction: Direction,
    subject: Party,
    peer: Party,
  ): { rule: PolicyRule; truth: Truth; connections: ConnectionSet }[] {
    // Semantics point 6: named ports resolve on the destination, the subject for ingress and the peer for egress.
    const table = portTableOf(direction === 'ingress' ? subject : peer);
    return rules.flatMap((rule) => {
      const truth = this.ruleTruth(rule, peer);
      return truth === false ? [] : [{ rule, truth, connections: resolvePorts(rule.ports, table) }];
    });
  }

  /** Whether a rule's from/to matches a party: the engine's answer for its endpoints, three-valued for a pod known in part. */
  ruleTruth(rule: PolicyRule, party: Party): Truth {
    if (party.kind !== 'partial') {
      let matched = this.matched.get(rule);
      if (matched === undefined)
        this.matched.set(rule, (matched = new Set(this.result.peersMatchedBy(rule))));
      const endpoint = this.endpointOf.get(party.kind === 'workload' ? party.workload : party);
      return endpoint !== undefined && matched.has(endpoint);
    }
    if (rule.peers.kind === 'any') return true;
    const blocks: AddressBlock[] = [];
    let truth: Truth = false;
    for (const peer of rule.peers.peers) {
      if (peer.kind === 'ipBlock') blocks.push({ ranges: [peer.cidr], excluded: peer.except });
      else truth = or3(truth, peerTruth(peer, party));
    }
    // Where ipBlocks match pods, only blocks covering the whole family surely hold an address not known, as in the engine.
    if (
      blocks.length > 0 &&
      this.enforcement.ipBlocksMatchPods &&
      holdsUnknownAddress(blocks, podAddressFamilies(this.result.model))
    )
      return true;
    return truth;
  }

  /** Policies selecting the subject whose rules of `direction`, left out by their policyTypes, still allow. */
  private inactiveSelecting(
    direction: Direction,
    subject: WorkloadEndpoint | PartialPod,
  ): readonly CompiledPolicy[] {
    const has = (p: CompiledPolicy) => inactiveRulesOf(p, direction).length > 0;
    if (subject.kind === 'partial') return this.inNamespaceSelecting(subject, has);
    const { workload } = subject;
    return this.result.model.policies.filter(
      (p) => p.namespace === workload.namespace && has(p) && selectorMatches(p.podSelector, workload.labels),
    );
  }

  /** The policies of a pod's namespace whose podSelector surely selects it, filtered (found once per pod). */
  private inNamespaceSelecting(
    subject: PartialPod,
    wanted: (policy: CompiledPolicy) => boolean,
  ): readonly CompiledPolicy[] {
    let selected = this.selectedPartial.get(subject);
    if (selected === undefined) {
      const { namespace } = subject;
      selected =
        namespace === undefined
          ? []
          : this.result.model.policies.filter(
              (p) => p.namespace === namespace && selectorTruth(p.podSelector, subject.labels) === true,
            );
      this.selectedPartial.set(subject, selected);
    }
    return selected.filter(wanted);
  }
}

/** Whether a pod peer (namespace part AND pod part, semantics point 4) matches a pod known in part. */
export function peerTruth(peer: Extract<Peer, { kind: 'pods' }>, party: PartialPod): Truth {
  const namespace =
    peer.namespaces.kind === 'policy-namespace'
      ? inNamespace(party, peer.namespaces.namespace)
      : selectorTruth(peer.namespaces.selector, party.namespaceLabels);
  return and3(namespace, selectorTruth(peer.pods, party.labels));
}

/** The external ranges joined where adjacent, in address order. */
export function joinRanges(ranges: readonly ExternalEndpoint[]): IpRange[] {
  const joined: IpRange[] = [];
  for (const { range } of ranges) {
    const last = joined.at(-1);
    if (last !== undefined && last.family === range.family && last.end + 1n === range.start)
      joined[joined.length - 1] = { ...last, end: range.end };
    else joined.push(range);
  }
  return joined;
}
