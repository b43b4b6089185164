import { describe, expect, it } from 'vitest';
import { parseBlockYaml, readBlockYamlValue } from './block-yaml.js';
import { numberOf, readAsKubectl } from './kubectl-yaml.js';
import { loadManifests } from './load.js';
import { hasNullField } from './plain-data.js';
import { splitDocuments } from './split-documents.js';
import type { YamlNode } from './types.js';
import { parseYamlDocument } from './yaml-tree.js';

/**
 * The block reader's result must be js-yaml's (with the ranged tree) whenever it gives one; read without the tree,
 * it must give the same value, the tree root's range and whether a mapping entry holds null, and refuse the same
 * documents.
 */
function expectSameAsJsYaml(text: string, maxDepth = 100): 'read' | 'left to js-yaml' {
  let outcome: 'read' | 'left to js-yaml' = 'left to js-yaml';
  for (const chunk of splitDocuments(text)) {
    const fast = parseBlockYaml(text, chunk.start, chunk.end, maxDepth);
    const valueOnly = readBlockYamlValue(text, chunk.start, chunk.end, maxDepth);
    if (fast === undefined) {
      expect(valueOnly).toBeUndefined();
      continue;
    }
    outcome = 'read';
    expect(fast).toStrictEqual(parseYamlDocument(text, chunk.start, chunk.end, maxDepth));
    const { kubectlMayDiffer, ...rest } = valueOnly!;
    expect(rest).toStrictEqual({ value: fast.value, rootRange: fast.root?.range, nullEntries: hasNullField(fast.value) });
    // A first test: it may say "maybe" of a document kubectl reads alike, never "no" of one it reads otherwise.
    if (fast.root !== undefined && kubectlDiffers(fast.root, text)) expect(kubectlMayDiffer).toBe(true);
  }
  return outcome;
}

