// IngressClass is read (networking.k8s.io/v1, cluster-scoped) and validated as the API server does: validateIngressClassSpec
// in pkg/apis/networking/validation/validation.go (controller required, at most 250 characters, IsDomainPrefixedPath
// from k8s.io/apimachinery/pkg/api/validation).
import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';
import { check, type Case } from './testing/validation-cases.js';

function ingressClass(name: string, spec: string): string {
  return ['apiVersion: networking.k8s.io/v1', 'kind: IngressClass', `metadata: {name: ${name}}`, `spec: ${spec}`, ''].join('\n');
}

describe('IngressClass', () => {
  it('is read, not skipped as an unknown kind', () => {
    const result = loadManifests([{ path: 'm.yaml', text: ingressClass('nginx', '{controller: k8s.io/ingress-nginx}') }]);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((o) => [o.kind, o.name, o.rejected])).toEqual([['IngressClass', 'nginx', false]]);
  });

  it.each<Case>([
    [
      'a domain-prefixed controller, with a longer path (valid); no controller (rejected)',
      [ingressClass('a', '{controller: haproxy.org/ingress-controller/haproxy}'), ingressClass('b', '{}')],
      [['missing-field', 'spec', 1, 'spec.controller: required field is missing']],
      [false, true],
    ],
    [
      'a controller without a domain prefix or with an empty path (rejected)',
      [ingressClass('a', '{controller: nginx}'), ingressClass('b', '{controller: example.com/}')],
      [
        ['invalid-value', 'nginx', 0, 'must be a domain-prefixed path'],
        ['invalid-value', 'example.com/', 0, 'must be a domain-prefixed path'],
      ],
      [true, true],
    ],
    [
      'a domain that is not a lowercase DNS subdomain (rejected)',
      [ingressClass('a', '{controller: Example.com/x}')],
      [['invalid-value', 'Example.com/x', 0, 'DNS subdomain']],
      [true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});
