// Shared by lint rules: naming policies, rules and ports in messages, and the engine's result seen by workload class.
import { podSelectorValues, type WorkloadClass } from '../engine/classes.js';
import type { ConnectivityResult, SideDenial } from '../engine/connectivity.js';
import type { Endpoint, ExternalEndpoint, WorkloadEndpoint } from '../engine/endpoints.js';
import type { LoadResult, ManifestObject } from '../manifest/types.js';
import { compareStrings, objectOfLocation, podAddressFamilies, type Workload } from '../model/cluster.js';
import { NamespaceIndex } from '../model/namespace-index.js';
import type { ConnectionSet } from '../semantics/connection-set.js';
import { holdsUnknownAddress } from '../semantics/ip.js';
import { selectorMatches, type Selector } from '../semantics/label-selector.js';
import type { CompiledPolicy, Direction, Peer, PolicyRule, PortSpec, Ports } from '../semantics/policy-ir.js';

export type PodsPeer = Extract<Peer, { kind: 'pods' }>;

/** `shop/api-ingress spec.ingress[0]`. */
export function ruleLabel(policy: CompiledPolicy, rule: PolicyRule): string {
  return `${policy.id} spec.${rule.direction}[${rule.index}]`;
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`: at most `max` items by name. */
export function formatList(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** One ports entry as written: `TCP 443`, `TCP 8000-8100`, `TCP http`, `UDP (every port)`. */
export function formatPortSpec(spec: PortSpec): string {
  switch (spec.match.kind) {
    case 'all':
      return `${spec.protocol} (every port)`;
    case 'range':
      return spec.match.start === spec.match.end
        ? `${spec.protocol} ${spec.match.start}`
        : `${spec.protocol} ${spec.match.start}-${spec.match.end}`;
    case 'named':
      return `${spec.protocol} ${spec.match.name}`;
  }
}

/** A rule's ports as written, or `every port` for a rule without ports. */
export function formatPorts(ports: Ports): string {
  return ports.kind === 'any' ? 'every port' : ports.ports.map(formatPortSpec).join(', ');
}

/** A workload class, or the part of one a selector picks when it reads labels that do not split classes. */
export interface ClassGroup {
  readonly workloadClass: WorkloadClass;
  /** Never empty, in the class's member order. */
  readonly members: readonly Workload[];
}

/** What a rule's from/to matches, as the engine's `peersMatchedBy`, by class. */
export interface RuleMatches {
  readonly groups: readonly ClassGroup[];
  readonly externals: readonly ExternalEndpoint[];
}

/**
 * The engine's result seen by class: which classes selectors pick, computed once per analysis and shared by every
 * rule, so that a rule's cost grows with classes rather than with workloads. Verdicts are asked of the classes'
 * representatives through the result's public methods (a wrapper such as the admin tiers overrides them).
 */
export interface ClassView {
  readonly result: ConnectivityResult;
  endpoint(workload: Workload): WorkloadEndpoint;
  /** The result's `allowed` between two classes (their representatives), asked once per pair for all rules. */
  allowed(source: WorkloadClass, destination: WorkloadClass): ConnectionSet;
  /** The result's `sideAllowed`: one side of a pair of classes alone (its every tier), asked once per side. */
  sideAllowed(direction: Direction, subject: WorkloadClass, peer: WorkloadClass): ConnectionSet;
  /** The result's `sideDenials` for a pair of classes: what keeps that side from allowing the rest, once per side. */
  sideDenials(direction: Direction, subject: WorkloadClass, peer: WorkloadClass): readonly SideDenial[];
  /** Every workload of a namespace, hostNetwork ones included, in the model's order. */
  workloadsIn(namespace: string): readonly Workload[];
  /**
   * The classes one pods peer matches (semantics point 4), hostNetwork ones never. The engine answers per rule;
   * rules pointing at one peer need it per peer.
   */
  groupsMatchedBy(peer: PodsPeer): readonly ClassGroup[];
  /** The classes a policy's podSelector selects, hostNetwork ones never. */
  groupsSelectedBy(policy: Pick<CompiledPolicy, 'namespace' | 'podSelector'>): readonly ClassGroup[];
  /** The classes and external ranges a rule's from/to matches, as the engine's `peersMatchedBy`. */
  ruleMatches(rule: PolicyRule): RuleMatches;
  /** The namespaces a pods peer draws from: the policy's own, or those its namespaceSelector matches, in name order. */
  namespacesOf(scope: PodsPeer['namespaces']): readonly string[];
  /** A workload's position among all by id, the order the engine's `selectedWorkloads` lists them in. */
  rankById(workload: Workload): number;
  /** A workload's position in the model, the order of the engine's endpoints. */
  rankInModel(workload: Workload): number;
  /** Workloads sorted by id. */
  byId(workloads: Iterable<Workload>): Workload[];
  /** Workloads sorted in the model's order, which the engine's endpoints follow. */
  inModelOrder(workloads: Iterable<Workload>): Workload[];
}

const views = new WeakMap<ConnectivityResult, ClassView>();

export function classView(result: ConnectivityResult): ClassView {
  return cached(views, result, () => buildClassView(result));
}

/** The value stored for `key`, computed and stored on first use. */
export function cached<K, V>(map: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, compute: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute();
    map.set(key, value);
  }
  return value;
}

function buildClassView(result: ConnectivityResult): ClassView {
  const { model } = result;
  // Orders and lists over every workload are made on first use: a language server's lint of one file after an edit
  // may need none of them.
  let endpoints: Map<Workload, WorkloadEndpoint> | undefined;
  let modelOrder: Map<Workload, number> | undefined;
  let idOrder: Map<Workload, number> | undefined;
  let workloadsByNamespace: Map<string, Workload[]> | undefined;
  const workloadsIn = (namespace: string): readonly Workload[] => {
    if (workloadsByNamespace === undefined) {
      workloadsByNamespace = new Map();
      for (const workload of model.workloads) {
        const list = workloadsByNamespace.get(workload.namespace);
        if (list === undefined) workloadsByNamespace.set(workload.namespace, [workload]);
        else list.push(workload);
      }
    }
    return workloadsByNamespace.get(namespace) ?? [];
  };
  const selectableClasses = new Map<string, WorkloadClass[]>();
  for (const c of result.classes) {
    if (c.hostNetwork) continue;
    const list = selectableClasses.get(c.namespace);
    if (list === undefined) selectableClasses.set(c.namespace, [c]);
    else list.push(c);
  }
  // No selector of the engine's policies tells a class's members apart: they agree on the keys those selectors read,
  // up to values none of them names. A selector reading another key or naming another value (a declared policy the
  // network plugin's profile dropped or rewrote) is matched member by member.
  const namedValues = podSelectorValues(model.policies);
  const readByClasses = (selector: Selector): boolean =>
    selector.kind === 'everything' ||
    selector.requirements.every((r) => {
      const values = namedValues.get(r.key);
      return values !== undefined && r.values.every((v) => values.has(v));
    });
  const hasAddresses = model.workloads.some((w) => w.addresses.length > 0);
  const rankById = (workload: Workload): number =>
    (idOrder ??= new Map([...model.workloads].sort((a, b) => compareStrings(a.id, b.id)).map((w, k) => [w, k]))).get(
      workload,
    )!;
  const rankInModel = (workload: Workload): number =>
    (modelOrder ??= new Map(model.workloads.map((w, k) => [w, k]))).get(workload)!;
  const byId = (workloads: Iterable<Workload>): Workload[] => [...workloads].sort((a, b) => rankById(a) - rankById(b));

  const groupsIn = (namespaces: readonly string[], pods: Selector): ClassGroup[] => {
    const byClass = readByClasses(pods);
    const groups: ClassGroup[] = [];
    for (const namespace of namespaces) {
      for (const c of selectableClasses.get(namespace) ?? []) {
        if (byClass) {
          if (selectorMatches(pods, c.representative.labels)) groups.push({ workloadClass: c, members: c.members });
        } else {
          const members = c.members.filter((w) => selectorMatches(pods, w.labels));
          if (members.length > 0) groups.push({ workloadClass: c, members });
        }
      }
    }
    return groups;
  };
  const namespaceIndex = new NamespaceIndex(model.namespaces);
  const namespaceNames = new Map<Selector, readonly string[]>();
  const namespacesOf = (scope: PodsPeer['namespaces']): readonly string[] =>
    scope.kind === 'policy-namespace'
      ? [scope.namespace]
      : cached(namespaceNames, scope.selector, () => namespaceIndex.matching(scope.selector).map((n) => n.name));
  const peerGroups = new Map<PodsPeer, readonly ClassGroup[]>();
  const policyGroups = new Map<Pick<CompiledPolicy, 'namespace' | 'podSelector'>, readonly ClassGroup[]>();
  const ruleMatches = new Map<PolicyRule, RuleMatches>();
  const verdicts = new Map<number, ConnectionSet>();
  const sideVerdicts: Record<Direction, Map<number, ConnectionSet>> = { ingress: new Map(), egress: new Map() };
  const sideDenials: Record<Direction, Map<number, readonly SideDenial[]>> = { ingress: new Map(), egress: new Map() };

  const view: ClassView = {
    result,
    endpoint(workload) {
      endpoints ??= new Map(result.workloads.map((e) => [e.workload, e]));
      const endpoint = endpoints.get(workload);
      if (endpoint === undefined) throw new Error(`workload ${workload.id} does not belong to this result`);
      return endpoint;
    },
    allowed(source, destination) {
      // Asked for most pairs of every rule: its own lookup rather than `cached`, which every map type shares.
      const key = source.index * result.classes.length + destination.index;
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        verdict = result.allowed(view.endpoint(source.representative), view.endpoint(destination.representative));
        verdicts.set(key, verdict);
      }
      return verdict;
    },
    sideAllowed(direction, subject, peer) {
      const key = subject.index * result.classes.length + peer.index;
      let verdict = sideVerdicts[direction].get(key);
      if (verdict === undefined) {
        verdict = result.sideAllowed(direction, view.endpoint(subject.representative), view.endpoint(peer.representative));
        sideVerdicts[direction].set(key, verdict);
      }
      return verdict;
    },
    sideDenials: (direction, subject, peer) =>
      cached(sideDenials[direction], subject.index * result.classes.length + peer.index, () =>
        result.sideDenials(direction, view.endpoint(subject.representative), view.endpoint(peer.representative)),
      ),
    workloadsIn,
    groupsMatchedBy: (peer) => cached(peerGroups, peer, () => groupsIn(namespacesOf(peer.namespaces), peer.pods)),
    groupsSelectedBy: (policy) => cached(policyGroups, policy, () => groupsIn([policy.namespace], policy.podSelector)),
    ruleMatches: (rule) => cached(ruleMatches, rule, () => matchRule(rule)),
    namespacesOf,
    rankById,
    rankInModel,
    byId,
    inModelOrder: (workloads) => [...workloads].sort((a, b) => rankInModel(a) - rankInModel(b)),
  };

  let everything: RuleMatches | undefined;
  const matchRule = (rule: PolicyRule): RuleMatches => {
    if (rule.peers.kind === 'any') {
      everything ??= {
        groups: result.classes.map((c) => ({ workloadClass: c, members: c.members })),
        externals: result.externals,
      };
      return everything;
    }
    const blocks = rule.peers.peers.filter((p) => p.kind === 'ipBlock');
    if (
      blocks.length > 0 &&
      (hasAddresses || holdsUnknownAddress(blocks.map((b) => ({ ranges: [b.cidr], excluded: b.except })), podAddressFamilies(result.model)))
    ) {
      // ipBlocks may match pods by address (a template's only by a whole family), which only the engine knows how to
      // do: take its answer whole.
      const matched = result.peersMatchedBy(rule);
      const byClass = new Map<WorkloadClass, Workload[]>();
      for (const e of matched) {
        if (e.kind !== 'workload') continue;
        const c = result.classOfWorkload(e.workload);
        const list = byClass.get(c);
        if (list === undefined) byClass.set(c, [e.workload]);
        else list.push(e.workload);
      }
      return {
        groups: [...byClass].map(([workloadClass, list]) => ({ workloadClass, members: list })),
        externals: matched.filter((e) => e.kind === 'external'),
      };
    }
    // Per class: every member, or the members some peer picks one by one.
    const byClass = new Map<WorkloadClass, Set<Workload> | 'all'>();
    for (const peer of rule.peers.peers) {
      if (peer.kind !== 'pods') continue;
      for (const group of view.groupsMatchedBy(peer)) {
        const { workloadClass, members } = group;
        const picked = byClass.get(workloadClass);
        if (picked === 'all') continue;
        if (members === workloadClass.members) byClass.set(workloadClass, 'all');
        else if (picked === undefined) byClass.set(workloadClass, new Set(members));
        else for (const w of members) picked.add(w);
      }
    }
    const groups = [...byClass]
      .sort(([a], [b]) => a.index - b.index)
      .map(([workloadClass, picked]) => ({
        workloadClass,
        members:
          picked === 'all' || picked.size === workloadClass.members.length
            ? workloadClass.members
            : workloadClass.members.filter((w) => picked.has(w)),
      }));
    // Without pod addresses an ipBlock matches external ranges only; each range lies wholly inside or outside
    // cidr minus except, as the engine cuts them at every ipBlock boundary.
    const inside: boolean[] = new Array(result.externals.length).fill(false);
    for (const block of blocks) {
      result.externalsHeld(block).forEach((holds, k) => {
        if (holds) inside[k] = true;
      });
    }
    const externals = result.externals.filter((_, k) => inside[k]);
    return { groups, externals };
  };
  return view;
}

const classesInModelOrder = new WeakMap<ClassView, readonly { readonly workloadClass: WorkloadClass; readonly members: readonly Workload[] }[]>();

/**
 * One pair of distinct endpoints per pair of a subject class and a peer (a class or an external range), in the order
 * a walk over every subject workload and every other endpoint, both in the engine's order, first meets it, named by
 * the pair it first meets. Members of a class get identical verdicts, so this walk answers for the full one.
 */
export function* firstPairsByClass(
  view: ClassView,
  isSubject: (workloadClass: WorkloadClass) => boolean,
): Generator<{ readonly subject: WorkloadEndpoint; readonly peer: Endpoint }> {
  const { result } = view;
  // Each class with its members in the engine's order; classes by their first member (once per view).
  const ordered = cached(classesInModelOrder, view, () =>
    result.classes
      .map((c) => ({ workloadClass: c, members: view.inModelOrder(c.members) }))
      .sort((a, b) => view.rankInModel(a.members[0]!) - view.rankInModel(b.members[0]!)),
  );
  for (const subject of ordered) {
    if (!isSubject(subject.workloadClass)) continue;
    const [first, second] = subject.members;
    const own = view.endpoint(first!);
    // The subject's own class is first met with its second member, wherever that stands among the other classes.
    let ownPending = second !== undefined;
    for (const peer of ordered) {
      if (ownPending && view.rankInModel(second!) < view.rankInModel(peer.members[0]!)) {
        ownPending = false;
        yield { subject: own, peer: view.endpoint(second!) };
      }
      if (peer !== subject) yield { subject: own, peer: view.endpoint(peer.members[0]!) };
    }
    if (ownPending) yield { subject: own, peer: view.endpoint(second!) };
    for (const external of result.externals) yield { subject: own, peer: external };
  }
}

const policyObjects = new WeakMap<LoadResult, Map<string, ManifestObject<'NetworkPolicy'>[]>>();

/**
 * The decoded NetworkPolicy object a compiled policy came from, rejected or not: the one whose range holds the
 * policy's location. Objects of one kind never overlap, so it is the last one starting at or before that location.
 */
export function networkPolicyObject(load: LoadResult, policy: CompiledPolicy): ManifestObject<'NetworkPolicy'> | undefined {
  // The model knows the object of each policy it compiled, without reading any range (and so any document's tree).
  const known = objectOfLocation(policy.location);
  if (known?.kind === 'NetworkPolicy') return known as ManifestObject<'NetworkPolicy'>;
  let byFile = policyObjects.get(load);
  if (byFile === undefined) {
    byFile = new Map();
    for (const object of load.objects) {
      if (object.kind !== 'NetworkPolicy') continue;
      const list = byFile.get(object.document.file);
      if (list === undefined) byFile.set(object.document.file, [object as ManifestObject<'NetworkPolicy'>]);
      else list.push(object as ManifestObject<'NetworkPolicy'>);
    }
    for (const list of byFile.values()) list.sort((a, b) => a.range.start - b.range.start);
    policyObjects.set(load, byFile);
  }
  const { file, range } = policy.location;
  const objects = byFile.get(file) ?? [];
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (objects[middle]!.range.start <= range.start) low = middle + 1;
    else high = middle;
  }
  const object = objects[low - 1];
  return object !== undefined && range.end <= object.range.end ? object : undefined;
}

/** A bare Pod is one pod: traffic to itself is loopback, always allowed. Controllers run several pods that talk over the network. */
export function isSinglePod(workload: Workload): boolean {
  return workload.kind === 'Pod';
}