/** Whether kubectl reads some plain value (not a key) of the tree otherwise: a boolean or another number. */
function kubectlDiffers(node: YamlNode, text: string): boolean {
  if (node.kind === 'mapping') return node.pairs.some((pair) => pair.value !== undefined && kubectlDiffers(pair.value, text));
  if (node.kind === 'sequence') return node.items.some((item) => kubectlDiffers(item, text));
  const written = text.slice(node.range.start, node.range.end);
  if (written === '' || `'"`.includes(written[0]!)) return false;
  const reading = readAsKubectl(written);
  if (reading.kind === 'boolean') return typeof node.value !== 'boolean';
  if (reading.kind !== 'number') return false;
  const read = numberOf(reading.value);
  return read !== node.value && !(Number.isNaN(read) && Number.isNaN(node.value));
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop   # a comment
  labels:
    app: web
    "app.kubernetes.io/name": 'it''s'
    version: "2"
spec:
  replicas: 3
  template:
    metadata:
      labels: {}
    spec:
      containers:
        - name: main
          image: example/web:1
          ports:
            - name: http
              containerPort: 8080
            - containerPort: 9100
              protocol: UDP
      initContainers: []
`;

describe('parseBlockYaml', () => {
  it.each<[string, string]>([
    ['a Deployment', deployment],
    [
      'scalars of every implicit type',
      'a: 1\nb: -2\nc: 0x1F\nd: 1.5e3\ne: .inf\nf: true\ng: False\nh: null\ni: ~\nj: 0o17\nk: 1_000\nl: yes\nm: 2024-01-01\nn: nothing\no: +12\np: .5\n',
    ],
    ...['0443', '-010', '+07', 'no', 'Off', 'y', '8_080', '0X1F', '-.5', '1.5_0'].map((value): [string, string] => [
      `a value kubectl reads otherwise: ${value}`,
      `a: 1\nlist:\n  - x\n  - ${value}\nb: ${value}\n`,
    ]),
    ['keys of every implicit type', '1: a\n2.50: b\ntrue: c\nnull: d\n~x: e\n-1: f\n'],
    [
      'keys met again, and keys that share a first character and a slot of the recent keys (lengths 1 and 257)',
      `a: 1\n${'a'.repeat(257)}: 2\nb:\n  a: 3\n  ab: 4\n  ${'a'.repeat(257)}: 5\n`,
    ],
    [
      'decimal integers, short and long, and ones that only look decimal',
      'a: 0\nb: 7\nc: 65535\nd: 007\ne: 123456789012345\nf: 1234567890123456789\ng: 12a\nh: 1.0\n9: i\n',
    ],
    [
      'words that start as null, true and false do',
      'n: a\nnu: b\nNull: c\nnulls: d\nt: e\nTRUE: f\ntrues: g\nFalse: h\nfalsey: i\nfa: j\n',
    ],
    ["a sequence at its key's column", 'items:\n- a\n- b: 1\n  c: 2\nnext: x\n'],
    ['a root sequence', '- a\n- b\n-  c: 1\n   d: 2\n'],
    ['a document marker with a comment', '--- # first\na: 1\n'],
    [
      'comments and blank lines everywhere',
      '# head\n\na:   # after a key\n  # inside\n\n  b: c   \n# between\nd: e #trailing\n   # indented\n',
    ],
    ['empty values', 'a:\nb:\n  c:\nd: x\n'],
    [
      'a plain scalar with indicators inside',
      "selector: app == 'x' && tier in (a, b)\nurl: http://x:80/a#b\nq: a?b\n",
    ],
    ['a root mapping that is indented', '  a: 1\n  b:\n    - x\n'],
    ['a byte order mark before the stream', '\uFEFFa: 1\n'],
    ['quoted keys and values', '"a b": \'c d\'\n\'e\': "f # g"\n"h": \'\'\n'],
  ])('reads %s as js-yaml does', (_name, text) => {
    expect(expectSameAsJsYaml(text)).toBe('read');
  });

  it.each<[string, string]>([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {y: 2}\n'],
    ['a plain merge key', 'base:\n  x: 1\n<<: 1\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a literal block scalar', 'a: |\n  text\n'],
    ['a folded block scalar', 'a: >-\n  text\n'],
    ['a flow mapping', 'a: {b: c}\n'],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['a JSON document', '{"apiVersion": "v1", "kind": "Namespace"}\n'],
    ['a tab', 'a:\tb\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a byte order mark after the first line', 'a: 1\n\uFEFFb: 2\n'],
    ['non-ASCII text', 'a: café\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in another spelling', '1: a\n0x1: b\n'],
    ['a __proto__ key', '__proto__: {}\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a multi-line quoted scalar', 'a: "b\n  c"\n'],
    ['an escape', 'a: "b\\tc"\n'],
    ['a bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a colon in a value', 'a: b: c\n'],
    ['a key with a space before its colon', 'a : b\n'],
    ['a key on a line of its own', 'a\nb: c\n'],
    ['an empty sequence entry', 'a:\n  -\n  - b\n'],
    ['a nested compact sequence', 'a:\n  - - b\n'],
    ['an entry on the line after its dash', 'a:\n  -\n    b: c\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['content after the document marker', '--- a: 1\n'],
    ['an empty document', '# nothing\n'],
    ['a sequence entry among mapping entries', 'a: 1\n- b\n'],
    ['a quoted scalar followed by text', 'a: "b" c\n'],
    ['a comment with no space before it', 'a: "b"# c\n'],
    ['a scalar root', 'just text\n'],
    ['an unclosed quote', "a: 'b\n"],
    ['a control character', 'a: b\u0007\n'],
  ])('leaves %s to js-yaml', (_name, text) => {
    expect(expectSameAsJsYaml(text)).toBe('left to js-yaml');
  });

  it('reads each document of a stream on its own, with offsets into the whole text', () => {
    const text = `a: 1\n---\n${deployment}---\nb: &x 1\nc: *x\n...\n---\nd:\n- e\n`;
    expect(expectSameAsJsYaml(text)).toBe('read');
  });

  it('tells which documents may hold a value kubectl reads otherwise, and the common ones hold none', () => {
    const flag = (text: string) => readBlockYamlValue(text, 0, text.length, 100)?.kubectlMayDiffer;
    expect(flag(deployment)).toBe(false);
    expect(flag('a: 8080\nb: 100m\nc: 1.25\nd: nginx\ne: true\nf: 0\ng: 0x1F\nno: key\n')).toBe(false);
    expect(flag('a: 0443\n')).toBe(true);
    expect(flag('a: x\nb:\n  - on\n')).toBe(true);
  });

  it('finds a control character in a document read after a later one, and reads the documents around it', () => {
    const text = 'a: 1\n---\nb: c\td\n---\ne: 2\n';
    const [first, withTab, last] = splitDocuments(text);
    expect(readBlockYamlValue(text, last!.start, last!.end, 100)?.value).toEqual({ e: 2 });
    expect(readBlockYamlValue(text, withTab!.start, withTab!.end, 100)).toBeUndefined();
    expect(readBlockYamlValue(text, first!.start, first!.end, 100)?.value).toEqual({ a: 1 });
    expect(readBlockYamlValue(text, last!.start, last!.end, 100)?.value).toEqual({ e: 2 });
  });

  it('leaves documents near the nesting limit to js-yaml, which enforces it', () => {
    for (let maxDepth = 1; maxDepth <= 24; maxDepth++) expectSameAsJsYaml(deployment, maxDepth);
    expect(parseBlockYaml(deployment, 0, deployment.length, 6)).toBeUndefined();
  });

  it('leaves a document nested deeper than the stack allows to js-yaml', () => {
    const levels = 6000;
    const text = Array.from({ length: levels }, (_, level) => `${' '.repeat(level)}a:`).join('\n') + ' 1\n';
    expect(parseBlockYaml(text, 0, text.length, Number.POSITIVE_INFINITY)).toBeUndefined();
    const { issues } = loadManifests([{ path: 'deep.yaml', text }], {
      limits: { maxDepth: Number.POSITIVE_INFINITY, maxDocumentSize: Number.POSITIVE_INFINITY },
    });
    expect(issues.map((issue) => issue.code)).toEqual(['yaml-syntax']);
  });

  it("gives js-yaml's result, or none, for edited and mangled documents", () => {
    let seed = 7;
    const random = (bound: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % bound;
    };
    const pieces = [
      ' ',
      '  ',
      '\n',
      '\n  ',
      ':',
      ': ',
      '- ',
      '-',
      '#',
      ' #',
      '"',
      "'",
      "''",
      '{}',
      '[]',
      '{',
      '&a ',
      '*a',
      '<<: ',
      '!',
      '|',
      '\t',
      '\r\n',
      '~',
      '1',
      '0x',
      '.5',
      'true',
      'null',
      '---\n',
      '...\n',
      'key: value\n',
      '  - item\n',
      '__proto__',
      '\\',
      '%',
      '@',
      '?',
      ',',
    ];
    const bases = [deployment, `a: 1\n---\nlist:\n- x: "1"\n  'y': [] # c\n- -2\n-  ~\nz:\n  w: {}\n`];
    let read = 0;
    for (let round = 0; round < 4000; round++) {
      let text = bases[round % bases.length]!;
      for (let edit = 0; edit < 1 + random(3); edit++) {
        const at = random(text.length + 1);
        text =
          random(2) === 0
            ? text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1 + random(6));
      }
      if (expectSameAsJsYaml(text, 1 + random(40)) === 'read') read++;
    }
    // The edits must leave enough documents inside the subset for the comparison to mean something.
    expect(read).toBeGreaterThan(400);
  });
});
