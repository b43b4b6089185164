// What kubectl makes of a plain YAML scalar: it reads YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2), not js-yaml's 1.2.
// Source: resolve() and resolveMapList in go-yaml v2 resolve.go (vendored by kubernetes/kubernetes).

/** What kubectl's YAML reader makes of a plain scalar, which is what the API server receives (as JSON). */
export type KubectlReading =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly yaml11Only: boolean }
  | {
      readonly kind: 'number';
      readonly value: string;
      readonly octal: boolean;
      readonly yaml11Only: boolean;
      /** Go's float64 rather than an integer: how kubectl prints it where it needs its text (a mapping key) differs. */
      readonly float: boolean;
    }
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
  if (infinity !== null) return number(`${infinity[1] === '-' ? '-' : ''}infinity`, false, false, true);
  if (YAML_NAN.test(text)) return number('NaN', false, false, true);
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
    if (Number.isFinite(value)) return number(String(value), YAML_11_NUMBER_FORM.test(text), false, true);
  }
  return STRING;
}

/** The number a reading's `value` stands for: readAsKubectl writes `infinity`, `-infinity`, `NaN` and decimals. */
export function numberOf(text: string): number {
  return text === 'infinity' ? Infinity : text === '-infinity' ? -Infinity : Number(text);
}

function number(value: string, yaml11Only: boolean, octal = false, float = false): KubectlReading {
  return { kind: 'number', value, octal, yaml11Only, float };
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

/**
 * What kubectl makes of a plain scalar written as a mapping key. JSON keys are strings, so sigs.k8s.io/yaml
 * (convertToJSONableObject in yaml.go) prints the key go-yaml v2 resolved: a boolean as `true` or `false`, an integer
 * in decimal, a float as Go's FormatFloat(key, 'g', -1, 32) with `.inf`, `-.inf` and `.nan` for the special ones. A
 * null key, or an integer only an unsigned 64-bit one holds, it cannot print: kubectl rejects the object.
 */
export type KubectlKey =
  | { readonly kind: 'key'; readonly key: string; readonly reading: KubectlReading }
  | { readonly kind: 'rejected'; readonly type: 'null' | 'uint64' };

export function kubectlKey(text: string): KubectlKey {
  const reading = readAsKubectl(text);
  switch (reading.kind) {
    case 'string':
      return { kind: 'key', key: text, reading };
    case 'null':
      return { kind: 'rejected', type: 'null' };
    case 'boolean':
      return { kind: 'key', key: String(reading.value), reading };
    case 'number':
      if (reading.float) {
        // The reading's decimal drops the sign of a negative zero, which Go prints.
        const value = numberOf(reading.value);
        return { kind: 'key', key: goFloat32Text(value === 0 && text.startsWith('-') ? -0 : value), reading };
      }
      if (BigInt(reading.value) > INT64_MAX) return { kind: 'rejected', type: 'uint64' };
      return { kind: 'key', key: reading.value, reading };
  }
}

/**
 * Go's strconv.FormatFloat(value, 'g', -1, 32) as yaml.go calls it (special values in YAML's spelling): the value
 * rounded to float32, in the fewest digits that read back as that float32, printed with an exponent (`1e+06`,
 * `1.2345679e+08`, `1e-05`) when it is below -4 or at least 6, the shortest format's threshold.
 */
export function goFloat32Text(value: number): string {
  const single = Math.fround(value);
  if (Number.isNaN(single)) return '.nan';
  if (single === Infinity) return '.inf';
  if (single === -Infinity) return '-.inf';
  const sign = single < 0 || Object.is(single, -0) ? '-' : '';
  const magnitude = Math.abs(single);
  if (magnitude === 0) return `${sign}0`;
  const [digits, exponent] = shortestFloat32Digits(magnitude);
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const power = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${power}`;
  }
  // Decimal notation: the point sits after exponent + 1 digits.
  const point = exponent + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The fewest significant digits (and the decimal exponent of the first) that read back as the float32 `magnitude`:
 * at each length, the nearest decimal of that length, else its neighbours (which can be the only ones inside the
 * float's rounding interval next to a power of two, where the interval is narrower below than above).
 */
function shortestFloat32Digits(magnitude: number): [string, number] {
  for (let length = 1; length < 9; length++) {
    const [mantissa, exponentText] = magnitude.toExponential(length - 1).split('e');
    const digits = mantissa!.replace('.', '');
    const exponent = Number(exponentText);
    const nearest = BigInt(digits);
    for (const candidate of [nearest, nearest - 1n, nearest + 1n]) {
      const text = candidate.toString();
      // A neighbour that changes the digit count belongs to another length.
      if (text.length !== length) continue;
      if (Math.fround(Number(`${text}e${exponent - length + 1}`)) === magnitude) return [trimZeros(text), exponent];
    }
  }
  // Nine significant digits always identify a float32.
  const [mantissa, exponentText] = magnitude.toExponential(8).split('e');
  return [trimZeros(mantissa!.replace('.', '')), Number(exponentText)];
}

function trimZeros(digits: string): string {
  return digits.length > 1 ? digits.replace(/0+$/, '') : digits;
}
