// The API server's selector-vs-template validation of templated workloads (validation.ts), from its sources:
// pkg/apis/apps/validation/validation.go, pkg/apis/core/validation/validation.go with pkg/apis/core/v1/defaults.go,
// pkg/apis/batch/validation/validation.go with pkg/registry/batch/job/strategy.go.
// A valid case comes with a contrasting object the server rejects, so each case shows where the line is.
import { describe, it } from 'vitest';
import { check, type Case, type Expected } from './testing/validation-cases.js';

const API_VERSIONS: Readonly<Record<string, string>> = { Job: 'batch/v1', ReplicationController: 'v1', CronJob: 'batch/v1' };

/**
 * A `kind` named `name` whose spec has the `spec` lines (indented by two, e.g. a selector) and a template with
 * `labels` (flow YAML; none when undefined).
 */
function workload(kind: string, name: string, spec: readonly string[], labels?: string): string {
  return [
    `apiVersion: ${API_VERSIONS[kind] ?? 'apps/v1'}`,
    `kind: ${kind}`,
    `metadata: {name: ${name}}`,
    'spec:',
    ...spec.map((line) => `  ${line}`),
    '  template:',
    ...(labels === undefined ? [] : ['    metadata:', `      labels: ${labels}`]),
    '    spec: {containers: [{name: c}]}',
    '',
  ].join('\n');
}

const NOT_MATCHING = 'spec.template.metadata.labels: `selector` does not match template `labels`';
const REQUIRED = 'spec.selector: required field is missing';

