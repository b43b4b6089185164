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

const matches = (text: string, labels: Record<string, string>) => calicoSelectorMatches(parsed(text), labels);

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
    // GlobalNode.Evaluate: true, like all(); only a rule's namespaceSelector reads it otherwise (rewritten before).
    ['global()', {}, true],
    ['!global()', { k: 'v' }, false],
    ['has(constructor)', {}, false],
  ])('%s on %j is %s', (text, labels, expected) => {
    expect(matches(text, labels)).toBe(expected);
  });

});

// What libcalico-go accepts and rejects (projectcalico/calico lib/selector: tokenizer/tokenizer.go, parser/parser.go,
// and the inputs of their tests), each case with the form kubereach reads it as.
describe('Calico selectors: the grammar of libcalico-go', () => {
  const label512 = 'k'.repeat(512);
  it.each([
    // tokenizer_test.go
    ['a=="b"', "a == 'b'"],
    ['label contains"value"', "label contains 'value'"],
    ['contains contains "contains"', "contains contains 'contains'"],
    ['label startswith "value"', "label starts with 'value'"],
    ['label endswith "value"', "label ends with 'value'"],
    ['label starts  with "value"', "label starts with 'value'"],
    ['startswith starts with "value"', "startswith starts with 'value'"],
    ['endswith ends with "value"', "endswith ends with 'value'"],
    ['has(calico/k8s_NS-.1/role)', 'has(calico/k8s_NS-.1/role)'],
    ['a  not  in  {"bar"}  &&  ! has( foo )  ||  b  in  {} ', "(a not in {'bar'} && !has(foo)) || b in {}"],
    ['a notin{"bar"}&&!has(foo)||b in{"c"}', "(a not in {'bar'} && !has(foo)) || b in {'c'}"],
    // parser_test.go: canonicalisation inputs and negations
    [' (all() )', 'all()'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
    ['a!=\'"\'', 'a != \'"\''],
    ['a startswith \'"\'', 'a starts with \'"\''],
    ['!!! has(a)', '!!!has(a)'],
    ['! !!has(a)', '!!!has(a)'],
    // Spaces and tabs only separate tokens, anywhere they may: inside has(), all(), global(), between operator words.
    ['\tapp\t==\t"b"\t', "app == 'b'"],
    ['a starts\twith "x"', "a starts with 'x'"],
    ['a not\tin {}', 'a not in {}'],
    ['all( )', 'all()'],
    ['global(\t)', 'global()'],
    // A set may end with a comma (parser.go reads a comma after each string, then expects '}').
    ["app in {'b',}", "app in {'b'}"],
    ["app not in {'a', 'b',}", "app not in {'a', 'b'}"],
    // Operators end at a word boundary: any character that cannot be in a label.
    ["a in{'x'}", "a in {'x'}"],
    ["a contains'x'", "a contains 'x'"],
    ["a starts with'x'", "a starts with 'x'"],
    // Strings hold any character but their quote, newlines too.
    ["a == 'x\ny'", "a == 'x\ny'"],
    // Operator words are labels where no label precedes them.
    ["in == 'x' && not in {'y'}", "in == 'x' && not in {'y'}"],
    ["has == 'x' && all != 'y'", "has == 'x' && all != 'y'"],
  ])('accepts %j as %j', (text, canonical) => {
    expect(formatCalicoSelector(parsed(text))).toBe(canonical);
  });

  it('takes labels of at most 512 characters (tokenizer.go MaxLabelLength)', () => {
    expect(formatCalicoSelector(parsed(`${label512} == 'x' && has(${label512})`))).toBe(`${label512} == 'x' && has(${label512})`);
    expect(parseCalicoSelector(`${label512}k == 'x'`).ok).toBe(false);
    expect(parseCalicoSelector(`has(${label512}k)`).ok).toBe(false);
  });

  it.each([
    // parser_test.go badSelectors
    'b == b',
    'b contains b',
    'b starts with b',
    'b ends with b',
    "'b1' == b",
    'b',
    'a b',
    '!',
    'foo == "bar" &',
    'foo == "bar" |',
    'foo != ||',
    'foo in {"", ||',
    'foo in ""',
    '"FOO',
    '"FOO\'',
    "'FOO",
    '(',
    '(a == "foo"',
    ')',
    '()',
    '%',
    'a == "b" && %',
    'a == "b" || %',
    'a ',
    'has(foo) &&',
    // tokenizer_test.go
    'label starts foo "value"',
    'label ends foo "value"',
    'label squiggles "value"',
    // Only spaces and tabs separate tokens: not newlines, carriage returns or other blanks.
    "app == 'b'\n",
    "app ==\n'b'",
    "app\r== 'b'",
    "app ==\u00a0'b'",
    // has(, all( and global( are single tokens: no space before the parenthesis.
    'has (app)',
    'all ()',
    'global ()',
    '!has (app)',
    // has() needs a label.
    'has()',
    'has( )',
    "has('app')",
    'has(a b)',
    // Sets: strings separated by single commas.
    'a in {,}',
    "a in {,'x'}",
    "a in {'x',,}",
    "a in {'x' 'y'}",
    // Operators need a word boundary after them.
    "a containsx 'v'",
    'a inx {}',
    "a startswithx 'v'",
    "a not inx {}",
    // Labels are made of [A-Za-z0-9_./-].
    "é == 'x'",
    "a:b == 'x'",
    // Functions kubereach does not know are not Calico's either (tokenizer.go knows has(, all( and global( only).
    'same()',
    'hass(app)',
    "a == 'x' || same(b)",
  ])('rejects %j', (text) => {
    expect(parseCalicoSelector(text).ok).toBe(false);
  });

  // parser_test.go selectorTests: what each selector matches and does not.
  it.each<[string, Record<string, string>[], Record<string, string>[]]>([
    ['a == "b" || c == "d"', [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }]],
    ['a in {"\'", \'"\', "c"}', [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
    ['a not in {"\'", \'"\', "c"}', [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }, { a: "'" }]],
    ['!a in {"a"}', [{ a: 'b' }], []],
    ['a != "a"', [{}], [{ a: 'a' }]],
    ['!!has(b)', [], [{ a: 'b' }]],
    ['!! ! has(a)', [], [{ a: 'b' }]],
    ["a != 'a1' && !b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
    ["! a == 'a1' || ! b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
    ['!(has(b) || !has(a))', [{ a: 'a' }], []],
    ['a starts with "a"', [{ a: 'a' }, { a: 'abb' }], [{}, { a: 'baa' }, { b: 'aaa' }]],
    ['a ends with "a"', [{ a: 'bba' }], [{ a: 'aab' }, { b: 'aaa' }]],
    [' ', [{}, { a: 'b' }], []],
  ])('%j matches %j, not %j', (text, matching, notMatching) => {
    for (const labels of matching) expect(matches(text, labels)).toBe(true);
    for (const labels of notMatching) expect(matches(text, labels)).toBe(false);
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
    ['hass(app)', 0, 4, "unknown function 'hass': expected has(), all() or global()"],
    ['has (app)', 0, 5, "no space may come between 'has' and '('"],
    ['has(app', 7, 0, "expected ')', found the end of the selector"],
    ["app in {'a',,}", 12, 1, 'expected a quoted string or \'}\', found \',\''],
    ["app == 'a'\n", 10, 1, 'unexpected character "\\n": only spaces and tabs may separate the parts of a selector'],
    ["app\n== 'a'", 3, 1, `expected '==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with', found "\\n"`],
    ["app containsx 'a'", 4, 9, "expected '==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with', found 'containsx'"],
    ["app ==\u00a0'a'", 6, 1, 'unexpected character U+00A0: only spaces and tabs may separate the parts of a selector'],
    ["has('app')", 4, 5, 'expected a label name, found the string "app"'],
    ['all(x)', 4, 1, "expected ')', found 'x'"],
    ["a == 'x' b == 'y'", 9, 1, "expected '&&', '||' or the end of the selector, found 'b'"],
  ])('%j fails at %i+%i', (text, offset, length, message) => {
    expect(parseCalicoSelector(text)).toEqual({ ok: false, error: { offset, length, message } });
  });

  it('points at the whole of a label longer than 512 characters', () => {
    expect(parseCalicoSelector(`a == 'x' || ${'k'.repeat(513)} == 'x'`)).toEqual({
      ok: false,
      error: { offset: 12, length: 513, message: 'label too long: 513 characters, at most 512' },
    });
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
