// Kubernetes label selectors compiled to requirements: matchLabels AND matchExpressions.
import type { LabelSelector, LabelSelectorOperator } from '../manifest/kubernetes-types.js';

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  /** Empty for Exists and DoesNotExist. */
  readonly values: readonly string[];
}

/** A compiled selector: `{}` is `everything`; otherwise every requirement must hold. */
export type Selector =
  | { readonly kind: 'everything' }
  | { readonly kind: 'requirements'; readonly requirements: readonly Requirement[] };

export const EVERYTHING: Selector = { kind: 'everything' };

export function compileSelector(selector: LabelSelector): Selector {
  // Indexed loops over keys: a model compiles every policy's selectors, mostly before the code is optimized, when
  // entries and iterators allocate per item.
  const requirements: Requirement[] = [];
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined) {
    const keys = Object.keys(matchLabels);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      requirements.push({ key, operator: 'In', values: [matchLabels[key]!] });
    }
  }
  if (matchExpressions !== undefined) {
    for (let k = 0; k < matchExpressions.length; k++) {
      const expression = matchExpressions[k]!;
      requirements.push({ key: expression.key, operator: expression.operator, values: expression.values?.slice() ?? [] });
    }
  }
  return requirements.length === 0 ? EVERYTHING : { kind: 'requirements', requirements };
}

/**
 * Whether a namespace selector matches every namespace, those not in the input too: `{}`, or requirements that only ask
 * for `kubernetes.io/metadata.name` to exist, which every namespace carries (the API server sets it on all of them).
 */
export function selectsEveryNamespace(selector: Selector): boolean {
  return (
    selector.kind === 'everything' ||
    selector.requirements.every((r) => r.key === 'kubernetes.io/metadata.name' && r.operator === 'Exists')
  );
}

/** Label selector semantics; NotIn and DoesNotExist hold for objects without the key. */
export function requirementHolds(requirement: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function selectorMatches(selector: Selector, labels: Labels): boolean {
  if (selector.kind === 'everything') return true;
  // A loop rather than every(): the engine matches selectors against every class, and a callback is a closure made per call.
  const { requirements } = selector;
  for (let k = 0; k < requirements.length; k++) if (!requirementHolds(requirements[k]!, labels)) return false;
  return true;
}

/** The label keys a selector looks at (labels with other keys cannot change its answer). */
export function selectorKeys(selector: Selector): readonly string[] {
  return selector.kind === 'everything' ? [] : selector.requirements.map((r) => r.key);
}

/** `app=web, tier in (a,b), !canary`, or `{}` for everything. */
export function formatSelector(selector: Selector): string {
  if (selector.kind === 'everything') return '{}';
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(', ');
}
