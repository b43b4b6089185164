// Helpers for the plain data js-yaml produces: type guards, copies, lookups and short descriptions for messages.
import type { FieldPath } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The mapping entries holding null that copyData met, per copy it returned: dropNullFields then visits only those. */
const nullFieldsOf = new WeakMap<object, [Record<string, unknown>, string][]>();

/**
 * A deep copy of mappings and lists (other objects are shared), as a tree: a value shared through YAML aliases is
 * copied once per reference. The loader refuses documents whose aliases expand beyond their limit or that contain
 * themselves before anything is copied, so the copy stays bounded, and skipping a map of visited nodes keeps the
 * common, alias-free document cheap.
 */
export function copyData(value: unknown): unknown {
  const nullFields: [Record<string, unknown>, string][] = [];
  const copy = copyTree(value, nullFields);
  if (typeof copy === 'object' && copy !== null) nullFieldsOf.set(copy, nullFields);
  return copy;
}

function copyTree(value: unknown, nullFields: [Record<string, unknown>, string][]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) copy[index] = copyTree(value[index], nullFields);
    return copy;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === null) nullFields.push([copy, key]);
    const itemCopy = copyTree(item, nullFields);
    // A `__proto__` key must stay an ordinary key, not set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: itemCopy,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = itemCopy;
    }
  }
  return copy;
}

/** True when some mapping entry in `value` holds null (what dropNullFields would remove). */
export function hasNullField(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (hasNullField(value[index])) return true;
    return false;
  }
  // for-in, not Object.keys: this walk runs on every object loaded, and allocates nothing.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (item === null || hasNullField(item)) return true;
  }
  return false;
}

/**
 * Removes mapping entries whose value is null, in place, from a tree (as copyData makes; for its copies, only the
 * entries it met holding null are visited). The API server decodes JSON into Go structs, where a null field is the
 * same as an absent one; a null list item is kept (decoding reports it).
 */
export function dropNullFields(value: unknown): void {
  const recorded = typeof value === 'object' && value !== null ? nullFieldsOf.get(value) : undefined;
  if (recorded !== undefined) {
    for (const [mapping, key] of recorded) if (mapping[key] === null) Reflect.deleteProperty(mapping, key);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) dropNullFields(item);
    return;
  }
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null) Reflect.deleteProperty(value, key);
    else dropNullFields(item);
  }
}

/** The value at `path`, or undefined. */
export function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment] as unknown;
    else if (isRecord(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** How a message names a value: `"text"`, `80`, `true`, `null`, `a list`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'a mapping';
}
