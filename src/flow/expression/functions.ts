/**
 * The built-in functions. CloudFlow documents the names; exact signatures of `get`, `intAdd`, `randomInt` and `split`
 * are not documented, so the choices are stated on each entry. Every function takes JSON and returns JSON; a missing
 * path arrives as `undefined`.
 */
import { createHash } from 'node:crypto';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json';

export type EvalValue = JsonValue | undefined;

export interface FunctionEnv {
  /** Uniform in [0, 1); injectable so `uuid()` and `randomInt()` are repeatable in tests. */
  random: () => number;
}

/** A function got arguments it cannot work with; the evaluator turns it into the policy's expression error. */
export class FunctionCallError extends Error {}

export interface BuiltinFunction {
  minArgs: number;
  maxArgs: number;
  call(args: EvalValue[], env: FunctionEnv): EvalValue;
}

const HASH_ALGORITHMS: Record<string, string> = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

function typeOf(value: EvalValue): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fail(fn: string, position: number, expected: string, value: EvalValue): never {
  throw new FunctionCallError(`${fn}(): argument ${position} must be ${expected}, got ${typeOf(value)}`);
}

function str(fn: string, args: EvalValue[], i: number): string {
  const value = args[i];
  return typeof value === 'string' ? value : fail(fn, i + 1, 'a string', value);
}

function int(fn: string, args: EvalValue[], i: number): number {
  const value = args[i];
  return typeof value === 'number' && Number.isInteger(value) ? value : fail(fn, i + 1, 'an integer', value);
}

function arr(fn: string, args: EvalValue[], i: number): JsonValue[] {
  const value = args[i];
  return Array.isArray(value) ? value : fail(fn, i + 1, 'an array', value);
}

function obj(fn: string, args: EvalValue[], i: number): JsonObject {
  const value = args[i];
  return isJsonObject(value) ? value : fail(fn, i + 1, 'an object', value);
}

function text(value: EvalValue): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? null);
}

function uuidFrom(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseJson(fn: string, source: string): JsonValue {
  try {
    return JSON.parse(source) as JsonValue;
  } catch (error) {
    throw new FunctionCallError(`${fn}(): not valid JSON: ${(error as Error).message}`);
  }
}

const stringToJson: BuiltinFunction = { minArgs: 1, maxArgs: 1, call: (a) => parseJson('stringToJson', str('stringToJson', a, 0)) };

export const FUNCTIONS: Readonly<Record<string, BuiltinFunction>> = {
  /** format("hello {} and {}", a, b): each `{}` takes the next argument; strings as they are, others as JSON. */
  format: {
    minArgs: 1,
    maxArgs: Infinity,
    call(args) {
      const template = str('format', args, 0);
      let next = 1;
      return template.replace(/\{\}/g, () => {
        if (next >= args.length) throw new FunctionCallError('format(): more {} placeholders than arguments');
        return text(args[next++]);
      });
    },
  },
  /** length(string | array | object): characters, items or keys. */
  length: {
    minArgs: 1,
    maxArgs: 1,
    call([value]) {
      if (typeof value === 'string') return [...value].length;
      if (Array.isArray(value)) return value.length;
      if (isJsonObject(value)) return Object.keys(value).length;
      return fail('length', 1, 'a string, array or object', value);
    },
  },
  /** jsonMerge(a, b): shallow merge; b's keys win. */
  jsonMerge: { minArgs: 2, maxArgs: 2, call: (a) => ({ ...obj('jsonMerge', a, 0), ...obj('jsonMerge', a, 1) }) },
  /** uuid(): a version-4 UUID from the execution's random source. */
  uuid: { minArgs: 0, maxArgs: 0, call: (_a, env) => uuidFrom(env.random) },
  /** hash(value, "MD5" | "SHA-1" | "SHA-256" | "SHA-512"): lowercase hex; a non-string value is hashed as JSON. */
  hash: {
    minArgs: 2,
    maxArgs: 2,
    call(args) {
      const algorithm = HASH_ALGORITHMS[str('hash', args, 1).toUpperCase()];
      if (!algorithm) throw new FunctionCallError(`hash(): algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
      return createHash(algorithm).update(text(args[0]), 'utf8').digest('hex');
    },
  },
  /** regexMatchString(string, pattern): whether the pattern (JavaScript syntax) matches anywhere in the string. */
  regexMatchString: {
    minArgs: 2,
    maxArgs: 2,
    call(args) {
      const subject = str('regexMatchString', args, 0);
      let pattern: RegExp;
      try {
        pattern = new RegExp(str('regexMatchString', args, 1), 'u');
      } catch (error) {
        throw new FunctionCallError(`regexMatchString(): bad pattern: ${(error as Error).message}`);
      }
      return pattern.test(subject);
    },
  },
  /** split(string, separator): the parts, empty ones included. */
  split: { minArgs: 2, maxArgs: 2, call: (a) => str('split', a, 0).split(str('split', a, 1)) },
  /** get(array, index) or get(object, key): the element, or missing. */
  get: {
    minArgs: 2,
    maxArgs: 2,
    call([collection, key]) {
      if (Array.isArray(collection)) return collection[int('get', [collection, key], 1)];
      if (isJsonObject(collection)) {
        const name = str('get', [collection, key], 1);
        return Object.hasOwn(collection, name) ? collection[name] : undefined;
      }
      return fail('get', 1, 'an array or object', collection);
    },
  },
  /** intAdd(a, b): integer sum. */
  intAdd: { minArgs: 2, maxArgs: 2, call: (a) => int('intAdd', a, 0) + int('intAdd', a, 1) },
  /** randomInt(min, max): an integer with min ≤ n < max. */
  randomInt: {
    minArgs: 2,
    maxArgs: 2,
    call(args, env) {
      const min = int('randomInt', args, 0);
      const max = int('randomInt', args, 1);
      if (max <= min) throw new FunctionCallError('randomInt(): max must be greater than min');
      return min + Math.floor(env.random() * (max - min));
    },
  },
  /** arrayContains(array, value): deep equality. */
  arrayContains: { minArgs: 2, maxArgs: 2, call: (a) => arr('arrayContains', a, 0).some((item) => jsonEqual(item, a[1])) },
  /** arrayUnique(array): first occurrences, in order, by deep equality. */
  arrayUnique: {
    minArgs: 1,
    maxArgs: 1,
    call(args) {
      const unique: JsonValue[] = [];
      for (const item of arr('arrayUnique', args, 0)) if (!unique.some((seen) => jsonEqual(seen, item))) unique.push(item);
      return unique;
    },
  },
  /** toArray(value): an array as it is, missing/null as [], anything else wrapped as [value]. */
  toArray: {
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]),
  },
  mapKeys: { minArgs: 1, maxArgs: 1, call: (a) => Object.keys(obj('mapKeys', a, 0)) },
  mapValues: { minArgs: 1, maxArgs: 1, call: (a) => Object.values(obj('mapValues', a, 0)) },
  stringToJson,
  /** Alias of stringToJson (the Japanese docs' name). */
  fromJSON: stringToJson,
  /** jsonToString(value): compact JSON text. */
  jsonToString: { minArgs: 1, maxArgs: 1, call: ([value]) => JSON.stringify(value ?? null) },
  toBase64: { minArgs: 1, maxArgs: 1, call: (a) => Buffer.from(str('toBase64', a, 0), 'utf8').toString('base64') },
  fromBase64: { minArgs: 1, maxArgs: 1, call: (a) => Buffer.from(str('fromBase64', a, 0), 'base64').toString('utf8') },
};
