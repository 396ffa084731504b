/** JSON values as state data, expression results and task outputs. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null) return false;
  // A plain object (state data always is one) answers without the array and Buffer checks.
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || (!Array.isArray(value) && !Buffer.isBuffer(value));
}

/** Structural equality of two JSON values; `undefined` (a missing path) equals `null`. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}

/**
 * UTF-8 size of the value's JSON text. A walk first bounds the size from above without building the text (every
 * character at its worst-case escaped width); only values that might be near the limit are serialized exactly.
 */
export function jsonByteSize(value: JsonValue, limit: number): number {
  const bound = sizeBound(value, limit);
  if (bound <= limit) return bound;
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

const NUMBER_WIDTH = 24;

function sizeBound(value: JsonValue, limit: number): number {
  if (value === null || typeof value === 'boolean') return 5;
  if (typeof value === 'number') return NUMBER_WIDTH;
  if (typeof value === 'string') return 2 + value.length * 6;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      total += 1 + sizeBound(item, limit);
      if (total > limit) return total;
    }
    return total;
  }
  for (const key in value) {
    total += 4 + key.length * 6 + sizeBound(value[key] as JsonValue, limit);
    if (total > limit) return total;
  }
  return total;
}

/** Whether a value is already plain JSON (so it can be used as it is, without a copy). */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Converts whatever a task returned into JSON (drops functions/undefined, turns Dates into strings) the way JSON does. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (isPlainJson(value, 0)) return value as JsonValue;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
