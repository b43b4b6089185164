import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../manifest/yaml-tree.js';
import type { YamlNode, YamlScalar } from '../manifest/types.js';
import type { CalicoSelector } from './calico-selector.js';
import {
  calicoSelectorMatches,
  formatCalicoSelector,
  parseCalicoSelector,
  selectorErrorRange,
} from './calico-selector.js';

function parsed(text: string): CalicoSelector {
  const result = parseCalicoSelector(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.selector;
}

const matches = (text: string, labels: Record<string, string>, global = false) =>
  calicoSelectorMatches(parsed(text), { labels, global });

describe('Calico selectors: precedence', () => {
  it.each([
    // `!` binds tighter than `&&`, which binds tighter than `||`.
    ["a == 'x' || b == 'y' && c == 'z'", "a == 'x' || (b == 'y' && c == 'z')"],
    ["a == 'x' && b == 'y' || c == 'z'", "(a == 'x' && b == 'y') || c == 'z'"],
    ["(a == 'x' || b == 'y') && c == 'z'", "(a == 'x' || b == 'y') && c == 'z'"],
    ["!a == 'x' && b == 'y'", "!(a == 'x') && b == 'y'"],
    ["!(a == 'x' && b == 'y')", "!(a == 'x' && b == 'y')"],
    ['!has(a) || has(b) && !has(c)', '!has(a) || (has(b) && !has(c))'],
    ['!!has(a)', '!!has(a)'],
    ['', 'all()'],
    ['   ', 'all()'],
    ['projectcalico.org/name in {"foo", \'bar\'}', "projectcalico.org/name in {'foo', 'bar'}"],
    ['k not in {}', 'k not in {}'],
    ['k starts with "it\'s"', 'k starts with "it\'s"'],
    ['global() && all()', 'global() && all()'],
  ])('%s reads as %s', (text, canonical) => {
    expect(formatCalicoSelector(parsed(text))).toBe(canonical);
  });

  it.each([
    // a=x, b, c absent: `a == 'x' || (b == 'y' && c == 'z')` is true; `(a == 'x' || b == 'y') && c == 'z'` is false.
    ["a == 'x' || b == 'y' && c == 'z'", { a: 'x' }, true],
    ["(a == 'x' || b == 'y') && c == 'z'", { a: 'x' }, false],
    // `!` applies to the comparison only, not to the conjunction.
    ["!a == 'x' && b == 'y'", { b: 'y' }, true],
    ["!(a == 'x' && b == 'y')", { a: 'x', b: 'y' }, false],
  ])('%s on %j is %s', (text, labels, expected) => {
    expect(matches(text, labels)).toBe(expected);
  });
});

describe('Calico selectors: operators', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ["k == 'v'", { k: 'v' }, true],
    ["k == 'v'", { k: 'w' }, false],
    ["k == 'v'", {}, false],
    // `!=` and `not in` match objects without the label (libcalico-go LabelNeValueNode / LabelNotInSetNode).
    ["k != 'v'", {}, true],
    ["k != 'v'", { k: 'v' }, false],
    ["k != 'v'", { k: 'w' }, true],
    ["k in {'a', 'b'}", { k: 'b' }, true],
    ["k in {'a', 'b'}", { k: 'c' }, false],
    ["k in {'a', 'b'}", {}, false],
    ["k not in {'a', 'b'}", {}, true],
    ["k not in {'a', 'b'}", { k: 'a' }, false],
    ["k not in {'a', 'b'}", { k: 'c' }, true],
    ['has(k)', { k: '' }, true],
    ['has(k)', {}, false],
    ['!has(k)', {}, true],
    ['!has(k)', { k: 'v' }, false],
    ["k contains 'ell'", { k: 'hello' }, true],
    ["k contains 'ell'", { k: 'help' }, false],
    ["k contains ''", {}, false],
    ["k starts with 'he'", { k: 'hello' }, true],
    ["k starts with 'lo'", { k: 'hello' }, false],
    ["k ends with 'lo'", { k: 'hello' }, true],
    ["k ends with 'he'", { k: 'hello' }, false],
    ['all()', {}, true],
    ['global()', {}, false],
    ['has(constructor)', {}, false],
  ])('%s on %j is %s', (text, labels, expected) => {
    expect(matches(text, labels)).toBe(expected);
  });

  it('global() holds for objects outside any namespace only', () => {
    expect(matches('global()', {}, true)).toBe(true);
    expect(matches('!global()', {}, true)).toBe(false);
  });
});

describe('Calico selectors: errors point inside the expression', () => {
  it.each<[string, number, number, string]>([
    ["app == 'web", 7, 4, "unterminated string: no closing '"],
    ['app = "web"', 4, 1, 'unexpected character "="'],
    [
      "app == 'web' &&",
      15,
      0,
      "expected a label, '!', '(', has(), all() or global(), found the end of the selector",
    ],
    ['app == web', 7, 3, "expected a quoted string, found 'web'"],
    [
      "app is 'web'",
      4,
      2,
      "expected '==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with', found 'is'",
    ],
    ["(app == 'web'", 13, 0, "expected ')', found the end of the selector"],
    ["app == 'web')", 12, 1, "expected '&&', '||' or the end of the selector, found ')'"],
    ["app in {'a' 'b'}", 12, 3, "expected ',' or '}', found the string \"b\""],
    ["app in 'a'", 7, 3, 'expected \'{\', found the string "a"'],
    ["app not 'a'", 8, 3, 'expected \'in\', found the string "a"'],
    ["app starts 'a'", 11, 3, 'expected \'with\', found the string "a"'],
    ['hass(app)', 0, 4, "unknown function 'hass': expected has, all or global"],
    ["has('app')", 4, 5, 'expected a label name, found the string "app"'],
    ['all(x)', 4, 1, "expected ')', found 'x'"],
    ["a == 'x' b == 'y'", 9, 1, "expected '&&', '||' or the end of the selector, found 'b'"],
  ])('%j fails at %i+%i', (text, offset, length, message) => {
    expect(parseCalicoSelector(text)).toEqual({ ok: false, error: { offset, length, message } });
  });
});

describe('selectorErrorRange', () => {
  function scalarAt(text: string): YamlScalar {
    const root = parseYamlDocument(text, 0, text.length).root;
    const value: YamlNode | undefined = root?.kind === 'mapping' ? root.pairs[0]?.value : undefined;
    if (value?.kind !== 'scalar') throw new Error('no scalar');
    return value;
  }
  const error = { offset: 4, length: 1, message: 'unexpected character "="' };

  it.each([
    ['selector: app = "web"\n', 14],
    [`selector: 'app = "web"'\n`, 15],
    ['selector: "app = \'web\'"\n', 15],
  ])('maps the offset into %j', (text, start) => {
    expect(selectorErrorRange(text, scalarAt(text), error)).toEqual({ start, end: start + 1 });
    expect(text[start]).toBe('=');
  });

  it('falls back to the whole scalar when escapes shift the characters', () => {
    const text = 'selector: "app = \\"web\\""\n';
    expect(selectorErrorRange(text, scalarAt(text), error)).toEqual({ start: 10, end: 25 });
  });
});
