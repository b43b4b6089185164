// Decodes the common, valid shapes of manifests without zod's per-field machinery, to exactly zod's output.
import type { z } from 'zod';

/** What a fast decoder gives when it cannot vouch for zod's result: zod then decodes the value (and reports issues). */
export const FALLBACK: unique symbol = Symbol('decoded by zod');

type FastDecoder = (value: unknown) => unknown;

/** The parts of a zod schema's definition a fast decoder reads (zod 4's `_zod.def`). */
interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly unknown[];
  readonly coerce?: boolean;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: unknown;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Readonly<Record<string, unknown>>;
  readonly defaultValue?: unknown;
}

interface SchemaInternals {
  readonly def: SchemaDef;
  readonly optin?: 'optional' | 'defaulted';
  readonly optout?: 'optional';
  readonly values?: ReadonlySet<unknown>;
}

function internals(schema: z.ZodType): SchemaInternals {
  return (schema as unknown as { readonly _zod: SchemaInternals })._zod;
}

const decoders = new WeakMap<z.ZodType, FastDecoder>();

/**
 * zod's decoded value of `value`, or FALLBACK. A fast decoder gives a value only where zod's result is certain: the
 * value is valid and every schema on its way is one whose output it rebuilds as zod does (objects without catchall,
 * with their shape's keys in the shape's order; arrays; string records; strings, booleans, enums and numbers, whose
 * output is their input; defaults for absent keys). Anything else, and any invalid value, falls back to zod.
 *
 * Where zod's output would equal its input (the same keys in the same order, each entry decoding to itself), the
 * input itself is the output: most manifests keep to their schema, and a copy of every loaded object doubled what
 * loading allocates and keeps. So `value` must be a tree (no node reached twice, as YAML aliases make) that nobody
 * changes afterwards; zod's output has no node in common with its input.
 */
export function decodeFast(schema: z.ZodType, value: unknown): unknown {
  return decoderOf(schema)(value);
}

function decoderOf(schema: z.ZodType): FastDecoder {
  let decoder = decoders.get(schema);
  if (decoder === undefined) {
    decoder = compile(schema);
    decoders.set(schema, decoder);
  }
  return decoder;
}

/*
 * A decoder finds the decoders of the schemas inside its own (decoderOf) at its first call, not when compiled:
 * schemas may refer to themselves through getters. Found then and kept, they are called directly: a wrapper that
 * looked them up was a second call for every field of every object.
 */

const never: FastDecoder = () => FALLBACK;

function compile(schema: z.ZodType): FastDecoder {
  const zod = internals(schema);
  const { def } = zod;
  if (def.coerce === true) return never;
  const checked = def.checks !== undefined && def.checks.length > 0;
  switch (def.type) {
    case 'string':
      return checked ? leafByZod(schema) : (value) => (typeof value === 'string' ? value : FALLBACK);
    case 'boolean':
      return checked ? leafByZod(schema) : (value) => (typeof value === 'boolean' ? value : FALLBACK);
    case 'number':
      return checked
        ? numberWithChecks(schema, def.checks ?? [])
        : (value) => (typeof value === 'number' && Number.isFinite(value) ? value : FALLBACK);
    case 'enum': {
      const values = zod.values;
      if (checked || values === undefined) return never;
      return (value) => (values.has(value) ? value : FALLBACK);
    }
    case 'unknown':
      return checked ? never : (value) => value;
    case 'optional': {
      // An optional default has its own rules in zod; an absent key is handled by the object.
      if (checked || def.innerType === undefined || internals(def.innerType).optin === 'defaulted')
        return never;
      const { innerType } = def;
      let inner: FastDecoder | undefined;
      return (value) => (value === undefined ? FALLBACK : (inner ??= decoderOf(innerType))(value));
    }
    case 'default': {
      if (checked || def.innerType === undefined) return never;
      const { innerType } = def;
      let inner: FastDecoder | undefined;
      // zod reads the default anew each time (a shallow copy of it).
      return (value) => (value === undefined ? internals(schema).def.defaultValue : (inner ??= decoderOf(innerType))(value));
    }
    case 'union':
      return checked ? never : compileUnion(def.options ?? []);
    case 'array': {
      if (checked || def.element === undefined) return never;
      const elementType = def.element;
      let element: FastDecoder | undefined;
      return (value) => {
        if (!Array.isArray(value)) return FALLBACK;
        element ??= decoderOf(elementType);
        // Made at the first item that decodes to another value: until then the items are the input's own.
        let decoded: unknown[] | undefined;
        for (let index = 0; index < value.length; index++) {
          const field: unknown = value[index];
          const item = element(field);
          if (item === FALLBACK) return FALLBACK;
          if (decoded === undefined && item !== field) decoded = value.slice(0, index);
          if (decoded !== undefined) decoded.push(item);
        }
        return decoded ?? value;
      };
    }
    case 'record':
      return checked ? never : compileRecord(def);
    case 'object':
      return checked || def.catchall !== undefined ? never : compileObject(def.shape ?? {});
    default:
      return never;
  }
}

/** A leaf with checks (an integer in a range): zod decides, and its output is the value itself. */
function leafByZod(schema: z.ZodType): FastDecoder {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : FALLBACK;
  };
}

/** The number checks whose verdict is all a valid value needs (`int()`, `min()`, `max()`): they change nothing. */
const NUMBER_CHECKS: ReadonlySet<unknown> = new Set(['number_format', 'greater_than', 'less_than']);

interface CheckInternals {
  readonly def: { readonly check?: string };
  readonly check: (payload: { value: unknown; issues: unknown[] }) => void;
}

/**
 * A finite number that passes zod's own checks, run as zod runs them on a value (safeParse per value costs more
 * than the rest of a manifest's decoding); other checks are left to zod.
 */
