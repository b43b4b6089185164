// half-open-path: a rule that names a workload explicitly while the other side of the path denies it.
import { z } from 'zod';
import { createRule, type RelatedLocation } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import type { ConnectionSet } from '../semantics/connection-set.js';
import type { Direction } from '../semantics/policy-ir.js';
import type { SideDenial } from '../engine/connectivity.js';
import type { SourceLocation } from '../source/source.js';
import { cached, classView, formatList, isSinglePod, type ClassGroup } from './rule-support.js';

/** A pair of groups the other side denies something: `own` is selected by the rule's policy, `other` named by its peer. */
interface Gap {
  readonly own: ClassGroup;
  readonly other: ClassGroup;
  readonly denied: ConnectionSet;
  /** What on the other side keeps it from allowing `denied`: the policies isolating it, and deny rules of tiers. */
  readonly deniedBy: readonly SideDenial[];
}

/** Denied pairs that read as one sentence: every own with every other is denied exactly `denied`. */
interface GapGroup {
  readonly owns: readonly Workload[];
  readonly others: Workload[];
  readonly denied: ConnectionSet;
  /** Each denial (by key) with the other workloads it holds for. */
  readonly deniedBy: Map<string, { readonly denial: SideDenial; readonly others: Workload[] }>;
}

export default createRule({
  meta: {
    id: 'half-open-path',
    category: 'unreachable',
    defaultSeverity: 'warning',
    description: 'A rule that names a workload explicitly while the other side of the path denies the connection',
    messages: {
      ingressDenies:
        'egress allows {{sources}} => {{destinations}} on {{connections}}, but the ingress of {{destinations}} does not admit it',
      egressDenies:
        'ingress admits {{sources}} => {{destinations}} on {{connections}}, but the egress of {{sources}} does not allow it',
    },
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    // The policies the engine evaluated (after the network plugin's profile), so they are the ones its verdicts name.
    const { result } = analysis;
    const { model } = result;
    const view = classView(result);
    for (const policy of model.policies) {
      // Every finding is located at a peer of the policy.
      if (!inScope(policy.location.file)) continue;
      for (const direction of ['egress', 'ingress'] as const) {
        const rules = policy[direction]?.rules ?? [];
        const otherDirection: Direction = direction === 'egress' ? 'ingress' : 'egress';
        // Every workload the policy selects is isolated by it in each direction it has.
        const selected = view.groupsSelectedBy(policy);
        for (const rule of rules) {
          if (rule.peers.kind !== 'list') continue;
          // Only peers that name workloads: a rule without from/to or an ipBlock names no one in particular.
          for (const peer of rule.peers.peers) {
            if (peer.kind !== 'pods') continue;
            const gaps: Gap[] = [];
            for (const own of selected) {
              for (const other of view.groupsMatchedBy(peer)) {
                const destination = direction === 'egress' ? other : own;
                // Named ports resolve on the destination (semantics point 6), and a class's members declare the same
                // names. Unresolved named ports are port-not-served's business.
                const ruleAllows = result.rulePorts(rule, destination.workloadClass.index);
                if (ruleAllows.isEmpty) continue;
                // What the other side (all its tiers) does not allow of what this rule allows. This rule's own side may
                // deny some of it too (a Calico or admin tier above the NetworkPolicies): that is no path open on one
                // side only, and the finding would wrongly blame the other side.
                const denied = ruleAllows.subtract(
                  view.sideAllowed(otherDirection, other.workloadClass, own.workloadClass),
                );
                if (denied.isEmpty) continue;
                const deniedBy = view
                  .sideDenials(otherDirection, other.workloadClass, own.workloadClass)
                  .filter((d) => !d.connections.intersect(denied).isEmpty);
                gaps.push({ own, other, denied, deniedBy });
              }
            }
            for (const group of groupGaps(gaps, view.rankById)) {
              const ownIds = group.owns.map((w) => w.id);
              const otherIds = group.others.map((w) => w.id);
              const related: RelatedLocation[] = [...group.deniedBy.values()].map(({ denial, others }) => {
                const workloads = formatList(others.map((w) => w.id));
                return {
                  location: denial.location,
                  message:
                    denial.how === 'isolates'
                      ? `${denial.policy} isolates the ${otherDirection} of ${workloads} and does not allow it`
                      : `a rule of ${denial.policy} denies it in the ${otherDirection} of ${workloads}`,
                };
              });
              report({
                messageId: direction === 'egress' ? 'ingressDenies' : 'egressDenies',
                data: {
                  sources: formatList(direction === 'egress' ? ownIds : otherIds),
                  destinations: formatList(direction === 'egress' ? otherIds : ownIds),
                  connections: group.denied.toString(),
                },
                location: peer.location,
                related,
              });
            }
          }
        }
      }
    }
  },
});

/**
 * Groups a peer's gaps so each finding is exact for every pair of workloads it lists, pairs taken in id order (own,
 * then other): first the owns denied the same connections toward one other, then the others that share those owns
 * and connections. A pair of a bare Pod with itself is loopback, never denied.
 */
function groupGaps(gaps: readonly Gap[], rankById: (workload: Workload) => number): GapGroup[] {
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
  const byOther = new Map<ClassGroup, Map<number, { denied: number; deniedBy: Map<string, SideDenial>; owns: Workload[] }>>();
  for (const { own, other, denied, deniedBy } of gaps) {
    const byDenied = cached(byOther, other, () => new Map());
    const id = deniedId(denied);
    const entry = cached(byDenied, id, () => ({ denied: id, deniedBy: new Map(), owns: [] }));
    for (const denial of deniedBy) entry.deniedBy.set(denialKey(denial), denial);
    entry.owns.push(...own.members);
  }
  // One entry per other workload and denied connections, in the order the pairs in id order first meet them: by
  // the first own's rank, then the other's.
  const entries: { other: Workload; first: number; rank: number; denied: number; owns: readonly Workload[]; deniedBy: ReadonlyMap<string, SideDenial> }[] = [];
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
    const id = cached(ownIds, owns, () => cached(idsByText, owns.map((w) => w.id).join('|'), () => idsByText.size));
    const group = cached(groups, `${id}|${denied}`, () => ({ owns, others: [], denied: distinct[denied]!, deniedBy: new Map() }));
    group.others.push(other);
    for (const [key, denial] of deniedBy) cached(group.deniedBy, key, () => ({ denial, others: [] })).others.push(other);
  }
  return [...groups.values()];
}
