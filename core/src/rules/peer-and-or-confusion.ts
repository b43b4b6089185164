// peer-and-or-confusion: a namespaceSelector peer and a podSelector peer side by side (OR) where one element (AND) was probably meant.
import { z } from 'zod';
import type { Analysis } from '../analyze.js';
import { createRule, lineBreakOf, type Fix } from '../lint/types.js';
import type { NetworkPolicyPeer } from '../manifest/kubernetes-types.js';
import type { ManifestObject } from '../manifest/types.js';
import type { PolicyRule } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { classView, networkPolicyObject, ruleLabel, type ClassGroup, type PodsPeer } from './rule-support.js';

export default createRule({
  meta: {
    id: 'peer-and-or-confusion',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A namespaceSelector peer next to a podSelector peer (either matches) where one peer with both (both must match) was probably meant',
    messages: {
      orNotAnd:
        '{{peers}} of {{rule}} are two peers, so either one matches: they admit {{orCount}}; as one element (namespaceSelector AND podSelector) they would admit {{andCount}}',
    },
    fixable: true,
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    const { model } = analysis;
    const view = classView(analysis.result);
    for (const policy of model.policies) {
      // Every finding is located at the policy's peers.
      if (!inScope(policy.location.file)) continue;
      const object = networkPolicyObject(analysis.load, policy);
      if (object === undefined || object.rejected) continue;
      for (const rule of [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? [])]) {
        if (rule.peers.kind !== 'list') continue;
        const key = rule.direction === 'ingress' ? 'from' : 'to';
        const raw = rawPeers(object, rule);
        const path = (k: number) => ['spec', rule.direction, rule.index, key, k] as const;
        // A compiled peer carries the location of its list item: that is how raw items and peers pair up.
        const compiled = (k: number): PodsPeer | undefined => {
          const { start } = policy.locate(path(k)).range;
          const peer = rule.peers.kind === 'list' ? rule.peers.peers.find((p) => p.location.range.start === start) : undefined;
          return peer?.kind === 'pods' ? peer : undefined;
        };
        for (let k = 0; k + 1 < raw.length; k++) {
          const shapes = [shapeOf(raw[k]!), shapeOf(raw[k + 1]!)];
          if (!(shapes.includes('namespaces-only') && shapes.includes('pods-only'))) continue;
          const first = compiled(k);
          const second = compiled(k + 1);
          if (first === undefined || second === undefined) continue;
          const [namespacePeer, podPeer] = shapes[0] === 'namespaces-only' ? [first, second] : [second, first];
          const either = countMembers([...view.groupsMatchedBy(namespacePeer), ...view.groupsMatchedBy(podPeer)]);
          const both = countMembers(view.groupsMatchedBy({ ...namespacePeer, pods: podPeer.pods }));
          // When the AND matches nothing, the author surely meant the OR (their own pods plus another namespace).
          if (both === 0 || either <= both) continue;
          const location: SourceLocation = {
            file: first.location.file,
            range: { start: first.location.range.start, end: second.location.range.end },
          };
          report({
            messageId: 'orNotAnd',
            data: {
              peers: `${key}[${k}] and ${key}[${k + 1}]`,
              rule: ruleLabel(policy, rule),
              orCount: workloads(either),
              andCount: workloads(both),
            },
            location,
            fix: mergeFix(analysis, first.location, second.location),
          });
          k++;
        }
      }
    }
  },
});

type PeerShape = 'namespaces-only' | 'pods-only' | 'other';

function shapeOf(peer: NetworkPolicyPeer): PeerShape {
  if (peer.ipBlock !== undefined) return 'other';
  if (peer.namespaceSelector !== undefined && peer.podSelector === undefined) return 'namespaces-only';
  if (peer.podSelector !== undefined && peer.namespaceSelector === undefined) return 'pods-only';
  return 'other';
}

/** How many workloads the groups hold together (two peers may match parts of one class). */
function countMembers(groups: readonly ClassGroup[]): number {
  return new Set(groups.flatMap((g) => g.members)).size;
}

function workloads(count: number): string {
  return count === 1 ? '1 workload' : `${count} workloads`;
}

function rawPeers(object: ManifestObject<'NetworkPolicy'>, rule: PolicyRule): readonly NetworkPolicyPeer[] {
  const { spec } = object.value;
  return (rule.direction === 'ingress' ? spec.ingress?.[rule.index]?.from : spec.egress?.[rule.index]?.to) ?? [];
}

/**
 * Merges two adjacent block-style list items into one: the second item's `- ` becomes indentation,
 * so its keys join the first item's mapping. Only for the usual layout: both items block mappings
 * starting on their own `- ` line with the same indentation, nothing but line breaks between them.
 */
function mergeFix(analysis: Analysis, first: SourceLocation, second: SourceLocation): Fix | undefined {
  const text = analysis.load.sources.get(first.file)?.text;
  if (text === undefined || text[first.range.start] === '{' || text[second.range.start] === '{') return undefined;
  const lineStart = text.lastIndexOf('\n', first.range.start - 1) + 1;
  const dash = text.slice(lineStart, first.range.start);
  if (!/^ *- +$/.test(dash)) return undefined;
  const between = text.slice(first.range.end, second.range.start);
  const lastBreak = between.lastIndexOf('\n');
  if (lastBreak < 0 || !/^[ \t\r\n]*$/.test(between.slice(0, lastBreak)) || between.slice(lastBreak + 1) !== dash) return undefined;
  const newline = lineBreakOf(between);
  return {
    description: 'merge the two peers into one element (namespaceSelector AND podSelector)',
    edits: [{ file: first.file, range: { start: first.range.end, end: second.range.start }, newText: `${newline}${' '.repeat(dash.length)}` }],
  };
}
