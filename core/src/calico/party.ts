// Calico selector expressions over label sets known in part (what Felix would see of a pod the manifests do not hold),
// three-valued: a key whose value is unknown leaves every comparison that reads it undecided.
import {
  every3,
  labelState,
  membershipTruth,
  not3,
  presenceTruth,
  some3,
  type PartialLabels,
  type Truth,
} from '../engine/party.js';
import { calicoSelectorMatches, type CalicoSelector } from '../semantics/calico-selector.js';

/** Whether a selector matches labels known in part (`global()` as calicoSelectorMatches reads it: always). */
export function calicoTruth(selector: CalicoSelector, labels: PartialLabels): Truth {
  switch (selector.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return presenceTruth(labelState(labels, selector.key));
    case 'compare':
    case 'set': {
      const state = labelState(labels, selector.key);
      // A known value, or a known absence, decides as for any label set.
      if (state.kind === 'value' || state.kind === 'absent')
        return calicoSelectorMatches(selector, state.kind === 'value' ? { [selector.key]: state.value } : {});
      if (selector.kind === 'set') {
        const member = membershipTruth(state, selector.values);
        return selector.operator === 'in' ? member : not3(member);
      }
      if (selector.operator === '==') return membershipTruth(state, [selector.value]);
      if (selector.operator === '!=') return not3(membershipTruth(state, [selector.value]));
      // contains, starts with, ends with: an unknown value may or may not.
      return 'maybe';
    }
    case 'not':
      return not3(calicoTruth(selector.operand, labels));
    case 'and':
      return every3(selector.operands, (operand) => calicoTruth(operand, labels));
    case 'or':
      return some3(selector.operands, (operand) => calicoTruth(operand, labels));
  }
}

/** Labels known in part with every key prefixed, as a workload endpoint inherits its profiles' labels (`pcns.`, `pcsa.`). */
export function prefixedLabels(prefix: string, labels: PartialLabels): PartialLabels {
  const prefix2 = <T>(record: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [prefix + key, value]));
  return {
    known: prefix2(labels.known),
    present: prefix2(labels.present),
    open: (key) => key.startsWith(prefix) && labels.open(key.slice(prefix.length)),
  };
}

/**
 * Label sets known in part, merged as object spreads merge them: a later set's key wins. A key some later set may have
 * (it leaves the key open) is unknown, whatever an earlier set says of it.
 */
export function mergeLabels(...sets: readonly PartialLabels[]): PartialLabels {
  const states = new Map<
    string,
    { readonly value: string } | { readonly not: readonly string[] } | undefined
  >();
  sets.forEach((set, k) => {
    const later = sets.slice(k + 1);
    // undefined: a later set may have the key, with a value not known.
    const kept = (key: string) =>
      !later.some(
        (other) => other.open(key) && !Object.hasOwn(other.known, key) && !Object.hasOwn(other.present, key),
      );
    for (const [key, value] of Object.entries(set.known)) states.set(key, kept(key) ? { value } : undefined);
    for (const [key, not] of Object.entries(set.present)) states.set(key, kept(key) ? { not } : undefined);
  });
  const known: Record<string, string> = {};
  const present: Record<string, readonly string[]> = {};
  for (const [key, state] of states) {
    if (state !== undefined && 'value' in state) known[key] = state.value;
    else if (state !== undefined) present[key] = state.not;
  }
  return { known, present, open: (key) => sets.some((set) => set.open(key)) };
}
