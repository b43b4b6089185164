// overridden-allow: a NetworkPolicy peer whose every pair a policy evaluated before the NetworkPolicies denies.
import { z } from 'zod';
import { LayeredResult } from '../admin/layered.js';
import { createRule, type RelatedLocation } from '../lint/types.js';
import type { Direction } from '../semantics/policy-ir.js';
import { classView, formatList, type ClassGroup } from './rule-support.js';
import { groupGaps, peerGaps } from './side-gaps.js';

export default createRule({
  meta: {
    id: 'overridden-allow',
    category: 'unreachable',
    defaultSeverity: 'warning',
    description:
      'A NetworkPolicy peer whose connections an admin network policy or Calico policy evaluated first denies, for every pair it names',
    messages: {
      egressOverridden:
        'egress allows {{sources}} => {{destinations}} on {{connections}}, but {{by}} it first',
      ingressOverridden:
        'ingress admits {{sources}} => {{destinations}} on {{connections}}, but {{by}} it first',
    },
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    const { result } = analysis;
    // Without admin or Calico tiers a side allows at least what each of its NetworkPolicy rules allows.
    if (!(result instanceof LayeredResult)) return;
    const view = classView(result);
    // A class pair whose tiers before the NetworkPolicies hold no step that could deny it needs no verdict.
    const mayDeny = (direction: Direction) => (subject: ClassGroup, peer: ClassGroup) =>
      result.mayOverrideNetworkPolicies(
        direction,
        view.endpoint(subject.workloadClass.representative),
        view.endpoint(peer.workloadClass.representative),
      );
    for (const policy of result.model.policies) {
      // Every finding is located at a peer of the policy.
      if (!inScope(policy.location.file)) continue;
      const selected = view.groupsSelectedBy(policy);
      for (const direction of ['egress', 'ingress'] as const) {
        for (const rule of policy[direction]?.rules ?? []) {
          if (rule.peers.kind !== 'list') continue;
          // Peers that name workloads: a rule without from/to, or an ipBlock, names no one in particular, and tiers
          // carving some peers out of it are a guardrail working as meant.
          for (const peer of rule.peers.peers) {
            if (peer.kind !== 'pods') continue;
            // Only a peer that works for no pair it names: one a tier merely narrows (an admin policy denying one
            // namespace of many) still does what its author meant for the rest.
            const gaps = peerGaps(view, {
              selected,
              direction,
              rule,
              peer,
              side: 'own',
              everyPair: true,
              mayDeny: mayDeny(direction),
            });
            for (const group of groupGaps(gaps, view.rankById)) {
              const owns = group.owns.map((w) => w.id);
              const others = group.others.map((w) => w.id);
              const denials = [...group.deniedBy.values()].map(({ denial }) => denial);
              const policies = [...new Set(denials.map((d) => policyTitle(d.policy)))];
              const related: RelatedLocation[] = denials.map((denial) => ({
                location: denial.location,
                message:
                  denial.how === 'denies'
                    ? `a rule of ${policyTitle(denial.policy)} denies it`
                    : `${policyTitle(denial.policy)} applies in a tier evaluated first, which drops what its policies do not allow`,
              }));
              report({
                messageId: direction === 'egress' ? 'egressOverridden' : 'ingressOverridden',
                data: {
                  sources: formatList(direction === 'egress' ? owns : others),
                  destinations: formatList(direction === 'egress' ? others : owns),
                  connections: group.denied.toString(),
                  by:
                    policies.length === 0
                      ? 'a tier denies'
                      : `${formatList(policies)} ${policies.length === 1 ? 'denies' : 'deny'}`,
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

/** A policy as messages name it: a Calico namespaced NetworkPolicy (`NetworkPolicy/ns/name`) says it is Calico's. */
function policyTitle(id: string): string {
  return id.startsWith('NetworkPolicy/') ? `Calico NetworkPolicy ${id.slice('NetworkPolicy/'.length)}` : id;
}
