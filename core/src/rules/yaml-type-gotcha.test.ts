import { describe, expect, it } from 'vitest';
import rule from './yaml-type-gotcha.js';
import { ruleTester, runRule } from '../lint/testing/rule-tester.js';
import { spanOf } from './testing/text-span.js';

/** A Pod whose metadata.labels block holds `labels` (lines indented 4). */
const pod = (labels: string, spec = '{containers: [{name: c, image: x}]}') => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
${labels}spec: ${spec}
`;
const podWith = (label: string) => pod(`    ${label}\n`);
const policy = (expression: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector:
    matchExpressions:
      - key: version
        operator: In
        values:
${expression}`;

const decimal = podWith('version: 1.10');
const yes = podWith('enabled: yes');
const off = podWith('debug: Off');
const canary = podWith('canary: true');
const octal = podWith('build: 012');
const notOctal = podWith('build: 08');
const hex = podWith('build: 0x1F');
const tilde = podWith('tier: ~ # none');
const empty = podWith('tier:');
const underscores = podWith('count: 1_000');
const capitalHex = podWith('build: 0X1F');
const floatTag = podWith('ratio: !!float 1');
const values = policy('          - 1.5\n          -\n          - null\n');
const alias = podWith('a: &v 2\n    b: *v');
const undecodable = pod('    version: 1.10\n', '{containers: 3}');
const service =
  'apiVersion: v1\nkind: Service\nmetadata: {name: web, annotations: {replicas: 3}}\nspec: {selector: {release: 2.0}}\n';
