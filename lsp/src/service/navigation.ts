// Go to definition from a selector to the objects it matches; find references from a workload back to the selectors matching it.
import type { Location, Position } from 'vscode-languageserver-types';
import type { Snapshot } from './snapshot.js';
import { matchedWorkloads, peerWorkloads, targetAt } from './targets.js';

export function definitions(snapshot: Snapshot, uri: string, position: Position): Location[] {
  const file = snapshot.fileOf(uri);
  const target = targetAt(snapshot, file, snapshot.positions.offset(file, position));
  if (target === undefined) return [];
  return matchedWorkloads(snapshot, target).map((w) => snapshot.positions.location(w.location));
}

/** On a workload: every pod selector and peer that matches it. On a selector: what it matches, as for definitions. */
export function references(snapshot: Snapshot, uri: string, position: Position): Location[] {
  const file = snapshot.fileOf(uri);
  const target = targetAt(snapshot, file, snapshot.positions.offset(file, position));
  if (target === undefined) return [];
  if (target.kind !== 'workload') return definitions(snapshot, uri, position);
  const { workload } = target;
  const { model, result } = snapshot.analysis;
  const locations: Location[] = [];
  const selecting = result.policiesSelecting(workload);
  for (const policy of new Set([...selecting.ingress, ...selecting.egress])) {
    locations.push(snapshot.positions.location(policy.locate(['spec', 'podSelector'])));
  }
  for (const policy of model.policies) {
    for (const rule of [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? [])]) {
      if (rule.peers.kind !== 'list') continue;
      for (const peer of rule.peers.peers) {
        if (peerWorkloads(snapshot, peer).includes(workload)) locations.push(snapshot.positions.location(peer.location));
      }
    }
  }
  return locations;
}
