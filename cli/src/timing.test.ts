import { describe, expect, it } from 'vitest';
import { timingListSize, timingTable } from './timing.js';

describe('TIMING', () => {
  it('reads the list size as ESLint does: unset none, all every rule, above ten that many, else ten', () => {
    expect(timingListSize(undefined)).toBeUndefined();
    expect(timingListSize('')).toBeUndefined();
    expect(timingListSize('1')).toBe(10);
    expect(timingListSize('0')).toBe(10);
    expect(timingListSize('yes')).toBe(10);
    expect(timingListSize('25')).toBe(25);
    expect(timingListSize('ALL')).toBe(Number.POSITIVE_INFINITY);
  });

  it("lists the slowest rows first, each with its share of every row's total, in ESLint's table", () => {
    const rows = [
      { name: 'port-not-served', milliseconds: 1 },
      { name: 'half-open-path', milliseconds: 6.5 },
      { name: 'redundant-rule', milliseconds: 2.5 },
    ];
    expect(timingTable('Rule', rows, 2)).toBe(
      [
        'Rule           | Time (ms) | Relative',
        ':--------------|----------:|--------:',
        'half-open-path |     6.500 |    65.0%',
        'redundant-rule |     2.500 |    25.0%',
        '',
      ].join('\n'),
    );
  });

  it('keeps the rows as given when asked, and says 0.0% of a zero total', () => {
    const rows = [
      { name: 'read', milliseconds: 0 },
      { name: 'load', milliseconds: 0 },
    ];
    expect(timingTable('Phase', rows, 2, 'as-given').split('\n').slice(2, 4)).toEqual([
      'read  |     0.000 |     0.0%',
      'load  |     0.000 |     0.0%',
    ]);
  });
});
