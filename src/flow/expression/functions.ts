/**
 * The built-in functions, each with the signature its doc page gives
 * (https://help.aliyun.com/document_detail/2579872.html; en: alibabacloud.com/help/en/serverless-workflow/latest/built-in-functions;
 * ja, pt-br, es translations). The parser checks names, argument counts and whatever argument types it can know at
 * load time; the evaluator checks the rest with the same rules just before the call. docs/expressions.md lists the
 * functions, their sources and the choices made where the pages are silent.
 */
import { createHash } from 'node:crypto';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json';
import type { ExpressionPolicy } from '../policy';
import { compilePattern, patternProblem } from './regex';

export type EvalValue = JsonValue | undefined;

/** JSON value types, as signatures and messages name them. */
export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export interface FunctionEnv {
  /** Uniform in [0, 1); injectable so `uuid()` and `randomInt()` are repeatable in tests. */
  readonly random: () => number;
  readonly policy: ExpressionPolicy;
}

/** An expression could not be evaluated (a wrong argument, bad JSON text, …); the evaluator turns it into the
 * policy's expression error. */
export class EvaluationError extends Error {}

export interface Param {
  name: string;
  /** Accepted types; `'any'` takes every value, a missing path included (passed on as null). */
  accepts: readonly ValueType[] | 'any';
  integer?: boolean;
  /** A rule beyond the type; returns what is wrong. Also runs at load time on literal arguments. */
  rule?: (value: JsonValue, policy: ExpressionPolicy) => string | undefined;
}

export interface BuiltinFunction {
  /** The signature as the page writes it, for messages. */
  signature: string;
  params: readonly Param[] | ((policy: ExpressionPolicy) => readonly Param[]);
  /** A variadic tail: format's `...any`, toArray's "variable number of arguments". */
  rest?: Param;
  returns: ValueType | 'any';
  /** Called with checked arguments only (see `callBuiltin`). */
  call(args: JsonValue[], env: FunctionEnv): EvalValue;
}

