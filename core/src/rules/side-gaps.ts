// Gaps between what a NetworkPolicy rule allows and what one side of the path allows, grouped into findings that are
// exact for every pair of workloads they name (half-open-path, overridden-allow).
import type { Workload } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { SideDenial } from '../engine/connectivity.js';
import type { Direction, PolicyRule } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { cached, isSinglePod, type ClassGroup, type ClassView, type PodsPeer } from './rule-support.js';

/**
 * A pair of groups one side of the path denies something a rule allows: `own` is selected by the rule's policy, `other`
 * named by its peer.
 */
export interface Gap {
  readonly own: ClassGroup;
  readonly other: ClassGroup;
  readonly denied: ConnectionSet;
  /** What keeps that side from allowing `denied`: the policies isolating it, and deny rules of tiers. */
  readonly deniedBy: readonly SideDenial[];
}

/** Denied pairs that read as one sentence: every own with every other is denied exactly `denied`. */
export interface GapGroup {
  readonly owns: readonly Workload[];
  readonly others: Workload[];
  readonly denied: ConnectionSet;
  /** Each denial (by key) with the other workloads it holds for. */
  readonly deniedBy: Map<string, { readonly denial: SideDenial; readonly others: Workload[] }>;
}

/** One pods peer of a NetworkPolicy rule, with the groups its policy selects. */
export interface GapPeer {
  readonly selected: readonly ClassGroup[];
  readonly direction: Direction;
  readonly rule: PolicyRule;
  readonly peer: PodsPeer;
  /**
   * Which side of each pair is compared with the rule: the other one (the peer's ingress for an egress rule: the path is
   * open on one side only), or the rule's own, all its tiers (a tier evaluated before the NetworkPolicies denies it).
   */
  readonly side: 'other' | 'own';
  /** Gaps only if every pair has one: the walk stops at the first pair the side allows all of the rule's connections. */
  readonly everyPair?: boolean;
  /** A cheap test of the compared side toward a peer: false when it surely allows all the rule does. */
  readonly mayDeny?: (subject: ClassGroup, peer: ClassGroup) => boolean;
}

/**
 * For each group the policy selects and each group the peer matches, what the rule allows that the chosen side of the
 * pair does not. Pairs the rule allows nothing (an unresolved named port) and a lone bare Pod with itself (loopback)
 * are left out.
 */
export function peerGaps(
  view: ClassView,
  { selected, direction, rule, peer, side, everyPair = false, mayDeny }: GapPeer,
): Gap[] {
  const gaps: Gap[] = [];
  const otherDirection: Direction = direction === 'egress' ? 'ingress' : 'egress';
  for (const own of selected) {
    for (const other of view.groupsMatchedBy(peer)) {
      const destination = direction === 'egress' ? other : own;
      // Named ports resolve on the destination (semantics point 6), and a class's members declare the same names.
      // Unresolved named ports are port-not-served's business.
      const ruleAllows = view.result.rulePorts(rule, destination.workloadClass.index);
      if (ruleAllows.isEmpty) continue;
      if (
        own.members.length === 1 &&
        other.members.length === 1 &&
        own.members[0] === other.members[0] &&
        isSinglePod(own.members[0]!)
      )
        continue;
      // The compared side is the subject and the pair's other end its peer; its verdict counts every tier it has.
      const [sideDirection, subject, sidePeer] =
        side === 'other' ? [otherDirection, other, own] : [direction, own, other];
      const denied =
        mayDeny?.(subject, sidePeer) === false
          ? ConnectionSet.NONE
          : ruleAllows.subtract(
              view.sideAllowed(sideDirection, subject.workloadClass, sidePeer.workloadClass),
            );
      if (denied.isEmpty) {
        if (everyPair) return [];
        continue;
      }
      const deniedBy = view
        .sideDenials(sideDirection, subject.workloadClass, sidePeer.workloadClass)
        .filter((d) => !d.connections.intersect(denied).isEmpty);
      gaps.push({ own, other, denied, deniedBy });
    }
  }
  return gaps;
}

