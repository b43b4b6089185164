// What admin and Calico policies read of a workload, so that the engine's classes never merge workloads they tell apart.
import type { AdminPolicy } from '../admin/compile.js';
import type { ClassDistinction } from '../engine/connectivity.js';
import type { Workload } from '../model/cluster.js';
import type { CalicoSelector } from '../semantics/calico-selector.js';
import { selectorKeys } from '../semantics/label-selector.js';
import type { CalicoEntity, CalicoPolicies } from './compile.js';

/**
 * Label keys read by admin policies' pod selectors and Calico selectors; service accounts when Calico policies are
 * evaluated (serviceAccountSelector, serviceAccounts); pod addresses when a peer matches addresses (admin networks,
 * Calico nets and network sets). Namespace selectors need nothing: classes never span namespaces.
 */
export function layeredClassDistinction(admin: readonly AdminPolicy[], calico: CalicoPolicies | undefined): ClassDistinction {
  const keys = new Set<string>();
  let addresses = false;
  for (const policy of admin) {
    for (const key of selectorKeys(policy.subject.pods)) keys.add(key);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') for (const key of selectorKeys(peer.pods)) keys.add(key);
        if (peer.kind === 'networks') addresses = true;
      }
    }
  }
  if (calico !== undefined) {
    if (calico.networkSets.length > 0) addresses = true;
    const entity = (e: CalicoEntity) => {
      if (e.nets !== undefined || e.notNets !== undefined) addresses = true;
      calicoSelectorKeys(e.selection.positive?.selector, keys);
      calicoSelectorKeys(e.selection.notSelector, keys);
    };
    for (const policy of calico.policies) {
      calicoSelectorKeys(policy.applies.selector, keys);
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        entity(rule.source);
        entity(rule.destination);
      }
    }
  }
  const withServiceAccount = calico !== undefined;
  if (keys.size === 0 && !addresses && !withServiceAccount) return {};
  return {
    labelKeys: keys,
    signature: (workload: Workload) =>
      `${withServiceAccount ? workload.serviceAccount : ''}|${addresses ? workload.addresses.map((a) => `${a.family}:${a.value}`).join(',') : ''}`,
  };
}

function calicoSelectorKeys(selector: CalicoSelector | undefined, keys: Set<string>): void {
  if (selector === undefined) return;
  switch (selector.kind) {
    case 'has':
    case 'compare':
    case 'set':
      keys.add(selector.key);
      return;
    case 'not':
      calicoSelectorKeys(selector.operand, keys);
      return;
    case 'and':
    case 'or':
      for (const operand of selector.operands) calicoSelectorKeys(operand, keys);
      return;
    default:
      return;
  }
}
