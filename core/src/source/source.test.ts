import { describe, expect, it } from 'vitest';
import { LineIndex } from './source.js';

describe('LineIndex', () => {
  const index = new LineIndex('ab\ncd\r\n\nxyz');
  it.each([
    [0, 1, 1],
    [2, 1, 3],
    [3, 2, 1],
    [7, 3, 1],
    [8, 4, 1],
    [11, 4, 4],
  ])('offset %i is line %i column %i', (offset, line, column) => {
    expect(index.lineColumn(offset)).toEqual({ line, column });
    expect(index.offset({ line, column })).toBe(offset);
  });
  it('returns line text without the line break', () => {
    expect(index.lineText(2)).toBe('cd');
    expect(index.lineText(4)).toBe('xyz');
    expect(index.lineText(9)).toBe('');
  });
});
