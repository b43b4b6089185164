// Reachability under Calico: tiers in order, policies in order inside a tier, first-match rules with Allow, Deny,
// Pass and Log, each tier's default action, and the namespace profile (allow) after the last tier. Kubernetes
// NetworkPolicies sit in the default tier at order 1000, admin policies in the kube-admin and kube-baseline tiers.
// Sources: docs.tigera.io reference/resources/tier ("How policy is evaluated"), felix/calc/policy_sorter.go,
// libcalico-go/lib/backend/k8s/conversion/conversion.go (K8s policies at order 1000; endpoint and profile labels).
import { AdminConnectivityResult, adminRuleStep } from '../admin/evaluate.js';
import { adminRuleSteps, adminSubjectSelects } from '../admin/party.js';
import { LayeredResult } from '../admin/layered.js';
import type { FoldSide, FoldTier } from '../admin/tier-fold.js';
import { adminCidrs, type AdminPolicy } from '../admin/compile.js';
import { pairVerdict, type ConnectivityResult, type PairExplanation, type SideDenial, type SideVerdict } from '../engine/connectivity.js';
import { workloadEndpoint, type Endpoint, type WorkloadEndpoint } from '../engine/endpoints.js';
import { namedPortTable, type WorkloadClass } from '../engine/classes.js';
import {
  and3,
  exactLabels,
  inNamespace,
  not3,
  or3,
  portTableOf,
  selectorTruth,
  uncertainStep,
  type NetworkPolicyParties,
  type PartialLabels,
  type PartialPod,
  type Party,
  type Truth,
  type UncertainStep,
  type UncertainTier,
} from '../engine/party.js';
import { podAddressFamilies, type PodAddress, type Workload } from '../model/cluster.js';
import { endpointWorkload, resolveTargetPort } from '../model/services.js';
import { calicoSelectorMatches, type CalicoSelector } from '../semantics/calico-selector.js';
import { ConnectionSet, type PortProtocol } from '../semantics/connection-set.js';
import { holdsUnknownAddress, rangeContains, type Cidr, type IpFamily, type IpRange } from '../semantics/ip.js';
import { compileSelector, selectorMatches, type Labels } from '../semantics/label-selector.js';
import type { CompiledPolicy, Direction, NamedPortTable } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { calicoTruth, mergeLabels, prefixedLabels } from './party.js';
import {
  byOrderThenName,
  matchedWrittenServices,
  serviceKey,
  sortKey,
  type CalicoEntity,
  type CalicoNetworkSet,
  type CalicoPolicies,
  type CalicoPolicy,
  type CalicoPortMatch,
  type CalicoRuleIR,
  type CalicoService,
  type CalicoServiceMatch,
  type CalicoTierIR,
  type EntitySelection,
} from './compile.js';

/**
 * Sides whose stages applicableStages finds by testing each policy, before it finds every policy's classes at once:
 * at most this many, and an eighth of the classes (so that small inputs, as the property tests make, take both ways).
 */
const DIRECT_SUBJECTS = 256;

/** Labels Calico puts on every workload endpoint (conversion.go; docs: "Calico automatic labels"). */
const NAMESPACE_LABEL = 'projectcalico.org/namespace';
const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** The name label Calico adds to namespace and service account profiles. */
const NAME_LABEL = 'projectcalico.org/name';
/** Profile labels endpoints inherit: the namespace's as `pcns.<key>`, the service account's as `pcsa.<key>`. */
const NAMESPACE_PREFIX = 'pcns.';
const SERVICE_ACCOUNT_PREFIX = 'pcsa.';

export type CalicoStepAction = 'allow' | 'deny' | 'pass' | 'log' | 'end-of-tier-deny' | 'end-of-tier-pass';

/** Who decided: a Calico policy, a Kubernetes NetworkPolicy (default tier, order 1000), or an admin policy. */
export interface CalicoStepPolicy {
  readonly kind: 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'KubernetesNetworkPolicy' | AdminPolicy['kind'];
  readonly id: string;
  readonly name: string;
  readonly location: SourceLocation;
}

/** One decision on a side: a rule that matched first (or logged), or a tier's default action. */
export interface CalicoStep {
  readonly tier: string;
  readonly policy: CalicoStepPolicy | undefined;
  /** The rule, as `direction` and index in its policy; undefined for a tier's default action. */
  readonly rule: { readonly index: number; readonly location: SourceLocation } | undefined;
  readonly action: CalicoStepAction;
  readonly connections: ConnectionSet;
  /** A tier's default action: the tier's policies that apply to the subject, in order (what made the tier see it). */
  readonly tierPolicies?: readonly CalicoStepPolicy[];
}

export interface CalicoChain {
  /** In evaluation order. */
  readonly steps: readonly CalicoStep[];
  /** What every applicable tier passed (or no tier applied to): the namespace profile allows it. */
  readonly profileAllowed: ConnectionSet;
}

export type CalicoSideVerdict = SideVerdict & {
  readonly calicoChain?: CalicoChain;
  readonly networkPolicyConnections?: ConnectionSet;
};

export interface CalicoPairExplanation extends PairExplanation {
  readonly egress: CalicoSideVerdict;
  readonly ingress: CalicoSideVerdict;
}

/** What selectors see of an endpoint or network set (Felix matches selectors against these). */
interface SelectorView {
  readonly labels: Labels;
  /** undefined for objects outside any namespace (GlobalNetworkSets). */
  readonly namespace: string | undefined;
  readonly namespaceLabels: Labels;
  readonly serviceAccount: string | undefined;
  readonly serviceAccountLabels: Labels;
}

/** What selectors see of a pod known in part: SelectorView's labels, three-valued. */
interface PartialView {
  readonly labels: PartialLabels;
  /** The namespace's, for namespaceSelector (with `projectcalico.org/namespace`, as namespaceSelectorMatches reads them). */
  readonly namespaceLabels: PartialLabels;
  readonly serviceAccountLabels: PartialLabels;
}

/** A namespace and service account's profile labels, and both prefixed as a workload endpoint inherits them. */
interface Profile {
  readonly namespaceLabels: Labels;
  readonly serviceAccountLabels: Labels;
  readonly prefixed: Labels;
}

/** An interned list of stages (a class's, for a direction), and what is found once per list. */
interface StageList {
  readonly stages: readonly Stage[];
  /** Every stage's steps are the same for every subject (subjectFree): the list compiles to one side. */
  readonly free: boolean;
  readonly next: Map<Stage, StageList>;
  readonly hasKubernetes: boolean;
  /**
   * What a free list compiles as: the list with its Kubernetes stages, which compile to one block step of the default
   * tier (the fold tells blocks apart by the class's NetworkPolicy table), replaced by one stand-in where the first
   * was. Lists of classes with different NetworkPolicies and the same Calico and admin policies share a skeleton.
   */
  skeleton: StageList;
  /** The side compiled for a skeleton, once asked. */
  side: FoldSide | null | undefined;
  /** What sideDenials reads of the list (droppingStages), once asked. */
  dropping: { readonly dropping: readonly Stage[]; readonly deciding: readonly CalicoRuleIR[] | null } | undefined;
}

/** A list not yet in the trie: its skeleton is set as it is put there (CalicoConnectivityResult.stageChild). */
function stageList(stages: readonly Stage[], free: boolean, hasKubernetes: boolean): StageList {
  return { stages, free, next: new Map(), hasKubernetes, skeleton: undefined as unknown as StageList, side: undefined, dropping: undefined };
}

/** What a stage is made of, for the fast path: its Calico or admin policy, or the Kubernetes policy it stands for. */
type StageSource =
  | { readonly kind: 'calico'; readonly policy: CalicoPolicy }
  | { readonly kind: 'kubernetes'; readonly policy: CompiledPolicy }
  | { readonly kind: 'admin'; readonly policy: AdminPolicy };

interface StageIndex {
  readonly position: Map<Stage, number>;
  readonly kubernetes: Map<CompiledPolicy, Stage>;
  /** Global Calico and admin stages that have the direction. */
  readonly othersWith: (direction: Direction) => readonly Stage[];
  /** Namespaced Calico stages by namespace. */
  readonly namespaced: Map<string, Stage[]>;
}

interface Stage {
  readonly source: StageSource;
  readonly tier: CalicoTierIR;
  /** Felix's sort key inside the tier. */
  readonly key: { readonly name: string; readonly order: number | undefined };
  readonly policy: CalicoStepPolicy;
  /** The rules' matches against one pair, in rule order. */
  readonly rules: (
    direction: Direction,
    subject: Endpoint,
    peer: Endpoint,
    base: SideVerdict,
  ) => readonly CalicoRuleMatch[];
  /**
   * Calico and admin stages: whether the policy has the direction, and the indices of the classes it applies to
   * (computed once). The Kubernetes ones come from the engine's own selection (applicableStages).
   */
  readonly applies?: {
    readonly has: (direction: Direction) => boolean;
    readonly classes: () => ReadonlySet<number>;
    /** Whether it applies to one class, tested on its representative alone: `classes().has(index)`. */
    readonly to: (subject: WorkloadClass) => boolean;
  };
}

