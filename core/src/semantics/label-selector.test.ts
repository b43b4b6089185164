import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../manifest/kubernetes-types.js';
import { compileSelector, formatSelector, selectorMatches } from './label-selector.js';

const matches = (selector: LabelSelector, labels: Record<string, string>) => selectorMatches(compileSelector(selector), labels);

describe('label selectors', () => {
  it('treats {} as everything', () => {
    expect(matches({}, {})).toBe(true);
    expect(matches({ matchLabels: {}, matchExpressions: [] }, { a: 'b' })).toBe(true);
  });
  it.each([
    ['In', ['a', 'b'], { k: 'a' }, true],
    ['In', ['a'], {}, false],
    // NotIn and DoesNotExist hold for objects without the key (semantics point 5).
    ['NotIn', ['a'], {}, true],
    ['NotIn', ['a'], { k: 'a' }, false],
    ['NotIn', ['a'], { k: 'b' }, true],
    ['Exists', [], { k: '' }, true],
    ['Exists', [], {}, false],
    ['DoesNotExist', [], {}, true],
    ['DoesNotExist', [], { k: 'x' }, false],
  ] as const)('%s %j on %j is %s', (operator, values, labels, expected) => {
    expect(matches({ matchExpressions: [{ key: 'k', operator, values }] }, labels)).toBe(expected);
  });
  it('ANDs matchLabels and matchExpressions', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn' as const, values: ['prod'] }] };
    expect(matches(selector, { app: 'web' })).toBe(true);
    expect(matches(selector, { app: 'web', env: 'prod' })).toBe(false);
    expect(matches(selector, { env: 'dev' })).toBe(false);
  });
  it('does not match inherited object properties as labels', () => {
    expect(matches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {})).toBe(false);
  });
  it('formats like kubectl', () => {
    expect(
      formatSelector(
        compileSelector({
          matchLabels: { app: 'web' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['a', 'b'] },
            { key: 'canary', operator: 'DoesNotExist' },
          ],
        }),
      ),
    ).toBe('app=web, tier in (a,b), !canary');
  });
});
