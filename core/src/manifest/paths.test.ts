import { describe, expect, it } from 'vitest';
import type { Range } from '../source/source.js';
import { findNode, parseYamlDocuments, rangeAt } from './index.js';
import { formatFieldPath } from './paths.js';
import type { FieldPath } from './types.js';

const text = [
  '# policy',
  'spec:',
  '  podSelector: {}',
  '  ingress:',
  '  - from:',
  '    - ipBlock: {cidr: 10.0.0.0/8}',
  '    ports:',
  '  empty:',
  '',
].join('\n');
const document = parseYamlDocuments({ path: 'p.yaml', text }).documents[0]!;

function span(needle: string, occurrence = 0): Range {
  let start = -1;
  for (let index = 0; index <= occurrence; index++) start = text.indexOf(needle, start + 1);
  return { start, end: start + needle.length };
}

describe('rangeAt', () => {
  it.each<[string, FieldPath, boolean, Range]>([
    ['a value', ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'cidr'], false, span('10.0.0.0/8')],
    ['a key', ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'cidr'], true, span('cidr')],
    [
      'a list item (its own key)',
      ['spec', 'ingress', 0, 'from', 0],
      true,
      span('ipBlock: {cidr: 10.0.0.0/8}'),
    ],
    ['a key with no value', ['spec', 'ingress', 0, 'ports'], false, span('ports')],
    [
      'a missing field: its parent key',
      ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except'],
      false,
      span('ipBlock'),
    ],
    ['a missing item: its list key', ['spec', 'ingress', 3], false, span('ingress')],
    [
      'below a scalar: the scalar key',
      ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'cidr', 'x'],
      false,
      span('cidr'),
    ],
    ['below an empty value: its key', ['spec', 'empty', 'x'], false, span('empty')],
    ['a missing top-level field: the document', ['metadata', 'name'], false, document.range],
    ['the empty path: the document', [], false, document.range],
  ])('%s', (_name, path, key, expected) => {
    expect(rangeAt(document, path, { key })).toEqual(expected);
  });

  it('starts the document after nothing but its comment header', () => {
    expect(document.range).toEqual({ start: 0, end: span('empty:').end });
  });

  it('finds a plain key by the key kubectl sends for it, not a quoted one', () => {
    const keys = 'labels:\n  on: b\n  1e6: c\n  1.10: d\nquoted:\n  "on": a\n';
    const at = (map: string, key: string) => {
      const { start, end } = rangeAt(parseYamlDocuments({ path: 'k', text: keys }).documents[0]!, [map, key], { key: true });
      return keys.slice(start, end);
    };
    expect([at('labels', 'on'), at('labels', 'true'), at('labels', '1000000'), at('labels', '1e+06'), at('labels', '1.1')]).toEqual([
      'on',
      'on',
      '1e6',
      '1e6',
      '1.10',
    ]);
    expect([at('quoted', 'on'), at('quoted', 'true')]).toEqual(['"on"', 'quoted']);
    // A key neither the loader nor kubectl has: the map's key, as for any missing field.
    expect(at('labels', 'off')).toBe('labels');
  });
});

describe('findNode', () => {
  it('finds values, not keys with no value', () => {
    expect(findNode(document, ['spec', 'podSelector'])).toEqual({
      kind: 'mapping',
      range: span('{}'),
      pairs: [],
    });
    expect(findNode(document, ['spec', 'ingress', 0, 'ports'])).toBeUndefined();
    expect(findNode(document, ['spec', 'nothing'])).toBeUndefined();
    expect(findNode(document, [])).toBe(document.root);
  });

  it('matches number keys by their text, as js-yaml names properties', () => {
    const numbers = parseYamlDocuments({ path: 'n', text: '80: http\n' }).documents[0]!;
    expect(findNode(numbers, ['80'])).toMatchObject({ value: 'http' });
  });
});

describe('formatFieldPath', () => {
  it.each<[FieldPath, string]>([
    [['spec', 'ingress', 0, 'ports', 1, 'port'], 'spec.ingress[0].ports[1].port'],
    [['metadata', 'labels', 'app.kubernetes.io/name'], 'metadata.labels["app.kubernetes.io/name"]'],
    [['metadata', 'labels', 'tier-x'], 'metadata.labels.tier-x'],
    [[], ''],
  ])('%j', (path, expected) => {
    expect(formatFieldPath(path)).toBe(expected);
  });
});
