// redundant-rule: a rule, or a whole policy, that allows no connection the other rules for the same pods do not already allow.
import { z } from 'zod';
import type { WorkloadClass } from '../engine/classes.js';
import type { RuleContribution, SideVerdict } from '../engine/connectivity.js';
import type { ExternalEndpoint } from '../engine/endpoints.js';
import { createRule } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { CompiledPolicy, Direction, PolicyRule } from '../semantics/policy-ir.js';
import { cached, classView, formatList, isSinglePod, ruleLabel, type ClassGroup } from './rule-support.js';

/** A peer of a rule: a class (with its first two matched workloads in the engine's order) or an external range. */
type Peer =
  | { readonly kind: 'class'; readonly workloadClass: WorkloadClass; readonly first: readonly Ranked[] }
  | { readonly kind: 'external'; readonly endpoint: ExternalEndpoint; readonly rank: number };

interface Ranked {
  readonly workload: Workload;
  readonly rank: number;
}

/** The rules that allow, for every pair a rule applies to, everything the rule allows there. */
interface Coverage {
  /** False when the rule allows nothing anywhere (it matches no peer, or its named ports resolve nowhere). */
  readonly allowsSomething: boolean;
  /** The other rules that share some of its connections, in the order met. */
  readonly covering: ReadonlyMap<PolicyRule, CompiledPolicy>;
}

export default createRule({
  meta: {
    id: 'redundant-rule',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A rule, or a whole policy, that allows no connection beyond what other rules for the same pods already allow',
    messages: {
      redundantRule: '{{rule}} adds no connection: everything it allows is also allowed by {{covering}}',
      redundantPolicy:
        'policy {{policy}} adds nothing: everything it allows is also allowed by {{covering}}, and other policies isolate every pod it selects',
    },
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    // The policies the engine evaluated (after the network plugin's profile), so they are the ones its verdicts name.
    const { result } = analysis;
    const { model } = result;
    const view = classView(result);
    const externalIndex = new Map(result.externals.map((e, k) => [e, result.classes.length + k]));
    // Members of a class get identical verdicts: each side is asked once per pair of a subject class and a peer.
    const verdicts = new Map<string, SideVerdict>();
    const verdict = (direction: Direction, subject: WorkloadClass, peer: Peer): SideVerdict => {
      const peerIndex = peer.kind === 'class' ? peer.workloadClass.index : externalIndex.get(peer.endpoint)!;
      return cached(verdicts, `${direction}|${subject.index}|${peerIndex}`, () => {
        const own = view.endpoint(subject.representative);
        const other = peer.kind === 'class' ? view.endpoint(peer.workloadClass.representative) : peer.endpoint;
        // Only the NetworkPolicies' rules are judged: their side, whatever a layered result adds.
        return result.networkPolicySide(direction, own, other);
      });
    };
    // Groups are shared (the view keeps them per peer, policy and rule): their first members are found once.
    const firstPeers = new WeakMap<ClassGroup, Ranked[]>();
    const firstSubjectsOf = new WeakMap<ClassGroup, Ranked[]>();
    const isolating = (direction: Direction, group: ClassGroup): readonly CompiledPolicy[] =>
      result.policiesSelecting(group.workloadClass.representative)[direction];
    // Reported rules and policies are taken out of later checks, so that removing everything reported
    // together changes nothing: of two identical rules, only one is reported (the later one).
    const removedPolicies = new Set<CompiledPolicy>();
    const removedRules = new Set<PolicyRule>();

    const coverage = (policy: CompiledPolicy, rule: PolicyRule, withoutPolicy: boolean): Coverage | undefined => {
      const subjects = view.groupsSelectedBy(policy);
      const counts = (q: CompiledPolicy): boolean => !removedPolicies.has(q) && !(withoutPolicy && q === policy);
      const hasOtherRules = (subject: ClassGroup): boolean =>
        isolating(rule.direction, subject).some((q) => counts(q) && q[rule.direction]!.rules.some((r) => r !== rule && !removedRules.has(r)));
      // Cheap before the pairs: with no other rule for any subject, only a rule that allows nothing could be covered.
      if (!subjects.some(hasOtherRules)) return undefined;
      const matches = view.ruleMatches(rule);
      const peers: Peer[] = [
        ...matches.groups.map(
          (group): Peer => ({ kind: 'class', workloadClass: group.workloadClass, first: cached(firstPeers, group, () => firstTwo(group, view.rankInModel)) }),
        ),
        // External ranges come after every workload in the engine's endpoint order.
        ...matches.externals.map((endpoint, k): Peer => ({ kind: 'external', endpoint, rank: model.workloads.length + k })),
      ];
      // The helping rules of each pair, with where the pair's first workloads stand among the subjects (id order)
      // and the peers (the engine's endpoint order): covering rules are named in the order they are first met.
      const met: { subject: number; peer: number; helping: readonly RuleContribution[] }[] = [];
      let allowsSomething = false;
      for (const subject of subjects) {
        const firstSubjects = cached(firstSubjectsOf, subject, () => firstTwo(subject, view.rankById));
        for (const peer of peers) {
          const first = firstPair(firstSubjects, peer);
          if (first === undefined) continue;
          const side = verdict(rule.direction, subject.workloadClass, peer);
          // The engine's contributions resolve named ports on each pair's destination (semantics point 6).
          const own = side.allowedBy.find((c) => c.rule === rule)?.connections ?? ConnectionSet.NONE;
          if (own.isEmpty) continue;
          allowsSomething = true;
          let others = ConnectionSet.NONE;
          const helping = side.allowedBy.filter(
            (c) =>
              c.rule !== rule &&
              !removedRules.has(c.rule) &&
              counts(c.policy) &&
              !c.connections.intersect(own).isEmpty,
          );
          for (const c of helping) others = others.union(c.connections);
          if (!own.isSubsetOf(others)) return undefined;
          met.push({ ...first, helping });
        }
      }
      met.sort((a, b) => a.subject - b.subject || a.peer - b.peer);
      const covering = new Map<PolicyRule, CompiledPolicy>();
      for (const { helping } of met) for (const c of helping) covering.set(c.rule, c.policy);
      return { allowsSomething, covering };
    };

    // Findings are located in their policy. A policy is judged against the policies isolating the pods it selects,
    // which share its namespace: a lint of some files needs the namespaces of the policies located there.
    const namespaces = new Set(model.policies.filter((p) => inScope(p.location.file)).map((p) => p.namespace));
    const policies = [...model.policies].reverse().filter((p) => namespaces.has(p.namespace));
    for (const policy of policies) {
      const directions = (['ingress', 'egress'] as const).filter((d) => policy[d] !== undefined);
      const rules = directions.flatMap((d) => policy[d]!.rules);
      const selected = view.groupsSelectedBy(policy);
      if (rules.length === 0 || selected.length === 0) continue;
      // A policy that is the only one isolating some pod in a direction is never redundant: it isolates.
      const isolatedElsewhere = directions.every((d) =>
        selected.every((group) => isolating(d, group).some((q) => q !== policy && !removedPolicies.has(q))),
      );
      if (!isolatedElsewhere) continue;
      const coverages: Coverage[] = [];
      for (const rule of rules) {
        const found = coverage(policy, rule, true);
        if (found === undefined) break;
        coverages.push(found);
      }
      if (coverages.length < rules.length || !coverages.some((c) => c.allowsSomething)) continue;
      const covering = [...new Set(coverages.flatMap((c) => [...c.covering.values()]))];
      report({
        messageId: 'redundantPolicy',
        data: { policy: policy.id, covering: formatList(covering.map((p) => p.id)) },
        location: policy.location,
        related: covering.map((p) => ({ location: p.location, message: `${p.id} allows the same connections to the same pods` })),
      });
      removedPolicies.add(policy);
    }

    for (const policy of policies) {
      if (removedPolicies.has(policy)) continue;
      for (const direction of ['egress', 'ingress'] as const) {
        for (const rule of [...(policy[direction]?.rules ?? [])].reverse()) {
          const found = coverage(policy, rule, false);
          if (found === undefined || !found.allowsSomething) continue;
          const covering = [...found.covering].map(([r, p]) => ({ label: ruleLabel(p, r), location: r.location }));
          report({
            messageId: 'redundantRule',
            data: { rule: ruleLabel(policy, rule), covering: formatList(covering.map((c) => c.label)) },
            location: rule.location,
            related: covering.map((c) => ({ location: c.location, message: `${c.label} also allows these connections` })),
          });
          removedRules.add(rule);
        }
      }
    }
  },
});

