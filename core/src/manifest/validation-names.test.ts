// Object names and namespaces as the API server checks them on create (validation-names.ts, from ValidateObjectMeta and
// each kind's name function): a DNS subdomain for most kinds, a DNS label for Namespace and StatefulSet, a DNS-1035
// label for Service, at most 52 characters for a CronJob; the namespace of a namespaced object is a DNS label.
import { describe, it } from 'vitest';
import { check, type Case } from './testing/validation-cases.js';

/** A document of `kind` (apiVersion `group`) with the metadata `meta` and the rest `rest` (lines). */
function object(group: string, kind: string, meta: string, rest: readonly string[] = []): string {
  return [`apiVersion: ${group}`, `kind: ${kind}`, `metadata: {${meta}}`, ...rest, ''].join('\n');
}
const pod = (meta: string) => object('v1', 'Pod', meta, ['spec: {containers: [{name: c, image: x}]}']);
const namespace = (name: string) => object('v1', 'Namespace', `name: ${name}`);
const service = (name: string) => object('v1', 'Service', `name: ${name}`, ['spec: {ports: [{port: 80}]}']);
const policy = (meta: string) => object('networking.k8s.io/v1', 'NetworkPolicy', meta, ['spec: {podSelector: {}}']);
const statefulSet = (name: string) =>
  object('apps/v1', 'StatefulSet', `name: ${name}`, [
    'spec:',
    '  selector: {matchLabels: {app: db}}',
    '  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: x}]}}',
  ]);
const cronJob = (name: string) =>
  object('batch/v1', 'CronJob', `name: ${name}`, [
    'spec:',
    '  schedule: "* * * * *"',
    '  jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}], restartPolicy: Never}}}}',
  ]);
const adminPolicy = (name: string) =>
  object('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', `name: ${name}`, ['spec: {priority: 1, subject: {namespaces: {}}}']);

const LABEL = 'must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character (a lowercase RFC 1123 label';
const SUBDOMAIN = "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character (a lowercase RFC 1123 subdomain";
const DNS1035 = "start with an alphabetic character, and end with an alphanumeric character (a DNS-1035 label";

describe('metadata.name and metadata.namespace', () => {
  it.each<Case>([
    [
      'a namespace is a DNS label: lowercase, no dots, at most 63 characters (rejected otherwise)',
      [pod('name: a, namespace: team-1'), pod('name: b, namespace: Z-ns'), pod('name: c, namespace: a.b'), pod(`name: d, namespace: ${'n'.repeat(64)}`)],
      [
        ['invalid-value', 'Z-ns', 0, `metadata.namespace: ${LABEL}`],
        ['invalid-value', 'a.b', 0, 'metadata.namespace: must not contain dots'],
        ['invalid-value', 'n'.repeat(64), 0, 'metadata.namespace: must be no more than 63 characters'],
      ],
      [false, true, true, true],
    ],
    [
      'an empty namespace is none (valid); a cluster-scoped kind ignores its namespace, as the server clears it (valid)',
      [pod('name: a, namespace: ""'), object('networking.k8s.io/v1', 'IngressClass', 'name: a, namespace: Not-Checked', ['spec: {controller: example.com/a}'])],
      [],
      [false, false],
    ],
    [
      'a Namespace is named by a DNS label (rejected otherwise)',
      [namespace('shop'), namespace('Z-ns'), namespace('shop.eu')],
      [
        ['invalid-value', 'Z-ns', 0, `metadata.name: ${LABEL}`],
        ['invalid-value', 'shop.eu', 0, 'metadata.name: must not contain dots'],
      ],
      [false, true, true],
    ],
    [
      'a Service is named by a DNS-1035 label: it starts with a letter (rejected otherwise)',
      [service('web-1'), service('1web'), service('Web')],
      [
        ['invalid-value', '1web', 0, `metadata.name: must consist of lower case alphanumeric characters or '-', ${DNS1035}`],
        ['invalid-value', 'Web', 0, `metadata.name: must consist of lower case alphanumeric characters or '-', ${DNS1035}`],
      ],
      [false, true, true],
    ],
    [
      'a StatefulSet is named by a DNS label; a Pod, a NetworkPolicy or an admin policy by a DNS subdomain',
      [statefulSet('db.eu'), pod('name: web.eu'), policy('name: Allow_All'), adminPolicy('deny.all'), adminPolicy('Deny')],
      [
        ['invalid-value', 'db.eu', 0, 'metadata.name: must not contain dots'],
        ['invalid-value', 'Allow_All', 0, `metadata.name: ${SUBDOMAIN}`],
        ['invalid-value', 'Deny', 0, `metadata.name: ${SUBDOMAIN}`],
      ],
      [true, false, true, false, true],
    ],
    [
      'a subdomain has at most 253 characters',
      [pod(`name: ${'a'.repeat(253)}`), pod(`name: ${'b'.repeat(254)}`)],
      [['invalid-value', 'b'.repeat(254), 0, 'metadata.name: must be no more than 253 characters']],
      [false, true],
    ],
    [
      "a CronJob's name has at most 52 characters: its Jobs add 11",
      [cronJob('c'.repeat(52)), cronJob('d'.repeat(53))],
      [['invalid-value', 'd'.repeat(53), 0, 'metadata.name: must be no more than 52 characters']],
      [false, true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});