function numberWithChecks(schema: z.ZodType, checks: readonly unknown[]): FastDecoder {
  const runs = checks.map((check) => (check as { readonly _zod: CheckInternals })._zod);
  if (!runs.every((run) => NUMBER_CHECKS.has(run.def.check))) return leafByZod(schema);
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return FALLBACK;
    const payload = { value: value as unknown, issues: [] as unknown[] };
    for (const run of runs) run.check(payload);
    return payload.issues.length === 0 ? value : FALLBACK;
  };
}

/**
 * zod gives the first option that accepts the value. Only options whose verdict is certain (leaves) are compiled:
 * a FALLBACK from another kind of option would not say that zod rejects the value there.
 */
function compileUnion(options: readonly z.ZodType[]): FastDecoder {
  const leaves = new Set(['string', 'boolean', 'number', 'enum']);
  if (options.length === 0 || !options.every((option) => leaves.has(internals(option).def.type)))
    return never;
  const decoders = options.map(compile);
  return (value) => {
    for (const decoder of decoders) {
      const decoded = decoder(value);
      if (decoded !== FALLBACK) return decoded;
    }
    return FALLBACK;
  };
}

function compileRecord(def: SchemaDef): FastDecoder {
  const { keyType, valueType } = def;
  if (keyType === undefined || valueType === undefined) return never;
  const keyDef = internals(keyType).def;
  // A string key schema with no checks accepts every key and keeps it as it is.
  if (keyDef.type !== 'string' || (keyDef.checks?.length ?? 0) > 0 || keyDef.coerce === true) return never;
  let decodeValue: FastDecoder | undefined;
  return (value) => {
    if (!isPlainObject(value)) return FALLBACK;
    decodeValue ??= decoderOf(valueType);
    // Made at the first key whose entry differs (or that zod skips): until then the entries are the input's own.
    let decoded: Record<string, unknown> | undefined;
    // An indexed loop: every label map passes here, mostly before the code is optimized.
    const keys = Object.keys(value);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      const field = value[key];
      // zod skips this key (the key js-yaml writes as an own property, never a prototype).
      const skipped = key === '__proto__';
      const entry = skipped ? undefined : decodeValue(field);
      if (entry === FALLBACK) return FALLBACK;
      if (decoded === undefined && (skipped || entry !== field)) decoded = entriesBefore(value, key);
      if (decoded !== undefined && !skipped) decoded[key] = entry;
    }
    return decoded ?? value;
  };
}

/** How an object treats each key of its shape, as zod's object parser does for values it accepts. */
interface Field {
  readonly key: string;
  readonly schema: z.ZodType;
  /** 'required': must be there; 'optional': left out when absent; 'defaulted': its default when absent. */
  readonly presence: 'required' | 'optional' | 'defaulted';
}

function compileObject(shape: Readonly<Record<string, z.ZodType>>): FastDecoder {
  const fields: Field[] = [];
  for (const key of Object.keys(shape)) {
    const schema = shape[key]!;
    const { optin, optout } = internals(schema);
    // zod tests presence with `in`, which also sees Object.prototype's properties; and it skips `__proto__`.
    if (key in Object.prototype || key === '__proto__') return never;
    let presence: Field['presence'];
    if (optin === undefined) presence = 'required';
    else if (optin === 'optional' && optout === 'optional') presence = 'optional';
    else if (optin === 'defaulted' && optout === undefined) presence = 'defaulted';
    else return never;
    fields.push({ key, schema, presence });
  }
  /** The decoder of each field's schema. */
  let decodeField: FastDecoder[] | undefined;
  return (value) => {
    if (!isPlainObject(value)) return FALLBACK;
    decodeField ??= fields.map((field) => decoderOf(field.schema));
    // Made at the first field whose entry differs from the input's (a default, a changed value): until then every
    // field read is the input's own, or absent.
    let decoded: Record<string, unknown> | undefined;
    for (let index = 0; index < fields.length; index++) {
      const { key, presence } = fields[index]!;
      const field = value[key];
      if (field === undefined) {
        // Absent (or undefined, which zod may read otherwise): only an absent key is certain.
        if (Object.hasOwn(value, key) || presence === 'required') return FALLBACK;
        if (presence === 'optional') continue;
      }
      const entry = decodeField[index]!(field);
      if (entry === FALLBACK) return FALLBACK;
      if (decoded === undefined && entry !== field) decoded = presentFields(value, fields, index);
      if (decoded !== undefined) decoded[key] = entry;
    }
    if (decoded !== undefined) return decoded;
    // Every entry is the input's own: the input is zod's output when it has no other key and the shape's order.
    return inShapeOrder(value, fields) ? value : presentFields(value, fields, fields.length);
  };
}

/** The input's own entries for the fields before `end` (absent ones left out), in the shape's order. */
function presentFields(value: Record<string, unknown>, fields: readonly Field[], end: number): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (let index = 0; index < end; index++) {
    const { key } = fields[index]!;
    const field = value[key];
    if (field !== undefined) decoded[key] = field;
  }
  return decoded;
}

/** True when the keys of `value` are those of the fields it holds, in the fields' order (a for-in allocates nothing). */
function inShapeOrder(value: Record<string, unknown>, fields: readonly Field[]): boolean {
  let next = 0;
  for (const key in value) {
    while (next < fields.length && value[fields[next]!.key] === undefined) next++;
    if (next === fields.length || fields[next]!.key !== key) return false;
    next++;
  }
  return true;
}

/** A record's entries before `end` (a key of it), `__proto__` left out as zod leaves it out. */
function entriesBefore(value: Record<string, unknown>, end: string): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === end) break;
    if (key !== '__proto__') decoded[key] = value[key];
  }
  return decoded;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
