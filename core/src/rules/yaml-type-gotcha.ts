// yaml-type-gotcha: label, selector and annotation values that YAML reads as booleans, numbers or null.
import { z } from 'zod';
import { createRule, type Fix } from '../lint/types.js';
import type { Range } from '../source/source.js';

/** What kubectl's YAML reader makes of a plain scalar: it reads YAML 1.1 (yaml.v2), then sends JSON. */
type Reading =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly yaml11Only: boolean }
  | { readonly kind: 'number'; readonly value: string; readonly octal: boolean }
  | { readonly kind: 'string' };

export default createRule({
  meta: {
    id: 'yaml-type-gotcha',
    category: 'validation',
    defaultSeverity: 'error',
    description:
      'A label, selector or annotation value that YAML reads as a boolean, a number or null instead of a string',
    messages: {
      number: 'the value {{text}} is read as the number {{value}}; quote it: {{quoted}}',
      octal:
        'the value {{text}} is read by kubectl (YAML 1.1) as the octal number {{value}}; quote it: {{quoted}}',
      boolean: 'the value {{text}} is read as the boolean {{value}}; quote it: {{quoted}}',
      yaml11Boolean:
        'the value {{text}} is read by kubectl (YAML 1.1) as the boolean {{value}}; quote it: {{quoted}}',
      null: 'the value {{text}} is read as null, which the API server turns into the empty string; write "" to say so',
      empty:
        'the value is empty, which YAML reads as null and the API server turns into the empty string; write "" to say so',
      notString: 'the value {{text}} is not read as a string; write it as a quoted string',
    },
    fixable: true,
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    // The loader finds these values (manifest/label-values.ts) and invalid-manifest leaves them to this rule.
    for (const issue of analysis.issues) {
      if (issue.code !== 'label-not-string') continue;
      const { file, range } = issue.location;
      const source = analysis.load.sources.get(file)?.text ?? '';
      const text = source.slice(range.start, range.end);
      const base = { location: issue.location, maxSeverity: issue.severity } as const;
      const insertion = emptyValueInsertion(source, range);
      if (insertion !== undefined) {
        report({
          ...base,
          messageId: 'empty',
          fix: writeEmptyString(file, { start: insertion, end: insertion }, ' ""'),
        });
        continue;
      }
      const reading = isPlain(text) ? readAsKubectl(text) : { kind: 'string' as const };
      const quoted = JSON.stringify(text);
      const quote: Fix = {
        description: `quote the value: ${quoted}`,
        edits: [{ file, range, newText: quoted }],
      };
      switch (reading.kind) {
        case 'null':
          report({ ...base, messageId: 'null', data: { text }, fix: writeEmptyString(file, range, '""') });
          break;
        case 'boolean':
          report({
            ...base,
            messageId: reading.yaml11Only ? 'yaml11Boolean' : 'boolean',
            data: { text, value: String(reading.value), quoted },
            fix: quote,
          });
          break;
        case 'number':
          report({
            ...base,
            messageId: reading.octal ? 'octal' : 'number',
            data: { text, value: reading.value, quoted },
            fix: quote,
          });
          break;
        case 'string':
          // An alias, a tag or a form the loader's reader and kubectl's disagree on: no safe text to quote.
          report({ ...base, messageId: 'notString', data: { text } });
          break;
      }
    }
  },
});

/** A null is stored as the empty string: writing `""` keeps that meaning and says it. */
function writeEmptyString(file: string, range: Range, newText: string): Fix {
  return { description: 'write the empty string the API server stores', edits: [{ file, range, newText }] };
}

/**
 * For a value left empty (`key:`, or a bare `-` item), the loader points at the key or the dash; the offset
 * right after the colon or the dash is where the value belongs. Undefined when the range holds the value itself.
 */
function emptyValueInsertion(source: string, range: Range): number | undefined {
  let next = range.end;
  while (source[next] === ' ' || source[next] === '\t') next++;
  if (source[next] === ':') return next + 1;
  const dashItem =
    source.slice(range.start, range.end) === '-' && /^(?:\s|$)/.test(source.slice(range.end, range.end + 1));
  return dashItem ? range.end : undefined;
}

/** A plain scalar: not quoted, not a block scalar, not an alias, no tag or anchor in front. */
function isPlain(text: string): boolean {
  return text !== '' && !`'"|>*&!%@\``.includes(text[0]!) && !text.includes('\n');
}

const YAML_11_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const YAML_11_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;
/** The booleans YAML 1.2 (and the loader's js-yaml) reads too; the other YAML 1.1 spellings are strings there. */
const YAML_12_BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;
const YAML_INFINITY = /^([-+]?)\.(?:inf|Inf|INF)$/;
const YAML_NAN = /^\.(?:nan|NaN|NAN)$/;
/** Go's ParseInt with base 0, as yaml.v2 calls it: a leading 0 is octal (`08` is no integer), 0x hex, 0o octal, 0b binary. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|(0|[1-9][0-9]*))$/;
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * How yaml.v2 resolves a plain scalar, which is what the API server receives from kubectl: its booleans and nulls,
 * then integers (underscores dropped, Go base prefixes) that fit 64 bits, then floats. Timestamps stay strings.
 */
function readAsKubectl(text: string): Reading {
  if (text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return { kind: 'null' };
  if (YAML_11_TRUE.test(text) || YAML_11_FALSE.test(text)) {
    return { kind: 'boolean', value: YAML_11_TRUE.test(text), yaml11Only: !YAML_12_BOOLEAN.test(text) };
  }
  const infinity = YAML_INFINITY.exec(text);
  if (infinity !== null)
    return { kind: 'number', value: `${infinity[1] === '-' ? '-' : ''}infinity`, octal: false };
  if (YAML_NAN.test(text)) return { kind: 'number', value: 'NaN', octal: false };
  if (!/^[-+.0-9]/.test(text)) return { kind: 'string' };
  const plain = text[0] === '.' ? text : text.replace(/_/g, '');
  const integer = GO_INTEGER.exec(plain);
  if (integer !== null) {
    const [, sign, hex, octal, binary, legacyOctal, decimal] = integer;
    const magnitude =
      hex !== undefined
        ? BigInt(`0x${hex}`)
        : octal !== undefined
          ? BigInt(`0o${octal}`)
          : binary !== undefined
            ? BigInt(`0b${binary}`)
            : legacyOctal !== undefined
              ? BigInt(`0o${legacyOctal}`)
              : BigInt(decimal!);
    const value = sign === '-' ? -magnitude : magnitude;
    const fits = sign === '' ? value <= UINT64_MAX : value >= -INT64_MAX - 1n && value <= INT64_MAX;
    if (fits) return { kind: 'number', value: value.toString(), octal: legacyOctal !== undefined };
  }
  if (YAML_FLOAT.test(plain)) {
    const value = Number(plain);
    // Go's ParseFloat fails on overflow, and yaml.v2 then keeps the text as a string.
    if (Number.isFinite(value)) return { kind: 'number', value: String(value), octal: false };
  }
  return { kind: 'string' };
}
