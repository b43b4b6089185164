import { describe, expect, it } from 'vitest';
import { IntervalSet } from './interval-set.js';

const set = (...pairs: [number, number][]) => IntervalSet.fromIntervals(pairs.map(([start, end]) => ({ start, end })));

describe('IntervalSet', () => {
  it('canonicalises overlapping and adjacent intervals', () => {
    expect(set([5, 9], [1, 3], [4, 4], [20, 30], [25, 26]).toString()).toBe('1-9,20-30');
    expect(set([3, 1]).isEmpty).toBe(true);
  });
  it.each([
    [set([1, 10]), set([5, 15]), '1-15', '5-10', '1-4'],
    [set([1, 3], [7, 9]), set([3, 7]), '1-9', '3,7', '1-2,8-9'],
    [set([80, 80]), set([81, 90]), '80-90', '', '80'],
    [set([1, 65535]), set([443, 443], [8080, 8090]), '1-65535', '443,8080-8090', '1-442,444-8079,8091-65535'],
  ])('%s with %s: union %s, intersection %s, difference %s', (a, b, union, intersection, difference) => {
    expect(a.union(b).toString()).toBe(union);
    expect(a.intersect(b).toString()).toBe(intersection);
    expect(a.subtract(b).toString()).toBe(difference);
  });
  it('answers membership at the edges', () => {
    const s = set([10, 20], [30, 30]);
    expect([9, 10, 20, 21, 29, 30, 31].map((n) => s.has(n))).toEqual([false, true, true, false, false, true, false]);
  });
  it('compares by value', () => {
    expect(set([1, 2], [3, 4]).equals(set([1, 4]))).toBe(true);
    expect(set([1, 4]).isSubsetOf(set([0, 10]))).toBe(true);
    expect(set([1, 11]).isSubsetOf(set([0, 10]))).toBe(false);
  });
});
