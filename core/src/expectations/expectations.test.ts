// Reachability expectations: what `ports` and `protocol` ask, alone and together, for allow and deny.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { checkExpectations, parseExpectations } from './expectations.js';

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: x}]}\n`;
const ingressOn = (name: string, ports: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: ${name}}}\n  ingress: [{ports: ${ports}}]\n`;
const egressOn = (name: string, ports: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}-out, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: ${name}}}\n  egress: [{ports: ${ports}}]\n`;
// db takes TCP 5432 only, dns UDP 53 only, web everything; client sends TCP 80 only.
const manifests = [
  pod('api'),
  pod('client'),
  pod('db'),
  pod('dns'),
  pod('web'),
  ingressOn('db', '[{port: 5432}]'),
  ingressOn('dns', '[{port: 53, protocol: UDP}]'),
  egressOn('client', '[{port: 80}]'),
];
const { result } = analyze([{ path: 'm.yaml', text: manifests.join('---\n') }]);

/** One expectation (flow YAML; `from: shop/api` unless it says), its name, and the reason its one pair fails (undefined: it passes). */
type Case = readonly [expectation: string, name: string, failure: string | undefined];

const cases: readonly Case[] = [
  // Neither ports nor protocol: allow asks for some connection, deny for none at all.
  ['to: shop/db, expect: allow', 'shop/api => shop/db: allow', undefined],
  ['to: shop/db, expect: deny', 'shop/api => shop/db: deny', 'expected to deny any connection, but TCP 5432 is allowed'],
  // A protocol alone: every port of that protocol, allow asking for one of them, deny for none.
  ['to: shop/db, protocol: UDP, expect: deny', 'shop/api => shop/db on UDP: deny', undefined],
  ['to: shop/db, protocol: UDP, expect: allow', 'shop/api => shop/db on UDP: allow', 'expected to allow any UDP connection, but ingress of shop/db[Pod] allows TCP 5432'],
  ['to: shop/db, protocol: TCP, expect: allow', 'shop/api => shop/db on TCP: allow', undefined],
  ['to: shop/db, protocol: TCP, expect: deny', 'shop/api => shop/db on TCP: deny', 'expected to deny any TCP connection, but TCP 5432 is allowed'],
  ['to: shop/dns, protocol: UDP, expect: allow', 'shop/api => shop/dns on UDP: allow', undefined],
  ['to: shop/dns, protocol: UDP, expect: deny', 'shop/api => shop/dns on UDP: deny', 'expected to deny any UDP connection, but UDP 53 is allowed'],
  ['to: shop/dns, protocol: TCP, expect: deny', 'shop/api => shop/dns on TCP: deny', undefined],
  ['to: shop/web, protocol: SCTP, expect: allow', 'shop/api => shop/web on SCTP: allow', undefined],
  // Ports: every one of them (TCP unless a protocol is given), allow asking for all, deny for none.
  ['to: shop/db, ports: [5432], expect: allow', 'shop/api => shop/db on TCP 5432: allow', undefined],
  ['to: shop/db, ports: [5432, 5433], expect: allow', 'shop/api => shop/db on TCP 5432,5433: allow', 'expected to allow TCP 5432-5433, but ingress of shop/db[Pod] allows TCP 5432'],
  ['to: shop/db, ports: [5432], protocol: UDP, expect: allow', 'shop/api => shop/db on UDP 5432: allow', 'expected to allow UDP 5432, but ingress of shop/db[Pod] allows TCP 5432'],
  ['to: shop/db, ports: [5432], protocol: UDP, expect: deny', 'shop/api => shop/db on UDP 5432: deny', undefined],
  ['to: shop/db, ports: [80, 5432], expect: deny', 'shop/api => shop/db on TCP 80,5432: deny', 'expected to deny TCP 80,5432, but TCP 5432 is allowed'],
  // Each side allows some TCP, but not the same: both sides are named.
  [
    'from: shop/client, to: shop/db, protocol: TCP, expect: allow',
    'shop/client => shop/db on TCP: allow',
    'expected to allow any TCP connection, but egress of shop/client[Pod] allows TCP 80; ingress of shop/db[Pod] allows TCP 5432, none of which both allow',
  ],
];

describe('reachability expectations', () => {
  it.each(cases)('%s', (expectation, name, failure) => {
    const from = expectation.startsWith('from:') ? '' : 'from: shop/api, ';
    const parsed = parseExpectations({ path: 'e.yaml', text: `expectations:\n  - {${from}${expectation}}\n` });
    expect(parsed.issues).toEqual([]);
    const { outcomes, issues } = checkExpectations(parsed.file, result);
    expect(issues).toEqual([]);
    expect(outcomes.map((o) => [o.expectation.name, o.passed, o.checked])).toEqual([[name, failure === undefined, 1]]);
    expect(outcomes[0]?.failures.map((f) => f.reason)).toEqual(failure === undefined ? [] : [expect.stringContaining(failure)]);
  });

  it('names the policies that decide a failed protocol-wide check', () => {
    const parsed = parseExpectations({
      path: 'e.yaml',
      text: [
        'expectations:',
        '  - {from: shop/api, to: shop/dns, protocol: UDP, expect: deny}',
        '  - {from: shop/api, to: shop/db, protocol: UDP, expect: allow}',
        '  - {from: shop/client, to: shop/db, expect: allow}',
        '',
      ].join('\n'),
    });
    const { outcomes } = checkExpectations(parsed.file, result);
    expect(outcomes.map((o) => o.failures.flatMap((f) => f.deciding.map((d) => `${d.policy.id} ${d.direction}`)))).toEqual([
      ['shop/dns ingress'],
      ['shop/db ingress'],
      ['shop/client-out egress', 'shop/db ingress'],
    ]);
  });
});

describe('the expectations file', () => {
  /** The parsed names and the issues as `line:column message` (1-based, as printed). */
  function read(text: string): { names: string[]; issues: string[] } {
    const parsed = parseExpectations({ path: 'e.yaml', text });
    const at = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return `${before.length}:${before.at(-1)!.length + 1}`;
    };
    return {
      names: parsed.file.expectations.map((e) => e.name),
      issues: parsed.issues.map((i) => `${i.severity} ${at(i.location.range.start)} ${i.message}`),
    };
  }

  it('reads every document: a second one is checked too, with its own ranges', () => {
    const text = 'expectations:\n  - {from: shop/api, to: shop/db, expect: allow}\n---\nexpectations:\n  - {from: shop/api, to: shop/db, expect: deny}\n';
    const parsed = parseExpectations({ path: 'e.yaml', text });
    expect(parsed.issues).toEqual([]);
    const { outcomes } = checkExpectations(parsed.file, result);
    expect(outcomes.map((o) => [o.expectation.name, o.passed])).toEqual([
      ['shop/api => shop/db: allow', true],
      ['shop/api => shop/db: deny', false],
    ]);
    expect(outcomes[1]!.expectation.location.range.start).toBe(text.lastIndexOf('{from'));
  });

  it('reports a mistake in a later document at its field', () => {
    expect(read('expectations:\n  - {from: shop/api, to: shop/db, expect: allow}\n---\nexpectations:\n  - {from: shop/api, to: shop/db, expect: maybe}\n')).toEqual({
      names: ['shop/api => shop/db: allow'],
      issues: ['error 5:43 expect: expected one of "allow", "deny", got "maybe"'],
    });
  });

  it('skips empty documents: a leading --- or a trailing one holds nothing to check', () => {
    expect(read('---\nexpectations:\n  - {from: shop/api, to: shop/db, expect: allow}\n---\n# done\n')).toEqual({ names: ['shop/api => shop/db: allow'], issues: [] });
  });

  it('rejects a file that checks nothing: an empty list (in any document), or no document at all', () => {
    expect(read('expectations: []\n')).toEqual({
      names: [],
      issues: ['error 1:15 expectations: lists no expectations: a test file that checks nothing is most likely a mistake'],
    });
    expect(read('expectations:\n  - {from: shop/api, to: shop/db, expect: allow}\n---\nexpectations: []\n').issues).toEqual([
      'error 4:15 expectations: lists no expectations: a test file that checks nothing is most likely a mistake',
    ]);
    expect(read('# nothing yet\n')).toEqual({ names: [], issues: ['error 1:1 the file holds no expectations'] });
  });
});
