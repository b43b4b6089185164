import { describe, expect, it } from 'vitest';
import { fieldPathAt } from './field-path-at.js';
import { loadManifests, parseYamlDocuments } from './index.js';
import { DEFAULT_LOAD_LIMITS, measureValue, utf8Length } from './limits.js';
import { formatFieldPath } from './paths.js';

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a}\nspec: {containers: [{name: c, image: x}]}\n`;

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, k) => {
    const previous = 'abcdefghi'[k]!;
    return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`;
  }),
].join('\n');

function limitIssues(text: string, limits = {}) {
  return loadManifests([{ path: 'm.yaml', text }], { limits }).issues.filter((issue) => issue.code === 'limit-exceeded');
}

describe('loader limits', () => {
  it('refuses a billion laughs quickly, naming the limit and its flag, and still reads the next document', () => {
    const text = `${billionLaughs}\n---\n${pod('ok')}`;
    const started = performance.now();
    const result = loadManifests([{ path: 'm.yaml', text }]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.issues).toEqual([
      {
        code: 'limit-exceeded',
        severity: 'error',
        message: 'the number of nodes its aliases expand to exceeds the limit of 100,000 (--max-yaml-aliases raises it)',
        location: { file: 'm.yaml', range: { start: 0, end: text.indexOf('\n') } },
      },
    ]);
    expect(result.objects.map((o) => o.name)).toEqual(['ok']);
  });

  it('refuses a value that contains itself', () => {
    expect(limitIssues('a: &a [*a]\n').map((i) => i.message)).toEqual([expect.stringContaining('--max-yaml-aliases')]);
  });

  it('accepts ordinary anchors and merge keys', () => {
    const text = 'base: &b {port: 80}\nx: *b\ny: {<<: *b, extra: 1}\n';
    expect(limitIssues(text)).toEqual([]);
    expect(measureValue(parseYamlDocuments({ path: 'm', text }).documents[0]!.value)).toEqual({ aliasExpansion: 2, depth: 2 });
  });

  it('stops at the first node nested too deep, and a raised limit lets it through', () => {
    const depth = DEFAULT_LOAD_LIMITS.maxDepth + 20;
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const issues = limitIssues(text);
    expect(issues.map((i) => i.message)).toEqual(['the nesting depth of this document exceeds the limit of 100 (--max-depth raises it)']);
    expect(issues[0]!.location.range.start).toBeGreaterThan(50);
    expect(limitIssues(text, { maxDepth: depth + 5 })).toEqual([]);
  });

  it('does not overflow the stack on very deep input', () => {
    const text = `${'- '.repeat(100_000)}x\n`;
    expect(() => loadManifests([{ path: 'm.yaml', text }])).not.toThrow();
    expect(limitIssues(text)).toHaveLength(1);
  });

  it('counts aliases into the depth', () => {
    const text = 'a: &a [[[x]]]\nb: &b [[[*a]]]\nc: [[[*b]]]\n';
    expect(limitIssues(text, { maxDepth: 8 }).map((i) => i.message)).toEqual([expect.stringContaining('--max-depth')]);
    expect(limitIssues(text, { maxDepth: 11 })).toEqual([]);
  });

  it('refuses a document larger than the size limit and reads the others', () => {
    const big = `${pod('big').trimEnd()}\n# ${'x'.repeat(300)}\n`;
    const text = `${pod('small')}---\n${big}`;
    const result = loadManifests([{ path: 'm.yaml', text }], { limits: { maxDocumentSize: 200 } });
    expect(result.objects.map((o) => o.name)).toEqual(['small']);
    expect(result.issues.map((i) => [i.code, i.message])).toEqual([
      ['limit-exceeded', expect.stringMatching(/^this document's size \(4\d\d bytes\) exceeds the limit of 200 \(--max-document-size raises it\)$/)],
    ]);
    expect(text.slice(result.issues[0]!.location.range.start, result.issues[0]!.location.range.end)).toBe('apiVersion: v1');
  });

  it('reads at most the document count limit, with one issue at the first document left out', () => {
    const text = [pod('p1'), pod('p2'), pod('p3'), pod('p4')].join('---\n');
    const result = loadManifests([{ path: 'm.yaml', text }], { limits: { maxDocuments: 2 } });
    expect(result.objects.map((o) => o.name)).toEqual(['p1', 'p2']);
    expect(result.issues.map((i) => i.message)).toEqual(['the number of documents in this file exceeds the limit of 2 (--max-documents raises it)']);
    expect(result.issues[0]!.location.range.start).toBe(text.indexOf('apiVersion', text.indexOf('p2')));
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀', 0, 5)).toBe(1 + 2 + 3 + 4);
  });
});

describe('encodings and empty input', () => {
  const cases: [string, string][] = [
    ['UTF-8 byte order mark', `\uFEFF${pod('p')}`],
    ['CRLF line breaks', pod('p').replaceAll('\n', '\r\n')],
    ['tabs after values', pod('p').replace('kind: Pod', 'kind: Pod\t\t')],
    ['empty documents around the object', `---\n---\n${pod('p')}---\n...\n`],
  ];
  it.each(cases)('%s', (_name, text) => {
    const result = loadManifests([{ path: 'm.yaml', text }]);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((o) => [o.kind, o.name])).toEqual([['Pod', 'p']]);
    const range = result.objects[0]!.range;
    expect(text.slice(range.start, range.start + 10)).toBe('apiVersion');
  });

  it('an empty file and a file of comments hold nothing and raise nothing', () => {
    expect(loadManifests([{ path: 'a.yaml', text: '' }, { path: 'b.yaml', text: '# only\n\n' }])).toMatchObject({ objects: [], issues: [] });
  });

  it('a tab as indentation is a syntax error inside the file, and the next document still loads', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n---\n${pod('q')}`;
    const result = loadManifests([{ path: 'm.yaml', text }]);
    expect(result.issues.map((i) => i.code)).toEqual(['yaml-syntax']);
    expect(result.issues[0]!.location.range.end).toBeLessThanOrEqual(text.length);
    expect(result.objects.map((o) => o.name)).toEqual(['q']);
  });
});

describe('fieldPathAt', () => {
  const text = 'spec:\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: web}}\n';
  const document = parseYamlDocuments({ path: 'm', text }).documents[0]!;
  it.each<[string, string]>([
    ['web', 'spec.ingress[0].from[0].podSelector.matchLabels.app'],
    ['matchLabels', 'spec.ingress[0].from[0].podSelector.matchLabels'],
    ['ingress', 'spec.ingress'],
    ['spec', 'spec'],
  ])('at %s', (needle, expected) => {
    expect(formatFieldPath(fieldPathAt(document, text.indexOf(needle)))).toBe(expected);
  });
  it('is empty outside every node', () => {
    expect(fieldPathAt(document, text.length + 5)).toEqual([]);
  });
});