export function typeOf(value: EvalValue): ValueType | 'missing' {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

function paramsOf(fn: BuiltinFunction, policy: ExpressionPolicy): readonly Param[] {
  return typeof fn.params === 'function' ? fn.params(policy) : fn.params;
}

/** What is wrong with calling `name` with `count` arguments, or undefined. */
export function arityProblem(name: string, fn: BuiltinFunction, policy: ExpressionPolicy, count: number): string | undefined {
  const min = paramsOf(fn, policy).length;
  if (count >= min && (fn.rest || count === min)) return undefined;
  const expected = fn.rest ? `at least ${min}` : `${min}`;
  return `${name}() takes ${expected} argument(s), got ${count} (signature: ${fn.signature})`;
}

/** An argument as far as it is known: its value (at run time, or a literal at load time), or only its type. */
export type KnownArgument = { value: EvalValue } | { type: ValueType };

/** What is wrong with argument `index` (0-based) of `name`, or undefined. Value rules run only on known values. */
export function argumentProblem(name: string, fn: BuiltinFunction, index: number, arg: KnownArgument, policy: ExpressionPolicy): string | undefined {
  const param = paramsOf(fn, policy)[index] ?? fn.rest;
  if (!param) return undefined;
  const where = `${name}(): argument ${index + 1} (${param.name})`;
  const known = 'value' in arg;
  if (param.accepts !== 'any') {
    const type = known ? typeOf(arg.value) : arg.type;
    if (type === 'missing' || !param.accepts.includes(type)) {
      const got = type === 'missing' ? 'nothing (the path is missing)' : known ? describeValue(arg.value) : ARTICLE[type];
      return `${where} must be ${describeTypes(param.accepts, param.integer)}, got ${got}`;
    }
    if (known && param.integer && !Number.isInteger(arg.value)) return `${where} must be an integer, got ${describeValue(arg.value)}`;
  }
  const problem = known ? param.rule?.(arg.value ?? null, policy) : undefined;
  return problem === undefined ? undefined : `${where} ${problem}`;
}

/** Checks every argument against the signature, then calls; a missing value for an `any` parameter becomes null. */
export function callBuiltin(name: string, fn: BuiltinFunction, args: EvalValue[], env: FunctionEnv): EvalValue {
  const arity = arityProblem(name, fn, env.policy, args.length);
  if (arity) throw new EvaluationError(arity);
  const checked = args.map((value, i) => {
    const problem = argumentProblem(name, fn, i, { value }, env.policy);
    if (problem) throw new EvaluationError(problem);
    return value ?? null;
  });
  return fn.call(checked, env);
}

function describeTypes(types: readonly ValueType[], integer = false): string {
  const words = types.map((type) => (type === 'number' && integer ? 'an integer' : ARTICLE[type]));
  return words.length === 1 ? (words[0] as string) : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] as string}`;
}

export const ARTICLE: Readonly<Record<ValueType, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  array: 'an array',
  object: 'an object',
};

function describeValue(value: EvalValue): string {
  const type = typeOf(value);
  if (type === 'string' || type === 'number' || type === 'boolean') return `${type} ${JSON.stringify(value)}`;
  return type === 'null' ? 'null' : (ARTICLE[type as ValueType] ?? type);
}

/** Strings as they are, everything else as compact JSON. */
function text(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const STRING: readonly ValueType[] = ['string'];
const ARRAY: readonly ValueType[] = ['array'];
const OBJECT: readonly ValueType[] = ['object'];
const INTEGER: readonly ValueType[] = ['number'];

const HASH_ALGORITHMS: Readonly<Record<string, string>> = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

// Go's base64.StdEncoding: the standard alphabet with padding; anything else is an error.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function jsonTextProblem(value: JsonValue, policy: ExpressionPolicy): string | undefined {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(value as string) as JsonValue;
  } catch (error) {
    return `is not valid JSON text: ${(error as Error).message}`;
  }
  if (policy.stringToJsonResult === 'object' && !isJsonObject(parsed)) {
    return `must be the JSON text of an object (the function returns map[string]any), got ${describeValue(parsed)}`;
  }
  return undefined;
}

function stringToJson(name: string): BuiltinFunction {
  return {
    signature: `${name}(string) map[string]any`,
    params: [{ name: 'json', accepts: STRING, rule: jsonTextProblem }],
    returns: 'any',
    call: ([json]) => JSON.parse(json as string) as JsonValue,
  };
}

function uuidFrom(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const PATTERN: Param = { name: 'pattern', accepts: STRING, rule: patternProblem };
const SUBJECT: Param = { name: 'string', accepts: STRING };

export const FUNCTIONS: Readonly<Record<string, BuiltinFunction>> = {
  // ── Common operations ──
  /** format("hello {}","world") → "hello world": each {} takes the next value (strings as they are, others as JSON);
   * more placeholders than values is an error, extra values are ignored (the page says neither). */
  format: {
    signature: 'format(string, ...any) string',
    params: [{ name: 'template', accepts: STRING }],
    rest: { name: 'value', accepts: 'any' },
    returns: 'string',
    call([template, ...values]) {
      let next = 0;
      return (template as string).replace(/\{\}/g, () => {
        const value = values[next];
        if (value === undefined) {
          throw new EvaluationError(`format(): the template has more {} placeholders than the ${values.length} value(s) after it`);
        }
        next += 1;
        return text(value);
      });
    },
  },
  /** length([1, 2, 3]) → 3, length({"name": "Tom", "age": 10}) → 2, length("name") → 4. */
  length: {
    signature: 'length([]any | map[string]any | string) int',
    params: [{ name: 'value', accepts: ['array', 'object', 'string'] }],
    returns: 'number',
    call([value], env) {
      if (typeof value === 'string') return env.policy.stringLength === 'utf8-bytes' ? Buffer.byteLength(value, 'utf8') : [...value].length;
      return Array.isArray(value) ? value.length : Object.keys(value as JsonObject).length;
    },
  },
  /** regexMatchString: whether the pattern matches anywhere in the string (policy `regexMatchStringArguments`). */
  regexMatchString: {
    signature: 'regexMatchString(string, string) bool',
    params: (policy) => (policy.regexMatchStringArguments === 'pattern-first' ? [PATTERN, SUBJECT] : [SUBJECT, PATTERN]),
    returns: 'boolean',
    call([first, second], env) {
      const [pattern, subject] = env.policy.regexMatchStringArguments === 'pattern-first' ? [first, second] : [second, first];
      return (compilePattern(pattern as string) as RegExp).test(subject as string);
    },
  },
  /** split(string, separator) → the parts, empty ones included (Go's strings.Split; "" splits into characters). */
  split: {
    signature: 'split(string, string) []string',
    params: [SUBJECT, { name: 'separator', accepts: STRING }],
    returns: 'array',
    call: ([subject, separator]) => (separator === '' ? [...(subject as string)] : (subject as string).split(separator as string)),
  },
  /** get(array, index) or get(map, key) (pt-br page: "retrieves an element of an array or map"); absent → missing. */
  get: {
    signature: 'get([]any | map[string]any, int | string) any',
    params: [
      { name: 'collection', accepts: ['array', 'object'] },
      { name: 'key', accepts: ['number', 'string'] },
    ],
    returns: 'any',
    call([collection, key]) {
      if (Array.isArray(collection)) {
        if (typeof key !== 'number' || !Number.isInteger(key)) throw new EvaluationError(`get(): argument 2 (key) must be an integer index for an array, got ${describeValue(key)}`);
        return collection[key];
      }
      if (typeof key !== 'string') throw new EvaluationError(`get(): argument 2 (key) must be a string key for an object, got ${describeValue(key)}`);
      return Object.hasOwn(collection as JsonObject, key) ? (collection as JsonObject)[key] : undefined;
    },
  },
  /** intAdd(a, b): the sum of two integers (pt-br page). */
  intAdd: {
    signature: 'intAdd(int, int) int',
    params: [
      { name: 'a', accepts: INTEGER, integer: true },
      { name: 'b', accepts: INTEGER, integer: true },
    ],
    returns: 'number',
    call: ([a, b]) => (a as number) + (b as number),
  },
  /** randomInt(min, max): an integer with min ≤ n < max (pt-br page: "within a range"; bounds as Go's rand.Intn). */
  randomInt: {
    signature: 'randomInt(int, int) int',
    params: [
      { name: 'min', accepts: INTEGER, integer: true },
      { name: 'max', accepts: INTEGER, integer: true },
    ],
    returns: 'number',
    call([min, max], env) {
      const low = min as number;
      const high = max as number;
      if (high <= low) throw new EvaluationError(`randomInt(): argument 2 (max) must be greater than argument 1 (min), got ${low} and ${high}`);
      return low + Math.floor(env.random() * (high - low));
    },
  },

  // ── Array operations ──
  /** arrayContains(["Tom",10],10) → true; by deep equality. */
  arrayContains: {
    signature: 'arrayContains([]any, any) bool',
    params: [
      { name: 'array', accepts: ARRAY },
      { name: 'element', accepts: 'any' },
    ],
    returns: 'boolean',
    call: ([array, element]) => (array as JsonValue[]).some((item) => jsonEqual(item, element)),
  },
  /** arrayUnique([1, 2, 3, 1]) → [1, 2, 3]: first occurrences, in order, by deep equality. */
  arrayUnique: {
    signature: 'arrayUnique([]any) []any',
    params: [{ name: 'array', accepts: ARRAY }],
    returns: 'array',
    call([array]) {
      const unique: JsonValue[] = [];
      for (const item of array as JsonValue[]) if (!unique.some((seen) => jsonEqual(seen, item))) unique.push(item);
      return unique;
    },
  },
  /** toArray(1, "a", [2]) → [1, "a", [2]]: "converts a variable number of arguments into an array", each as it is. */
  toArray: {
    signature: 'toArray(...any) []any',
    params: [],
    rest: { name: 'value', accepts: 'any' },
    returns: 'array',
    call: (values) => values,
  },

  // ── Map operations ── (keys in the object's own order; Go maps have none, so do not rely on it)
  mapKeys: {
    signature: 'mapKeys(map[string]any) []string',
    params: [{ name: 'map', accepts: OBJECT }],
    returns: 'array',
    call: ([map]) => Object.keys(map as JsonObject),
  },
  mapValues: {
    signature: 'mapValues(map[string]any) []any',
    params: [{ name: 'map', accepts: OBJECT }],
    returns: 'array',
    call: ([map]) => Object.values(map as JsonObject),
  },

  // ── Encoding and decoding ──
  /** fromBase64("Rm5G") → "FnF". */
  fromBase64: {
    signature: 'fromBase64(string) string',
    params: [{ name: 'base64', accepts: STRING, rule: (value) => (BASE64.test(value as string) ? undefined : 'is not padded standard Base64') }],
    returns: 'string',
    call: ([encoded]) => Buffer.from(encoded as string, 'base64').toString('utf8'),
  },
  toBase64: {
    signature: 'toBase64(string) string',
    params: [{ name: 'string', accepts: STRING }],
    returns: 'string',
    call: ([plain]) => Buffer.from(plain as string, 'utf8').toString('base64'),
  },

  // ── Hash and UUID ──
  /** hash("abc","MD5") → "900150983cd24fb0d6963f7d28e17f72": lowercase hex of the UTF-8 input. */
  hash: {
    signature: 'hash(string, string) string',
    params: [
      { name: 'input', accepts: STRING },
      {
        name: 'algorithm',
        accepts: STRING,
        rule: (value) => (Object.hasOwn(HASH_ALGORITHMS, value as string) ? undefined : `must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}, got ${JSON.stringify(value)}`),
      },
    ],
    returns: 'string',
    call: ([input, algorithm]) => createHash(HASH_ALGORITHMS[algorithm as string] as string).update(input as string, 'utf8').digest('hex'),
  },
  /** uuid(): a version-4 UUID from the execution's random source. */
  uuid: { signature: 'uuid() string', params: [], returns: 'string', call: (_args, env) => uuidFrom(env.random) },

  // ── JSON operations ──
  /** stringToJson('{"name": "Tom", "age": 10}') → {"name": "Tom", "age": 10} (policy `stringToJsonResult`). */
  stringToJson: stringToJson('stringToJson'),
  /** The ja page's example calls it fromJSON: "fromJSON is an alias of stringToJson". */
  fromJSON: stringToJson('fromJSON'),
  /** jsonMerge({"name": "Tom", "age": 10},{"name": "Tom", "address": "beijing"}) →
   * {"name": "Tom", "age": 10, "address": "beijing"}: a shallow merge in which the second map's keys win (the example
   * cannot tell which wins; its shared key has the same value in both). */
  jsonMerge: {
    signature: 'jsonMerge(map[string]any, map[string]any) map[string]any',
    params: [
      { name: 'first', accepts: OBJECT },
      { name: 'second', accepts: OBJECT },
    ],
    returns: 'object',
    call: ([first, second]) => ({ ...(first as JsonObject), ...(second as JsonObject) }),
  },
  /** jsonToString(value): compact JSON text. Not on the readable part of the page; kept as the inverse of stringToJson. */
  jsonToString: {
    signature: 'jsonToString(any) string',
    params: [{ name: 'value', accepts: 'any' }],
    returns: 'string',
    call: ([value]) => JSON.stringify(value),
  },
};