/** What one rule of an applied policy matches of a pair, toward the destination. */
export interface CalicoRuleMatch {
  readonly index: number;
  readonly location: SourceLocation;
  readonly action: 'allow' | 'deny' | 'pass' | 'log';
  readonly connections: ConnectionSet;
}

/**
 * The NetworkPolicy result under Calico's tiers. `allowed` and `explain` follow the tiers; external ranges are also cut
 * at every net of Calico rules and network sets (and admin policies' networks).
 */
export class CalicoConnectivityResult extends LayeredResult {
  private readonly stages: readonly Stage[];
  private stageIndex: StageIndex | undefined;
  /** The admin policies' own layer (for rules about admin policies), when the input has enforced ones. */
  readonly adminLayer: AdminConnectivityResult | undefined;
  private readonly namespaceLabels: ReadonlyMap<string, Labels>;
  /** Per direction and class index: the stages that apply (classes keep apart what any stage's selection reads). */
  private readonly applicable: Record<Direction, (readonly Stage[] | undefined)[]> = { ingress: [], egress: [] };
  /** Per direction, whether a stage's steps are the same for every subject (subjectFree). */
  private readonly freeStages: Record<Direction, Map<Stage, boolean>> = { ingress: new Map(), egress: new Map() };
  /** Per direction, the interned stage lists (applicableStages), as a trie from the empty list. */
  private readonly stageTrie: Record<Direction, StageList>;
  /** Each interned list's node. */
  private readonly stageLists = new Map<readonly Stage[], StageList>();
  private readonly podViews = new Map<Workload, SelectorView>();
  /** By `namespace/serviceAccount`: the profile labels its workloads inherit. */
  private readonly profiles = new Map<string, Profile>();
  private namespaceClasses: Map<string, number[]> | undefined;
  private labelKeyClasses: Map<string, number[]> | undefined;
  private addressedClasses: readonly number[] | undefined;
  private unknownAddressSets: readonly CalicoNetworkSet[] | undefined;
  /** By rule entity with nets or notNets: whether they surely hold an address not known yet (inEntityNets). */
  private readonly unknownAddressInNets = new WeakMap<CalicoEntity, boolean>();
  private standIn: Stage | undefined;
  /** By Service key: the endpoints its service matches see, each with the ports it serves (serviceEndpoints). */
  private readonly serviceEndpointsByKey = new Map<string, ServiceEndpoints>();
  /** Sides whose stages were found by testing each policy on the side's class (applicableStages). */
  private directSubjects = 0;
  /** By rule of one IP version, and subject families: the key of its bitmap for subjects of those families. */
  private readonly familyKeys = new Map<CalicoRuleIR, Map<string, object>>();
  private readonly partialViews = new Map<PartialPod, PartialView>();
  private readonly stagesOfPartial = new Map<PartialPod, Partial<Record<Direction, readonly Stage[]>>>();

  constructor(
    networkPolicies: ConnectivityResult,
    readonly calico: CalicoPolicies,
    /** Enforced admin policies, in evaluation order. */
    adminPolicies: readonly AdminPolicy[],
  ) {
    super(networkPolicies, [...adminCidrs(adminPolicies), ...calicoCidrs(calico)]);
    const model = networkPolicies.model;
    this.namespaceLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
    this.adminLayer =
      adminPolicies.length === 0 ? undefined : new AdminConnectivityResult(networkPolicies, adminPolicies);
    this.stages = this.buildStages(adminPolicies);
    this.stageTrie = { ingress: this.emptyStageList(), egress: this.emptyStageList() };
  }

  private emptyStageList(): StageList {
    const list = stageList([], true, false);
    list.skeleton = list;
    this.stageLists.set(list.stages, list);
    return list;
  }

  override explain(source: Endpoint, destination: Endpoint): CalicoPairExplanation {
    const base = this.networkPolicies.explain(this.toBase(source), this.toBase(destination));
    if (source.kind === 'external' && destination.kind === 'external')
      return { ...base, source, destination, connections: ConnectionSet.NONE };
    const egress = this.decideSide('egress', source, destination, base.egress);
    const ingress = this.decideSide('ingress', destination, source, base.ingress);
    return pairVerdict(source, destination, egress, ingress);
  }

  /**
   * The policies that apply to the subject for a direction, in evaluation order (tiers, then order), with what each of
   * their rules matches of the pair: what rules about Calico policies (shadowed-rule) reason on.
   */
  appliedPolicies(
    direction: Direction,
    subject: WorkloadEndpoint,
    peer: Endpoint,
  ): {
    readonly tier: string;
    readonly policy: CalicoStepPolicy;
    readonly rules: readonly CalicoRuleMatch[];
  }[] {
    if (subject.workload.hostNetwork) return [];
    const [source, destination] = direction === 'egress' ? [subject, peer] : [peer, subject];
    const base = this.networkPolicies.explain(this.toBase(source), this.toBase(destination))[direction];
    return this.applicableStages(direction, subject.workload).map((stage) => ({
      tier: stage.tier.name,
      policy: stage.policy,
      rules: stage.rules(direction, subject, peer, base),
    }));
  }

  /**
   * Whether some tier that drops what no rule decides (defaultAction Deny, the default tier included) applies to the
   * workload for the direction: Calico's counterpart of a NetworkPolicy isolating it.
   */
  override isolates(direction: Direction, workload: Workload): boolean {
    return (
      !workload.hostNetwork &&
      this.applicableStages(direction, workload).some((stage) => stage.tier.defaultAction === 'deny')
    );
  }

  /**
   * What keeps the side from allowing the rest: each Deny rule that decided some of it, and for what a tier's end
   * dropped, the tier's policies that apply to the subject (Kubernetes NetworkPolicies in the default tier).
   */
  override sideDenials(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): readonly SideDenial[] {
    if (subject.workload.hostNetwork) return [];
    const stages = this.applicableStages(direction, subject.workload);
    const { dropping, deciding } = this.droppingStages(direction, stages);
    const peerIndex = this.fold.peerIndex(peer);
    if (
      deciding !== null &&
      !deciding.some((rule) => this.peerBits(rule, direction, subject)[peerIndex] === 1)
    ) {
      // No rule that denies or passes matches the peer: what the side does not allow is dropped at the end of the
      // first tier that denies by default.
      const connections = ConnectionSet.ALL.subtract(this.sideAllowed(direction, subject, peer));
      if (connections.isEmpty) return [];
      return dropping.map(({ policy }) => ({ policy: policy.id, how: 'isolates', location: policy.location, connections }));
    }
    const base = this.networkPolicies.networkPolicySide(direction, subject, this.toBase(peer));
    const steps = this.decideSide(direction, subject, peer, base).calicoChain?.steps ?? [];
    const denials: SideDenial[] = [];
    for (const step of steps) {
      if (step.action === 'deny' && step.policy !== undefined && step.rule !== undefined)
        denials.push({ policy: step.policy.id, how: 'denies', location: step.rule.location, connections: step.connections });
      else if (step.action === 'end-of-tier-deny')
        for (const policy of step.tierPolicies ?? [])
          denials.push({ policy: policy.id, how: 'isolates', location: policy.location, connections: step.connections });
    }
    return denials;
  }

  /**
   * For a stage list: the stages of its first tier that denies by default, where everything the side does not allow
   * ends unless a rule denies or passes it first; and those Calico rules (null when an admin rule denies or passes:
   * the walk then tells).
   */
  private droppingStages(
    direction: Direction,
    stages: readonly Stage[],
  ): { readonly dropping: readonly Stage[]; readonly deciding: readonly CalicoRuleIR[] | null } {
    const list = this.stageLists.get(stages)!;
    if (list.dropping === undefined) {
      const tier = stages.find((stage) => stage.tier.defaultAction === 'deny')?.tier;
      let deciding: CalicoRuleIR[] | null = [];
      for (const { source } of stages) {
        if (source.kind === 'calico')
          deciding?.push(...source.policy[direction]!.filter((r) => !r.matchesNothing && (r.action === 'deny' || r.action === 'pass')));
        else if (source.kind === 'admin' && source.policy[direction].some((rule) => rule.action !== 'allow')) deciding = null;
      }
      list.dropping = { dropping: stages.filter((stage) => stage.tier === tier), deciding };
    }
    return list.dropping;
  }

