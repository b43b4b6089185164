// Admin policies over the ends of a path the manifests hold only in part (the service layer's virtual components): which
// select a subject, and what their rules decide with a peer, three-valued.
import {
  and3,
  portTableOf,
  selectorTruth,
  some3,
  uncertainStep,
  type NetworkPolicyParties,
  type Party,
  type PartialPod,
  type Truth,
  type UncertainStep,
  type UncertainTier,
} from '../engine/party.js';
import type { WorkloadEndpoint } from '../engine/endpoints.js';
import type { Direction } from '../semantics/policy-ir.js';
import { resolveAdminPorts, type AdminPolicy, type AdminRule } from './compile.js';
import type { AdminConnectivityResult } from './evaluate.js';

/**
 * Whether an admin policy's subject selects a subject: the engine's answer for a workload; a pod known in part is a
 * subject only of the policies that surely select it, as for NetworkPolicies (NetworkPolicyParties.selecting).
 */
export function adminSubjectSelects(
  admin: AdminConnectivityResult,
  policy: AdminPolicy,
  subject: WorkloadEndpoint | PartialPod,
): boolean {
  if (subject.kind === 'workload') return admin.subjectSelects(policy, subject);
  return (
    and3(
      selectorTruth(policy.subject.namespaces, subject.namespaceLabels),
      selectorTruth(policy.subject.pods, subject.labels),
    ) === true
  );
}

/** Whether a rule's peers match a party: the engine's answer for its endpoints, three-valued for a pod known in part. */
export function adminPeerTruth(admin: AdminConnectivityResult, rule: AdminRule, party: Party): Truth {
  if (party.kind !== 'partial') return admin.peerMatches(rule, party);
  if (rule.peers === 'all') return true;
  return some3(rule.peers, (match): Truth => {
    switch (match.kind) {
      case 'pods':
        return and3(
          selectorTruth(match.namespaces, party.namespaceLabels),
          selectorTruth(match.pods, party.labels),
        );
      case 'networks':
        // Its address is unknown, as a pod template's: only networks covering its whole family surely hold it (peerMatches).
        return admin.networksHoldUnknownAddress(match.cidrs);
      case 'unmodelled':
        return false;
    }
  });
}

/** One admin policy's rules of a direction as steps for the pair, in order (named ports resolve on the destination). */
export function adminRuleSteps(
  admin: AdminConnectivityResult,
  policy: AdminPolicy,
  direction: Direction,
  subject: Party,
  peer: Party,
): UncertainStep[] {
  const table = portTableOf(direction === 'ingress' ? subject : peer);
  return policy[direction].flatMap((rule): UncertainStep[] => {
    const truth = adminPeerTruth(admin, rule, peer);
    if (truth === false) return [];
    return [uncertainStep(rule.action, truth, resolveAdminPorts(rule.ports, table), policy.id, rule)];
  });
}

/**
 * A side's tiers as AdminConnectivityResult.decideSide walks them: the admin tier (what no rule decides passes on), then
 * the NetworkPolicies where they isolate the subject, else the baseline tier; what is left is allowed.
 */
export function adminPartyTiers(
  admin: AdminConnectivityResult,
  direction: Direction,
  subject: WorkloadEndpoint | PartialPod,
  peer: Party,
  networkPolicies: NetworkPolicyParties,
): UncertainTier[] {
  const applicable = admin.adminPolicies.filter(
    (p) => p[direction].length > 0 && adminSubjectSelects(admin, p, subject),
  );
  const tier = (name: string, policies: readonly AdminPolicy[]): UncertainTier[] =>
    policies.length === 0
      ? []
      : [
          {
            name,
            defaultPass: true,
            policies,
            steps: policies.flatMap((p) => adminRuleSteps(admin, p, direction, subject, peer)),
          },
        ];
  const block = networkPolicies.tier(direction, subject, peer);
  return [
    ...tier(
      'admin',
      applicable.filter((p) => p.tier === 'admin'),
    ),
    ...(block !== undefined
      ? [block]
      : tier(
          'baseline',
          applicable.filter((p) => p.tier === 'baseline'),
        )),
  ];
}
