// Shared by ingress-from-anywhere and egress-to-anywhere: rules and peers that admit every source or destination.
import { z } from 'zod';
import type { Analysis } from '../analyze.js';
import type { RuleContext } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import { namedPortTable } from '../engine/classes.js';
import { selectsEveryNamespace } from '../semantics/label-selector.js';
import type { Direction, Peer, PortSpec } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { classView, formatPorts, ruleLabel } from './rule-support.js';

export const openPeerOptions = z.strictObject({
  /** Ports on which admitting everyone is intended (443 on a public frontend). */
  allowPorts: z.array(z.number().int().min(1).max(65535)).default([]),
});

export type OpenPeerOptions = z.infer<typeof openPeerOptions>;

/** How wide an open peer is: no from/to at all, every pod of every namespace, or a whole address family. */
type OpenReach =
  | { readonly kind: 'everything' }
  /** `selector`: how the peer says every namespace. */
  | { readonly kind: 'every-pod'; readonly selector: string }
  | { readonly kind: 'every-address'; readonly family: 'IPv4' | 'IPv6'; readonly cidr: string };

interface OpenPeer {
  readonly reach: OpenReach;
  /** The peer, or the rule when from/to is missing or empty. */
  readonly location: SourceLocation;
  /** Data for the message: the rule and its ports as written. */
  readonly data: { readonly rule: string; readonly ports: string };
}

/**
 * The open peers of every rule of `direction` in the files in scope, leaving out rules whose ports all are in
 * `allowPorts`.
 */
function findOpenPeers(
  analysis: Analysis,
  direction: Direction,
  options: OpenPeerOptions,
  inScope: (file: string) => boolean,
): OpenPeer[] {
  const { model } = analysis;
  const allowed = new Set(options.allowPorts);
  const view = classView(analysis.result);
  const open: OpenPeer[] = [];
  for (const policy of model.policies) {
    // An open peer is located at the peer or its rule, in the policy's file.
    if (!inScope(policy.location.file)) continue;
    // Only directions the policy has (semantics point 1): rules of a direction missing from policyTypes do nothing.
    for (const rule of policy[direction]?.rules ?? []) {
      const data = { rule: ruleLabel(policy, rule), ports: formatPorts(rule.ports) };
      // Named ports resolve on the destination: the selected pods for ingress, the peer's pods for egress (point 6).
      // Members of a class declare the same named ports, so one member per class stands for all.
      const portsAllowed = (destinations: () => readonly Workload[]): boolean =>
        rule.ports.kind === 'list' && rule.ports.ports.every((spec) => portAllowed(spec, allowed, destinations));
      const selected = (): Workload[] => view.groupsSelectedBy(policy).map((g) => g.members[0]!);
      if (rule.peers.kind === 'any') {
        const everyWorkload = (): readonly Workload[] => view.result.classes.map((c) => c.representative);
        if (!portsAllowed(direction === 'ingress' ? selected : everyWorkload)) {
          open.push({ reach: { kind: 'everything' }, location: rule.location, data });
        }
        continue;
      }
      for (const peer of rule.peers.peers) {
        const reach = openReach(peer);
        if (reach === undefined) continue;
        const matched = (): Workload[] => (peer.kind === 'pods' ? view.groupsMatchedBy(peer).map((g) => g.members[0]!) : []);
        if (!portsAllowed(direction === 'ingress' ? selected : matched)) open.push({ reach, location: peer.location, data });
      }
    }
  }
  return open;
}

function openReach(peer: Peer): OpenReach | undefined {
  if (peer.kind === 'ipBlock') {
    // Prefix 0 is the whole family, whatever the address bits (`0.0.0.0/0`, `::/0`, `::ffff:0.0.0.0/96`).
    if (peer.cidr.prefixLength !== 0 || peer.except.length > 0) return undefined;
    return { kind: 'every-address', family: peer.cidr.family === 4 ? 'IPv4' : 'IPv6', cidr: peer.cidr.text };
  }
  // A podSelector alone stays in the policy's namespace; `namespaceSelector: {}` (or one asking only that
  // kubernetes.io/metadata.name exists) reaches every namespace.
  const everyNamespace = peer.namespaces.kind === 'selected' && selectsEveryNamespace(peer.namespaces.selector);
  if (!everyNamespace || peer.pods.kind !== 'everything') return undefined;
  const selector =
    peer.namespaces.selector.kind === 'everything'
      ? 'namespaceSelector: {}'
      : 'its namespaceSelector asks for kubernetes.io/metadata.name, which every namespace has';
  return { kind: 'every-pod', selector };
}

/**
 * True when a ports entry opens nothing outside `allowed`: a number or range inside it, or a
 * named port that resolves, on every destination where it resolves at all, to allowed numbers.
 */
function portAllowed(spec: PortSpec, allowed: ReadonlySet<number>, destinations: () => readonly Workload[]): boolean {
  switch (spec.match.kind) {
    case 'all':
      return false;
    case 'range':
      for (let port = spec.match.start; port <= spec.match.end; port++) if (!allowed.has(port)) return false;
      return true;
    case 'named': {
      const { name } = spec.match;
      return destinations().every((w) => namedPortTable(w).lookup(name, spec.protocol).every((port) => allowed.has(port)));
    }
  }
}

export type OpenPeerMessageId = 'everything' | 'everyPod' | 'everyAddress';

/** The check of both rules: one finding per open peer (or per rule without from/to). */
export function checkOpenPeers(direction: Direction) {
  return ({ analysis, options, inScope, report }: RuleContext<OpenPeerMessageId, OpenPeerOptions>): void => {
    for (const { reach, location, data } of findOpenPeers(analysis, direction, options, inScope)) {
      if (reach.kind === 'every-address') {
        report({ messageId: 'everyAddress', data: { ...data, family: reach.family, cidr: reach.cidr }, location });
      } else if (reach.kind === 'every-pod') report({ messageId: 'everyPod', data: { ...data, selector: reach.selector }, location });
      else report({ messageId: 'everything', data, location });
    }
  };
}
