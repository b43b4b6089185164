// What kubectl makes of a plain YAML scalar: it reads YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2), not js-yaml's 1.2.
// Source: resolve() and resolveMapList in go-yaml v2 resolve.go (vendored by kubernetes/kubernetes).

/** What kubectl's YAML reader makes of a plain scalar, which is what the API server receives (as JSON). */
export type KubectlReading =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly yaml11Only: boolean }
  | { readonly kind: 'number'; readonly value: string; readonly octal: boolean; readonly yaml11Only: boolean }
  | { readonly kind: 'string' };

const STRING: KubectlReading = { kind: 'string' };

/** resolveMapList's booleans: `y`, `yes`, `on` and their spellings are true, `n`, `no`, `off` false. */
const YAML_11_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const YAML_11_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;
/** The booleans YAML 1.2 (and js-yaml) reads too; the other YAML 1.1 spellings are strings there. */
const YAML_12_BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;
const YAML_INFINITY = /^([-+]?)\.(?:inf|Inf|INF)$/;
const YAML_NAN = /^\.(?:nan|NaN|NAN)$/;
/** Go's ParseInt with base 0, as go-yaml v2 calls it: a leading 0 is octal (`08` is no integer), 0x hex, 0o octal, 0b binary. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|(0|[1-9][0-9]*))$/;
/** yamlStyleFloat; a scalar starting with `.` goes to ParseFloat directly, which accepts the same texts. */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/**
 * Numbers in forms YAML 1.2 (js-yaml) reads as strings: digits with underscores (which go-yaml v2 drops before
 * parsing), Go's capital base prefixes, and a sign before a leading dot.
 */
const YAML_11_NUMBER_FORM = /_|^[-+]?0[XOB]|^[-+]\./;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * How go-yaml v2 resolves a plain scalar, step by step as resolve() does: (1) the map of booleans, nulls and special
 * floats; (2) only a scalar starting with a sign, a digit or a dot can be a number; (3) after dropping underscores
 * (not for a leading dot), an integer in Go's syntax that fits 64 bits; (4) a float. Everything else, timestamps
 * included (kubectl decodes into interface{}, where go-yaml v2 keeps them as strings), is a string.
 */
export function readAsKubectl(text: string): KubectlReading {
  // (1)
  if (text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return { kind: 'null' };
  if (YAML_11_TRUE.test(text) || YAML_11_FALSE.test(text)) {
    return { kind: 'boolean', value: YAML_11_TRUE.test(text), yaml11Only: !YAML_12_BOOLEAN.test(text) };
  }
  const infinity = YAML_INFINITY.exec(text);
  if (infinity !== null) return number(`${infinity[1] === '-' ? '-' : ''}infinity`, false);
  if (YAML_NAN.test(text)) return number('NaN', false);
  // (2)
  if (!/^[-+.0-9]/.test(text)) return STRING;
  // (3)
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
    // ParseInt, then ParseUint, which takes no sign.
    const fits = sign === '' ? value <= UINT64_MAX : value >= -INT64_MAX - 1n && value <= INT64_MAX;
    if (fits) return number(value.toString(), YAML_11_NUMBER_FORM.test(text), legacyOctal !== undefined);
  }
  // (4)
  if (YAML_FLOAT.test(plain)) {
    const value = Number(plain);
    // Go's ParseFloat fails on overflow, and go-yaml v2 then keeps the text as a string.
    if (Number.isFinite(value)) return number(String(value), YAML_11_NUMBER_FORM.test(text));
  }
  return STRING;
}

/** The number a reading's `value` stands for: readAsKubectl writes `infinity`, `-infinity`, `NaN` and decimals. */
export function numberOf(text: string): number {
  return text === 'infinity' ? Infinity : text === '-infinity' ? -Infinity : Number(text);
}

function number(value: string, yaml11Only: boolean, octal = false): KubectlReading {
  return { kind: 'number', value, octal, yaml11Only };
}

/**
 * The strings js-yaml gives for plain scalars that kubectl might read otherwise: the YAML 1.1 booleans and the
 * number forms YAML 1.2 lacks. A cheap first test (most label values pass here): readAsKubectl decides.
 */
const MAYBE_NOT_A_STRING =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$|^(?:[0-9]|[-+][0-9_.]).*_|^[-+]?0[XOB]|^[-+]\./;

/** True when `text`, a plain scalar that js-yaml reads as a string, reaches the API server as something else. */
export function kubectlReadsAsNonString(text: string): boolean {
  return MAYBE_NOT_A_STRING.test(text) && readAsKubectl(text).kind !== 'string';
}
