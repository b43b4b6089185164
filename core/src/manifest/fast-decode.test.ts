import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { decodeFast, FALLBACK } from './fast-decode.js';
import { loadManifests } from './load.js';
import { KIND_SCHEMAS } from './schemas.js';

/** The parts of a schema's definition the generator reads. */
interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Readonly<Record<string, unknown>>;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { readonly _zod: { readonly def: Def } })._zod.def;
}

function randomSource(seed: number): (bound: number) => number {
  let state = seed;
  return (bound) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % bound;
  };
}

const STRINGS = ['', 'a', 'web', 'TCP', 'UDP', 'Ingress', '10.0.0.0/8', 'x y', '80', '1.5'];
const WRONG: readonly unknown[] = [null, 0, -1, 1.5, 70000, true, 'text', [], {}, Number.NaN];

/**
 * A value for `schema`, with extra keys and absent optional keys; a noisy one also has wrong values, undefined
 * values and absent required keys now and then.
 */
function generate(schema: z.ZodType, random: (bound: number) => number, noisy: boolean, depth = 0): unknown {
  if (noisy && random(60) === 0) return WRONG[random(WRONG.length)];
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return STRINGS[random(STRINGS.length)];
    case 'boolean':
      return random(2) === 0;
    case 'number':
      return [0, 1, 80, 443, 65535, 65536, -3, 2.5, 1000, 1001][random(10)];
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return random(10) === 0 ? 'Other' : values[random(values.length)];
    }
    case 'union': {
      const options = def.options ?? [];
      return generate(options[random(options.length)]!, random, noisy, depth);
    }
    case 'optional':
    case 'default':
      return generate(def.innerType!, random, noisy, depth);
    case 'array':
      return Array.from({ length: depth > 6 ? 0 : random(3) }, () =>
        generate(def.element!, random, noisy, depth + 1),
      );
    case 'record': {
      // `__proto__` as an own key is what JSON.parse (and js-yaml) make of it.
      const record = JSON.parse(random(20) === 0 ? '{"__proto__": "p"}' : '{}') as Record<string, unknown>;
      for (const key of ['app', '2', 'tier', 'app.kubernetes.io/name'].slice(0, random(5)))
        record[key] = generate(def.valueType!, random, noisy, depth + 1);
      return record;
    }
    case 'object': {
      const object: Record<string, unknown> = {};
      const keys = Object.keys(def.shape ?? {});
      // Keys in another order than the shape's, and an unknown one sometimes: the output has the shape's order.
      if (random(2) === 0) keys.reverse();
      for (const key of keys) {
        const field = def.shape![key]!;
        const roll = random(10);
        if (roll === 0 && (noisy || isOptional(field))) continue;
        object[key] =
          roll === 1 && noisy && random(4) === 0 ? undefined : generate(field, random, noisy, depth + 1);
      }
      if (random(3) === 0) object.extra = 'ignored';
      return object;
    }
    default:
      return 'anything';
  }
}

function isOptional(schema: z.ZodType): boolean {
  return (schema as unknown as { readonly _zod: { readonly optin?: string } })._zod.optin !== undefined;
}

/** Equal with every key in the same order, as JSON output would show. */
function sameWithKeyOrder(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);
}

describe('decodeFast', () => {
  it.each(Object.entries(KIND_SCHEMAS))(
    "gives zod's exact result, or falls back, for %s",
    (_kind, schema) => {
      const random = randomSource(11);
      let decoded = 0;
      let fellBack = 0;
      for (let round = 0; round < 1500; round++) {
        const value = generate(schema, random, round % 2 === 1);
        const fast = decodeFast(schema, value);
        if (fast === FALLBACK) {
          fellBack++;
          continue;
        }
        decoded++;
        const result = schema.safeParse(value);
        expect(result.success).toBe(true);
        if (!sameWithKeyOrder(fast, result.data)) expect(fast).toStrictEqual(result.data);
        expect(sameWithKeyOrder(fast, result.data)).toBe(true);
      }
      // Both ways must be taken often for the comparison to mean something.
      expect(decoded).toBeGreaterThan(20);
      expect(fellBack).toBeGreaterThan(20);
    },
  );

  it('gives back the nodes zod would rebuild the same, and rebuilds the others around them', () => {
    const schema = KIND_SCHEMAS.Deployment as z.ZodType;
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'main', ports: [{ name: 'http', containerPort: 80 }] }] },
    };
    const deployment = { metadata: { name: 'web' }, spec: { template, replicas: 2 } };
    expect(decodeFast(schema, deployment)).toBe(deployment);
    // Keys zod drops, and keys out of the shape's order: those objects are rebuilt, what they hold is kept.
    const written = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: deployment.metadata, spec: { replicas: 2, template } };
    const decoded = decodeFast(schema, written) as typeof deployment;
    expect(sameWithKeyOrder(decoded, deployment)).toBe(true);
    expect(decoded).not.toBe(written);
    expect(decoded.spec).not.toBe(written.spec);
    expect(decoded.metadata).toBe(deployment.metadata);
    expect(decoded.spec.template).toBe(template);
    // A default zod adds: the object is rebuilt.
    const defaulted = decodeFast(schema, { spec: deployment.spec }) as typeof deployment;
    expect(defaulted).toStrictEqual({ metadata: {}, spec: deployment.spec });
    expect(defaulted.spec).toBe(deployment.spec);
  });

  it('leaves out an own __proto__ key of a record whatever it holds, as zod does', () => {
    const schema = KIND_SCHEMAS.Namespace as z.ZodType;
    const labels: Record<string, unknown> = { app: 'web' };
    Object.defineProperty(labels, '__proto__', { value: undefined, enumerable: true, writable: true, configurable: true });
    const namespace = { metadata: { name: 'shop', labels } };
    const decoded = decodeFast(schema, namespace);
    expect(decoded).not.toBe(FALLBACK);
    expect(Object.keys((decoded as typeof namespace).metadata.labels)).toEqual(['app']);
    expect(sameWithKeyOrder(decoded, schema.parse(namespace))).toBe(true);
  });

  it('decodes the common manifests without zod, and loading gives what zod gives', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: main
          image: nginx
          ports:
            - containerPort: 8080
              name: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.1.0.0/16]
      ports:
        - port: http
        - port: 443
          endPort: 445
`;
    const { objects, issues } = loadManifests([{ path: 'm.yaml', text }]);
    expect(issues).toEqual([]);
    for (const object of objects) {
      const schema = KIND_SCHEMAS[object.kind] as z.ZodType;
      const zod = schema.safeParse(object.document.value);
      expect(decodeFast(schema, object.document.value)).not.toBe(FALLBACK);
      expect(zod.success).toBe(true);
      expect(sameWithKeyOrder(object.value, zod.data)).toBe(true);
    }
  });
});
