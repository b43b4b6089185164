// Renders an explained verdict: each side's isolating policies and the rules that allow which connections.
import { ConnectionSet, type AdminPairExplanation, type AdminSideVerdict, type CalicoSideVerdict, type PortProtocol } from '@kubereach/core';
import type { Locations } from './report-issues.js';
import type { Style } from './terminal.js';

export interface PortQuery {
  readonly protocol: PortProtocol;
  readonly port: number;
}

type SideVerdict = AdminSideVerdict & CalicoSideVerdict;

function describeSide(side: SideVerdict, locations: Locations, style: Style, query: PortQuery | undefined): string[] {
  const lines = describeSideVerdict(side, locations, style);
  if (query !== undefined) {
    const allowed = side.connections.allows(query.protocol, query.port);
    const verdict = `${query.protocol} ${query.port} ${allowed ? 'allowed' : 'denied'} on this side`;
    lines[0] = `${lines[0]} (${allowed ? style.green(verdict) : style.red(verdict)})`;
  }
  return lines;
}

/** The admin tiers' decisions before and after NetworkPolicy: "ANP 'ops' passes, then NetworkPolicy ... allows". */
function describeAdminChain(side: AdminSideVerdict, locations: Locations, style: Style): string[] {
  const chain = side.adminChain;
  if (chain === undefined) return [];
  const verb = { allow: 'allows', deny: 'denies', pass: 'passes' } as const;
  const step = (s: NonNullable<AdminSideVerdict['adminChain']>['admin'][number]): string => {
    const rule = `${side.direction} rule ${s.rule.index + 1}${s.rule.name === undefined ? '' : ` "${s.rule.name}"`}`;
    return `  ${s.policy.kind} '${s.policy.name}' ${verb[s.action]} ${s.connections.toString()} (${rule} at ${locations.format(s.rule.location)})`;
  };
  const lines = [`${style.bold(`${side.direction} of ${side.subject.id}`)}: admin policies decide first: allows ${colorConnections(side.connections, style)}`];
  lines.push(...chain.admin.map(step));
  if (chain.toNetworkPolicy.isEmpty) return lines;
  if (chain.networkPolicyIsolates) {
    const count = side.isolatedBy.length;
    const allows = (side.networkPolicyConnections ?? side.connections).toString();
    lines.push(`  then NetworkPolicy decides ${chain.toNetworkPolicy.toString()}: isolated by ${count} polic${count === 1 ? 'y, which allows' : 'ies, which allow'} ${allows}`);
  } else {
    lines.push(`  then no NetworkPolicy isolates it, so the baseline decides ${chain.toNetworkPolicy.toString()}`);
    lines.push(...chain.baseline.map(step));
    if (!chain.defaultAllowed.isEmpty) lines.push(`  then nothing matches ${chain.defaultAllowed.toString()}: allowed by default`);
  }
  return lines;
}

/** Calico's tiers in order: "tier 'security': GlobalNetworkPolicy 'deny-db' denies TCP 5432 (...)", each tier's end, the profile. */
function describeCalicoChain(side: CalicoSideVerdict, chain: NonNullable<CalicoSideVerdict['calicoChain']>, locations: Locations, style: Style): string[] {
  const verb = { allow: 'allows', deny: 'denies', pass: 'passes', log: 'logs' } as const;
  const lines = [`${style.bold(`${side.direction} of ${side.subject.id}`)}: Calico tiers decide: allows ${colorConnections(side.connections, style)}`];
  for (const step of chain.steps) {
    if (step.action === 'end-of-tier-deny' || step.action === 'end-of-tier-pass') {
      const action = step.action === 'end-of-tier-deny' ? 'drops it (defaultAction Deny)' : 'passes it on (defaultAction Pass)';
      // The policies that make the tier apply: a default-tier GlobalNetworkPolicy isolates like a NetworkPolicy.
      const policies = (step.tierPolicies ?? []).map((p) => `${p.kind === 'KubernetesNetworkPolicy' ? p.id : `${p.kind}/${p.name}`} at ${locations.format(p.location)}`);
      lines.push(`  tier '${step.tier}': no rule decides ${step.connections.toString()}: the end of the tier ${action}`);
      if (policies.length > 0) lines.push(`    (the tier applies through ${policies.join(', ')})`);
    } else {
      const kind = step.policy!.kind === 'KubernetesNetworkPolicy' ? 'Kubernetes NetworkPolicy' : step.policy!.kind;
      const name = step.policy!.kind === 'KubernetesNetworkPolicy' ? step.policy!.id : step.policy!.name;
      const where = `${side.direction} rule ${step.rule!.index + 1} at ${locations.format(step.rule!.location)}`;
      lines.push(`  tier '${step.tier}': ${kind} '${name}' ${verb[step.action]} ${step.connections.toString()} (${where})`);
    }
  }
  if (chain.steps.length === 0) lines.push('  no policy in any tier applies to it: the namespace profile allows All Connections');
  else if (!chain.profileAllowed.isEmpty) lines.push(`  then no tier decides ${chain.profileAllowed.toString()}: the namespace profile allows it`);
  return lines;
}