  /** The subject class's compiled tiers (null where only the full walk is exact): what shadowed-rule walks. */
  compiledSide(direction: Direction, subject: WorkloadEndpoint): FoldSide | null {
    return subject.workload.hostNetwork ? null : this.fold.compiled(direction, subject);
  }

  /** The peer indices a compiled step's bitmap sets. */
  matchedPeers(bits: Uint8Array): readonly number[] {
    return this.fold.setBits(bits);
  }

  /** A peer's index in the compiled steps' bitmaps. */
  peerIndexOf(peer: Endpoint): number {
    return this.fold.peerIndex(peer);
  }

  /** Whether a Calico policy applies to a workload (hostNetwork pods are not workload endpoints: never). */
  policyApplies(policy: CalicoPolicy, workload: Workload): boolean {
    if (workload.hostNetwork || policy.hostEndpointsOnly) return false;
    const view = this.podView(workload);
    if (policy.namespace !== undefined && policy.namespace !== workload.namespace) return false;
    if (!calicoSelectorMatches(policy.applies.selector, view.labels)) return false;
    if (
      policy.applies.namespaceSelector !== undefined &&
      !namespaceSelectorMatches(policy.applies.namespaceSelector, view, 'policy')
    )
      return false;
    const sa = policy.applies.serviceAccountSelector;
    return (
      sa === undefined || calicoSelectorMatches(sa, view.serviceAccountLabels)
    );
  }

  /**
   * The classes a Calico policy applies to, in index order (a representative answers for its members: classes keep
   * apart what Calico selectors read). Only the classes that have every label key the selector requires are tested.
   */
  classesApplying(policy: CalicoPolicy): WorkloadClass[] {
    if (policy.hostEndpointsOnly) return [];
    let candidates: readonly number[] | undefined;
    if (policy.namespace !== undefined) candidates = this.classesByNamespace().get(policy.namespace) ?? [];
    else candidates = this.classesHavingAll(requiredKeys(policy.applies.selector));
    const tested = candidates === undefined ? this.classes : candidates.map((k) => this.classes[k]!);
    return tested.filter((c) => this.policyApplies(policy, c.representative));
  }

  /** Class indices by namespace. */
  private classesByNamespace(): Map<string, number[]> {
    if (this.namespaceClasses === undefined) {
      this.namespaceClasses = new Map();
      for (const c of this.classes) {
        const list = this.namespaceClasses.get(c.namespace);
        if (list === undefined) this.namespaceClasses.set(c.namespace, [c.index]);
        else list.push(c.index);
      }
    }
    return this.namespaceClasses;
  }

  /** Indices of the (workload endpoint) classes whose representative's selector labels have a key, by key. */
  private classesByLabelKey(): Map<string, number[]> {
    if (this.labelKeyClasses === undefined) {
      this.labelKeyClasses = new Map();
      for (const c of this.classes) {
        if (c.hostNetwork) continue;
        for (const key of Object.keys(this.podView(c.representative).labels)) {
          const list = this.labelKeyClasses.get(key);
          if (list === undefined) this.labelKeyClasses.set(key, [c.index]);
          else list.push(c.index);
        }
      }
    }
    return this.labelKeyClasses;
  }

  private classIndices(classes: readonly WorkloadClass[]): ReadonlySet<number> {
    return new Set(classes.map((c) => c.index));
  }

  /**
   * The subject's tiers as compiled steps: Calico and admin rules whose subject side matches (with a bitmap of the
   * peers their other side matches), and the Kubernetes policies of the default tier as one allow block (they only
   * allow, and sit together at order 1000). Null when a Calico policy of the default tier shares that order, since
   * names then interleave it with the Kubernetes ones: the full walk handles it.
   */
  protected compileSide(direction: Direction, subject: WorkloadEndpoint): FoldSide | null {
    const stages = this.applicableStages(direction, subject.workload);
    // Stages whose steps read nothing of the subject compile alike for every class they apply to: once per list
    // (lists are interned, so classes with the same stages hold the same one).
    const list = this.stageLists.get(stages)!;
    if (!list.free) return this.compileStages(direction, subject, stages);
    const { skeleton } = list;
    if (skeleton.side === undefined) skeleton.side = this.compileStages(direction, subject, skeleton.stages);
    return skeleton.side;
  }

  /**
   * Whether a stage's steps are the same for every subject it applies to: a Kubernetes policy's block (the fold keys
   * it by the class's table), and Calico and admin rules that read no selector, net or named port of the subject.
   */
  private subjectFree(stage: Stage, direction: Direction): boolean {
    const cache = this.freeStages[direction];
    let free = cache.get(stage);
    if (free === undefined) {
      const source = stage.source;
      // Named ports resolve on the destination: the subject for ingress.
      if (source.kind === 'kubernetes') free = true;
      else if (source.kind === 'admin')
        free = direction === 'egress' || source.policy.ingress.every((rule) => rule.ports === 'any' || rule.ports.every((p) => p.kind !== 'named'));
      else
        free = source.policy[direction]!.every((rule) => {
          if (rule.matchesNothing) return true;
          const entity = direction === 'ingress' ? rule.destination : rule.source;
          // A rule for one IP version reads the subject's address families.
          const readsSubject =
            rule.ipVersion !== undefined ||
            entity.services !== undefined ||
            entity.nets !== undefined ||
            entity.notNets !== undefined ||
            entity.selection.positive !== undefined ||
            entity.selection.notSelector !== undefined;
          return !readsSubject && (direction === 'egress' || !dependsOnDestination(rule));
        });
      cache.set(stage, free);
    }
    return free;
  }

  private compileStages(direction: Direction, subject: WorkloadEndpoint, stages: readonly Stage[]): FoldSide | null {
    const tiers: (FoldTier & { readonly tier: CalicoTierIR })[] = [];
    let peerDependent = false;
    let blockAdded = false;
    for (const stage of stages) {
      if (stage.source.kind === 'calico' && stage.tier.name === 'default' && stage.key.order === 1000)
        return null;
      let tier = tiers.at(-1);
      if (tier === undefined || tier.tier !== stage.tier) {
        tier = { tier: stage.tier, defaultPass: stage.tier.defaultAction === 'pass', steps: [] };
        tiers.push(tier);
      }
      const source = stage.source;
      if (source.kind === 'kubernetes') {
        if (!blockAdded) tier.steps.push({ kind: 'block' });
        blockAdded = true;
        continue;
      }
      if (source.kind === 'calico') {
        for (const rule of source.policy[direction]!) {
          if (rule.matchesNothing) continue;
          const subjectEntity = direction === 'ingress' ? rule.destination : rule.source;
          if (!this.entityMatches(subjectEntity, subject)) continue;
          // Named ports resolve on the destination: the subject for ingress, the peer for egress.
          const fixed = !dependsOnDestination(rule)
            ? this.fold.ruleConnections(rule, () => ruleProtocolConnections(rule, undefined))
            : direction === 'ingress'
              ? this.connectionsToward(rule, subject)
              : undefined;
          if (fixed === undefined) peerDependent = true;
          tier.steps.push({
            kind: 'rule',
            action: rule.action,
            origin: { policy: source.policy.id, index: rule.index },
            bits: this.peerBits(rule, direction, subject),
            fixed,
            perPeer:
              fixed === undefined
                ? (peer) => this.connectionsToward(rule, peer)
                : undefined,
          });
        }
        continue;
      }
      const admin = this.adminLayer!;
      for (const rule of source.policy[direction]) {
        const step = adminRuleStep(this.fold, admin, rule, direction, subject, { policy: source.policy.id, index: rule.index });
        if (step.fixed === undefined) peerDependent = true;
        tier.steps.push(step);
      }
    }
    return { tiers, peerDependent };
  }

  /**
   * The peer indices an entity may match (undefined: any). A workload without addresses is seen by selectors through
   * its own labels only (no network set holds it), so a selection scoped to the policy's namespace, or whose selector
   * requires a label key, can match only the classes of that namespace, or having that key; classes with addresses
   * and external ranges are tested too when some network set may hold their addresses.
   */
  private entityCandidates(entity: CalicoEntity): Iterable<number> | undefined {
    const positive = entity.selection.positive;
    if (positive === undefined) return undefined;
    let classes: readonly number[] | undefined;
    if (positive.namespace?.kind === 'own')
      classes = this.classesByNamespace().get(positive.namespace.namespace) ?? [];
    else if (positive.selector !== undefined)
      classes = this.classesHavingAll(requiredKeys(positive.selector));
    if (classes === undefined) return undefined;
    // Addresses are seen by selectors only through the network sets holding them: without any, a positive selection
    // matches workload endpoints alone. A set covering a whole family holds pods whose addresses are unknown: any peer.
    if (this.calico.networkSets.length === 0) return classes;
    if (this.setsHoldingUnknown().length > 0) return undefined;
    const externals = Array.from({ length: this.externals.length }, (_, k) => this.classes.length + k);
    return [...classes, ...this.classesWithAddresses(), ...externals];
  }

