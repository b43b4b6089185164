// Code lens above each policy: how many workloads it selects and how many paths its rules admit.
import type { CodeLens } from 'vscode-languageserver-types';
import type { Snapshot } from './snapshot.js';
import { admittedPaths } from './targets.js';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export function codeLenses(snapshot: Snapshot, uri: string): CodeLens[] {
  return snapshot.policiesIn(uri).map((policy) => {
    const selected = snapshot.analysis.result.selectedWorkloads(policy).length;
    const title = `selects ${plural(selected, 'workload')}, admits ${plural(admittedPaths(snapshot, policy), 'path')}`;
    // The lens is informative; an empty command makes clients show it without an action.
    return { range: snapshot.positions.range(uri, policy.location.range), command: { title, command: '' } };
  });
}