/** A Pod with one container whose `ports` flow list holds `ports`, and `fields` under its metadata. */
const podFields = (fields: string, ports = '{containerPort: 8080}') => `apiVersion: v1
kind: Pod
metadata:
  name: web
${fields}spec:
  containers:
    - name: c
      image: x
      ports: [${ports}]
`;
const namespaceNo = podFields('  namespace: no\n');
const portNameOn = podFields('', '{containerPort: 8080, name: on}');
const octalPort = podFields('', '{containerPort: 0443}');
const underscorePeerPort = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: 8_080
`;
const onKey = podWith('on: x');
const versionKey = podWith('1.10: x');
const octalKey = podWith('010: x');
const nullKey = podWith('~: x');
const json =
  '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"v": 1.10, "n": null}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}\n';

ruleTester(rule, {
  valid: [
    { name: 'quoted values', code: pod('    version: "1.10"\n    enabled: \'yes\'\n    canary: "true"\n') },
    {
      name: 'strings in every YAML version',
      code: pod('    version: v1.10\n    semver: 1.10.2\n    date: 2024-01-01\n'),
    },
    { name: 'label keys are not values', code: pod('    "true": a\n') },
    {
      name: 'keys kubectl sends as written, and quoted keys',
      code: pod('    true: a\n    8080: b\n    "on": c\n    \'1.10\': d\n    1e400: e\n'),
    },
    {
      name: 'values tagged as strings, which kubectl reads as strings',
      code: pod('    canary: !!str yes\n    count: !!str 1_000\n'),
    },
    {
      name: 'fields typed boolean or number take what kubectl reads, and only that: nothing to say',
      code: podFields('', '{containerPort: 8_080}').replace('spec:\n', 'spec:\n  hostNetwork: yes\n'),
    },
    {
      name: 'fields the loader does not know are not judged (privileged is a boolean field)',
      code: podFields('').replace('      image: x\n', '      image: x\n      securityContext: {privileged: yes}\n'),
    },
    { name: 'quoted, the same values are strings for kubectl too', code: podFields('  namespace: "no"\n', '{containerPort: 8080, name: "on"}') },
    {
      name: 'forms go-yaml v2 reads as strings: sexagesimal, a hexadecimal beyond 64 bits',
      code: pod('    time: 1:20\n    build: 0x1FFFFFFFFFFFFFFFF\n'),
    },
  ],
  invalid: [
    {
      name: 'a decimal that loses its trailing zero',
      code: decimal,
      errors: [
        {
          messageId: 'number',
          message: 'the value 1.10 is read as the number 1.1; quote it: "1.10"',
          ...spanOf(decimal, '1.10'),
        },
      ],
      output: decimal.replace('1.10', '"1.10"'),
    },
    {
      name: 'yes is a boolean for kubectl only',
      code: yes,
      errors: [
        {
          messageId: 'yaml11Boolean',
          message: 'the value yes is read by kubectl (YAML 1.1) as the boolean true; quote it: "yes"',
          ...spanOf(yes, 'yes'),
        },
      ],
      output: yes.replace('yes', '"yes"'),
    },
    {
      name: 'Off, as written',
      code: off,
      errors: [
        {
          messageId: 'yaml11Boolean',
          message: 'the value Off is read by kubectl (YAML 1.1) as the boolean false; quote it: "Off"',
          ...spanOf(off, 'Off'),
        },
      ],
      output: off.replace('Off', '"Off"'),
    },
    {
      name: 'true',
      code: canary,
      errors: [
        {
          messageId: 'boolean',
          message: 'the value true is read as the boolean true; quote it: "true"',
          ...spanOf(canary, 'true'),
        },
      ],
      output: canary.replace('true', '"true"'),
    },
    {
      name: 'a leading zero is octal for kubectl (js-yaml would say 12)',
      code: octal,
      errors: [
        {
          messageId: 'octal',
          message: 'the value 012 is read by kubectl (YAML 1.1) as the octal number 10; quote it: "012"',
          ...spanOf(octal, '012'),
        },
      ],
      output: octal.replace('012', '"012"'),
    },
    {
      name: '08 is no octal: a decimal number',
      code: notOctal,
      errors: [
        {
          messageId: 'number',
          message: 'the value 08 is read as the number 8; quote it: "08"',
          ...spanOf(notOctal, '08'),
        },
      ],
    },
    {
      name: 'hexadecimal',
      code: hex,
      errors: [
        {
          messageId: 'number',
          message: 'the value 0x1F is read as the number 31; quote it: "0x1F"',
          ...spanOf(hex, '0x1F'),
        },
      ],
    },
    {
      name: 'underscores: go-yaml v2 drops them and reads a number, js-yaml a string',
      code: underscores,
      errors: [
        {
          messageId: 'yaml11Number',
          message: 'the value 1_000 is read by kubectl (YAML 1.1) as the number 1000; quote it: "1_000"',
          ...spanOf(underscores, '1_000'),
        },
      ],
      output: underscores.replace('1_000', '"1_000"'),
    },
    {
      name: "a capital base prefix, which Go's ParseInt takes",
      code: capitalHex,
      errors: [
        {
          messageId: 'yaml11Number',
          message: 'the value 0X1F is read by kubectl (YAML 1.1) as the number 31; quote it: "0X1F"',
          ...spanOf(capitalHex, '0X1F'),
        },
      ],
    },
    {
      name: 'a value tagged as a number: quoting it would keep the tag, so no fix',
      code: floatTag,
      errors: [
        {
          messageId: 'notString',
          message: 'the value !!float 1 is not read as a string; write it as a quoted string',
          ...spanOf(floatTag, '!!float 1'),
        },
      ],
    },
    {
      name: 'a null keeps its meaning with ""',
      code: tilde,
      errors: [
        {
          messageId: 'null',
          message:
            'the value ~ is read as null, which the API server turns into the empty string; write "" to say so',
          ...spanOf(tilde, '~'),
        },
      ],
      output: tilde.replace('~', '""'),
    },
    {
      name: 'an empty value is reported at its key, and the fix writes the value',
      code: empty,
      errors: [{ messageId: 'empty', ...spanOf(empty, 'tier') }],
      output: empty.replace('tier:', 'tier: ""'),
    },
    {
      name: 'matchExpressions values: a number, an empty item (at its dash), null',
      code: values,
      errors: [
        { messageId: 'number', ...spanOf(values, '1.5') },
        { messageId: 'empty', ...spanOf(values, '-', { after: '1.5' }) },
        { messageId: 'null', ...spanOf(values, 'null') },
      ],
      output: policy('          - "1.5"\n          - ""\n          - ""\n'),
    },
    {
      name: 'an alias has no text to quote: no fix for it, the anchored value gets one',
      code: alias,
      errors: [
        { messageId: 'number', ...spanOf(alias, '2') },
        {
          messageId: 'notString',
          message: 'the value *v is not read as a string; write it as a quoted string',
          ...spanOf(alias, '*v'),
        },
      ],
      output: alias.replace('&v 2', '&v "2"'),
    },
    {
      name: 'an object that does not decode is still checked',
      code: undecodable,
      errors: [{ messageId: 'number', ...spanOf(undecodable, '1.10') }],
    },
    {
      name: 'Service selectors and annotations',
      code: service,
      errors: [
        {
          messageId: 'number',
          message: 'the value 3 is read as the number 3; quote it: "3"',
          ...spanOf(service, '3'),
        },
        {
          messageId: 'number',
          message: 'the value 2.0 is read as the number 2; quote it: "2.0"',
          ...spanOf(service, '2.0'),
        },
      ],
      output: service.replace('3', '"3"').replace('2.0', '"2.0"'),
    },
    {
      name: 'a string field written no: kubectl sends false, which the API server rejects',
      code: namespaceNo,
      errors: [
        {
          messageId: 'yaml11Boolean',
          message: 'the value no is read by kubectl (YAML 1.1) as the boolean false; quote it: "no"',
          ...spanOf(namespaceNo, 'no'),
        },
      ],
      output: namespaceNo.replace('namespace: no', 'namespace: "no"'),
    },
    {
      name: 'a port name written on',
      code: portNameOn,
      errors: [{ messageId: 'yaml11Boolean', ...spanOf(portNameOn, 'on', { after: '8080, name: ' }) }],
      output: portNameOn.replace('name: on', 'name: "on"'),
    },
    {
      name: 'a port written 0443: the container port is 291 for kubectl, 443 for YAML 1.2; no fix guesses which was meant',
      code: octalPort,
      errors: [
        {
          messageId: 'octalChanged',
          message:
            'the value 0443 is read by kubectl (YAML 1.1) as the octal number 291, which the cluster gets, where YAML 1.2 reads 443: write 291 to keep it, or 443 if that is meant',
          ...spanOf(octalPort, '0443'),
        },
      ],
    },
    {
      name: 'a number-or-name port written 8_080: kubectl sends the number 8080, YAML 1.2 reads a port name',
      code: underscorePeerPort,
      errors: [
        {
          messageId: 'changed',
          message:
            'the value 8_080 is read by kubectl (YAML 1.1) as the number 8080, which the cluster gets, where YAML 1.2 reads the string "8_080": write 8080',
          ...spanOf(underscorePeerPort, '8_080'),
        },
      ],
      output: underscorePeerPort.replace('8_080', '8080'),
    },
    {
      name: 'a label key on: kubectl sends the key "true"',
      code: onKey,
      errors: [
        {
          messageId: 'keyChanged',
          message:
            'the key on is read by kubectl (YAML 1.1) as the boolean true, so the cluster gets the key "true"; quote it to keep on: "on"',
          ...spanOf(onKey, 'on', { after: 'labels:' }),
        },
      ],
      output: onKey.replace('on: x', '"on": x'),
    },
    {
      name: 'a label key 1.10: kubectl sends "1.1", like every YAML reader',
      code: versionKey,
      errors: [
        {
          messageId: 'keyChanged',
          message:
            'the key 1.10 is read by kubectl (YAML 1.1) as the number 1.1, so the cluster gets the key "1.1"; quote it to keep 1.10: "1.10"',
          ...spanOf(versionKey, '1.10'),
        },
      ],
      output: versionKey.replace('1.10', '"1.10"'),
    },
    {
      name: 'a label key 010: the octal 8 for kubectl',
      code: octalKey,
      errors: [{ messageId: 'keyChanged', ...spanOf(octalKey, '010') }],
      output: octalKey.replace('010', '"010"'),
    },
    {
      name: 'a null key: kubectl cannot send it, and rejects the object',
      code: nullKey,
      errors: [
        {
          messageId: 'keyRejected',
          message:
            'the key ~ is read by kubectl (YAML 1.1) as null, which it cannot send as a JSON key: kubectl rejects the object; quote it: "~"',
          ...spanOf(nullKey, '~'),
        },
      ],
      output: nullKey.replace('~: x', '"~": x'),
    },
    {
      name: 'JSON',
      code: { 'pod.json': json },
      errors: [
        { messageId: 'number', file: 'pod.json', ...spanOf(json, '1.10') },
        { messageId: 'null', file: 'pod.json', ...spanOf(json, 'null') },
      ],
      output: { 'pod.json': json.replace('1.10', '"1.10"').replace('null', '""') },
    },
  ],
});

describe('yaml-type-gotcha severities', () => {
  it("keeps the loader's severity: a null is only a warning, the API server accepts it", () => {
    const { findings } = runRule(rule, pod('    a: 1.10\n    b: ~\n'));
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([
      ['number', 'error'],
      ['null', 'warning'],
    ]);
  });

  it('a key kubectl sends otherwise is a warning, one it cannot send an error', () => {
    const { findings } = runRule(rule, pod('    on: a\n    null: b\n'));
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([
      ['keyChanged', 'warning'],
      ['keyRejected', 'error'],
    ]);
  });

  it('a value a field refuses is an error, a value it takes (and the cluster gets) a warning', () => {
    const { findings } = runRule(rule, podFields('  namespace: no\n', '{containerPort: 0443}'));
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([
      ['yaml11Boolean', 'error'],
      ['octalChanged', 'warning'],
    ]);
  });
});