  /** The (workload endpoint) classes having the rarest of the keys; undefined without keys. */
  private classesHavingAll(keys: readonly string[]): readonly number[] | undefined {
    let candidates: readonly number[] | undefined;
    const index = this.classesByLabelKey();
    for (const key of keys) {
      const having = index.get(key) ?? [];
      if (candidates === undefined || having.length < candidates.length) candidates = having;
    }
    return candidates;
  }

  private classesWithAddresses(): readonly number[] {
    this.addressedClasses ??= this.classes
      .filter((c) => c.members.some((w) => w.addresses.length > 0))
      .map((c) => c.index);
    return this.addressedClasses;
  }

  /**
   * The peers (by index) a Calico rule's peer side matches for a subject (the source entity for ingress, the destination
   * for egress), found once per rule; for a rule of one IP version, once per address families of the subject, since
   * which of a pod peer's traffic is of that version depends on them.
   */
  private peerBits(rule: CalicoRuleIR, direction: Direction, subject: WorkloadEndpoint): Uint8Array {
    const entity = direction === 'ingress' ? rule.source : rule.destination;
    const candidates = () => this.entityCandidates(entity);
    const { ipVersion } = rule;
    if (ipVersion === undefined) return this.fold.bitsOf(rule, (peer) => this.entityMatches(entity, peer), candidates);
    const families = this.familiesOf(subject);
    return this.fold.bitsOf(
      this.familyKey(rule, families),
      (peer) => this.trafficOfVersion(ipVersion, families, peer) && this.entityMatches(entity, peer),
      candidates,
    );
  }

  /** One object per rule and subject families, to key the rule's bitmaps for subjects of those families. */
  private familyKey(rule: CalicoRuleIR, families: readonly IpFamily[]): object {
    let keys = this.familyKeys.get(rule);
    if (keys === undefined) this.familyKeys.set(rule, (keys = new Map()));
    const text = families.join(',');
    let key = keys.get(text);
    if (key === undefined) keys.set(text, (key = {}));
    return key;
  }

  /**
   * Whether the traffic between a subject of `subjectFamilies` and a peer is of one IP version (a rule's `ipVersion`
   * matches it): traffic with an external range is of the range's family (the matrix's IPv6 ranges stand for IPv6
   * traffic); between two pods, of the families both have, each pod having those of its known addresses, or else the
   * cluster's pod families (podAddressFamilies). A dual-stack pair's traffic is of both families, and verdicts have no
   * family: a rule of one version would decide part of that traffic only, so it is read as matching none of it, whatever
   * its action. Neither its Allow nor its Deny is then claimed for the other family's traffic, as a Deny on "the
   * internet" is not claimed for a pod template, whose address it may or may not hold.
   */
  private trafficOfVersion(ipVersion: IpFamily, subjectFamilies: readonly IpFamily[], peer: Party): boolean {
    if (peer.kind === 'external') return peer.range.family === ipVersion;
    const peerFamilies = this.familiesOf(peer);
    const shared = subjectFamilies.filter((family) => peerFamilies.includes(family));
    return shared.length === 1 && shared[0] === ipVersion;
  }

  /** The address families of an endpoint's traffic: an external range's, a pod's known addresses', else the cluster's. */
  private familiesOf(endpoint: Party): readonly IpFamily[] {
    if (endpoint.kind === 'external') return endpoint.range.family === 4 ? IPV4 : IPV6;
    if (endpoint.kind === 'partial') return podAddressFamilies(this.model);
    const { addresses } = endpoint.workload;
    if (addresses.length === 0) return podAddressFamilies(this.model);
    const v4 = addresses.some((a) => a.family === 4);
    const v6 = addresses.some((a) => a.family === 6);
    return v4 && v6 ? DUAL_STACK : v4 ? IPV4 : IPV6;
  }

  /**
   * One side: each tier with a policy that applies to the subject for this direction, in tier order; inside it,
   * policies in order and their rules first-match (Log records and goes on); what no rule decides meets the tier's
   * default action (Deny, or Pass to the next tier); what every tier passed, or no tier saw, goes to the namespace
   * profile, which allows it.
   */
  private decideSide(
    direction: Direction,
    subject: Endpoint,
    peer: Endpoint,
    base: SideVerdict,
  ): CalicoSideVerdict {
    // Not governed here: the NetworkPolicy result's verdict, about this result's endpoint (its ranges are finer).
    if (subject.kind === 'external' || subject.workload.hostNetwork) return { ...base, subject };
    const stages = this.applicableStages(direction, subject.workload);
    const steps: CalicoStep[] = [];
    let undecided = ConnectionSet.ALL;
    let allowed = ConnectionSet.NONE;
    for (let k = 0; k < stages.length && !undecided.isEmpty;) {
      const tier = stages[k]!.tier;
      let passed = ConnectionSet.NONE;
      const tierPolicies: CalicoStepPolicy[] = [];
      for (; k < stages.length && stages[k]!.tier === tier; k++) {
        const stage = stages[k]!;
        tierPolicies.push(stage.policy);
        for (const rule of stage.rules(direction, subject, peer, base)) {
          if (undecided.isEmpty) break;
          const decided = rule.connections.intersect(undecided);
          if (decided.isEmpty) continue;
          steps.push({
            tier: tier.name,
            policy: stage.policy,
            rule: { index: rule.index, location: rule.location },
            action: rule.action,
            connections: decided,
          });
          if (rule.action === 'log') continue;
          if (rule.action === 'allow') allowed = allowed.union(decided);
          else if (rule.action === 'pass') passed = passed.union(decided);
          undecided = undecided.subtract(decided);
        }
      }
      if (!undecided.isEmpty) {
        const action = tier.defaultAction === 'pass' ? 'end-of-tier-pass' : 'end-of-tier-deny';
        steps.push({ tier: tier.name, policy: undefined, rule: undefined, action, connections: undecided, tierPolicies });
        if (tier.defaultAction === 'pass') passed = passed.union(undecided);
      }
      undecided = passed;
    }
    const connections = allowed.union(undecided);
    return {
      ...base,
      connections,
      networkPolicyConnections: base.connections,
      calicoChain: { steps, profileAllowed: undecided },
    };
  }

  private applicableStages(direction: Direction, workload: Workload): readonly Stage[] {
    const subjectClass = this.classOfWorkload(workload);
    const lists = this.applicable[direction];
    let stages = lists[subjectClass.index];
    if (stages === undefined) {
      this.stageIndex ??= this.indexStages();
      // The first classes asked (a lint of the file a language server's user edits asks some hundred sides) test
      // each policy on their representative; past them, every class's stages are found at once (a matrix asks
      // every side).
      if (this.directSubjects < Math.min(DIRECT_SUBJECTS, Math.ceil(this.classes.length / 8))) {
        this.directSubjects++;
        stages = this.stagesTested(direction, subjectClass, this.stageIndex);
        lists[subjectClass.index] = stages;
      } else {
        this.findAllStages(direction, lists);
        stages = lists[subjectClass.index]!;
      }
    }
    return stages;
  }

  /**
   * One class's stages, each global and admin stage tested on its representative. A namespaced Calico policy applies
   * only in its namespace: only those of the class's namespace are tested. Kubernetes policies come from the engine's
   * own selection.
   */
  private stagesTested(direction: Direction, subjectClass: WorkloadClass, index: StageIndex): readonly Stage[] {
    const found: Stage[] = [];
    for (const stage of [...index.othersWith(direction), ...(index.namespaced.get(subjectClass.namespace) ?? [])]) {
      if (stage.applies?.has(direction) === true && stage.applies.to(subjectClass)) found.push(stage);
    }
    for (const policy of this.networkPolicies.policiesSelecting(subjectClass.representative)[direction]) {
      const stage = index.kubernetes.get(policy);
      if (stage !== undefined) found.push(stage);
    }
    found.sort((a, b) => index.position.get(a)! - index.position.get(b)!);
    let node = this.stageTrie[direction];
    for (const stage of found) node = this.stageChild(direction, node, stage);
    return node.stages;
  }

  /**
   * Every class's stages for a direction, where not found yet: stages in evaluation order, each added to the classes
   * it applies to (each Calico and admin policy's classes found once; the Kubernetes ones from the engine's selection).
   * Lists are interned: each class walks a trie of stage lists.
   */
  private findAllStages(direction: Direction, lists: (readonly Stage[] | undefined)[]): void {
    const root = this.stageTrie[direction];
    const found: StageList[] = this.classes.map(() => root);
    const selectedBy = new Map<CompiledPolicy, number[]>();
    for (const c of this.classes) {
      for (const policy of this.networkPolicies.policiesSelecting(c.representative)[direction]) {
        const list = selectedBy.get(policy);
        if (list === undefined) selectedBy.set(policy, [c.index]);
        else list.push(c.index);
      }
    }
    for (const stage of this.stages) {
      const classes =
        stage.source.kind === 'kubernetes'
          ? selectedBy.get(stage.source.policy)
          : stage.applies?.has(direction) === true
            ? stage.applies.classes()
            : undefined;
      for (const index of classes ?? []) found[index] = this.stageChild(direction, found[index]!, stage);
    }
    this.classes.forEach((c) => (lists[c.index] ??= found[c.index]!.stages));
  }

