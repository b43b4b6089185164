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
  ])('%s on %s is %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});
