import { describe, expect, it } from 'vitest';
import { globToRegExp } from './ignore-globs.js';

describe('globToRegExp', () => {
  it.each([
    ['charts/**', 'charts/a/b.yaml', true],
    ['charts/**', 'other/charts/a.yaml', false],
    ['**/*.generated.yaml', 'a/b/c.generated.yaml', true],
    ['**/*.generated.yaml', 'c.generated.yaml', true],
    ['*.tmp.yaml', 'deep/x.tmp.yaml', true],
    ['vendor/', 'vendor/x/y.yaml', true],
    ['env/{dev,test}/*.yaml', 'env/test/a.yaml', true],
    ['env/{dev,test}/*.yaml', 'env/prod/a.yaml', false],
    ['a?.yaml', 'ab.yaml', true],
    ['a?.yaml', 'a/b.yaml', false],
    ['./policies/*.yaml', 'policies/x.yaml', true],
    // Brace alternatives are globs themselves, nested braces included.
    ['**/{*.generated,tmp-*}.yaml', 'a/b.generated.yaml', true],
    ['**/{*.generated,tmp-*}.yaml', 'tmp-1.yaml', true],
    ['**/{*.generated,tmp-*}.yaml', 'a/b.yaml', false],
    ['{a,b{1,2}}.yaml', 'b2.yaml', true],
    ['{a,b{1,2}}.yaml', 'b3.yaml', false],
    ['{a,b{1,2}}.yaml', 'a.yaml', true],
    ['{dev/**,*.tmp}', 'dev/x/y.yaml', true],
    ['{a?,b}.yaml', 'ax.yaml', true],
    // As in .gitignore: a name matches a folder at any depth and everything beneath it.
    ['charts', 'charts/x/m.yaml', true],
    ['charts', 'deploy/charts/x/m.yaml', true],
    ['charts', 'charts.yaml', false],
    ['charts', 'mycharts/a.yaml', false],
    ['deploy/charts', 'deploy/charts/x/m.yaml', true],
    ['deploy/charts', 'other/deploy/charts/m.yaml', false],
    ['*.generated', 'x.generated/a.yaml', true],
    // A leading slash anchors to the config file's folder; a trailing one matches folders only.
    ['/charts', 'charts/m.yaml', true],
    ['/charts', 'deploy/charts/m.yaml', false],
    ['vendor/', 'vendor', false],
    ['vendor/', 'a/vendor/b.yaml', true],
    // `**` is "any folders" only as a whole segment; `a**b` is `a*b`.
    ['a**b.yaml', 'aXb.yaml', true],
    ['a**b.yaml', 'a/b.yaml', false],
    ['a/**/b.yaml', 'a/b.yaml', true],
    ['a/**/b.yaml', 'a/x/y/b.yaml', true],
    // Characters without a glob meaning are literal: unclosed braces, commas outside braces, regex syntax.
    ['{a,b.yaml', '{a,b.yaml', true],
    ['a,b.yaml', 'a,b.yaml', true],
    ['(x|y)+[1].yaml', '(x|y)+[1].yaml', true],
    ['{}.yaml', '.yaml', true],
    ['', 'a.yaml', false],
    ['/', 'a.yaml', false],
  ])('%s on %s is %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('compiles any text without throwing', () => {
    // A fixed pseudo-random sequence over the characters that mean something to globs or regular expressions.
    const alphabet = '{},*?/[]()\\.+^$|a-';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 2000; n++) {
      const glob = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      expect(() => globToRegExp(glob).test('a/b.yaml'), glob).not.toThrow();
    }
  });
});
