// What admin and Calico policies read of a workload, so that the engine's classes never merge workloads they tell apart.
import type { AdminPolicy } from '../admin/compile.js';
import type { ClassDistinction } from '../engine/connectivity.js';
import { KeptText } from '../engine/kept.js';
import type { Workload } from '../model/cluster.js';
import type { CalicoSelector } from '../semantics/calico-selector.js';
import type { Selector } from '../semantics/label-selector.js';
import { matchedWrittenServices, serviceKey, type CalicoEntity, type CalicoPolicies } from './compile.js';

/** Per label key: the values selectors name, or `all` where any value may matter (contains, starts with, ends with). */
type NamedValues = Map<string, Set<string> | 'all'>;

/** Keys whose values are the same for every pod of a namespace (classes never span namespaces) or are Calico's own. */
const NAMESPACE_WIDE = /^(pcns\.|projectcalico\.org\/(namespace|name|orchestrator)$)/;
const SERVICE_ACCOUNT_KEYS = /^(pcsa\.|projectcalico\.org\/serviceaccount$)/;

/**
 * What admin and Calico policies read of a workload, as a class signature: the values their pod selectors name on
 * the keys they read (other values of a key look alike, as for NetworkPolicy selectors; any value where a Calico
 * `contains`/`starts with`/`ends with` reads it) and the selectors of the Services their rules match, the service account when a Calico policy matches service accounts,
 * pod addresses when a peer matches addresses (admin networks, Calico nets and network sets, the written endpoints of a
 * Service without a selector), the Pods those endpoints name by targetRef, and address families when a Calico rule is
 * of one IP version.
 */
export function layeredClassDistinction(
  admin: readonly AdminPolicy[],
  calico: CalicoPolicies | undefined,
): ClassDistinction {
  const named: NamedValues = new Map();
  let addresses = false;
  let families = false;
  let serviceAccounts = false;
  /** `namespace/name` of the Pods that targetRefs of written endpoints name: each is a class of its own. */
  const targeted = new Set<string>();
  const readLabelSelector = (selector: Selector) => {
    if (selector.kind === 'everything') return;
    for (const r of selector.requirements) nameValues(named, r.key, r.values);
  };
  for (const policy of admin) {
    readLabelSelector(policy.subject.pods);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') readLabelSelector(peer.pods);
        if (peer.kind === 'networks') addresses = true;
      }
    }
  }
  if (calico !== undefined) {
    if (calico.networkSets.length > 0) addresses = true;
    const entity = (e: CalicoEntity) => {
      if (e.nets !== undefined || e.notNets !== undefined) addresses = true;
      readCalicoSelector(named, e.selection.positive?.selector);
      readCalicoSelector(named, e.selection.notSelector);
      if (e.selection.positive?.serviceAccounts !== undefined) serviceAccounts = true;
      // A service match reads the Service's selector (classes never span namespaces, and keep named ports apart).
      const key = e.services === undefined ? undefined : serviceKey(e.services);
      const selector = key === undefined ? undefined : calico.services.get(key)?.selector;
      for (const [k, v] of Object.entries(selector ?? {})) nameValues(named, k, [v]);
    };
    for (const policy of calico.policies) {
      readCalicoSelector(named, policy.applies.selector);
      if (policy.applies.serviceAccountSelector !== undefined) serviceAccounts = true;
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        if (rule.ipVersion !== undefined) families = true;
        entity(rule.source);
        entity(rule.destination);
      }
    }
    // The written endpoints of matched Services without a selector are addresses, and Pods named by targetRef.
    for (const { namespace, written } of matchedWrittenServices(calico)) {
      addresses = true;
      for (const { targetRef } of written) if (targetRef?.kind === 'Pod') targeted.add(`${targetRef.namespace ?? namespace}/${targetRef.name}`);
    }
  }
  for (const key of [...named.keys()]) {
    if (SERVICE_ACCOUNT_KEYS.test(key)) serviceAccounts = true;
    if (NAMESPACE_WIDE.test(key) || SERVICE_ACCOUNT_KEYS.test(key)) named.delete(key);
  }
  if (named.size === 0 && !addresses && !families && !serviceAccounts) return {};
  const keys = [...named.keys()].sort();
  // The same string as last analysis's when equal, so that each workload's check below is a pointer comparison.
  const context = keptContext.of(
    JSON.stringify([
      keys.map((key) => {
        const values = named.get(key)!;
        return [key, values === 'all' ? 'all' : [...values].sort()];
      }),
      serviceAccounts,
      addresses,
      families,
      [...targeted].sort(),
    ]),
  );
  return {
    signature: (workload: Workload) => {
      const kept = signatures.get(workload);
      if (kept !== undefined && kept.context === context) return kept.signature;
      const signature = JSON.stringify([
        keys.map((key) => {
          if (!Object.prototype.hasOwnProperty.call(workload.labels, key)) return null;
          const value = workload.labels[key]!;
          const values = named.get(key)!;
          return values === 'all' || values.has(value) ? value : '*';
        }),
        serviceAccounts ? workload.serviceAccount : '',
        addresses
          ? workload.addresses.map((a) => `${a.family}:${a.value}`)
          : families
            ? [...new Set(workload.addresses.map((a) => a.family))].sort()
            : [],
        workload.kind === 'Pod' && targeted.has(`${workload.namespace}/${workload.name}`) ? workload.id : '',
      ]);
      signatures.set(workload, { context, signature });
      return signature;
    },
  };
}

/**
 * A workload's signature, kept with it (the model keeps unchanged workloads across a language server's analyses)
 * with the text of what the policies read, for which it holds.
 */
const signatures = new WeakMap<Workload, { readonly context: string; readonly signature: string }>();
const keptContext = new KeptText();

function nameValues(named: NamedValues, key: string, values: readonly string[] | 'all'): void {
  const current = named.get(key);
  if (current === 'all') return;
  if (values === 'all') {
    named.set(key, 'all');
    return;
  }
  const set = current ?? new Set<string>();
  for (const value of values) set.add(value);
  named.set(key, set);
}

function readCalicoSelector(named: NamedValues, selector: CalicoSelector | undefined): void {
  if (selector === undefined) return;
  switch (selector.kind) {
    case 'has':
      nameValues(named, selector.key, []);
      return;
    case 'compare':
      nameValues(
        named,
        selector.key,
        selector.operator === '==' || selector.operator === '!=' ? [selector.value] : 'all',
      );
      return;
    case 'set':
      nameValues(named, selector.key, selector.values);
      return;
    case 'not':
      readCalicoSelector(named, selector.operand);
      return;
    case 'and':
    case 'or':
      for (const operand of selector.operands) readCalicoSelector(named, operand);
      return;
    default:
      return;
  }
}
