// Helpers for the plain data js-yaml produces: type guards, copies, lookups and short descriptions for messages.
import type { FieldPath } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of mappings and lists (other objects are shared). Shared and cyclic references stay so. */
export function copyData(value: unknown, copies = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(copyData(item, copies));
    return copy;
  }
  if (!isRecord(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    const itemCopy = copyData(item, copies);
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

/**
 * Removes mapping entries whose value is null, in place. The API server decodes JSON into Go structs, where a
 * null field is the same as an absent one; a null list item is kept (decoding reports it).
 */
export function dropNullFields(value: unknown, visited = new Set<object>()): void {
  if (typeof value !== 'object' || value === null || visited.has(value)) return;
  visited.add(value);
  if (Array.isArray(value)) {
    for (const item of value) dropNullFields(item, visited);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (item === null) Reflect.deleteProperty(value, key);
    else dropNullFields(item, visited);
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