function describeSideVerdict(side: SideVerdict, locations: Locations, style: Style): string[] {
  if (side.calicoChain !== undefined) return describeCalicoChain(side, side.calicoChain, locations, style);
  const chain = describeAdminChain(side, locations, style);
  if (chain.length > 0 && side.adminChain?.networkPolicyIsolates !== true) return chain;
  const npLines = describeNetworkPolicies(side, locations, style);
  // The chain already says what NetworkPolicy allows: keep the policies and rules, not the side's header.
  return chain.length === 0 ? npLines : [...chain, ...npLines.slice(1)];
}

function describeNetworkPolicies(side: AdminSideVerdict, locations: Locations, style: Style): string[] {
  const who = `${side.direction} of ${side.subject.id}`;
  if (side.exemptBecause === 'external') {
    return [`${style.bold(who)}: not governed by policies (an address outside the cluster): allows ${ConnectionSet.ALL.toString()}`];
  }
  if (side.exemptBecause === 'host-network') {
    return [`${style.bold(who)}: a hostNetwork workload, which pod selectors cannot select: allows ${ConnectionSet.ALL.toString()}`];
  }
  if (side.isolatedBy.length === 0) {
    return [`${style.bold(who)}: not isolated (no policy selects it for ${side.direction}): allows All Connections`];
  }
  // With an admin chain, `connections` is the side's final verdict; the NetworkPolicy line says what NetworkPolicy alone allows.
  const networkPolicyConnections = side.networkPolicyConnections ?? side.connections;
  const lines = [
    `${style.bold(who)}: isolated by ${side.isolatedBy.length} polic${side.isolatedBy.length === 1 ? 'y' : 'ies'}: allows ${colorConnections(networkPolicyConnections, style)}`,
  ];
  for (const policy of side.isolatedBy) {
    const direction = policy[side.direction]!;
    const why = direction.defaulted ? `${side.direction} by default` : `policyTypes lists ${side.direction === 'ingress' ? 'Ingress' : 'Egress'}`;
    lines.push(`  policy ${policy.id} (${why}) at ${locations.format(direction.location)}`);
    const contributions = side.allowedBy.filter((c) => c.policy === policy);
    if (contributions.length === 0) {
      const peer = side.direction === 'ingress' ? 'this source' : 'this destination';
      lines.push(`    no ${side.direction} rule of it matches ${peer}`);
    }
    for (const contribution of contributions) {
      const rule = contribution.rule;
      const allows = contribution.connections.isEmpty
        ? 'matches the peer but none of its ports applies (named port not found on the destination)'
        : `allows ${contribution.connections.toString()}`;
      lines.push(`    ${side.direction} rule ${rule.index + 1} ${allows} at ${locations.format(rule.location)}`);
    }
  }
  return lines;
}

function colorConnections(connections: ConnectionSet, style: Style): string {
  return connections.isEmpty ? style.red(connections.toString()) : style.green(connections.toString());
}

export function renderExplanation(
  explanation: AdminPairExplanation,
  locations: Locations,
  style: Style,
  query: PortQuery | undefined,
): string {
  const header = `${explanation.source.id} => ${explanation.destination.id}`;
  const lines: string[] = [];
  if (query === undefined) {
    lines.push(`${style.bold(header)}: ${colorConnections(explanation.connections, style)}`);
  } else {
    const allowed = explanation.connections.allows(query.protocol, query.port);
    lines.push(`${style.bold(header)} on ${query.protocol} ${query.port}: ${allowed ? style.green('ALLOWED') : style.red('DENIED')}`);
    lines.push(`  (all allowed: ${explanation.connections.toString()})`);
  }
  lines.push('', ...describeSide(explanation.egress, locations, style, query), ...describeSide(explanation.ingress, locations, style, query));
  if (explanation.source === explanation.destination) lines.push('', 'a workload may always talk to itself (loopback)');
  return `${lines.join('\n')}\n`;
}
