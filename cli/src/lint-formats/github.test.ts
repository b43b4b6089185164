import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from './github.js';

describe('GitHub workflow command escaping', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('50%\r\nnext: a,b')).toBe('50%25%0D%0Anext: a,b');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(escapeData('%0A')).toBe('%250A');
  });
});