/**
 * Groups a peer's gaps so each finding is exact for every pair of workloads it lists, pairs taken in id order (own,
 * then other): first the owns denied the same connections toward one other, then the others that share those owns
 * and connections. A pair of a bare Pod with itself is loopback, never denied.
 */
export function groupGaps(gaps: readonly Gap[], rankById: (workload: Workload) => number): GapGroup[] {
  // Equal denied connections get one number: a peer's gaps deny a few distinct sets, found by comparing them.
  const distinct: ConnectionSet[] = [];
  const deniedId = (denied: ConnectionSet): number => {
    const known = distinct.findIndex((d) => d.equals(denied));
    return known >= 0 ? known : distinct.push(denied) - 1;
  };
  // By other group, then by the denied connections: the own workloads, which every member of the other group shares
  // (each workload is in one group of the peer and of the policy, so each pair is met once).
  // The denials behind an entry's pairs: the same for every own where only NetworkPolicies isolate the other side, and
  // possibly not where a deny rule of a Calico or admin tier matches some owns only.
  // A denial is its policy, how it denies and where: locations by identity (reading a range would read its file).
  const locationIds = new Map<SourceLocation, number>();
  const denialKey = ({ how, policy, location }: SideDenial): string =>
    `${how}\0${policy}\0${cached(locationIds, location, () => locationIds.size)}`;
  const byOther = new Map<
    ClassGroup,
    Map<number, { denied: number; deniedBy: Map<string, SideDenial>; owns: Workload[] }>
  >();
  for (const { own, other, denied, deniedBy } of gaps) {
    const byDenied = cached(byOther, other, () => new Map());
    const id = deniedId(denied);
    const entry = cached(byDenied, id, () => ({ denied: id, deniedBy: new Map(), owns: [] }));
    for (const denial of deniedBy) entry.deniedBy.set(denialKey(denial), denial);
    entry.owns.push(...own.members);
  }
  // One entry per other workload and denied connections, in the order the pairs in id order first meet them: by
  // the first own's rank, then the other's.
  const entries: {
    other: Workload;
    first: number;
    rank: number;
    denied: number;
    owns: readonly Workload[];
    deniedBy: ReadonlyMap<string, SideDenial>;
  }[] = [];
  for (const [otherGroup, byDenied] of byOther) {
    for (const { denied, deniedBy, owns } of byDenied.values()) {
      const ranked = owns.map((w) => ({ w, rank: rankById(w) })).sort((a, b) => a.rank - b.rank);
      const sorted = ranked.map((r) => r.w);
      for (const other of otherGroup.members) {
        const self = isSinglePod(other) ? sorted.indexOf(other) : -1;
        const list = self < 0 ? sorted : sorted.filter((w) => w !== other);
        if (list.length === 0) continue;
        const first = self === 0 ? ranked[1]!.rank : ranked[0]!.rank;
        entries.push({ other, first, rank: rankById(other), denied, owns: list, deniedBy });
      }
    }
  }
  entries.sort((a, b) => a.first - b.first || a.rank - b.rank);
  // Owns lists are shared by the members of an other group: each list's workloads are named once, and lists naming
  // the same workloads get one number.
  const ownIds = new Map<readonly Workload[], number>();
  const idsByText = new Map<string, number>();
  const groups = new Map<string, GapGroup>();
  for (const { other, denied, owns, deniedBy } of entries) {
    const id = cached(ownIds, owns, () =>
      cached(idsByText, owns.map((w) => w.id).join('|'), () => idsByText.size),
    );
    const group = cached(groups, `${id}|${denied}`, () => ({
      owns,
      others: [],
      denied: distinct[denied]!,
      deniedBy: new Map(),
    }));
    group.others.push(other);
    for (const [key, denial] of deniedBy)
      cached(group.deniedBy, key, () => ({ denial, others: [] })).others.push(other);
  }
  return [...groups.values()];
}