  /** The interned list of a list's stages followed by one more. */
  private stageChild(direction: Direction, list: StageList, stage: Stage): StageList {
    let child = list.next.get(stage);
    if (child === undefined) {
      const stages = [...list.stages, stage];
      const kubernetes = stage.source.kind === 'kubernetes';
      child = stageList(stages, list.free && this.subjectFree(stage, direction), list.hasKubernetes || kubernetes);
      const standIn = kubernetes ? this.kubernetesStandIn(stage) : stage;
      // A skeleton's skeleton is itself: the list is one when its parent is and it adds a stage skeletons keep.
      if (kubernetes && list.hasKubernetes) child.skeleton = list.skeleton;
      else if (list.skeleton === list && standIn === stage) child.skeleton = child;
      else child.skeleton = this.stageChild(direction, list.skeleton, standIn);
      this.stageLists.set(stages, child);
      list.next.set(stage, child);
    }
    return child;
  }

  /** The Kubernetes stage skeletons hold for every Kubernetes stage: the first one (they all sit in the default tier). */
  private kubernetesStandIn(stage: Stage): Stage {
    return (this.standIn ??= stage);
  }

  private indexStages(): StageIndex {
    const position = new Map(this.stages.map((stage, k) => [stage, k]));
    const kubernetes = new Map<CompiledPolicy, Stage>();
    const others: Stage[] = [];
    const namespaced = new Map<string, Stage[]>();
    for (const stage of this.stages) {
      if (stage.source.kind === 'kubernetes') kubernetes.set(stage.source.policy, stage);
      else if (stage.source.kind === 'calico' && stage.source.policy.namespace !== undefined) {
        const list = namespaced.get(stage.source.policy.namespace);
        if (list === undefined) namespaced.set(stage.source.policy.namespace, [stage]);
        else list.push(stage);
      } else others.push(stage);
    }
    const having = {
      ingress: others.filter((stage) => stage.applies?.has('ingress') === true),
      egress: others.filter((stage) => stage.applies?.has('egress') === true),
    };
    return {
      position,
      kubernetes,
      othersWith: (direction) => having[direction],
      namespaced,
    };
  }

  /** Every policy as a stage, sorted by tier, then order and name; policies in a tier the input does not define never apply. */
  private buildStages(adminPolicies: readonly AdminPolicy[]): Stage[] {
    const tiers = new Map(this.calico.tiers.map((tier) => [tier.name, tier]));
    const stages: Stage[] = [];
    const defaultTier = tiers.get('default')!;
    for (const policy of this.calico.policies) {
      const tier = tiers.get(policy.tier);
      // Felix skips the policies of a tier that does not exist (unknown-tier reports them).
      if (tier === undefined) continue;
      stages.push({
        source: { kind: 'calico', policy },
        tier,
        key: sortKey(policy),
        policy: { kind: policy.kind, id: policy.id, name: policy.name, location: policy.location },
        applies: {
          has: (direction) => policy[direction] !== undefined,
          classes: once(() => this.classIndices(this.classesApplying(policy))),
          to: (subject) => this.policyApplies(policy, subject.representative),
        },
        rules: (direction, subject, peer) =>
          policy[direction]!.map((rule) => ({
            index: rule.index,
            location: rule.location,
            action: rule.action,
            connections: this.ruleConnections(rule, direction, subject, peer),
          })),
      });
    }
    // conversion.go: "Kubernetes network policies are placed in the default tier with order 1000". Their rules only
    // allow; the engine's contributions for the pair are exactly the rules that match the peer.
    for (const policy of this.model.policies) {
      stages.push({
        source: { kind: 'kubernetes', policy },
        tier: defaultTier,
        key: sortKey({
          name: policy.name,
          namespace: policy.namespace,
          kind: 'KubernetesNetworkPolicy',
          order: 1000,
        }),
        policy: {
          kind: 'KubernetesNetworkPolicy',
          id: policy.id,
          name: policy.name,
          location: policy.location,
        },
        rules: (_direction, _subject, _peer, base) =>
          base.allowedBy
            .filter((c) => c.policy === policy)
            .map((c) => ({
              index: c.rule.index,
              location: c.rule.location,
              action: 'allow' as const,
              connections: c.connections,
            })),
      });
    }
    const admin = this.adminLayer;
    if (admin !== undefined) {
      for (const policy of adminPolicies) {
        const applies = (c: WorkloadClass) => admin.subjectSelects(policy, workloadEndpoint(c.representative));
        const tier = tiers.get(policy.tier === 'admin' ? 'kube-admin' : 'kube-baseline')!;
        stages.push({
          source: { kind: 'admin', policy },
          tier,
          key: sortKey({ name: policy.name, kind: policy.kind, order: policy.priority }),
          policy: { kind: policy.kind, id: policy.id, name: policy.name, location: policy.location },
          applies: {
            has: (direction) => policy[direction].length > 0,
            classes: once(() => this.classIndices(admin.subjectClasses(policy))),
            to: (subject) => applies(subject),
          },
          rules: (direction, subject, peer) => {
            const destination = direction === 'egress' ? peer : subject;
            return policy[direction].map((rule) => ({
              index: rule.index,
              location: rule.location,
              action: rule.action,
              connections: admin.ruleMatch(rule, peer, destination),
            }));
          },
        });
      }
    }
    const tierRank = new Map(this.calico.tiers.map((tier, k) => [tier, k]));
    return stages.sort(
      (a, b) => tierRank.get(a.tier)! - tierRank.get(b.tier)! || byOrderThenName(a.key, b.key),
    );
  }

  /** What a rule matches of the pair, as connections toward the destination (empty when it does not match). */
  private ruleConnections(
    rule: CalicoRuleIR,
    direction: Direction,
    subject: Endpoint,
    peer: Endpoint,
  ): ConnectionSet {
    if (this.ruleTruth(rule, direction, subject, peer) !== true) return ConnectionSet.NONE;
    const destination = direction === 'ingress' ? subject : peer;
    return this.connectionsToward(rule, destination);
  }

  /**
   * Whether a rule matches the pair: its IP version, its source and its destination. Three-valued where a party is a
   * pod known in part; the engine's answer (true or false) for its endpoints.
   */
  private ruleTruth(rule: CalicoRuleIR, direction: Direction, subject: Party, peer: Party): Truth {
    if (rule.matchesNothing) return false;
    const [source, destination] = direction === 'ingress' ? [peer, subject] : [subject, peer];
    if (rule.ipVersion !== undefined && !this.trafficOfVersion(rule.ipVersion, this.familiesOf(subject), peer)) return false;
    const sourceTruth = this.entityTruth(rule.source, source);
    return sourceTruth === false ? false : and3(sourceTruth, this.entityTruth(rule.destination, destination));
  }

  /**
   * One side's tiers for the service layer's three-valued walk (foldUncertain) where a party is a pod the input does not
   * hold: the stages that apply to the subject, in order (a pod known in part is the subject only of the policies that
   * surely select it, as NetworkPolicyParties.selecting says), each rule a step that surely, possibly or never matches
   * the pair. The subject is not on the host network.
   */
  partyTiers(
    direction: Direction,
    subject: WorkloadEndpoint | PartialPod,
    peer: Party,
    networkPolicies: NetworkPolicyParties,
  ): UncertainTier[] {
    const stages =
      subject.kind === 'workload'
        ? this.applicableStages(direction, subject.workload)
        : this.partialStages(direction, subject, networkPolicies);
    const tiers: { readonly name: string; readonly defaultPass: boolean; readonly policies: CalicoStepPolicy[]; readonly steps: UncertainStep[] }[] = [];
    for (const stage of stages) {
      let tier = tiers.at(-1);
      if (tier === undefined || tier.name !== stage.tier.name) {
        tier = { name: stage.tier.name, defaultPass: stage.tier.defaultAction === 'pass', policies: [], steps: [] };
        tiers.push(tier);
      }
      tier.policies.push(stage.policy);
      tier.steps.push(...this.stageSteps(stage, direction, subject, peer, networkPolicies));
    }
    return tiers;
  }

