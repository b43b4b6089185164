// Equivalence classes of workloads that no selector, policy or named port in the input can tell apart.
import type { ClusterModel, Workload } from '../model/cluster.js';
import type { ClassDistinction } from './connectivity.js';
import type { PortProtocol } from '../semantics/connection-set.js';
import type { IpRange } from '../semantics/ip.js';
import { selectorKeys } from '../semantics/label-selector.js';
import type { NamedPortTable } from '../semantics/policy-ir.js';

export interface WorkloadClass {
  readonly index: number;
  readonly namespace: string;
  /** A member standing for all: they agree on every label key any pod selector reads. */
  readonly representative: Workload;
  readonly members: Workload[];
  readonly hostNetwork: boolean;
  readonly namedPorts: NamedPortTable;
  /** Indices of the address ranges that hold the members' pod IPs (sorted; empty unless ranges were given). */
  readonly addressRanges: readonly number[];
}

/**
 * Groups workloads by namespace, hostNetwork, named container ports and the values of the
 * label keys that pod selectors read. Members of a class get identical verdicts, so the engine's
 * cost grows with the number of classes, not with the number of workloads.
 * With `addressRanges` (the address space cut at every ipBlock boundary), workloads are also told
 * apart by the ranges holding their pod IPs, so that ipBlocks can match classes.
 */
export function classifyWorkloads(
  model: ClusterModel,
  addressRanges?: readonly IpRange[],
  distinguish: ClassDistinction = {},
): { classes: WorkloadClass[]; classOf: Map<Workload, WorkloadClass> } {
  const keys = new Set<string>();
  for (const policy of model.policies) {
    for (const key of selectorKeys(policy.podSelector)) keys.add(key);
    for (const direction of [policy.ingress, policy.egress]) {
      for (const rule of direction?.rules ?? []) {
        if (rule.peers.kind !== 'list') continue;
        for (const peer of rule.peers.peers) {
          if (peer.kind === 'pods') for (const key of selectorKeys(peer.pods)) keys.add(key);
        }
      }
    }
  }
  for (const key of distinguish.labelKeys ?? []) keys.add(key);
  const sortedKeys = [...keys].sort();

  const byKey = new Map<string, WorkloadClass>();
  const classes: WorkloadClass[] = [];
  const classOf = new Map<Workload, WorkloadClass>();
  for (const workload of model.workloads) {
    const relevantLabels = sortedKeys.map((key) => (key in workload.labels ? `${key}=${workload.labels[key]}` : ''));
    const namedPorts = workload.ports
      .filter((p) => p.name !== undefined)
      .map((p) => `${p.name}/${p.protocol}/${p.port}`)
      .sort();
    const ranges = addressRanges === undefined ? [] : rangesHolding(workload, addressRanges);
    const extra = distinguish.signature?.(workload) ?? '';
    const signature = JSON.stringify([workload.namespace, workload.hostNetwork, relevantLabels, namedPorts, ranges, extra]);
    let workloadClass = byKey.get(signature);
    if (workloadClass === undefined) {
      workloadClass = {
        index: classes.length,
        namespace: workload.namespace,
        representative: workload,
        members: [],
        hostNetwork: workload.hostNetwork,
        namedPorts: namedPortTable(workload),
        addressRanges: ranges,
      };
      byKey.set(signature, workloadClass);
      classes.push(workloadClass);
    }
    workloadClass.members.push(workload);
    classOf.set(workload, workloadClass);
  }
  return { classes, classOf };
}

/** The indices of the ranges holding the workload's addresses, sorted and distinct. */
function rangesHolding(workload: Workload, ranges: readonly IpRange[]): number[] {
  const indices = new Set<number>();
  for (const address of workload.addresses) {
    const index = ranges.findIndex((r) => r.family === address.family && r.start <= address.value && address.value <= r.end);
    if (index >= 0) indices.add(index);
  }
  return [...indices].sort((a, b) => a - b);
}

export function namedPortTable(workload: Workload): NamedPortTable {
  return {
    lookup(name: string, protocol: PortProtocol): readonly number[] {
      return workload.ports.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port);
    },
  };
}