/** The first two members of a group in some order, with their positions in it. */
function firstTwo(group: ClassGroup, rank: (workload: Workload) => number): Ranked[] {
  let first: Ranked | undefined;
  let second: Ranked | undefined;
  for (const workload of group.members) {
    const ranked = { workload, rank: rank(workload) };
    if (first === undefined || ranked.rank < first.rank) [first, second] = [ranked, first];
    else if (second === undefined || ranked.rank < second.rank) second = ranked;
  }
  return [first, second].filter((r) => r !== undefined);
}

/**
 * The positions of the first pair of workloads, in the order subjects (by id) then peers are walked, that a subject
 * class and a peer make: a bare Pod paired with itself is loopback and left out (undefined when nothing is left).
 */
function firstPair(subjects: readonly Ranked[], peer: Peer): { subject: number; peer: number } | undefined {
  const [s0, s1] = subjects;
  if (s0 === undefined) return undefined;
  if (peer.kind === 'external') return { subject: s0.rank, peer: peer.rank };
  const [p0, p1] = peer.first;
  if (p0 === undefined) return undefined;
  if (p0.workload !== s0.workload || !isSinglePod(s0.workload)) return { subject: s0.rank, peer: p0.rank };
  if (p1 !== undefined) return { subject: s0.rank, peer: p1.rank };
  return s1 === undefined ? undefined : { subject: s1.rank, peer: p0.rank };
}
