// Equivalence classes of workloads that no selector, policy or named port in the input can tell apart.
import type { ClusterModel, Workload } from '../model/cluster.js';
import type { PortProtocol } from '../semantics/connection-set.js';
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
}

/**
 * Groups workloads by namespace, hostNetwork, named container ports and the values of the
 * label keys that pod selectors read. Members of a class get identical verdicts, so the engine's
 * cost grows with the number of classes, not with the number of workloads.
 */
export function classifyWorkloads(model: ClusterModel): { classes: WorkloadClass[]; classOf: Map<Workload, WorkloadClass> } {
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
    const signature = JSON.stringify([workload.namespace, workload.hostNetwork, relevantLabels, namedPorts]);
    let workloadClass = byKey.get(signature);
    if (workloadClass === undefined) {
      workloadClass = {
        index: classes.length,
        namespace: workload.namespace,
        representative: workload,
        members: [],
        hostNetwork: workload.hostNetwork,
        namedPorts: namedPortTable(workload),
      };
      byKey.set(signature, workloadClass);
      classes.push(workloadClass);
    }
    workloadClass.members.push(workload);
    classOf.set(workload, workloadClass);
  }
  return { classes, classOf };
}

export function namedPortTable(workload: Workload): NamedPortTable {
  return {
    lookup(name: string, protocol: PortProtocol): readonly number[] {
      return workload.ports.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port);
    },
  };
}
