// Fuzzing the CIDR, IP and label selector parsers: any text in, a value or undefined out, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSelector, formatIp, formatSelector, parseCidr, parseIp, selectorMatches } from '@kubereach/core';
import { PROPERTY_TIMEOUT_MS, RUNS } from './fuzz-settings.js';

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '-1', '01', '1e2', '', ' 1', '0x1'));
const ipv4ish = fc.array(octet, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.'));
const hextet = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)), fc.constantFrom('', 'g', '10000', '::'));
const ipv6ish = fc.array(hextet, { minLength: 1, maxLength: 10 }).map((parts) => parts.join(':'));
const prefix = fc.oneof(fc.integer({ min: -5, max: 140 }).map(String), fc.constantFrom('', '08', '+1', '1.5', ' 8'));
const cidrish = fc.oneof(
  fc.tuple(fc.oneof(ipv4ish, ipv6ish, fc.string()), prefix).map(([ip, bits]) => `${ip}/${bits}`),
  fc.string(),
);

describe('fuzz: address parsers', () => {
  it(
    'parseIp and parseCidr never throw, and a parsed address prints and parses back to itself',
    () => {
      fc.assert(
        fc.property(fc.oneof(ipv4ish, ipv6ish, cidrish, fc.string()), (text) => {
          const ip = parseIp(text);
          if (ip !== undefined) expect(parseIp(formatIp(ip.family, ip.value))).toEqual(ip);
          const cidr = parseCidr(text);
          if (cidr !== undefined) expect(cidr.start <= cidr.end).toBe(true);
        }),
        { numRuns: RUNS * 10 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

const labelText = fc.oneof(fc.constantFrom('app', 'tier', 'a.b/c', '', 'x'.repeat(70), 'ü', 'k8s.io/name'), fc.string({ maxLength: 10 }));
const selector = fc.record(
  {
    matchLabels: fc.dictionary(labelText, labelText, { maxKeys: 4 }),
    matchExpressions: fc.array(
      fc.record(
        {
          key: labelText,
          operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
          values: fc.array(labelText, { maxLength: 3 }),
        },
        { requiredKeys: ['key', 'operator'] },
      ),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
);

describe('fuzz: label selectors', () => {
  it(
    'compile, print and match any selector the decoder lets through, without throwing',
    () => {
      fc.assert(
        fc.property(selector, fc.dictionary(labelText, labelText, { maxKeys: 4 }), (raw, labels) => {
          const compiled = compileSelector(raw as Parameters<typeof compileSelector>[0]);
          expect(typeof formatSelector(compiled)).toBe('string');
          expect(typeof selectorMatches(compiled, labels)).toBe('boolean');
        }),
        { numRuns: RUNS * 10 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
