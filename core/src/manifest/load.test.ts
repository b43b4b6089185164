import { load as jsYamlLoad } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Range } from '../source/source.js';
import { loadManifests } from './index.js';
import type { InputIssueCode, LoadResult, ManifestObject, Severity } from './types.js';

/** The range of the `occurrence`-th `needle` in `text` (0-based), found with indexOf. */
function span(text: string, needle: string, occurrence = 0): Range {
  let start = -1;
  for (let index = 0; index <= occurrence; index++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  return { start, end: start + needle.length };
}

/** The range of `needle` inside the first `context` of `text`. */
function within(text: string, context: string, needle: string): Range {
  const start = span(text, context).start + context.indexOf(needle);
  return { start, end: start + needle.length };
}

function load(text: string, path = 'm.yaml'): LoadResult {
  return loadManifests([{ path, text }]);
}

/** An expected issue: its code and severity, and the text it points at (the `occurrence`-th match), or its range. */
type Expected = readonly [code: InputIssueCode, severity: Severity, at: string | Range, occurrence?: number];

function expectIssues(text: string, result: LoadResult, expected: readonly Expected[]): void {
  const actual = result.issues.map((issue) => ({
    code: issue.code,
    severity: issue.severity,
    range: issue.location.range,
  }));
  const wanted = expected.map(([code, severity, at, occurrence]) => ({
    code,
    severity,
    range: typeof at === 'string' ? span(text, at, occurrence) : at,
  }));
  expect(actual).toEqual(wanted);
}

function policy(spec: string, name = 'web'): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${spec}`;
}

function ingressFrom(peer: string): string {
  return policy(`  podSelector: {}\n  ingress:\n  - from:\n    - ${peer}\n`);
}

function ingressPort(port: string): string {
  return policy(`  podSelector: {}\n  ingress:\n  - ports:\n    - ${port}\n`);
}

function deployment(containers: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api}',
    'spec:',
    '  selector: {matchExpressions: [{key: app, operator: Exists}]}',
    '  template:',
    '    metadata: {labels: {app: api}}',
    '    spec:',
    '      containers:',
    containers,
  ].join('\n');
}

describe('loadManifests: NetworkPolicy validation', () => {
  it.each<[string, string, readonly Expected[], boolean]>([
    [
      'a valid ipBlock with except',
      ingressFrom('ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}'),
      [],
      false,
    ],
    [
      'a valid IPv6 ipBlock',
      ingressFrom("ipBlock: {cidr: '2001:db8::/32', except: ['2001:db8:1::/48']}"),
      [],
      false,
    ],
    [
      'a prefix too long',
      ingressFrom('ipBlock: {cidr: 10.0.0.0/33}'),
      [['invalid-cidr', 'error', '10.0.0.0/33']],
      true,
    ],
    [
      'an octet too large',
      ingressFrom('ipBlock: {cidr: 256.0.0.0/8}'),
      [['invalid-cidr', 'error', '256.0.0.0/8']],
      true,
    ],
    ['no prefix', ingressFrom('ipBlock: {cidr: 10.0.0.1}'), [['invalid-cidr', 'error', '10.0.0.1']], true],
    ['an empty cidr', ingressFrom('ipBlock: {cidr: ""}'), [['invalid-cidr', 'error', '""']], true],
    [
      'host bits (accepted)',
      ingressFrom('ipBlock: {cidr: 10.0.0.1/24}'),
      [['invalid-cidr', 'warning', '10.0.0.1/24']],
      false,
    ],
    [
      'leading zeros (accepted)',
      ingressFrom('ipBlock: {cidr: 010.0.0.0/8}'),
      [['invalid-cidr', 'warning', '010.0.0.0/8']],
      false,
    ],
    [
      'an except equal to the cidr (not a strict subset)',
      ingressFrom('ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}'),
      [['except-outside-cidr', 'error', '10.0.0.0/8', 1]],
      true,
    ],
    [
      'an except outside the cidr',
      ingressFrom('ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 11.0.0.0/16]}'),
      [['except-outside-cidr', 'error', '11.0.0.0/16']],
      true,
    ],
    [
      'an except wider than the cidr',
      ingressFrom('ipBlock: {cidr: 10.1.0.0/16, except: [10.0.0.0/8]}'),
      [['except-outside-cidr', 'error', '10.0.0.0/8']],
      true,
    ],
    [
      'an except of the other family',
      ingressFrom("ipBlock: {cidr: 10.0.0.0/8, except: ['fd00::/64']}"),
      [['except-outside-cidr', 'error', "'fd00::/64'"]],
      true,
    ],
    [
      'an except that is not a CIDR',
      ingressFrom('ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0]}'),
      [['invalid-cidr', 'error', '10.1.0.0']],
      true,
    ],
    [
      'an except with host bits inside the cidr',
      ingressFrom('ipBlock: {cidr: 10.0.0.0/8, except: [10.1.2.3/16]}'),
      [['invalid-cidr', 'warning', '10.1.2.3/16']],
      false,
    ],
    [
      'an ipBlock with a podSelector',
      ingressFrom('{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}'),
      [['invalid-peer', 'error', '{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}']],
      true,
    ],
    ['an empty peer', ingressFrom('{}'), [['invalid-peer', 'error', '{}', 1]], true],
    [
      'pod and namespace selectors together',
      ingressFrom('{podSelector: {}, namespaceSelector: {}}'),
      [],
      false,
    ],
    ['protocol ICMP', ingressPort('{protocol: ICMP, port: 80}'), [['invalid-value', 'error', 'ICMP']], true],
    ['an empty protocol', ingressPort('{protocol: "", port: 80}'), [['invalid-value', 'error', '""']], true],
    ['port 0', ingressPort('{port: 0}'), [['invalid-value', 'error', '0']], true],
    ['port 65536', ingressPort('{port: 65536}'), [['invalid-value', 'error', '65536']], true],
    ['a valid named port', ingressPort('{port: http-alt, protocol: SCTP}'), [], false],
    ['an uppercase port name', ingressPort('{port: Http}'), [['invalid-value', 'error', 'Http']], true],
    ['a port name with --', ingressPort('{port: a--b}'), [['invalid-value', 'error', 'a--b']], true],
    [
      'a port name without a letter',
      ingressPort('{port: "8080"}'),
      [['invalid-value', 'error', '"8080"']],
      true,
    ],
    [
      'a port name of 16 characters',
      ingressPort('{port: abcdefghijklmnop}'),
      [['invalid-value', 'error', 'abcdefghijklmnop']],
      true,
    ],
    ['endPort equal to port', ingressPort('{port: 80, endPort: 80}'), [], false],
    [
      'endPort below port',
      ingressPort('{port: 80, endPort: 79}'),
      [['invalid-end-port', 'error', '79']],
      true,
    ],
    [
      'endPort with a named port',
      ingressPort('{port: http, endPort: 90}'),
      [['invalid-end-port', 'error', '90']],
      true,
    ],
    ['endPort without port', ingressPort('{endPort: 90}'), [['invalid-end-port', 'error', '90']], true],
    [
      'endPort above 65535',
      ingressPort('{port: 80, endPort: 65536}'),
      [['invalid-end-port', 'error', '65536']],
      true,
    ],
    [
      'three policyTypes',
      policy('  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n'),
      [['invalid-value', 'error', '[Ingress, Egress, Ingress]']],
      true,
    ],
    [
      'a policyType listed twice (accepted)',
      policy('  podSelector: {}\n  policyTypes: [Ingress, Ingress]\n'),
      [['invalid-value', 'warning', 'Ingress', 1]],
      false,
    ],
    [
      'In without values',
      policy('  podSelector:\n    matchExpressions:\n    - {key: app, operator: In}\n'),
      [['invalid-label', 'error', '{key: app, operator: In}']],
      true,
    ],
    [
      'NotIn with empty values',
      policy('  podSelector:\n    matchExpressions:\n    - {key: app, operator: NotIn, values: []}\n'),
      [['invalid-label', 'error', '[]']],
      true,
    ],
    [
      'Exists with values',
      policy('  podSelector:\n    matchExpressions:\n    - {key: app, operator: Exists, values: [a]}\n'),
      [['invalid-label', 'error', '[a]']],
      true,
    ],
    [
      'a bad label key and value in a peer selector',
      ingressFrom("namespaceSelector: {matchLabels: {'-team': 'a b', 'Example.com/x': ok}}"),
      [
        ['invalid-label', 'error', "'-team'"],
        ['invalid-label', 'error', "'a b'"],
        ['invalid-label', 'error', "'Example.com/x'"],
      ],
      true,
    ],
    [
      'a label value of 64 characters',
      policy(`  podSelector: {matchLabels: {app: ${'a'.repeat(64)}}}\n`),
      [['invalid-label', 'error', 'a'.repeat(64)]],
      true,
    ],
    [
      'valid label keys and values',
      policy("  podSelector: {matchLabels: {app.kubernetes.io/name: web, tier: '', k8s.io/x_y.z: A-1}}\n"),
      [],
      false,
    ],
  ])('%s', (_name, text, expected, rejected) => {
    const result = load(text);
    expectIssues(text, result, expected);
    expect(result.objects.map((object) => object.rejected)).toEqual([rejected]);
  });

  it('points a missing podSelector at its parent, warns, and reads it as {}', () => {
    const text = policy('  ingress:\n  - {}\n');
    const result = load(text);
    expectIssues(text, result, [['missing-field', 'warning', 'spec']]);
    expect(result.issues[0]!.message).toBe(
      'spec.podSelector: required by the NetworkPolicy API; read as {}, which selects every pod in the namespace',
    );
    expect(result.objects[0]).toMatchObject({
      rejected: false,
      value: { spec: { podSelector: {}, ingress: [{}] } },
    });
  });

  it('points a null podSelector at its key', () => {
    const text = policy('  podSelector:\n  policyTypes: [Egress]\n');
    expectIssues(text, load(text), [['missing-field', 'warning', 'podSelector']]);
  });

  it('rejects a NetworkPolicy without spec (decoding fails: no object)', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web}\n';
    const result = load(text);
    expect(result.objects).toEqual([]);
    expect(result.issues).toEqual([
      {
        code: 'missing-field',
        severity: 'error',
        message: 'spec: required field is missing',
        location: { file: 'm.yaml', range: { start: 0, end: text.trimEnd().length } },
      },
    ]);
  });

  it('names the field and what it got for a wrong type, and leaves the object out', () => {
    const text = ingressPort('{port: [80]}');
    const result = load(text);
    expect(result.objects).toEqual([]);
    expect(result.issues).toEqual([
      {
        code: 'schema',
        severity: 'error',
        message: 'spec.ingress[0].ports[0].port: expected a port number or a port name, got a list',
        location: { file: 'm.yaml', range: span(text, '[80]') },
      },
    ]);
  });

  it.each<[string, string, Expected]>([
    [
      'a mapping for a list',
      policy('  podSelector: {}\n  ingress: {from: []}\n'),
      ['schema', 'error', '{from: []}'],
    ],
    ['a string for a number', ingressPort('{port: 80, endPort: "90"}'), ['schema', 'error', '"90"']],
    ['a fraction for an integer', ingressPort('{port: 80.5}'), ['schema', 'error', '80.5']],
    [
      'a missing cidr (at its parent key)',
      ingressFrom('ipBlock: {except: []}'),
      ['missing-field', 'error', 'ipBlock'],
    ],
    [
      'an unknown policy type',
      policy('  podSelector: {}\n  policyTypes: [ingress]\n'),
      ['invalid-value', 'error', 'ingress'],
    ],
    [
      'an unknown selector operator',
      policy('  podSelector:\n    matchExpressions: [{key: a, operator: Equals, values: [b]}]\n'),
      ['invalid-label', 'error', 'Equals'],
    ],
  ])('reports %s and leaves the object out', (_name, text, expected) => {
    const result = load(text);
    expectIssues(text, result, [expected]);
    expect(result.objects).toEqual([]);
  });

  it('strips fields kubereach does not read, and reads null fields as absent', () => {
    const text = policy(
      '  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    ports:\n  egress: []\n  somethingNew: 1\n',
    );
    const result = load(text);
    expect(result.issues).toEqual([]);
    expect(result.objects[0]!.value).toEqual({
      metadata: { name: 'web', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}], egress: [] },
    });
  });
});

describe('loadManifests: the documents it reads', () => {
  it.each<[string, string]>([
    ['nothing to change', policy('  podSelector: {matchLabels: {app: web}}\n')],
    ['a null field', policy('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n')],
    ['a label that is not a string', policy('  podSelector: {matchLabels: {app: 10, tier: ~}}\n')],
    ['no podSelector', policy('  policyTypes: [Ingress]\n')],
    ['a null podSelector', policy('  podSelector:\n')],
    [
      'every change at once, in a List',
      `apiVersion: v1\nkind: List\nitems:\n- ${policy('  podSelector:\n    matchLabels: {a: 1, b: ~}\n  egress:\n').replaceAll('\n', '\n  ').trimEnd()}\n`,
    ],
  ])('leaves the value of a document with %s as js-yaml read it', (_name, text) => {
    const result = load(text);
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]!.document.value).toStrictEqual(jsYamlLoad(text));
  });

  it('decodes a document with aliases to a tree, as zod does: no node is reached twice', () => {
    const text = policy('  podSelector: &pods {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - podSelector: *pods\n');
    const result = load(text);
    expect(result.issues).toEqual([]);
    const { spec } = (result.objects[0] as ManifestObject<'NetworkPolicy'>).value;
    const peerSelector = spec.ingress?.[0]?.from?.[0]?.podSelector;
    expect(peerSelector).toStrictEqual(spec.podSelector);
    expect(peerSelector).not.toBe(spec.podSelector);
  });

  it('decodes an object that needs no change as one that does, but for the change', () => {
    const plain = load(policy('  podSelector: {matchLabels: {app: web}}\n  ingress: [{}]\n'));
    const changed = load(
      policy('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    ports: ~\n'),
    );
    expect(changed.objects[0]!.value).toStrictEqual(plain.objects[0]!.value);
  });
});

describe('loadManifests: labels that are not strings', () => {
  it.each<[string, string, string, string, Severity]>([
    ['a boolean', 'true', 'true', 'label-not-string', 'error'],
    ['a number that loses its text', '1.10', '1.10', 'label-not-string', 'error'],
    ['a YAML 1.1 boolean (kubectl reads it as one)', 'yes', 'yes', 'label-not-string', 'error'],
    ['a YAML 1.1 boolean, capitalised', 'On', 'On', 'label-not-string', 'error'],
    // go-yaml v2 drops underscores before parsing a number (resolve.go); js-yaml (YAML 1.2) keeps the string.
    ['a number with underscores (kubectl reads 1000)', '1_000', '1_000', 'label-not-string', 'error'],
    ['a float with underscores', '1_0.5', '1_0.5', 'label-not-string', 'error'],
    ['a binary number with underscores', '0b1_0', '0b1_0', 'label-not-string', 'error'],
    // Go's ParseInt takes capital base prefixes; YAML 1.2 only small ones.
    ['a capital hexadecimal prefix', '0X1F', '0X1F', 'label-not-string', 'error'],
    ['a capital octal prefix', '0O17', '0O17', 'label-not-string', 'error'],
    ['null', '~', '', 'label-not-string', 'warning'],
  ])(
    'reports %s at the value and converts it to its source text',
    (_name, written, converted, code, severity) => {
      const text = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    env: ${written}\n`;
      const result = load(text);
      expect(result.issues).toMatchObject([
        { code, severity, location: { range: within(text, `env: ${written}`, written) } },
      ]);
      expect(result.issues[0]!.message).toMatch(/^metadata\.labels\.env: /);
      expect(result.objects[0]).toMatchObject({
        rejected: severity === 'error',
        value: { metadata: { labels: { env: converted } } },
      });
    },
  );

  it('accepts quoted values', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {a: "true", b: \'yes\', c: "1.10"}\n';
    expect(load(text).issues).toEqual([]);
  });

  it('reads annotations as kubectl does: a signed leading-dot float and an infinity are numbers', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  annotations: {a: -.5, b: .inf, c: .5_0}\n';
    expectIssues(text, load(text), [
      ['label-not-string', 'error', within(text, '{a: -.5', '-.5')],
      ['label-not-string', 'error', within(text, 'b: .inf', '.inf')],
    ]);
  });

  it('accepts values tagged as strings: the tag, not the text, gives the type, for kubectl too', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    a: !!str yes\n    b: !!str 1_000\n    c: !<tag:yaml.org,2002:str> on\n    d: !!str\n      off\n';
    const result = load(text);
    expect(result.issues).toEqual([]);
    expect(result.objects[0]!.value.metadata.labels).toEqual({ a: 'yes', b: '1_000', c: 'on', d: 'off' });
  });

  it('reports a value tagged as a number with its tag, which quoting the text would not change', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    a: !!float 1\n';
    expectIssues(text, load(text), [['label-not-string', 'error', within(text, 'a: !!float 1', '!!float 1')]]);
  });

  it.each<[string, string]>([
    ['a sexagesimal number (go-yaml v2 has none)', '1:20'],
    ['a timestamp (a string for kubectl, which decodes into interface{})', '2001-12-14'],
    ['an underscore after a leading dot (ParseFloat takes none)', '.5_0'],
    ['a hexadecimal number beyond 64 bits (a string for go-yaml v2, a number for js-yaml)', '0x1FFFFFFFFFFFFFFFF'],
  ])('accepts %s, a string for kubectl', (_name, written) => {
    const text = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    env: ${written}\n`;
    const result = load(text);
    expect(result.issues.filter((issue) => issue.code === 'label-not-string')).toEqual([]);
    expect(result.objects[0]!.value.metadata.labels).toEqual({ env: written });
  });

  it.each<[string, string, string]>([
    [
      'a Service selector',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: on}\n  ports: [{port: 80}]\n',
      '{app: on}',
    ],
    [
      'an annotation',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  annotations: {replicas: 3}\n',
      '{replicas: 3}',
    ],
    ['a pod template label', deployment('      - name: c\n').replace('{app: api}', '{app: 10}'), '{app: 10}'],
    ['a matchLabels value', policy('  podSelector: {matchLabels: {v: 2}}\n'), '{v: 2}'],
    [
      'a matchExpressions value',
      policy('  podSelector:\n    matchExpressions: [{key: v, operator: In, values: [1.5]}]\n'),
      '[1.5]',
    ],
  ])('checks %s', (_name, text, context) => {
    const value = /[\w.]+(?=[}\]]$)/.exec(context)![0];
    const result = load(text);
    expectIssues(text, result, [['label-not-string', 'error', within(text, context, value)]]);
    expect(result.objects[0]!.rejected).toBe(true);
  });
});

describe('loadManifests: YAML 1.1 booleans and numbers in boolean and number fields', () => {
  // kubectl reads YAML 1.1 (go-yaml v2 resolve.go): y, yes, on are true, n, no, off false, and the API server gets
  // JSON booleans; js-yaml reads them as strings.
  const daemonSet = (hostNetwork: string) =>
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      hostNetwork: ${hostNetwork}\n      containers: [{name: c}]\n`;

  it.each<[string, boolean]>([
    ['yes', true],
    ['Y', true],
    ['On', true],
    ['no', false],
    ['OFF', false],
    ['n', false],
  ])('reads hostNetwork: %s as kubectl does', (written, expected) => {
    const result = load(daemonSet(written));
    expect(result.issues).toEqual([]);
    const object = result.objects[0] as ManifestObject<'DaemonSet'>;
    expect(object.rejected).toBe(false);
    expect(object.value.spec.template.spec.hostNetwork).toBe(expected);
  });

  it('reads a Job manualSelector: on, in a flow mapping and a List item too', () => {
    const job =
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {manualSelector: on, selector: {matchLabels: {app: j}}, template: {metadata: {labels: {app: j}}, spec: {containers: [{name: c}]}}}\n';
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${job.trimEnd().replace(/\n/g, '\n  ')}\n`;
    for (const text of [job, list]) {
      const result = load(text);
      expect(result.issues).toEqual([]);
      expect((result.objects[0] as ManifestObject<'Job'>).value.spec.manualSelector).toBe(true);
    }
  });

  it('reads a containerPort written 8_080 as kubectl does', () => {
    const result = load(daemonSet('false').replace('[{name: c}]', '[{name: c, ports: [{containerPort: 8_080}]}]'));
    expect(result.issues).toEqual([]);
    const object = result.objects[0] as ManifestObject<'DaemonSet'>;
    expect(object.value.spec.template.spec.containers[0]!.ports).toEqual([{ containerPort: 8080 }]);
  });

  it('rejects a quoted or tagged "yes", which kubectl sends as a string, and a number', () => {
    for (const written of ['"yes"', '!!str on', '1']) {
      const text = daemonSet(written);
      const value = written === '!!str on' ? 'on' : written;
      expectIssues(text, load(text), [['schema', 'error', within(text, `hostNetwork: ${written}`, value)]]);
    }
  });
});

describe('loadManifests: YAML 1.1 readings in other fields', () => {
  // kubectl sends what go-yaml v2 reads: a string field written `no` gets false, which the API server refuses; a field
  // taking a number gets the octal 291 for `0443`, and a number-or-name port the number 8080 for `8_080`.
  const pod = (fields: string, ports: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n${fields}spec:\n  containers:\n    - name: c\n      ports: [${ports}]\n`;

  it('rejects a name or namespace kubectl reads as a boolean, at the value', () => {
    const text = pod('  namespace: off\n', '{containerPort: 80, name: on}');
    const result = load(text);
    expectIssues(text, result, [
      ['kubectl-reads-otherwise', 'error', within(text, 'namespace: off', 'off')],
      ['kubectl-reads-otherwise', 'error', within(text, 'name: on', 'on')],
    ]);
    expect(result.issues[0]!.message).toBe('metadata.namespace: off is the boolean false for kubectl (YAML 1.1), which this field does not take: quote it ("off")');
    expect(result.objects[0]!.rejected).toBe(true);
    expect(result.objects[0]!.namespace).toBe('off');
  });

  it('gives a number field what kubectl reads of a legacy octal, with a warning', () => {
    const text = pod('', '{containerPort: 0443}');
    const result = load(text);
    expectIssues(text, result, [['kubectl-reads-otherwise', 'warning', '0443']]);
    expect(result.issues[0]!.message).toBe(
      'spec.containers[0].ports[0].containerPort: 0443 is the number 291 for kubectl (YAML 1.1), not 443: the cluster gets 291',
    );
    const object = result.objects[0] as ManifestObject<'Pod'>;
    expect(object.rejected).toBe(false);
    expect(object.value.spec.containers[0]!.ports).toEqual([{ containerPort: 291 }]);
  });

  it('gives a NetworkPolicy port, a number or a name, the number kubectl reads', () => {
    const text = policy('  podSelector: {}\n  ingress:\n    - ports: [{port: 8_080}, {port: -0_1}, {port: 0443, endPort: 0777}]\n');
    const result = load(text);
    expectIssues(text, result, [
      ['kubectl-reads-otherwise', 'warning', '8_080'],
      ['kubectl-reads-otherwise', 'warning', '-0_1'],
      ['kubectl-reads-otherwise', 'warning', '0443'],
      ['kubectl-reads-otherwise', 'warning', '0777'],
      // -1 is no port: the API server refuses the value kubectl sends.
      ['invalid-value', 'error', '-0_1'],
    ]);
    const object = result.objects[0] as ManifestObject<'NetworkPolicy'>;
    expect(object.value.spec.ingress![0]!.ports).toEqual([{ port: 8080 }, { port: -1 }, { port: 291, endPort: 511 }]);
  });

  it('reads documents the block reader leaves to js-yaml too (a block scalar, anchors)', () => {
    const text = pod('  namespace: &ns no\n  annotations:\n    note: |\n      text\n', '{containerPort: 010}');
    expectIssues(text, load(text), [
      ['kubectl-reads-otherwise', 'error', 'no'],
      ['kubectl-reads-otherwise', 'warning', '010'],
    ]);
  });

  it('leaves fields it does not decode and label maps alone, and takes quoted and tagged values as written', () => {
    const text = pod(
      '  namespace: "no"\n  labels: {"on": x}\n',
      '{containerPort: 80, name: !!str on}]\n      securityContext: {privileged: yes, runAsUser: 0100}\n      stdin: yes\n      args: [yes',
    );
    const result = load(text);
    expect(result.issues).toEqual([]);
    expect(result.objects).toHaveLength(1);
  });
});

describe('loadManifests: label and annotation keys as kubectl sends them', () => {
  // sigs.k8s.io/yaml makes JSON keys of what go-yaml v2 resolved (convertToJSONableObject): `on` is the key "true".
  const namespace = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n${labels}`;
  const labelsOf = (result: LoadResult) => result.objects[0]!.value.metadata.labels;

  it.each<[string, string, string]>([
    ['a YAML 1.1 boolean', 'on', 'true'],
    ['a YAML 1.1 boolean, capitalised', 'No', 'false'],
    ['a YAML 1.2 boolean, capitalised', 'True', 'true'],
    ['a legacy octal (js-yaml reads 10)', '010', '8'],
    ['a float kubectl prints at 32-bit precision', '3.14159265358979', '3.1415927'],
    ['a float with a trailing zero', '1.10', '1.1'],
    ['an integer with underscores (js-yaml keeps the text)', '1_000', '1000'],
    ['a hexadecimal integer', '0x1F', '31'],
  ])('gives %s the key kubectl sends, with a warning at the key', (_name, written, key) => {
    const text = namespace(`    ${written}: x\n    app: web\n`);
    const result = load(text);
    expectIssues(text, result, [['kubectl-reads-key-otherwise', 'warning', within(text, `${written}: x`, written)]]);
    expect(result.issues[0]!.message).toContain(`the cluster gets the key "${key}"`);
    expect(Object.entries(labelsOf(result)!)).toEqual([
      [key, 'x'],
      ['app', 'web'],
    ]);
  });

  it('validates the key kubectl sends: 1e6 is 1e+06, .inf stays .inf (js-yaml reads Infinity), neither a label key', () => {
    const text = namespace('    1e6: a\n    .inf: b\n');
    const result = load(text);
    expectIssues(text, result, [
      ['kubectl-reads-key-otherwise', 'warning', within(text, '1e6: a', '1e6')],
      ['invalid-label', 'error', within(text, '1e6: a', '1e6')],
      ['invalid-label', 'error', within(text, '.inf: b', '.inf')],
    ]);
    expect(result.issues[1]!.message).toContain('1e+06');
    expect(labelsOf(result)).toEqual({ '1e+06': 'a', '.inf': 'b' });
  });

  it.each<[string, string]>([
    ['null', '~'],
    ['null, spelt out', 'null'],
    ['an integer only uint64 holds', '18446744073709551615'],
  ])('rejects a key kubectl reads as %s, which it cannot send', (_name, written) => {
    const text = namespace(`    ${written}: x\n`);
    expectIssues(text, load(text), [['kubectl-reads-key-otherwise', 'error', within(text, `${written}: x`, written)]]);
  });

  it('takes quoted and tagged keys, plain keys kubectl reads as written, and numbers js-yaml misreads, as written', () => {
    const text = namespace(
      `    "on": a\n    !!str yes: b\n    'y': c\n    true: d\n    8080: e\n    1e400: f\n    0x1FFFFFFFFFFFFFFFFF: g\n    version: h\n`,
    );
    const result = load(text);
    expect(result.issues).toEqual([]);
    expect(labelsOf(result)).toEqual({
      on: 'a',
      yes: 'b',
      y: 'c',
      true: 'd',
      8080: 'e',
      '1e400': 'f',
      '0x1FFFFFFFFFFFFFFFFF': 'g',
      version: 'h',
    });
  });

  it('renames selector and annotation keys too, and a key whose value is also read otherwise', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      '  annotations: {yes: note}',
      'spec:',
      '  podSelector: {matchLabels: {on: ~}}',
      '',
    ].join('\n');
    const result = load(text);
    expectIssues(text, result, [
      ['kubectl-reads-key-otherwise', 'warning', within(text, '{yes: note}', 'yes')],
      ['kubectl-reads-key-otherwise', 'warning', within(text, '{on: ~}', 'on')],
      ['label-not-string', 'warning', within(text, '{on: ~}', '~')],
    ]);
    const object = result.objects[0] as ManifestObject<'NetworkPolicy'>;
    expect(object.value.metadata.annotations).toEqual({ true: 'note' });
    expect(object.value.spec.podSelector.matchLabels).toEqual({ true: '' });
  });

  it.each<[string, string, string, string, string, readonly string[]]>([
    ['a quoted key and a renamed one', '"true"', 'on', '"true"', 'b', ['on']],
    ['a renamed key and a quoted one', 'on', '"true"', 'on', 'b', ['on']],
    ['two renamed keys', 'on', 'yes', 'on', 'b', ['on', 'yes']],
    // Loaded as 10 and 8, which JavaScript lists 8 first: the model still keeps the later in the file.
    ['a legacy octal and its decimal', '010', '8', '010', 'b', ['010']],
  ])('reports %s that kubectl sends alike at the later one, and keeps the later', (_name, first, second, named, kept, renamed) => {
    const text = namespace(`    ${first}: a\n    ${second}: b\n`);
    const result = load(text);
    const at = (written: string, value: string) => within(text, `${written}: ${value}`, written);
    expectIssues(text, result, [
      ...renamed.map((written): Expected => ['kubectl-reads-key-otherwise', 'warning', at(written, written === first ? 'a' : 'b')]),
      ['kubectl-duplicate-key', 'warning', at(second, 'b')],
    ]);
    expect(result.issues.at(-1)!.message).toContain(`label keys ${named} and ${second} both as`);
    expect(Object.values(labelsOf(result)!)).toEqual([kept]);
  });
});

describe('loadManifests: container ports', () => {
  it.each<[string, string, readonly Expected[], boolean]>([
    [
      'valid ports',
      '      - name: c\n        ports: [{containerPort: 80, name: http}, {containerPort: 53, protocol: UDP}]',
      [],
      false,
    ],
    [
      'containerPort 0',
      '      - name: c\n        ports: [{containerPort: 0}]',
      [['invalid-value', 'error', '0']],
      true,
    ],
    [
      'containerPort 65536',
      '      - name: c\n        ports: [{containerPort: 65536}]',
      [['invalid-value', 'error', '65536']],
      true,
    ],
    [
      'hostPort 65536',
      '      - name: c\n        ports: [{containerPort: 80, hostPort: 65536}]',
      [['invalid-value', 'error', '65536']],
      true,
    ],
    [
      'protocol tcp',
      '      - name: c\n        ports: [{containerPort: 80, protocol: tcp}]',
      [['invalid-value', 'error', 'tcp']],
      true,
    ],
    [
      'an uppercase port name',
      '      - name: c\n        ports: [{containerPort: 80, name: HTTP}]',
      [['invalid-value', 'error', 'HTTP']],
      true,
    ],
    [
      'a port name twice in a container',
      '      - name: c\n        ports: [{containerPort: 80, name: web}, {containerPort: 81, name: web}]',
      [['duplicate-name', 'error', 'web', 1]],
      true,
    ],
    [
      'a port name in two containers (accepted, ambiguous)',
      '      - name: c\n        ports: [{containerPort: 80, name: web}]\n      - name: d\n        ports: [{containerPort: 81, name: web}]',
      [['duplicate-name', 'warning', 'web', 1]],
      false,
    ],
    [
      // A named port resolves by name and protocol: DNS on UDP in one container and on TCP in another is one port each.
      'a port name in two containers with different protocols (not ambiguous)',
      '      - name: c\n        ports: [{containerPort: 53, name: dns, protocol: UDP}]\n      - name: d\n        ports: [{containerPort: 53, name: dns}]',
      [],
      false,
    ],
  ])('%s', (_name, containers, expected, rejected) => {
    const text = deployment(containers);
    const result = load(text);
    expectIssues(text, result, expected);
    expect(result.objects.map((object) => object.rejected)).toEqual([rejected]);
  });

  it('reports a port name in two containers, then twice in the second', () => {
    const text = deployment(
      '      - name: c\n        ports: [{containerPort: 80, name: web}]\n      - name: d\n        ports: [{containerPort: 81, name: web}, {containerPort: 82, name: web}]',
    );
    expectIssues(text, load(text), [
      ['duplicate-name', 'warning', 'web', 1],
      ['duplicate-name', 'error', 'web', 2],
    ]);
  });

  it('reports a bad port name in every object that has it (answers are remembered across objects)', () => {
    const text = [deployment('      - name: c\n        ports: [{containerPort: 80, name: HTTP}]'), deployment('      - name: c\n        ports: [{containerPort: 80, name: HTTP}]').replace('name: api', 'name: web')].join('\n---\n');
    expectIssues(text, load(text), [
      ['invalid-value', 'error', 'HTTP', 0],
      ['invalid-value', 'error', 'HTTP', 1],
    ]);
  });

  it('leaves out a workload whose port has no containerPort', () => {
    const text = deployment('      - name: c\n        ports: [{name: http}]');
    expectIssues(text, load(text), [['missing-field', 'error', '{name: http}']]);
  });
});

describe('loadManifests: kinds, versions, lists', () => {
  it('reads each known kind at its served version', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: a}, ports: [{port: 80, targetPort: http}]}',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {rules: [{http: {paths: [{backend: {service: {name: s}}}]}}]}',
      'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c}]}}}',
    ].join('\n---\n');
    const result = load(text);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((object) => [object.kind, object.name, object.namespace])).toEqual([
      ['Namespace', 'shop', undefined],
      ['Pod', 'p', 'shop'],
      ['Service', 's', undefined],
      ['CronJob', 'cj', undefined],
      ['Ingress', 'i', undefined],
      ['ReplicationController', 'rc', undefined],
    ]);
    expect(result.objects[1]!.range).toEqual(
      span(
        text,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c}]}',
      ),
    );
    expect(result.sources.get('m.yaml')).toEqual({ path: 'm.yaml', text });
  });

  it.each<[string, string, Expected, number]>([
    ['a document that is not a mapping', '- a\n- b\n', ['not-kubernetes', 'info', '- a\n- b'], 0],
    [
      'a mapping with apiVersion and metadata but no kind (kubectl: "Object \'Kind\' is missing")',
      'apiVersion: v1\nmetadata: {name: x}\n',
      ['missing-field', 'error', 'apiVersion: v1\nmetadata: {name: x}'],
      0,
    ],
    [
      'a misspelt apiversion, at that key (kubectl: "apiVersion not set")',
      'apiversion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: {}}\n',
      ['missing-field', 'error', 'apiversion'],
      0,
    ],
    [
      'a capitalised Kind, at that key',
      'apiVersion: networking.k8s.io/v1\nKind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: {}}\n',
      ['missing-field', 'error', 'Kind'],
      0,
    ],
    [
      'an empty kind with metadata',
      'apiVersion: v1\nkind: ""\nmetadata: {name: x}\n',
      ['schema', 'error', '""'],
      0,
    ],
    [
      'plain YAML with a kind key but no metadata (Helm values)',
      'kind: frontend\nreplicaCount: 2\nimage: {repository: web, tag: "1.0"}\n',
      ['not-kubernetes', 'info', 'kind: frontend\nreplicaCount: 2\nimage: {repository: web, tag: "1.0"}'],
      0,
    ],
    [
      'plain YAML with metadata but no type field (a compose file)',
      'services:\n  web: {image: nginx}\nmetadata: {owner: team}\n',
      ['not-kubernetes', 'info', 'services:\n  web: {image: nginx}\nmetadata: {owner: team}'],
      0,
    ],
    [
      'a kind that is not a string',
      'apiVersion: v1\nkind: 3\n',
      ['not-kubernetes', 'info', 'apiVersion: v1\nkind: 3'],
      0,
    ],
    [
      'an unknown kind',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      ['unknown-kind', 'info', 'ConfigMap'],
      0,
    ],
    [
      'an unknown version',
      'apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: x}\n',
      ['unknown-kind', 'info', 'apps/v2'],
      0,
    ],
    [
      'Ingress v1beta1 (removed in 1.22)',
      'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: x}\n',
      ['invalid-value', 'warning', 'networking.k8s.io/v1beta1'],
      0,
    ],
    [
      'NetworkPolicy extensions/v1beta1 (removed in 1.16)',
      'apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: x}\n',
      ['invalid-value', 'warning', 'extensions/v1beta1'],
      0,
    ],
    [
      'CronJob batch/v1beta1 (read anyway)',
      'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: x}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}\n',
      ['invalid-value', 'info', 'batch/v1beta1'],
      1,
    ],
  ])('%s', (_name, text, expected, objects) => {
    const result = load(text);
    expectIssues(text, result, [expected]);
    expect(result.objects).toHaveLength(objects);
  });

  it('skips empty documents silently', () => {
    expect(load('---\n# nothing\n---\n\n---\n~\n')).toMatchObject({ objects: [], issues: [] });
  });

  it('expands a List, with item paths and ranges', () => {
    const item = 'apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec: {ports: [{port: "80"}]}';
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1\n  kind: Namespace\n  metadata: {name: shop}',
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}',
      '- just a string',
      `- ${item}`,
    ].join('\n');
    const result = load(text);
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]).toMatchObject({
      kind: 'Namespace',
      basePath: ['items', 0],
      range: span(text, 'apiVersion: v1\n  kind: Namespace\n  metadata: {name: shop}'),
    });
    expectIssues(text, result, [
      ['unknown-kind', 'info', 'ConfigMap'],
      ['not-kubernetes', 'info', 'just a string'],
      ['schema', 'error', '"80"'],
    ]);
    expect(result.issues[2]!.message).toBe('spec.ports[0].port: expected a number, got "80"');
  });

  it('reports a List item meant as an object whose type field is misspelt, and skips an item of plain data', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiversion: v1\n  kind: Namespace\n  metadata: {name: a}',
      '- APIVERSION: v1\n  KIND: Namespace\n  metadata: {name: b}',
      '- {name: c, value: d}',
    ].join('\n');
    const result = load(text);
    expect(result.objects).toEqual([]);
    expectIssues(text, result, [
      ['missing-field', 'error', 'apiversion'],
      ['missing-field', 'error', 'APIVERSION'],
      ['missing-field', 'error', 'KIND'],
      ['not-kubernetes', 'info', '{name: c, value: d}'],
    ]);
    expect(result.issues.map((issue) => issue.message)).toEqual([
      'apiversion: field names are case-sensitive: this is not apiVersion, which is missing, so kubectl rejects the object ("apiVersion not set"); skipped',
      'APIVERSION: field names are case-sensitive: this is not apiVersion, which is missing, so kubectl rejects the object ("apiVersion not set"); skipped',
      'KIND: field names are case-sensitive: this is not kind, which is missing, so kubectl rejects the object ("Object \'Kind\' is missing"); skipped',
      'not a Kubernetes object (no apiVersion/kind): skipped',
    ]);
  });

  it('gives the items of a typed list its kind and version when they leave them out', () => {
    const text =
      'apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: a}\n  spec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c}]}}}\n';
    const result = load(text);
    expect(result.issues).toEqual([]);
    expect(result.objects).toMatchObject([
      { kind: 'Deployment', apiVersion: 'apps/v1', name: 'a', basePath: ['items', 0] },
    ]);
  });

  it('reads JSON manifests', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'j' },
        spec: { podSelector: {}, egress: [{ ports: [{ port: 0 }] }] },
      },
      undefined,
      2,
    );
    const result = load(text, 'p.json');
    expectIssues(text, result, [['invalid-value', 'error', within(text, '"port": 0', '0')]]);
    expect(result.issues[0]!.location.file).toBe('p.json');
    expect(result.objects[0]).toMatchObject({ kind: 'NetworkPolicy', name: 'j', rejected: true });
  });

  it('keeps loading the other documents and files after broken ones', () => {
    const broken =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n';
    const helm = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n';
    const result = loadManifests([
      { path: 'broken.yaml', text: broken },
      { path: 'chart.yaml', text: helm },
      { path: 'ok.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n' },
    ]);
    expect(result.objects.map((object) => object.name)).toEqual(['a', 'b', 'c']);
    expect(result.issues.map((issue) => [issue.location.file, issue.code])).toEqual([
      ['broken.yaml', 'yaml-syntax'],
      ['chart.yaml', 'helm-template'],
    ]);
  });
});

describe('loadManifests: names', () => {
  it('requires metadata.name, pointing at metadata', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {a: b}\n';
    const result = load(text);
    expectIssues(text, result, [['missing-field', 'error', 'metadata']]);
    expect(result.objects[0]).toMatchObject({ name: '', rejected: true });
  });

  it('reports a second object of the same kind, namespace and name, on its name', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {ports: [{port: 80}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: other}\nspec: {ports: [{port: 80}]}',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}',
    ].join('\n---\n');
    const result = load(text);
    expectIssues(text, result, [['duplicate-name', 'error', 'web', 1]]);
    expect(result.issues[0]!.message).toContain('in m.yaml');
    expect(result.objects.map((object) => object.rejected)).toEqual([false, true, false, false]);
  });

  it('finds duplicates across files, and namespaces whatever their metadata.namespace says', () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, namespace: x}\n';
    const result = loadManifests([
      { path: 'a.yaml', text: namespace },
      { path: 'b.yaml', text: namespace.replace('namespace: x', 'namespace: z') },
    ]);
    expect(result.issues).toMatchObject([
      { code: 'duplicate-name', location: { file: 'b.yaml', range: span(namespace, 'shop') } },
    ]);
  });

  it('finds duplicates of every cluster-scoped kind whatever namespace they write', () => {
    const ingressClass = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx, namespace: x}\nspec: {controller: k8s.io/ingress-nginx}\n';
    const result = loadManifests([
      { path: 'a.yaml', text: ingressClass },
      { path: 'b.yaml', text: ingressClass.replace('namespace: x', 'namespace: z') },
    ]);
    expect(result.issues.map((issue) => [issue.code, issue.location.file, issue.message])).toEqual([
      ['duplicate-name', 'b.yaml', 'metadata.name: IngressClass "nginx" is already defined (in a.yaml): this one is left out'],
    ]);
  });
});

describe('loadManifests: robustness', () => {
  const sample = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: &m {name: p, labels: {app: web}}',
    'spec:',
    '  podSelector: {matchLabels: {app: web}}',
    '  ingress:',
    '  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]',
    '    ports: [{port: 80, endPort: 90}, {port: http}]',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- {apiVersion: v1, kind: Namespace, metadata: *m}',
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: d}',
    '  spec: {template: {spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}}',
    '',
  ].join('\n');
  const pieces = [
    '\n',
    ' ',
    ':',
    '- ',
    '[',
    ']',
    '{',
    '}',
    ',',
    '"',
    '#',
    '&a ',
    '*a',
    '|\n',
    '---\n',
    '\t',
    '\r\n',
    '{{',
    '}}',
    '\u0000',
    '<<: *m\n',
  ];

  it('never throws, and keeps every range inside the text', () => {
    let seed = 42;
    const random = (bound: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % bound;
    };
    for (let round = 0; round < 500; round++) {
      let text = sample;
      for (let edit = 0; edit < 1 + random(4); edit++) {
        const at = random(text.length + 1);
        text =
          random(2) === 0
            ? text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1 + random(8));
      }
      const result = load(text);
      const ranges = [
        ...result.issues.map((issue) => issue.location.range),
        ...result.objects.map((object) => object.range),
      ];
      for (const range of ranges) {
        expect(range.start).toBeGreaterThanOrEqual(0);
        expect(range.end).toBeGreaterThanOrEqual(range.start);
        expect(range.end).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('never lets a __proto__ key reach a prototype', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  annotations: {__proto__: {polluted: yes}, b: c}\n';
    const result = load(text);
    expect(result.objects[0]!.value.metadata.annotations).toEqual({ b: 'c' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
