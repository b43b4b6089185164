import { describe, expect, it } from 'vitest';
import { exactLabels, UNKNOWN_LABELS, unknownNamespaceLabels, type PartialLabels } from '../engine/party.js';
import { parseCalicoSelector } from '../semantics/calico-selector.js';
import { calicoTruth, mergeLabels, prefixedLabels } from './party.js';

function truth(text: string, labels: PartialLabels) {
  const parsed = parseCalicoSelector(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return calicoTruth(parsed.selector, labels);
}

describe('Calico selectors over labels known in part', () => {
  it('decides as calicoSelectorMatches on labels known whole', () => {
    const labels = exactLabels({ app: 'web', tier: 'front' });
    expect(truth("app == 'web' && !has(canary)", labels)).toBe(true);
    expect(truth("tier in {'db'} || app starts with 'w'", labels)).toBe(true);
    expect(truth("app != 'web'", labels)).toBe(false);
    expect(truth('global()', labels)).toBe(true);
  });

  it('leaves comparisons on unknown keys undecided, in Kleene logic', () => {
    expect(truth('all()', UNKNOWN_LABELS)).toBe(true);
    expect(truth('has(app)', UNKNOWN_LABELS)).toBe('maybe');
    expect(truth("!(app == 'web')", UNKNOWN_LABELS)).toBe('maybe');
    expect(truth("app contains 'e'", UNKNOWN_LABELS)).toBe('maybe');
    expect(truth('app in {}', UNKNOWN_LABELS)).toBe(false);
    expect(truth('app not in {}', UNKNOWN_LABELS)).toBe(true);
    expect(truth('has(app) || all()', UNKNOWN_LABELS)).toBe(true);
    expect(truth('has(app) && global()', UNKNOWN_LABELS)).toBe('maybe');
  });

  it('reads a value known only not to be some values', () => {
    const namespace = unknownNamespaceLabels(['shop']);
    expect(truth("kubernetes.io/metadata.name == 'shop'", namespace)).toBe(false);
    expect(truth("kubernetes.io/metadata.name != 'shop'", namespace)).toBe(true);
    expect(truth("kubernetes.io/metadata.name not in {'shop'}", namespace)).toBe(true);
    expect(truth("kubernetes.io/metadata.name == 'other'", namespace)).toBe('maybe');
    expect(truth('has(kubernetes.io/metadata.name)', namespace)).toBe(true);
  });
});

describe('label sets known in part, prefixed and merged as a workload endpoint inherits its profiles', () => {
  it('prefixes known, present and open keys', () => {
    const labels = prefixedLabels('pcns.', unknownNamespaceLabels([]));
    expect(truth('has(pcns.kubernetes.io/metadata.name)', labels)).toBe(true);
    expect(truth("pcns.env == 'prod'", labels)).toBe('maybe');
    expect(truth('has(env)', labels)).toBe(false);
  });

  it('lets a later set win, and leaves unknown a key a later set may have', () => {
    const merged = mergeLabels(exactLabels({ a: '1', b: '1' }), {
      known: { b: '2' },
      present: {},
      open: (key) => key === 'a',
    });
    expect(truth("b == '2'", merged)).toBe(true);
    expect(truth("a == '1'", merged)).toBe('maybe');
    expect(truth('has(c)', merged)).toBe(false);
  });
});
