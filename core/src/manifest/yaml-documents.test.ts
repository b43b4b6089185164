import { describe, expect, it } from 'vitest';
import type { Range } from '../source/source.js';
import { findNode, loadManifests, parseYamlDocuments, rangeAt } from './index.js';
import { splitDocuments } from './split-documents.js';
import type { FieldPath, YamlDocument, YamlNode } from './types.js';
import { parseYamlDocument } from './yaml-tree.js';

/** The range of the `occurrence`-th `needle` in `text` (0-based), found with indexOf. */
function span(text: string, needle: string, occurrence = 0): Range {
  let start = -1;
  for (let index = 0; index <= occurrence; index++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  return { start, end: start + needle.length };
}

function parse(text: string, path = 'input.yaml'): ReturnType<typeof parseYamlDocuments> {
  return parseYamlDocuments({ path, text });
}

function only(text: string): YamlDocument {
  const { documents, issues } = parse(text);
  expect(issues).toEqual([]);
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

function node(document: YamlDocument, path: FieldPath): YamlNode {
  const found = findNode(document, path);
  if (found === undefined) throw new Error(`no node at ${JSON.stringify(path)}`);
  return found;
}

describe('parseYamlDocuments: node ranges', () => {
  const block = 'a: 1  # trailing comment\nb:\n  - x\n  - "quoted"   \nc: plain\n  continued\nd:\ne: ~\n';
  const flow = '{a: 1, b: [x, "y z"], c: {d: e}, f}';
  const scalars = 'lit: |\n  line one\n    more\n\nfold: >-\n  folded\n  text\n# comment\nnext: 1\n';
  const aliases =
    'base: &b\n  port: 80\nuse: *b\nmerged:\n  <<: *b\n  extra: 1\nscalar: &s hello\nagain: *s\n';
  const json = '{\n  "apiVersion": "v1",\n  "items": [1, {"k": null}]\n}\n';

  it.each<[string, string, FieldPath, string, boolean?]>([
    ['plain scalar before a comment', block, ['a'], '1'],
    ['block sequence', block, ['b'], '- x\n  - "quoted"'],
    ['quoted scalar keeps its quotes, not the trailing spaces', block, ['b', 1], '"quoted"'],
    ['multi-line plain scalar', block, ['c'], 'plain\n  continued'],
    ['explicit null', block, ['e'], '~'],
    ['key range', block, ['c'], 'c', true],
    ['root mapping ends at its last value', block, [], block.trimEnd()],
    ['flow mapping', flow, [], flow],
    ['flow sequence', flow, ['b'], '[x, "y z"]'],
    ['flow item', flow, ['b', 1], '"y z"'],
    ['nested flow mapping', flow, ['c'], '{d: e}'],
    ['literal block scalar, without trailing blank lines', scalars, ['lit'], '|\n  line one\n    more'],
    ['folded block scalar, before a comment', scalars, ['fold'], '>-\n  folded\n  text'],
    ['alias: the alias text', aliases, ['use'], '*b'],
    ['through an alias: the anchored text', aliases, ['use', 'port'], '80'],
    ['through a merge key: the anchored text', aliases, ['merged', 'port'], '80'],
    ['own key of a merged mapping', aliases, ['merged', 'extra'], '1'],
    ['anchored scalar without its anchor', aliases, ['scalar'], 'hello'],
    ['JSON string', json, ['apiVersion'], '"v1"'],
    ['JSON key', json, ['apiVersion'], '"apiVersion"', true],
    ['JSON array', json, ['items'], '[1, {"k": null}]'],
    ['JSON nested null', json, ['items', 1, 'k'], 'null'],
  ])('%s', (_name, text, path, expected, key) => {
    const document = only(text);
    const range = rangeAt(document, path, { key: key === true });
    expect(text.slice(range.start, range.end)).toBe(expected);
  });

  it('gives values as js-yaml reads them, timestamps as strings (like kubectl)', () => {
    const document = only('a: 2024-01-01\nb: 1.10\nc: yes\nd: true\n');
    expect(document.value).toEqual({ a: '2024-01-01', b: 1.1, c: 'yes', d: true });
    expect(node(document, ['b'])).toMatchObject({ kind: 'scalar', value: 1.1 });
  });

  it('reads `key:` as a pair with no value, pointing at the key', () => {
    const text = 'a:\nb: 1\n';
    const document = only(text);
    const root = document.root;
    expect(root?.kind === 'mapping' ? root.pairs[0]?.value : 'not a mapping').toBeUndefined();
    expect(findNode(document, ['a'])).toBeUndefined();
    expect(rangeAt(document, ['a'])).toEqual(span(text, 'a'));
  });

  it('gives an empty sequence entry a null at its dash', () => {
    const text = 'list:\n- a\n-\n- c\n';
    const document = only(text);
    expect(node(document, ['list', 1])).toEqual({ kind: 'scalar', range: span(text, '-', 1), value: null });
    expect(rangeAt(document, ['list', 2])).toEqual(span(text, 'c'));
  });

  it('reads a flow pair inside a flow sequence as a one-pair mapping', () => {
    const text = 'x: [a: 1, b]';
    const document = only(text);
    expect(node(document, ['x', 0])).toMatchObject({ kind: 'mapping', range: span(text, 'a: 1') });
    expect(rangeAt(document, ['x', 0, 'a'])).toEqual(span(text, '1'));
    expect(rangeAt(document, ['x', 1])).toEqual(span(text, 'b'));
  });
});

describe('parseYamlDocuments: documents', () => {
  it('keeps the documents around a broken one, with offsets into the whole file', () => {
    const text = 'a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n';
    const { documents, issues } = parse(text);
    expect(documents.map((document) => document.index)).toEqual([0, 1, 2]);
    expect(documents[1]!.root).toBeUndefined();
    expect(issues).toEqual([
      {
        code: 'yaml-syntax',
        severity: 'error',
        message: 'missed comma between flow collection entries',
        location: { file: 'input.yaml', range: span(text, 'c') },
      },
    ]);
    expect(rangeAt(documents[0]!, ['a'])).toEqual(span(text, '1'));
    expect(rangeAt(documents[2]!, ['d'])).toEqual(span(text, '4'));
    expect(documents[2]!.value).toEqual({ d: 4 });
  });

  it.each([
    ['bad indentation', 'a: 1\n  b: 2\n', ': 2'],
    ['a second root after a sequence', '- a\nb: 1\n', 'b'],
    ['a duplicated key', 'a: 1\na: 2\n', 'a: 2'],
    ['a tab in indentation', 'a:\n\t- x\n', '\t'],
  ])('reports %s at the parser position', (_name, text, at) => {
    const { issues } = parse(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error' });
    expect(issues[0]!.location.range).toEqual({ start: span(text, at).start, end: span(text, at).start + 1 });
    expect(issues[0]!.message).not.toContain('\n');
  });

  it('reports an error at the end of the text with an empty range', () => {
    const text = 'key: "unterminated\n';
    expect(parse(text).issues[0]!.location.range).toEqual({ start: text.length, end: text.length });
  });

  it('handles CRLF line endings and a byte order mark, with offsets into the original text', () => {
    const text =
      '\uFEFFkind: Namespace\r\nmetadata:\r\n  name: prod\r\n---\r\nlist:\r\n  - x\r\n  -\r\n  - "y"\r\n';
    const { documents, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(documents).toHaveLength(2);
    expect(rangeAt(documents[0]!, ['kind'], { key: true })).toEqual({ start: 1, end: 5 });
    expect(rangeAt(documents[0]!, ['metadata', 'name'])).toEqual(span(text, 'prod'));
    expect(rangeAt(documents[0]!, ['metadata'])).toEqual(span(text, 'name: prod'));
    expect(documents[0]!.range).toEqual({ start: 1, end: span(text, 'prod').end });
    expect(documents[1]!.range).toEqual({ start: span(text, 'list').start, end: text.trimEnd().length });
    expect(rangeAt(documents[1]!, ['list'])).toEqual({
      start: span(text, '- x').start,
      end: span(text, '"y"').end,
    });
    expect(rangeAt(documents[1]!, ['list', 1])).toEqual(span(text, '-', 4));
    expect(documents[1]!.value).toEqual({ list: ['x', null, 'y'] });
  });

  it.each([
    ['an empty text', '', 0],
    ['only comments', '# nothing here\n\n# at all\n', 0],
    ['two empty documents', '---\n---\n', 2],
    ['a document end marker', 'a: 1\n...\n', 1],
    ['text after a document end marker', 'a: 1\n...\nb: 2\n', 2],
    ['directives before a marker', '%YAML 1.2\n---\na: 1\n', 1],
    ['a marker with content on its line', '--- {a: 1}\n', 1],
  ])('splits %s', (_name, text, count) => {
    const { documents, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(documents).toHaveLength(count);
  });

  it('starts a document after its marker line and ends it before the next one', () => {
    const text = '# file header\na: 1\n--- # second\nb: 2\n\n';
    const { documents } = parse(text);
    expect(documents[0]!.range).toEqual({ start: 0, end: span(text, '1').end });
    expect(documents[1]!.range).toEqual({ start: span(text, 'b').start, end: span(text, '2').end });
    expect(rangeAt(documents[1]!, [])).toEqual(documents[1]!.range);
  });

  it('treats binary garbage as a syntax error, without throwing', () => {
    const text = '\u0000\u0001\u0002PNG\r\n\u001a';
    const { documents, issues } = parse(text);
    expect(documents).toHaveLength(1);
    expect(issues).toMatchObject([{ code: 'yaml-syntax', location: { range: { start: 0, end: 1 } } }]);
  });

  it('reports non-printable characters where they are', () => {
    const text = 'a: b\u0007c\n';
    expect(parse(text).issues).toMatchObject([{ code: 'yaml-syntax' }]);
  });
});

describe('parseYamlDocuments: unrendered templates', () => {
  const helm = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ include "app.fullname" . }}',
    '  labels:',
    '    {{- include "app.labels" . | nindent 4 }}',
    '---',
    'a: {{ .Values.broken',
    '',
  ].join('\n');

  it('reports one helm-template error at the first action, and nothing else', () => {
    const { documents, issues } = parse(helm, 'chart/templates/svc.yaml');
    expect(documents).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'helm-template',
      severity: 'error',
      location: { file: 'chart/templates/svc.yaml', range: span(helm, '{{ include "app.fullname" . }}') },
    });
    expect(issues[0]!.message).toContain('helm template');
  });

  it.each([
    ['a quoted Helm value in an object', 'kind: Pod\nimage: "{{ .Values.image }}"\n', '{{ .Values.image }}'],
    ['an action that shapes the YAML', 'a: 1\n{{ if $x }}\nb: 2\n{{ end }}\n', '{{ if $x }}'],
    ['an action after a commented one', '# {{ .Values.note }}\nname: {{ $name }}\n', '{{ $name }}'],
  ])('detects %s', (_name, text, action) => {
    const { documents, issues } = parse(text);
    expect(documents).toEqual([]);
    expect(issues).toMatchObject([{ code: 'helm-template', location: { range: span(text, action) } }]);
  });

  it.each([
    ['an action in a comment', '# rendered from {{ .Values.x }}\na: 1  # {{ also }}\n'],
    ['an alert template in a string', "summary: 'Pod {{ $labels.pod }} is down'\n"],
    [
      'an alert template in a block scalar',
      'text: |\n  {{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n',
    ],
    ['braces without a closing pair', 'a: "{{"\n'],
    // A chart's values.yaml is data for `tpl`, not a manifest: no apiVersion or kind.
    ['a Helm value in a string of a values file', 'image:\n  tag: "{{ .Chart.AppVersion }}"\n'],
  ])('does not mistake %s for a template', (_name, text) => {
    const { documents, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(documents).toHaveLength(1);
  });
});

describe('parseYamlDocuments: JSON with comments', () => {
  it('skips a .json file with comments that does not parse (tsconfig.json), with one info', () => {
    const tsconfig = '{\n  // settings\n  "compilerOptions": {"strict": true}, /* more */\n}\n';
    const { documents, issues } = parseYamlDocuments({ path: 'tsconfig.json', text: tsconfig });
    expect(documents).toEqual([]);
    expect(issues).toMatchObject([{ code: 'not-kubernetes', severity: 'info', location: { file: 'tsconfig.json' } }]);
  });

  it('still reports a broken .json file without comments, and the same text in a .yaml file', () => {
    const broken = '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"},, "url": "http://x"}\n';
    expect(parseYamlDocuments({ path: 'ns.json', text: broken }).issues).toMatchObject([{ code: 'yaml-syntax', severity: 'error' }]);
    const commented = '{\n  // a namespace\n  "kind": "Namespace",\n}\n';
    expect(parseYamlDocuments({ path: 'ns.yaml', text: commented }).issues).toMatchObject([{ code: 'yaml-syntax', severity: 'error' }]);
  });
});

describe('parseYamlDocuments: trees read when first asked for', () => {
  it("gives each document the tree js-yaml's path gives, and loaded objects their root's range", () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a   # comment\n---\n# lead\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      ports: []\n---\nx: &a 1\ny: *a\n';
    const { documents } = parse(text);
    const chunks = splitDocuments(text);
    expect(documents).toHaveLength(chunks.length);
    documents.forEach((document, index) => {
      const chunk = chunks[index]!;
      expect(document.root).toStrictEqual(parseYamlDocument(text, chunk.start, chunk.end).root);
    });
    const { objects } = loadManifests([{ path: 'input.yaml', text }]);
    expect(objects.map((object) => object.range)).toStrictEqual(
      documents.slice(0, 2).map((document) => document.root!.range),
    );
  });
});
