// Code lens above each policy: how many workloads it selects and how many paths its rules admit.
import type { CodeLens } from 'vscode-languageserver-types';
import type { Snapshot } from './snapshot.js';
import { admittedPaths } from './targets.js';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export function codeLenses(snapshot: Snapshot, uri: string): CodeLens[] {
  const file = snapshot.fileOf(uri);
  // The lens is informative; an empty command makes clients show it without an action.
  const lenses = snapshot.policiesIn(file).map((policy) => {
    const selected = snapshot.analysis.result.selectedWorkloads(policy).length;
    const title = `selects ${plural(selected, 'workload')}, admits ${plural(admittedPaths(snapshot, policy), 'path')}`;
    return { range: snapshot.positions.range(file, policy.location.range), command: { title, command: '' } };
  });
  const enforced = snapshot.analysis.cni.profile.capabilities.calicoPolicies === 'supported';
  for (const policy of snapshot.calicoPoliciesIn(file)) {
    const title = enforced ? `applies to ${plural(snapshot.calicoApplies(policy).length, 'workload')} (tier ${policy.tier})` : 'ignored by the network plugin';
    lenses.push({ range: snapshot.positions.range(file, policy.location.range), command: { title, command: '' } });
  }
  return lenses;
}
