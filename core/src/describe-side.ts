// One side of an explained verdict in words: the admin tiers, Calico's tiers or the NetworkPolicies that decide it,
// each policy and rule with its place. The CLI prints the lines (places as file:line:col, colours in a terminal); the
// language server sends them (places as links).
import type { AdminSideVerdict, AdminStep } from './admin/evaluate.js';
import type { CalicoChain, CalicoSideVerdict } from './calico/evaluate.js';
import { ConnectionSet } from './semantics/connection-set.js';
import type { SourceLocation } from './source/source.js';

/**
 * A piece of a line: text; the side it is about (bold in a terminal); a verdict (green when it allows something, red
 * when nothing); a place, which reads " at <place>" in text and is a link in an editor.
 */
export type ExplainSegment =
  | string
  | { readonly subject: string }
  | { readonly verdict: ConnectionSet }
  | { readonly at: SourceLocation };

export type ExplainLine = readonly ExplainSegment[];

/** A side as explain gives it: a NetworkPolicy side, possibly with an admin or a Calico chain. */
export type DescribedSide = AdminSideVerdict & CalicoSideVerdict;

export function describeSide(side: DescribedSide): ExplainLine[] {
  if (side.calicoChain !== undefined) return describeCalicoChain(side, side.calicoChain);
  const chain = describeAdminChain(side);
  if (chain.length > 0 && side.adminChain?.networkPolicyIsolates !== true) return chain;
  const policyLines = describeNetworkPolicies(side);
  // The chain already says what NetworkPolicy allows: keep the policies and rules, not the side's header.
  return chain.length === 0 ? policyLines : [...chain, ...policyLines.slice(1)];
}

/** The admin tiers' decisions before and after NetworkPolicy: "ANP 'ops' passes, then NetworkPolicy ... allows". */
function describeAdminChain(side: AdminSideVerdict): ExplainLine[] {
  const chain = side.adminChain;
  if (chain === undefined) return [];
  const verb = { allow: 'allows', deny: 'denies', pass: 'passes' } as const;
  const step = (s: AdminStep): ExplainLine => {
    const rule = `${side.direction} rule ${s.rule.index + 1}${s.rule.name === undefined ? '' : ` "${s.rule.name}"`}`;
    return [`  ${s.policy.kind} '${s.policy.name}' ${verb[s.action]} ${s.connections.toString()} (${rule}`, { at: s.rule.location }, ')'];
  };
  const lines: ExplainLine[] = [header(side, ': admin policies decide first: allows ', side.connections)];
  lines.push(...chain.admin.map(step));
  if (chain.toNetworkPolicy.isEmpty) return lines;
  if (chain.networkPolicyIsolates) {
    const count = side.isolatedBy.length;
    const allows = (side.networkPolicyConnections ?? side.connections).toString();
    lines.push([`  then NetworkPolicy decides ${chain.toNetworkPolicy.toString()}: isolated by ${count} polic${count === 1 ? 'y, which allows' : 'ies, which allow'} ${allows}`]);
  } else {
    lines.push([`  then no NetworkPolicy isolates it, so the baseline decides ${chain.toNetworkPolicy.toString()}`]);
    lines.push(...chain.baseline.map(step));
    if (!chain.defaultAllowed.isEmpty) lines.push([`  then nothing matches ${chain.defaultAllowed.toString()}: allowed by default`]);
  }
  return lines;
}

