// Hover: what a policy selects and allows, what a selector or rule matches, who reaches a workload and whom it reaches.
import type { CalicoPolicy, CompiledPolicy, Endpoint, Workload } from '@kubereach/core';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { Snapshot } from './snapshot.js';
import { admittedPaths, formatPorts, matchedWorkloads, peerWorkloads, targetAt, type Target } from './targets.js';

/** Lists longer than this end with "and N more". */
const LIST_LIMIT = 12;

function bullets(items: readonly string[]): string {
  if (items.length === 0) return '- none';
  const shown = items.slice(0, LIST_LIMIT).map((item) => `- ${item}`);
  if (items.length > LIST_LIMIT) shown.push(`- … and ${items.length - LIST_LIMIT} more`);
  return shown.join('\n');
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function ids(workloads: readonly Workload[]): string[] {
  return workloads.map((w) => `\`${w.id}\``);
}

function policyHover(snapshot: Snapshot, policy: CompiledPolicy): string {
  const { result } = snapshot.analysis;
  const selected = result.selectedWorkloads(policy);
  const parts = [`**NetworkPolicy ${policy.id}** selects ${plural(selected.length, 'workload')}:`, bullets(ids(selected))];
  for (const direction of [policy.ingress, policy.egress]) {
    if (direction === undefined) continue;
    const rules = direction.rules;
    const name = rules[0]?.direction ?? (direction === policy.ingress ? 'ingress' : 'egress');
    if (rules.length === 0) {
      parts.push(`**${name}**: isolated, nothing allowed`);
      continue;
    }
    parts.push(`**${name}**: ${plural(rules.length, 'rule')}`);
    parts.push(
      bullets(
        rules.map((rule) => {
          const peers = rule.peers.kind === 'any' ? 'any peer' : plural(result.peersMatchedBy(rule).length, 'peer');
          return `rule ${rule.index + 1}: ${rule.direction === 'ingress' ? 'from' : 'to'} ${peers} on ${formatPorts(rule.ports)}`;
        }),
      ),
    );
  }
  if (policy.ingress === undefined && policy.egress === undefined) parts.push('isolates neither ingress nor egress under the network plugin in use');
  parts.push(`admits ${plural(admittedPaths(snapshot, policy), 'path')} on its side`);
  return parts.join('\n\n');
}

const ACTION_NAMES = { allow: 'Allow', deny: 'Deny', pass: 'Pass', log: 'Log' } as const;

function calicoPolicyHover(snapshot: Snapshot, policy: CalicoPolicy): string {
  const tier = snapshot.calico.tiers.find((t) => t.name === policy.tier);
  const where = `tier \`${policy.tier}\`${policy.order === undefined ? ', no order (last in its tier)' : `, order ${policy.order}`}`;
  const { profile } = snapshot.analysis.cni;
  if (profile.capabilities.calicoPolicies !== 'supported') {
    return `**${policy.id}** (${where}) is ignored: ${profile.family.displayName} does not enforce Calico policies`;
  }
  if (tier === undefined) return `**${policy.id}** is not applied: no Tier \`${policy.tier}\` is defined`;
  const applies = snapshot.calicoApplies(policy);
  const parts = [`**${policy.id}** (${where}) applies to ${plural(applies.length, 'workload')}:`, bullets(ids(applies))];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = policy[direction];
    if (rules === undefined) continue;
    parts.push(
      rules.length === 0
        ? `**${direction}**: no rules: the tier's default action (${tier.defaultAction === 'pass' ? 'Pass' : 'Deny'}) decides`
        : `**${direction}**: ${rules.map((r) => `${r.index + 1}. ${ACTION_NAMES[r.action]}`).join(', ')}; then the tier's default action (${tier.defaultAction === 'pass' ? 'Pass' : 'Deny'})`,
    );
  }
  return parts.join('\n\n');
}

function reachList(snapshot: Snapshot, workload: Workload, direction: 'in' | 'out'): string[] {
  const { result } = snapshot.analysis;
  const self = result.workloads.find((e) => e.workload === workload);
  if (self === undefined) return [];
  const lines: string[] = [];
  for (const other of result.endpoints as readonly Endpoint[]) {
    if (other === self) continue;
    const connections = direction === 'in' ? result.allowed(other, self) : result.allowed(self, other);
    if (!connections.isEmpty) lines.push(`\`${other.id}\`: ${connections.toString()}`);
  }
  return lines;
}

function workloadHover(snapshot: Snapshot, workload: Workload): string {
  const selecting = snapshot.analysis.result.policiesSelecting(workload);
  const names = (policies: readonly CompiledPolicy[]) => (policies.length === 0 ? 'not isolated' : policies.map((p) => `\`${p.id}\``).join(', '));
  const incoming = reachList(snapshot, workload, 'in');
  const outgoing = reachList(snapshot, workload, 'out');
  return [
    `**${workload.id}**`,
    `ingress: ${names(selecting.ingress)}; egress: ${names(selecting.egress)}`,
    `**reached by** ${plural(incoming.length, 'endpoint')}:`,
    bullets(incoming),
    `**reaches** ${plural(outgoing.length, 'endpoint')}:`,
    bullets(outgoing),
  ].join('\n\n');
}

function hoverText(snapshot: Snapshot, target: Target): string {
  switch (target.kind) {
    case 'policy':
      return policyHover(snapshot, target.policy);
    case 'pod-selector': {
      const selected = matchedWorkloads(snapshot, target);
      return [`**podSelector** of ${target.policy.id} selects ${plural(selected.length, 'workload')}:`, bullets(ids(selected))].join('\n\n');
    }
    case 'rule': {
      const peers = snapshot.analysis.result.peersMatchedBy(target.rule);
      const side = target.rule.direction === 'ingress' ? 'from' : 'to';
      return [
        `**${target.rule.direction} rule ${target.rule.index + 1}** of ${target.policy.id}: ${side} ${plural(peers.length, 'endpoint')} on ${formatPorts(target.rule.ports)}`,
        bullets(peers.map((p) => `\`${p.id}\``)),
      ].join('\n\n');
    }
    case 'peer': {
      if (target.peer.kind === 'ipBlock') {
        const text = snapshot.analysis.load.sources.get(target.peer.location.file)?.text ?? '';
        return `**ipBlock peer**: addresses outside the cluster's pods\n\n\`\`\`yaml\n${text.slice(target.peer.location.range.start, target.peer.location.range.end).trim()}\n\`\`\``;
      }
      const matched = peerWorkloads(snapshot, target.peer);
      return [`**peer** matches ${plural(matched.length, 'workload')}:`, bullets(ids(matched))].join('\n\n');
    }
    case 'workload':
      return workloadHover(snapshot, target.workload);
    case 'calico-policy':
      return calicoPolicyHover(snapshot, target.policy);
    case 'service': {
      const matched = matchedWorkloads(snapshot, target);
      const head = target.selector === undefined ? 'has no selector' : `selects ${plural(matched.length, 'workload')}`;
      return [`**Service ${target.object.namespace ?? snapshot.config?.config.namespace ?? 'default'}/${target.object.name}** ${head}:`, bullets(ids(matched))].join('\n\n');
    }
  }
}

export function hover(snapshot: Snapshot, uri: string, position: Position): Hover | undefined {
  const file = snapshot.fileOf(uri);
  const target = targetAt(snapshot, file, snapshot.positions.offset(file, position));
  if (target === undefined) return undefined;
  return { contents: { kind: MarkupKind.Markdown, value: hoverText(snapshot, target) } };
}