  /** The stages that apply to a pod known in part for a direction, in order (found once per pod and direction). */
  private partialStages(direction: Direction, pod: PartialPod, networkPolicies: NetworkPolicyParties): readonly Stage[] {
    let byDirection = this.stagesOfPartial.get(pod);
    if (byDirection === undefined) this.stagesOfPartial.set(pod, (byDirection = {}));
    let stages = byDirection[direction];
    if (stages === undefined) {
      const kubernetes = new Set(networkPolicies.selecting(direction, pod));
      stages = this.stages.filter((stage) => this.stageSelects(stage, direction, pod, kubernetes));
      byDirection[direction] = stages;
    }
    return stages;
  }

  /** Whether a stage applies to a pod known in part for a direction: only where its policy surely selects it. */
  private stageSelects(stage: Stage, direction: Direction, pod: PartialPod, kubernetes: ReadonlySet<CompiledPolicy>): boolean {
    const { source } = stage;
    switch (source.kind) {
      case 'calico':
        return source.policy[direction] !== undefined && this.appliesToPartial(source.policy, pod);
      case 'kubernetes':
        return kubernetes.has(source.policy);
      case 'admin':
        return source.policy[direction].length > 0 && adminSubjectSelects(this.adminLayer!, source.policy, pod);
    }
  }

  /** A stage's rules of a direction as steps for the pair. */
  private stageSteps(stage: Stage, direction: Direction, subject: Party, peer: Party, networkPolicies: NetworkPolicyParties): UncertainStep[] {
    const { source } = stage;
    switch (source.kind) {
      case 'kubernetes':
        return networkPolicies.steps(source.policy, source.policy[direction]!.rules, direction, subject, peer);
      case 'admin':
        return adminRuleSteps(this.adminLayer!, source.policy, direction, subject, peer);
      case 'calico':
        return source.policy[direction]!.flatMap((rule): UncertainStep[] => {
          const truth = this.ruleTruth(rule, direction, subject, peer);
          if (truth === false) return [];
          const connections = this.partyConnectionsToward(rule, direction === 'ingress' ? subject : peer);
          return [uncertainStep(rule.action, truth, connections, source.policy.id, rule)];
        });
    }
  }

  /** policyApplies for a pod known in part: true only when the policy surely selects it. */
  private appliesToPartial(policy: CalicoPolicy, pod: PartialPod): boolean {
    if (policy.hostEndpointsOnly || (policy.namespace !== undefined && policy.namespace !== pod.namespace)) return false;
    const view = this.partialView(pod);
    const { selector, namespaceSelector, serviceAccountSelector } = policy.applies;
    return (
      calicoTruth(selector, view.labels) === true &&
      (namespaceSelector === undefined || calicoTruth(namespaceFunctions(namespaceSelector, 'policy'), view.namespaceLabels) === true) &&
      (serviceAccountSelector === undefined || calicoTruth(serviceAccountSelector, view.serviceAccountLabels) === true)
    );
  }

  /** entityMatches for a party: three-valued for a pod known in part. */
  private entityTruth(entity: CalicoEntity, party: Party): Truth {
    if (party.kind !== 'partial') return this.entityMatches(entity, party);
    if (entity.services !== undefined) return this.servedBy(entity.services, party).truth;
    if (!this.inEntityNets(entity, party)) return false;
    const { positive, notSelector } = entity.selection;
    if (positive === undefined && notSelector === undefined) return true;
    const view = this.partialView(party);
    // Network sets stand for it where they hold an address not known yet, as for a pod template (viewsOf).
    const sets = this.setsHoldingUnknown().map((set) => this.networkSetView(set));
    const positiveTruth =
      positive === undefined ? true : or3(this.positiveTruth(positive, view, party), sets.some((set) => positiveMatches(positive, set)));
    const notTruth =
      notSelector === undefined
        ? true
        : not3(
            or3(
              calicoTruth(notSelector, view.labels),
              sets.some((set) => calicoSelectorMatches(notSelector, set.labels)),
            ),
          );
    return and3(positiveTruth, notTruth);
  }

  /** positiveMatches for the view of a pod known in part. */
  private positiveTruth(positive: NonNullable<EntitySelection['positive']>, view: PartialView, pod: PartialPod): Truth {
    const { namespace, selector, serviceAccounts } = positive;
    let truth: Truth = true;
    if (namespace?.kind === 'own') truth = inNamespace(pod, namespace.namespace);
    else if (namespace?.kind === 'selector') truth = calicoTruth(namespaceFunctions(namespace.selector, 'rule'), view.namespaceLabels);
    if (selector !== undefined) truth = and3(truth, calicoTruth(selector, view.labels));
    if (serviceAccounts?.names !== undefined) truth = and3(truth, serviceAccounts.names.length === 0 ? false : 'maybe');
    if (serviceAccounts?.selector !== undefined) truth = and3(truth, calicoTruth(serviceAccounts.selector, view.serviceAccountLabels));
    return truth;
  }

  /**
   * serviceEndpoints for a pod known in part: whether the Service's selector picks it in the Service's namespace, and the
   * ports it would serve (a targetPort name resolved on its ports). The addresses written for a Service without a
   * selector are taken to be none of such a pod's, whose address is not known.
   */
  private servedBy(match: CalicoServiceMatch, pod: PartialPod): { readonly truth: Truth; readonly ports: ConnectionSet } {
    const key = serviceKey(match);
    const service = key === undefined ? undefined : this.calico.services.get(key);
    if (service?.selector === undefined || match.namespace === undefined) return { truth: false, ports: ConnectionSet.NONE };
    const truth = and3(inNamespace(pod, match.namespace), selectorTruth(compileSelector({ matchLabels: service.selector }), pod.labels));
    return { truth, ports: servedPorts(service, pod) };
  }

  /** connectionsToward a destination party: a pod known in part resolves named ports on its own ports. */
  private partyConnectionsToward(rule: CalicoRuleIR, destination: Party): ConnectionSet {
    if (destination.kind !== 'partial') return this.connectionsToward(rule, destination);
    const connections = ruleProtocolConnections(rule, portTableOf(destination));
    const service = rule.destination.services;
    return service === undefined ? connections : connections.intersect(this.servedBy(service, destination).ports);
  }

  /**
   * What selectors see of a pod known in part, as podView builds it for a workload: its profiles' labels prefixed, its
   * own labels, then Calico's; its service account is not known.
   */
  private partialView(pod: PartialPod): PartialView {
    let view = this.partialViews.get(pod);
    if (view === undefined) {
      const name = (key: string): PartialLabels =>
        pod.namespace === undefined ? { known: {}, present: { [key]: pod.notIn }, open: () => false } : exactLabels({ [key]: pod.namespace });
      const namespaceLabels = mergeLabels(pod.namespaceLabels, name(NAME_LABEL));
      const serviceAccountLabels: PartialLabels = { known: {}, present: { [NAME_LABEL]: [] }, open: () => true };
      view = {
        labels: mergeLabels(
          prefixedLabels(NAMESPACE_PREFIX, namespaceLabels),
          prefixedLabels(SERVICE_ACCOUNT_PREFIX, serviceAccountLabels),
          pod.labels,
          name(NAMESPACE_LABEL),
          { known: { [ORCHESTRATOR_LABEL]: 'k8s' }, present: { [SERVICE_ACCOUNT_LABEL]: [] }, open: () => false },
        ),
        namespaceLabels: mergeLabels(namespaceLabels, name(NAMESPACE_LABEL)),
        serviceAccountLabels,
      };
      this.partialViews.set(pod, view);
    }
    return view;
  }

  /**
   * A rule's protocol and ports toward a destination (named ports resolve on it), and for a destination service
   * match, only the ports the destination serves for that Service (felix matches each endpoint's address and port).
   */
  private connectionsToward(rule: CalicoRuleIR, destination: Endpoint): ConnectionSet {
    const connections = ruleProtocolConnections(rule, destination.kind === 'workload' ? namedPortTable(destination.workload) : undefined);
    const service = rule.destination.services;
    if (service === undefined) return connections;
    const served = this.servedAt(service, destination);
    return served === undefined ? ConnectionSet.NONE : connections.intersect(served);
  }

  /** The ports an endpoint serves for a service match; undefined when the match does not see it. */
  private servedAt(match: CalicoServiceMatch, endpoint: Endpoint): ConnectionSet | undefined {
    const { workloads, addresses } = this.serviceEndpoints(match);
    if (endpoint.kind === 'workload') return workloads.get(endpoint.workload);
    let served: ConnectionSet | undefined;
    for (const { range, ports } of addresses) {
      if (rangeContains(range, endpoint.range)) served = (served ?? ConnectionSet.NONE).union(ports);
    }
    return served;
  }