/** Calico's tiers in order: "tier 'security': GlobalNetworkPolicy 'deny-db' denies TCP 5432 (...)", each tier's end, the profile. */
function describeCalicoChain(side: CalicoSideVerdict, chain: CalicoChain): ExplainLine[] {
  const verb = { allow: 'allows', deny: 'denies', pass: 'passes', log: 'logs' } as const;
  const lines: ExplainLine[] = [header(side, ': Calico tiers decide: allows ', side.connections)];
  for (const step of chain.steps) {
    if (step.action === 'end-of-tier-deny' || step.action === 'end-of-tier-pass') {
      const action = step.action === 'end-of-tier-deny' ? 'drops it (defaultAction Deny)' : 'passes it on (defaultAction Pass)';
      lines.push([`  tier '${step.tier}': no rule decides ${step.connections.toString()}: the end of the tier ${action}`]);
      // The policies that make the tier apply: a default-tier GlobalNetworkPolicy isolates like a NetworkPolicy.
      const policies = step.tierPolicies ?? [];
      if (policies.length > 0) {
        const through: ExplainSegment[] = ['    (the tier applies through '];
        policies.forEach((p, k) => {
          through.push(`${k === 0 ? '' : ', '}${p.kind === 'KubernetesNetworkPolicy' ? p.id : `${p.kind}/${p.name}`}`, { at: p.location });
        });
        lines.push([...through, ')']);
      }
    } else {
      const policy = step.policy!;
      const kind = policy.kind === 'KubernetesNetworkPolicy' ? 'Kubernetes NetworkPolicy' : policy.kind;
      const name = policy.kind === 'KubernetesNetworkPolicy' ? policy.id : policy.name;
      lines.push([
        `  tier '${step.tier}': ${kind} '${name}' ${verb[step.action]} ${step.connections.toString()} (${side.direction} rule ${step.rule!.index + 1}`,
        { at: step.rule!.location },
        ')',
      ]);
    }
  }
  if (chain.steps.length === 0) lines.push(['  no policy in any tier applies to it: the namespace profile allows All Connections']);
  else if (!chain.profileAllowed.isEmpty) lines.push([`  then no tier decides ${chain.profileAllowed.toString()}: the namespace profile allows it`]);
  return lines;
}

function describeNetworkPolicies(side: AdminSideVerdict): ExplainLine[] {
  const who = { subject: `${side.direction} of ${side.subject.id}` };
  if (side.exemptBecause === 'external') {
    return [[who, `: not governed by policies (an address outside the cluster): allows ${ConnectionSet.ALL.toString()}`]];
  }
  if (side.exemptBecause === 'host-network') {
    return [[who, `: a hostNetwork workload, which pod selectors cannot select: allows ${ConnectionSet.ALL.toString()}`]];
  }
  if (side.isolatedBy.length === 0) {
    return [[who, `: not isolated (no policy selects it for ${side.direction}): allows All Connections`]];
  }
  // With an admin chain, `connections` is the side's final verdict; the NetworkPolicy line says what NetworkPolicy alone allows.
  const count = side.isolatedBy.length;
  const lines: ExplainLine[] = [
    [who, `: isolated by ${count} polic${count === 1 ? 'y' : 'ies'}: allows `, { verdict: side.networkPolicyConnections ?? side.connections }],
  ];
  for (const policy of side.isolatedBy) {
    const direction = policy[side.direction]!;
    const why = direction.defaulted ? `${side.direction} by default` : `policyTypes lists ${side.direction === 'ingress' ? 'Ingress' : 'Egress'}`;
    lines.push([`  policy ${policy.id} (${why})`, { at: direction.location }]);
    const contributions = side.allowedBy.filter((c) => c.policy === policy);
    if (contributions.length === 0) {
      const peer = side.direction === 'ingress' ? 'this source' : 'this destination';
      lines.push([`    no ${side.direction} rule of it matches ${peer}`]);
    }
    for (const contribution of contributions) {
      const allows = contribution.connections.isEmpty
        ? 'matches the peer but none of its ports applies (named port not found on the destination)'
        : `allows ${contribution.connections.toString()}`;
      lines.push([`    ${side.direction} rule ${contribution.rule.index + 1} ${allows}`, { at: contribution.rule.location }]);
    }
  }
  return lines;
}

function header(side: CalicoSideVerdict | AdminSideVerdict, text: string, verdict: ConnectionSet): ExplainLine {
  return [{ subject: `${side.direction} of ${side.subject.id}` }, text, { verdict }];
}
