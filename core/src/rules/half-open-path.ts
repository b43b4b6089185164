// half-open-path: a rule that names a workload explicitly while the other side of the path denies it.
import { z } from 'zod';
import type { WorkloadClass } from '../engine/classes.js';
import { createRule, type RelatedLocation } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import type { ConnectionSet } from '../semantics/connection-set.js';
import { hasNamedPorts, resolvePorts, type CompiledPolicy, type Direction } from '../semantics/policy-ir.js';
import { cached, classView, formatList, isSinglePod } from './rule-support.js';

/** One denied pair: `own` is selected by the rule's policy, `other` is named by the rule's peer. */
interface Gap {
  readonly own: Workload;
  readonly other: Workload;
  readonly denied: ConnectionSet;
  /** The other side's policies (they isolate it and do not allow `denied`). */
  readonly isolatedBy: readonly CompiledPolicy[];
  /** `own`'s and `other`'s positions by id: the order findings list pairs in. */
  readonly ownRank: number;
  readonly otherRank: number;
}

/** Gaps that read as one sentence: every own with every other is denied exactly `denied`. */
interface GapGroup {
  readonly owns: readonly Workload[];
  readonly others: Workload[];
  readonly denied: ConnectionSet;
  readonly isolatedBy: Map<CompiledPolicy, Workload[]>;
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
          // Named ports resolve on the destination (semantics point 6), and a class's members declare the same names.
          const wanted = new Map<WorkloadClass, ConnectionSet>();
          const fixed = hasNamedPorts(rule.ports) ? undefined : resolvePorts(rule.ports, undefined);
          const wantedAt = (destination: WorkloadClass): ConnectionSet =>
            fixed ?? cached(wanted, destination, () => resolvePorts(rule.ports, destination.namedPorts));
          // Only peers that name workloads: a rule without from/to or an ipBlock names no one in particular.
          for (const peer of rule.peers.peers) {
            if (peer.kind !== 'pods') continue;
            const gaps: Gap[] = [];
            for (const own of selected) {
              for (const other of view.groupsMatchedBy(peer)) {
                const [source, destination] = direction === 'egress' ? [own, other] : [other, own];
                // Unresolved named ports are port-not-served's business.
                const ruleAllows = wantedAt(destination.workloadClass);
                if (ruleAllows.isEmpty) continue;
                // This rule's side allows all of it, so what the pair lacks is what the other side denies.
                const denied = ruleAllows.subtract(view.allowed(source.workloadClass, destination.workloadClass));
                if (denied.isEmpty) continue;
                const isolatedBy = result.policiesSelecting(other.workloadClass.representative)[otherDirection];
                for (const ownWorkload of own.members) {
                  const ownRank = view.rankById(ownWorkload);
                  for (const otherWorkload of other.members) {
                    if (ownWorkload === otherWorkload && isSinglePod(ownWorkload)) continue;
                    gaps.push({ own: ownWorkload, other: otherWorkload, denied, isolatedBy, ownRank, otherRank: view.rankById(otherWorkload) });
                  }
                }
              }
            }
            // The order of the pairs by workload: findings group and list them in that order.
            gaps.sort((a, b) => a.ownRank - b.ownRank || a.otherRank - b.otherRank);
            for (const group of groupGaps(gaps)) {
              const ownIds = group.owns.map((w) => w.id);
              const otherIds = group.others.map((w) => w.id);
              const related: RelatedLocation[] = [...group.isolatedBy].map(([isolating, workloads]) => ({
                location: isolating.location,
                message: `${isolating.id} isolates the ${otherDirection} of ${formatList(workloads.map((w) => w.id))} and does not allow it`,
              }));
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
 * Groups a peer's gaps so each finding is exact for every pair it lists: first the owns denied the same
 * connections toward one other, then the others that share those owns and connections.
 */
function groupGaps(gaps: readonly Gap[]): GapGroup[] {
  // By other workload, then by the denied connections' text (kept with the set): in the order gaps first meet them.
  const perOther = new Map<Workload, Map<string, { other: Workload; denied: ConnectionSet; owns: Workload[]; isolatedBy: readonly CompiledPolicy[] }>>();
  const entries: { other: Workload; denied: ConnectionSet; owns: Workload[]; isolatedBy: readonly CompiledPolicy[] }[] = [];
  for (const gap of gaps) {
    let byDenied = perOther.get(gap.other);
    if (byDenied === undefined) perOther.set(gap.other, (byDenied = new Map()));
    const text = gap.denied.toString();
    const entry = byDenied.get(text);
    if (entry === undefined) {
      const created = { other: gap.other, denied: gap.denied, owns: [gap.own], isolatedBy: gap.isolatedBy };
      byDenied.set(text, created);
      entries.push(created);
    } else entry.owns.push(gap.own);
  }
  const groups = new Map<string, GapGroup>();
  for (const { other, denied, owns, isolatedBy } of entries) {
    const key = `${owns.map((w) => w.id).join('|')}|${denied.toString()}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { owns, others: [], denied, isolatedBy: new Map() };
      groups.set(key, group);
    }
    group.others.push(other);
    for (const policy of isolatedBy) {
      const isolated = group.isolatedBy.get(policy);
      if (isolated === undefined) group.isolatedBy.set(policy, [other]);
      else isolated.push(other);
    }
  }
  return [...groups.values()];
}