  /**
   * The endpoints a service match sees, each with the ports it serves. For a Service with a selector, the pods it
   * picks in its namespace (hostNetwork ones too: their address is their node's), a port for each Service port whose
   * targetPort resolves on the pod (a name by the pod's containers, with the Service port's protocol): felix builds
   * the same from the Service's EndpointSlices, which list a selected pod whatever ports it resolves. For a Service
   * without a selector, the addresses its EndpointSlices and Endpoints give, ready or not, each on every numbered port
   * of its slice or subset (felix's serviceindex): an address matches the workload it is of, if any (endpointWorkload),
   * and the external range holding it alone (external ranges are cut at each such address).
   */
  private serviceEndpoints(match: CalicoServiceMatch): ServiceEndpoints {
    const key = serviceKey(match);
    if (key === undefined) return NO_ENDPOINTS;
    let endpoints = this.serviceEndpointsByKey.get(key);
    if (endpoints === undefined) {
      const service = this.calico.services.get(key);
      const selector = service?.selector;
      const workloads = new Map<Workload, ConnectionSet>();
      const addresses: { range: IpRange; ports: ConnectionSet }[] = [];
      if (service !== undefined && selector !== undefined) {
        const compiled = compileSelector({ matchLabels: selector });
        for (const workload of this.model.workloads) {
          if (workload.namespace !== match.namespace || !selectorMatches(compiled, workload.labels)) continue;
          workloads.set(workload, servedPorts(service, workload));
        }
      }
      for (const written of service?.written ?? []) {
        let ports = ConnectionSet.NONE;
        for (const { protocol, port } of written.ports) ports = ports.union(ConnectionSet.ports(protocol, port));
        const workload = endpointWorkload(written, match.namespace!, this.model);
        if (workload !== undefined) workloads.set(workload, (workloads.get(workload) ?? ConnectionSet.NONE).union(ports));
        addresses.push({ range: addressRange(written.address), ports });
      }
      this.serviceEndpointsByKey.set(key, (endpoints = { workloads, addresses }));
    }
    return endpoints;
  }

  private entityMatches(entity: CalicoEntity, endpoint: Endpoint): boolean {
    // Validation keeps every other selector field and the nets out of a rule side with a service match.
    if (entity.services !== undefined) return this.servedAt(entity.services, endpoint) !== undefined;
    if (!this.inEntityNets(entity, endpoint)) return false;
    const { positive, notSelector } = entity.selection;
    if (positive === undefined && notSelector === undefined) return true;
    const views = this.viewsOf(endpoint);
    if (positive !== undefined && !views.some((view) => positiveMatches(positive, view))) return false;
    return (
      notSelector === undefined ||
      !views.some((view) =>
        calicoSelectorMatches(notSelector, view.labels),
      )
    );
  }

  /**
   * The objects whose labels stand for an endpoint: the pod itself, and the network sets holding its address (for a pod
   * whose address is unknown, the sets that hold every address of a family it may have, as nets do).
   */
  private viewsOf(endpoint: Endpoint): SelectorView[] {
    const holding =
      endpoint.kind === 'workload' && endpoint.workload.addresses.length === 0
        ? this.setsHoldingUnknown()
        : this.calico.networkSets.filter((set) => inNets(set.nets, endpoint));
    const sets = holding.map((set) => this.networkSetView(set));
    // A hostNetwork pod is not a workload endpoint: selectors never see its labels (its address is the node's).
    return endpoint.kind === 'workload' && !endpoint.workload.hostNetwork
      ? [this.podView(endpoint.workload), ...sets]
      : sets;
  }

  /**
   * Whether a party's address is in the entity's nets (every address when undefined) but not in its notNets. An external
   * range is wholly inside or outside each net (ranges are cut at every net). A pod is matched by its addresses when the
   * input has them (a bare Pod's status); a pod template has none, and only nets covering its whole address family, with
   * no notNet of that family, surely hold its future address (found once per entity).
   */
  private inEntityNets(entity: CalicoEntity, party: Party): boolean {
    const { nets, notNets } = entity;
    if (nets === undefined && notNets === undefined) return true;
    if (party.kind === 'partial' || (party.kind === 'workload' && party.workload.addresses.length === 0)) {
      let held = this.unknownAddressInNets.get(entity);
      if (held === undefined) {
        held = holdsUnknownAddress([{ ranges: nets, excluded: notNets ?? [] }], podAddressFamilies(this.model));
        this.unknownAddressInNets.set(entity, held);
      }
      return held;
    }
    return (nets === undefined || inNets(nets, party)) && (notNets === undefined || !inNets(notNets, party));
  }

  /** The network sets that surely hold an address not known yet (holdsUnknownAddress): those covering a whole family. */
  private setsHoldingUnknown(): readonly CalicoNetworkSet[] {
    this.unknownAddressSets ??= this.calico.networkSets.filter((set) =>
      holdsUnknownAddress([{ ranges: set.nets, excluded: [] }], podAddressFamilies(this.model)),
    );
    return this.unknownAddressSets;
  }

  private podView(workload: Workload): SelectorView {
    let view = this.podViews.get(workload);
    if (view === undefined) {
      const namespaceSource = this.namespaceLabels.get(workload.namespace);
      // A service account's labels come from its ServiceAccount object when the input has one.
      const account = `${workload.namespace}/${workload.serviceAccount}`;
      const accountSource = this.calico.serviceAccountLabels.get(account);
      // Workloads, namespace labels and ServiceAccount labels are kept across the analyses of an edited workspace:
      // a view made from the same three objects is the same.
      const kept = podViewsKept.get(workload);
      if (kept !== undefined && kept.namespaceSource === namespaceSource && kept.accountSource === accountSource) {
        this.podViews.set(workload, kept.view);
        return kept.view;
      }
      const profile = this.profileOf(account, workload, namespaceSource, accountSource);
      view = {
        labels: {
          ...profile.prefixed,
          ...workload.labels,
          [NAMESPACE_LABEL]: workload.namespace,
          [ORCHESTRATOR_LABEL]: 'k8s',
          [SERVICE_ACCOUNT_LABEL]: workload.serviceAccount,
        },
        namespace: workload.namespace,
        namespaceLabels: profile.namespaceLabels,
        serviceAccount: workload.serviceAccount,
        serviceAccountLabels: profile.serviceAccountLabels,
      };
      this.podViews.set(workload, view);
      podViewsKept.set(workload, { namespaceSource, accountSource, view });
    }
    return view;
  }

  /**
   * The labels a workload inherits from its namespace and service account profiles (as `pcns.` and `pcsa.` keys),
   * made once per pair: the workloads of a namespace share a few service accounts.
   */
  private profileOf(
    account: string,
    workload: Workload,
    namespaceSource: Labels | undefined,
    accountSource: Labels | undefined,
  ): Profile {
    let profile = this.profiles.get(account);
    if (profile === undefined) {
      const namespaceLabels = { ...(namespaceSource ?? {}), [NAME_LABEL]: workload.namespace };
      const serviceAccountLabels = { ...(accountSource ?? {}), [NAME_LABEL]: workload.serviceAccount };
      profile = {
        namespaceLabels,
        serviceAccountLabels,
        prefixed: { ...prefixed(NAMESPACE_PREFIX, namespaceLabels), ...prefixed(SERVICE_ACCOUNT_PREFIX, serviceAccountLabels) },
      };
      this.profiles.set(account, profile);
    }
    return profile;
  }

  private networkSetView(set: CalicoNetworkSet): SelectorView {
    if (set.namespace === undefined)
      return {
        labels: set.labels,
        namespace: undefined,
        namespaceLabels: {},
        serviceAccount: undefined,
        serviceAccountLabels: {},
      };
    const namespaceLabels = {
      ...(this.namespaceLabels.get(set.namespace) ?? {}),
      [NAME_LABEL]: set.namespace,
    };
    return {
      labels: {
        ...prefixed(NAMESPACE_PREFIX, namespaceLabels),
        ...set.labels,
        [NAMESPACE_LABEL]: set.namespace,
      },
      namespace: set.namespace,
      namespaceLabels,
      serviceAccount: undefined,
      serviceAccountLabels: {},
    };
  }
}

/** The admin policy layer of a result: the result itself, or the one under Calico's tiers; undefined without admin policies. */
export function adminLayerOf(result: ConnectivityResult): AdminConnectivityResult | undefined {
  if (result instanceof AdminConnectivityResult) return result;
  return result instanceof CalicoConnectivityResult ? result.adminLayer : undefined;
}

