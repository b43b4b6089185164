import { describe, expect, it } from 'vitest';
import { lineBreakOf, lineEndAt } from './types.js';

describe('fix text helpers', () => {
  it("give the file's own line break", () => {
    expect(lineBreakOf('a: 1\r\nb: 2\r\n')).toBe('\r\n');
    expect(lineBreakOf('a: 1\nb: 2\n')).toBe('\n');
    expect(lineBreakOf('a: 1')).toBe('\n');
  });

  it('find the end of a line before its line break, whichever it is', () => {
    expect(lineEndAt('a: 1\r\nb: 2\r\n', 1)).toBe(4);
    expect(lineEndAt('a: 1\r\nb: 2\r\n', 4)).toBe(4);
    expect(lineEndAt('a: 1\nb: 2\n', 6)).toBe(9);
    expect(lineEndAt('a: 1\nb: 2', 6)).toBe(9);
  });
});