describe.each([
  ['Deployment', 'deployment'],
  ['ReplicaSet', 'deployment'],
  ['StatefulSet', 'statefulset'],
  ['DaemonSet', 'daemonset'],
])('%s: spec.selector against the template labels', (kind, noun) => {
  const apps = (name: string, spec: readonly string[], labels?: string): string => workload(kind, name, spec, labels);
  const required: readonly Expected[] = kind === 'DaemonSet' ? [] : [['missing-field', 'spec', 0, REQUIRED]];

  it.each<Case>([
    [
      'matchLabels with extra template labels (valid); another value (rejected)',
      [
        apps('a', ['selector: {matchLabels: {app: web}}'], '{app: web, tier: front, pod-template-hash: x1}'),
        apps('b', ['selector: {matchLabels: {app: web}}'], '{app: api, tier: front}'),
      ],
      [['invalid-value', '{app: api, tier: front}', 0, NOT_MATCHING]],
      [false, true],
    ],
    [
      'matchExpressions that hold (valid); the same ones over other labels (rejected)',
      [
        apps('a', ['selector:', '  matchExpressions:', '  - {key: tier, operator: In, values: [front, back]}', '  - {key: canary, operator: DoesNotExist}', '  - {key: app, operator: Exists}', '  - {key: env, operator: NotIn, values: [dev]}'], '{app: web, tier: back}'),
        apps('b', ['selector:', '  matchExpressions:', '  - {key: tier, operator: In, values: [front, back]}', '  - {key: canary, operator: DoesNotExist}', '  - {key: app, operator: Exists}', '  - {key: env, operator: NotIn, values: [dev]}'], '{app: web, tier: back, canary: "yes"}'),
      ],
      [['invalid-value', '{app: web, tier: back, canary: "yes"}', 0, NOT_MATCHING]],
      [false, true],
    ],
    [
      'matchLabels and matchExpressions together: both must hold',
      [
        apps('a', ['selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}'], '{app: web}'),
        apps('b', ['selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}'], '{app: web, tier: db}'),
      ],
      [['invalid-value', '{app: web, tier: db}', 0, NOT_MATCHING]],
      [false, true],
    ],
    [
      'no selector: required, and matches no labels',
      [apps('a', [], '{app: web}')],
      [...required, ['invalid-value', '{app: web}', 0, `${NOT_MATCHING}: spec.selector is missing`]],
      [true],
    ],
    [
      'a template without labels: the mismatch points at its metadata (its parent), or at the template',
      [
        apps('a', ['selector: {matchLabels: {app: web}}'], '{}'),
        apps('b', ['selector: {matchLabels: {app: web}}']),
      ],
      [
        ['invalid-value', '{}', 0, NOT_MATCHING],
        ['invalid-value', 'template', 1, NOT_MATCHING],
      ],
      [true, true],
    ],
    [
      `an empty selector: "empty selector is invalid for ${noun}", and no mismatch`,
      [apps('a', ['selector: {}'], '{app: web}'), apps('b', ['selector: {matchLabels: {}, matchExpressions: []}'], '{app: web}')],
      [
        ['invalid-value', '{}', 0, `spec.selector: empty selector is invalid for ${noun}`],
        ['invalid-value', '{matchLabels: {}, matchExpressions: []}', 0, `spec.selector: empty selector is invalid for ${noun}`],
      ],
      [true, true],
    ],
    [
      'a selector that does not parse: its label errors only (the API server compares no labels)',
      [
        apps('a', ['selector: {matchExpressions: [{key: tier, operator: In}]}'], '{app: web}'),
        apps('b', ['selector: {matchLabels: {app: -web}}'], '{app: web}'),
      ],
      [
        ['invalid-label', '{key: tier, operator: In}', 0, 'spec.selector.matchExpressions[0].values: must be specified when operator is In'],
        ['invalid-label', '-web', 0, 'spec.selector.matchLabels.app: label value must be empty or consist of alphanumeric'],
      ],
      [true, true],
    ],
    [
      'a selector value that is no string: converted, and compared as its text',
      [apps('a', ['selector: {matchLabels: {v: 2}}'], '{v: "2"}'), apps('b', ['selector: {matchLabels: {v: 2}}'], '{v: "3"}')],
      [
        ['label-not-string', '2', 0, 'spec.selector.matchLabels.v: label value 2 is a number'],
        ['label-not-string', '2', 2, 'spec.selector.matchLabels.v: label value 2 is a number'],
        ['invalid-value', '{v: "3"}', 0, NOT_MATCHING],
      ],
      [true, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('ReplicationController: a plain map selector, defaulted to the template labels', () => {
  const rc = (name: string, spec: readonly string[], labels?: string): string => workload('ReplicationController', name, spec, labels);

  it.each<Case>([
    [
      'no selector or an empty one takes the template labels (valid); without labels, it is missing',
      [rc('a', [], '{app: web}'), rc('b', ['selector: {}'], '{app: web}'), rc('c', [], '{}'), rc('d', ['selector: {}'])],
      [
        // Each document has two `spec` keys; an empty selector is there, and points at itself.
        ['missing-field', 'spec', 4, `${REQUIRED} (the template has no labels to default it to)`],
        ['missing-field', '{}', 2, `${REQUIRED} (the template has no labels to default it to)`],
      ],
      [false, false, true, true],
    ],
    [
      'a selector of some template labels (valid); another value (rejected)',
      [rc('a', ['selector: {app: web}'], '{app: web, tier: front}'), rc('b', ['selector: {app: web, tier: back}'], '{app: web, tier: front}')],
      [['invalid-value', '{app: web, tier: front}', 1, NOT_MATCHING]],
      [false, true],
    ],
    [
      "the selector's labels are not checked: a bad key is reported on the template only, or the mismatch",
      [rc('a', ["selector: {'-app': web}"], "{'-app': web}"), rc('b', ["selector: {'-app': web}"], '{app: web}')],
      [
        ['invalid-label', "'-app'", 1, 'spec.template.metadata.labels["-app"]: label key name part must consist of'],
        ['invalid-value', '{app: web}', 0, NOT_MATCHING],
      ],
      [true, true],
    ],
    [
      'a selector value that is no string: converted, and compared as its text',
      [rc('a', ['selector: {v: 2}'], '{v: "2"}')],
      [['label-not-string', '2', 0, 'spec.selector.v: label value 2 is a number']],
      [true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('Job: the selector and labels the API server generates, or a manual selector', () => {
  const job = (name: string, spec: readonly string[], labels?: string): string => workload('Job', name, spec, labels);
  const NOT_GENERATED = 'spec.selector: `selector` not auto-generated';

  it.each<Case>([
    [
      'no selector, with or without template labels (valid); a manual one without a selector (rejected)',
      [job('a', []), job('b', [], '{app: batch}'), job('c', ['manualSelector: true'], '{app: batch}')],
      [
        ['missing-field', 'spec', 4, `${REQUIRED} (spec.manualSelector is true)`],
        ['invalid-value', '{app: batch}', 1, `${NOT_MATCHING}: spec.selector is missing`],
      ],
      [false, false, true],
    ],
    [
      "template job-name labels: the Job's name (valid); another value (rejected at the value)",
      [
        job('migrate', [], '{job-name: migrate, batch.kubernetes.io/job-name: migrate}'),
        job('seed', [], '{job-name: other}'),
        job('load', [], '{batch.kubernetes.io/job-name: other}'),
      ],
      [
        ['invalid-value', 'other', 0, `spec.template.metadata.labels.job-name: must be 'seed' (the Job's name)`],
        ['invalid-value', 'other', 1, `spec.template.metadata.labels["batch.kubernetes.io/job-name"]: must be 'load' (the Job's name)`],
      ],
      [false, true, true],
    ],
    [
      'template controller-uid labels: no manifest knows the uid (rejected, whatever their value)',
      [job('a', [], '{controller-uid: abc}'), job('b', [], '{batch.kubernetes.io/controller-uid: abc}')],
      [
        ['invalid-value', 'abc', 0, "spec.template.metadata.labels.controller-uid: must be the Job's uid"],
        ['invalid-value', 'abc', 1, `spec.template.metadata.labels["batch.kubernetes.io/controller-uid"]: must be the Job's uid`],
        // The generated selector selects batch.kubernetes.io/controller-uid: the uid, not abc.
        ['invalid-value', '{batch.kubernetes.io/controller-uid: abc}', 0, NOT_MATCHING],
      ],
      [true, true],
    ],
    [
      'a selector without manualSelector: only one of the generated labels (valid); of other labels (rejected)',
      [
        job('a', ['selector: {matchLabels: {job-name: a}}'], '{app: batch}'),
        job('b', ['selector: {matchExpressions: [{key: app, operator: DoesNotExist}]}']),
        job('c', ['selector: {matchLabels: {app: batch}}'], '{app: batch}'),
        job('d', ['manualSelector: false', 'selector: {matchLabels: {app: batch}}'], '{app: batch}'),
      ],
      [
        ['invalid-value', '{matchLabels: {app: batch}}', 0, NOT_GENERATED],
        ['invalid-value', '{matchLabels: {app: batch}}', 1, NOT_GENERATED],
      ],
      [false, false, true, true],
    ],
    [
      'a selector without manualSelector that holds on the generated labels but not on the template',
      [job('a', ['selector: {matchExpressions: [{key: app, operator: DoesNotExist}]}'], '{app: batch}')],
      [['invalid-value', '{app: batch}', 0, NOT_MATCHING]],
      [true],
    ],
    [
      'manualSelector: true with a matching selector (valid), an empty one (valid), or one of other labels (rejected)',
      [
        job('a', ['manualSelector: true', 'selector: {matchLabels: {app: batch}}'], '{app: batch, run: x}'),
        job('b', ['manualSelector: true', 'selector: {matchExpressions: [{key: app, operator: In, values: [batch]}]}'], '{app: batch}'),
        job('c', ['manualSelector: true', 'selector: {}'], '{app: batch}'),
        job('d', ['manualSelector: true', 'selector: {matchLabels: {app: other}}'], '{app: batch}'),
      ],
      [['invalid-value', '{app: batch}', 3, NOT_MATCHING]],
      [false, false, false, true],
    ],
    [
      'manualSelector: true leaves the template labels alone: any job-name is accepted',
      [job('a', ['manualSelector: true', 'selector: {matchLabels: {job-name: other}}'], '{job-name: other}'), job('b', [], '{job-name: other}')],
      [['invalid-value', 'other', 2, "spec.template.metadata.labels.job-name: must be 'b'"]],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});

describe('CronJob: its job template may set no selector', () => {
  const cronJob = (name: string, jobSpec: readonly string[], labels?: string): string =>
    [
      'apiVersion: batch/v1',
      'kind: CronJob',
      `metadata: {name: ${name}}`,
      'spec:',
      '  schedule: "0 * * * *"',
      '  jobTemplate:',
      '    spec:',
      ...jobSpec.map((line) => `      ${line}`),
      '      template:',
      ...(labels === undefined ? [] : ['        metadata:', `          labels: ${labels}`]),
      '        spec: {containers: [{name: c}]}',
      '',
    ].join('\n');

  it.each<Case>([
    [
      'no selector, manualSelector false (valid); a selector, even empty, or manualSelector true (rejected)',
      [
        cronJob('a', ['manualSelector: false'], '{app: report}'),
        cronJob('b', ['selector: {matchLabels: {app: report}}'], '{app: report}'),
        cronJob('c', ['selector: {}'], '{app: report}'),
        cronJob('d', ['manualSelector: true'], '{app: report}'),
      ],
      [
        ['invalid-value', '{matchLabels: {app: report}}', 0, 'spec.jobTemplate.spec.selector: `selector` will be auto-generated'],
        ['invalid-value', '{}', 0, 'spec.jobTemplate.spec.selector: `selector` will be auto-generated'],
        ['invalid-value', 'true', 0, 'spec.jobTemplate.spec.manualSelector: unsupported value true: supported values: "nil", "false"'],
      ],
      [false, true, true, true],
    ],
    [
      "the template's job-name is not checked when the CronJob is created (each run's Job gets its own name)",
      [cronJob('a', [], '{job-name: other}'), cronJob('b', ['selector: {matchLabels: {job-name: other}}'], '{job-name: other}')],
      [['invalid-value', '{matchLabels: {job-name: other}}', 0, 'spec.jobTemplate.spec.selector: `selector` will be auto-generated']],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});