/** The value computed on first call, then kept. */
function once<T>(compute: () => T): () => T {
  let value: { readonly v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

/**
 * Label keys that every label set a selector matches has (some of them: an empty list is always sound). A key a
 * comparison or set membership reads must be present, except for `!=` and `not in`, which hold without it.
 */
export function requiredKeys(selector: CalicoSelector): string[] {
  switch (selector.kind) {
    case 'has':
      return [selector.key];
    case 'compare':
      return selector.operator === '!=' ? [] : [selector.key];
    case 'set':
      return selector.operator === 'in' ? [selector.key] : [];
    case 'and':
      return [...new Set(selector.operands.flatMap(requiredKeys))];
    case 'or': {
      // A key every branch requires.
      const [first, ...rest] = selector.operands.map(requiredKeys);
      return (first ?? []).filter((key) => rest.every((keys) => keys.includes(key)));
    }
    default:
      return [];
  }
}

/** Whether a rule's destination ports name a port (which resolves on the destination). */
function namesPorts(rule: CalicoRuleIR): boolean {
  return (
    (rule.destination.ports ?? []).some((p) => p.kind === 'named') ||
    (rule.destination.notPorts ?? []).some((p) => p.kind === 'named')
  );
}

/** Whether a rule's connections depend on the destination: named ports, or the ports a destination service serves. */
function dependsOnDestination(rule: CalicoRuleIR): boolean {
  return namesPorts(rule) || rule.destination.services !== undefined;
}

/** What a service match sees: workloads of the input, and addresses (those of a Service without a selector). */
interface ServiceEndpoints {
  readonly workloads: ReadonlyMap<Workload, ConnectionSet>;
  readonly addresses: readonly { readonly range: IpRange; readonly ports: ConnectionSet }[];
}

const NO_ENDPOINTS: ServiceEndpoints = { workloads: new Map(), addresses: [] };

/** The ports a pod serves for a Service: one for each Service port whose targetPort resolves on it. */
function servedPorts(service: CalicoService, pod: Pick<Workload, 'ports'>): ConnectionSet {
  let ports = ConnectionSet.NONE;
  for (const { targetPort, protocol } of service.ports) {
    const number = resolveTargetPort(pod, targetPort, protocol);
    if (number !== undefined) ports = ports.union(ConnectionSet.ports(protocol, number));
  }
  return ports;
}
const IPV4: readonly IpFamily[] = [4];
const IPV6: readonly IpFamily[] = [6];
const DUAL_STACK: readonly IpFamily[] = [4, 6];

/** A workload's selector view with the labels objects it was made from. */
const podViewsKept = new WeakMap<
  Workload,
  { readonly namespaceSource: Labels | undefined; readonly accountSource: Labels | undefined; readonly view: SelectorView }
>();

function prefixed(prefix: string, labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [prefix + key, value]));
}

/** Whether an endpoint's known address (a pod's, or an external range) is in one of the nets. */
function inNets(nets: readonly Cidr[], endpoint: Endpoint): boolean {
  if (endpoint.kind === 'external') return nets.some((net) => rangeContains(net, endpoint.range));
  return endpoint.workload.addresses.some((a) =>
    nets.some((net) => net.family === a.family && net.start <= a.value && a.value <= net.end),
  );
}

function positiveMatches(positive: NonNullable<EntitySelection['positive']>, view: SelectorView): boolean {
  const { namespace, selector, serviceAccounts } = positive;
  if (namespace?.kind === 'own' && view.namespace !== namespace.namespace) return false;
  if (namespace?.kind === 'selector' && !namespaceSelectorMatches(namespace.selector, view, 'rule')) return false;
  if (
    selector !== undefined &&
    !calicoSelectorMatches(selector, view.labels)
  )
    return false;
  if (serviceAccounts !== undefined) {
    if (
      serviceAccounts.names !== undefined &&
      (view.serviceAccount === undefined || !serviceAccounts.names.includes(view.serviceAccount))
    )
      return false;
    if (
      serviceAccounts.selector !== undefined &&
      !calicoSelectorMatches(serviceAccounts.selector, view.serviceAccountLabels)
    ) {
      return false;
    }
  }
  return true;
}

/**
 * A namespaceSelector is evaluated on the namespace's labels (as `pcns.` profile labels), its functions rewritten as
 * felix's inputs are (namespaceFunctions).
 */
function namespaceSelectorMatches(selector: CalicoSelector, view: SelectorView, of: NamespaceSelectorOf): boolean {
  return calicoSelectorMatches(
    namespaceFunctions(selector, of),
    view.namespace === undefined ? {} : { ...view.namespaceLabels, [NAMESPACE_LABEL]: view.namespace },
  );
}

/** Whose namespaceSelector: a rule's source or destination, or a GlobalNetworkPolicy's own. */
type NamespaceSelectorOf = 'rule' | 'policy';

const rewrittenFunctions: Record<NamespaceSelectorOf, WeakMap<CalicoSelector, CalicoSelector>> = { rule: new WeakMap(), policy: new WeakMap() };

/**
 * A namespaceSelector with its functions rewritten as libcalico-go does before felix evaluates it: a rule's (rules.go)
 * `all()` to has(projectcalico.org/namespace), "in a namespace", and `global()` to its negation, "outside every
 * namespace"; a GlobalNetworkPolicy's own (globalnetworkpolicyprocessor.go) `all()` only, so that `global()` there is
 * left to evaluate as it does everywhere else: true.
 */
function namespaceFunctions(selector: CalicoSelector, of: NamespaceSelectorOf): CalicoSelector {
  const kept = rewrittenFunctions[of].get(selector);
  if (kept !== undefined) return kept;
  const rewrite = (node: CalicoSelector): CalicoSelector => {
    switch (node.kind) {
      case 'all':
        return { kind: 'has', key: NAMESPACE_LABEL };
      case 'global':
        return of === 'rule' ? { kind: 'not', operand: { kind: 'has', key: NAMESPACE_LABEL } } : node;
      case 'not':
        return { kind: 'not', operand: rewrite(node.operand) };
      case 'and':
      case 'or':
        return { kind: node.kind, operands: node.operands.map(rewrite) };
      default:
        return node;
    }
  };
  const rewritten = rewrite(selector);
  rewrittenFunctions[of].set(selector, rewritten);
  return rewritten;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
};
const PORT_PROTOCOL_OF: Readonly<Record<number, PortProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** The connections a protocol/ports match covers toward a destination (named ports resolve on it). */
export function ruleProtocolConnections(
  rule: Pick<CalicoRuleIR, 'protocol' | 'notProtocol' | 'destination'>,
  destination: NamedPortTable | undefined,
): ConnectionSet {
  let connections: ConnectionSet;
  if (rule.protocol === undefined) connections = ConnectionSet.ALL;
  else {
    const number = typeof rule.protocol === 'number' ? rule.protocol : PROTOCOL_NUMBERS[rule.protocol]!;
    const portProtocol = PORT_PROTOCOL_OF[number];
    if (portProtocol === undefined) connections = ConnectionSet.protocolNumber(number);
    else {
      const { ports, notPorts } = rule.destination;
      connections =
        ports === undefined
          ? ConnectionSet.allPorts(portProtocol)
          : portsSet(ports, portProtocol, destination);
      if (notPorts !== undefined)
        connections = connections.subtract(portsSet(notPorts, portProtocol, destination));
    }
  }
  if (rule.notProtocol !== undefined) {
    const number =
      typeof rule.notProtocol === 'number' ? rule.notProtocol : PROTOCOL_NUMBERS[rule.notProtocol]!;
    const portProtocol = PORT_PROTOCOL_OF[number];
    connections = connections.subtract(
      portProtocol === undefined
        ? ConnectionSet.protocolNumber(number)
        : ConnectionSet.allPorts(portProtocol),
    );
  }
  return connections;
}

function portsSet(
  ports: readonly CalicoPortMatch[],
  protocol: PortProtocol,
  destination: NamedPortTable | undefined,
): ConnectionSet {
  let result = ConnectionSet.NONE;
  for (const port of ports) {
    if (port.kind === 'range') {
      if (port.end >= 1) result = result.union(ConnectionSet.ports(protocol, port.start, port.end));
    } else if (destination !== undefined) {
      for (const number of destination.lookup(port.name, protocol))
        result = result.union(ConnectionSet.ports(protocol, number));
    }
  }
  return result;
}

/** The range of one address. */
function addressRange({ family, value }: PodAddress): IpRange {
  return { family, start: value, end: value };
}

/** Every CIDR Calico rules and network sets name, and every address matched Services give: external ranges are cut at them. */
export function calicoCidrs(calico: CalicoPolicies): IpRange[] {
  const entities = calico.policies
    .flatMap((p) => [...(p.ingress ?? []), ...(p.egress ?? [])])
    .flatMap((r) => [r.source, r.destination]);
  return [
    ...entities.flatMap((e) => [...(e.nets ?? []), ...(e.notNets ?? [])]),
    ...calico.networkSets.flatMap((s) => s.nets),
    // The written addresses of matched Services without a selector: each becomes a range of its own.
    ...matchedWrittenServices(calico).flatMap(({ written }) => written.map(({ address }) => addressRange(address))),
  ];
}
