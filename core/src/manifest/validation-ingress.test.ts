// The API server's checks of an Ingress's class on create (ValidateIngressCreate and ValidateIngressSpec in
// pkg/apis/networking/validation/validation.go): spec.ingressClassName is a DNS subdomain, and the deprecated
// kubernetes.io/ingress.class annotation, when both are set, must name the same class.
import { describe, it } from 'vitest';
import { check, type Case } from './testing/validation-cases.js';

/** An Ingress with the annotations `annotations` (flow YAML) and the spec lines `spec`. */
function ingress(name: string, annotations: string, spec: readonly string[]): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    `metadata: {name: ${name}, annotations: ${annotations}}`,
    'spec:',
    '  defaultBackend: {service: {name: web, port: {number: 80}}}',
    ...spec.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

describe('Ingress class', () => {
  it.each<Case>([
    [
      'the annotation alone, the field alone, or both naming the same class (valid)',
      [
        ingress('a', '{kubernetes.io/ingress.class: nginx}', []),
        ingress('b', '{}', ['ingressClassName: nginx']),
        ingress('c', '{kubernetes.io/ingress.class: nginx}', ['ingressClassName: nginx']),
      ],
      [],
      [false, false, false],
    ],
    [
      'both naming different classes (rejected at the annotation)',
      [ingress('a', '{kubernetes.io/ingress.class: nginx}', ['ingressClassName: traefik'])],
      [
        [
          'invalid-value',
          'nginx',
          0,
          'metadata.annotations["kubernetes.io/ingress.class"]: must match `ingressClassName` when both are specified (spec.ingressClassName is "traefik")',
        ],
      ],
      [true],
    ],
    [
      'an ingressClassName that is no DNS subdomain (rejected)',
      [ingress('a', '{}', ['ingressClassName: Nginx_Public'])],
      [['invalid-value', 'Nginx_Public', 0, "spec.ingressClassName: must consist of lower case alphanumeric characters, '-' or '.'"]],
      [true],
    ],
  ])('%s', (_name, documents, expected, rejected) => check(documents, expected, rejected));
});
