import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/flow/errors';
import { evaluate, type EvalScope } from '../../src/flow/expression/evaluate';
import { parseExpression } from '../../src/flow/expression/parser';
import { ExpressionSyntaxError } from '../../src/flow/expression/tokenizer';
import type { JsonObject, JsonValue } from '../../src/flow/json';

function scope(input: JsonValue, extra: Partial<EvalScope> = {}): EvalScope {
  const context: JsonObject = {
    Execution: { Name: 'exec-1', Input: { spec: 'Large.2' } },
    Current: { Name: 'Describe', Input: { a: 1 }, RetryCount: 2, Error: { Code: 'IncorrectStatus', Detail: 'busy' } },
  };
  return { input, context, random: () => 0.5, errorName: 'FnF.ExpressionError', ...extra };
}

const run = (source: string, input: JsonValue = {}, extra: Partial<EvalScope> = {}): JsonValue | undefined =>
  evaluate(parseExpression(source), scope(input, extra));

describe('paths', () => {
  const input = { a: { b: [10, { c: 'deep' }] }, 'x-y': 1, 'with space': 2 };
  it.each([
    ['$Input.a.b[0]', 10],
    ['$Input.a.b[1].c', 'deep'],
    ['$Input["with space"]', 2],
    ['$Input.x-y', 1],
    ['$Context.Execution.Name', 'exec-1'],
    ['$Context.Execution.Input.spec', 'Large.2'],
    ['$Context.Current.RetryCount', 2],
    ['$Context.Current.Error.Code', 'IncorrectStatus'],
    ['$Context.Current.Error.Detail', 'busy'],
  ])('%s → %j', (source, expected) => {
    expect(run(source, input)).toEqual(expected);
  });

  it('a missing path (or one through the wrong shape) is undefined', () => {
    expect(run('$Input.absent.more', input)).toBeUndefined();
    expect(run('$Input.a.b.c', input)).toBeUndefined();
    expect(run('$Input.a.b[9]', input)).toBeUndefined();
  });

  it('$Output reads the scope output', () => {
    expect(run('$Output.Body.status', {}, { output: { Body: { status: 'Active' } } })).toBe('Active');
  });
});

describe('conditions', () => {
  const input = { status: 'Active', attempt: 3, ratio: 12.5, on: true, off: false, none: null, tags: ['a'] };
  it.each([
    ['$Input.status == "Active"', true],
    ["$Input.status == 'Active'", true],
    ['$Input.status == `Active`', true],
    ['$Input.status != "Active"', false],
    ['$Input.attempt < 4', true],
    ['$Input.attempt <= 3', true],
    ['$Input.attempt > 3', false],
    ['$Input.attempt >= 3', true],
    ['$Input.ratio > 12', true],
    ['$Input.status < "B"', true],
    ['$Input.status >= "B"', false],
    ['$Input.attempt >= 3 && $Input.status == "Active"', true],
    ['$Input.attempt > 5 || $Input.status == "Active"', true],
    ['$Input.attempt > 5 || $Input.status == "Down"', false],
    ['!($Input.attempt > 5)', true],
    ['!$Input.on', false],
    ['$Input.on == true', true],
    ['$Input.off == false', true],
    ['$Input.none == null', true],
    ['$Input.missing == null', true],
    ['$Input.missing != null', false],
    ['$Input.tags == ["a"]', true],
    ['($Input.attempt > 5 || $Input.on) && !$Input.off', true],
    ['$Input.attempt > "2"', false],
    ['$Input.missing < 3', false],
    ['length($Input.tags) == 1', true],
  ])('%s → %s', (source, expected) => {
    expect(run(source, input)).toBe(expected);
  });

  it('&& and || treat only boolean true as true (policy conditionTruth)', () => {
    expect(run('$Input.n && true', { n: 1 })).toBe(false);
    expect(run('$Input.s || false', { s: 'yes' })).toBe(false);
  });
});

describe('built-in functions', () => {
  const input = { name: 'ri-1', n: 2, list: [1, 2, 2, 3], obj: { a: 1, b: 2 }, json: '{"k":[1]}' };
  it.each([
    ['format("hello {} #{}", $Input.name, $Input.n)', 'hello ri-1 #2'],
    ['format("{}", $Input.obj)', '{"a":1,"b":2}'],
    ['length($Input.name)', 4],
    ['length($Input.list)', 4],
    ['length($Input.obj)', 2],
    ['jsonMerge($Input.obj, $Context.Execution.Input)', { a: 1, b: 2, spec: 'Large.2' }],
    ['hash("abc", "MD5")', '900150983cd24fb0d6963f7d28e17f72'],
    ['hash("abc", "SHA-256")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['regexMatchString($Input.name, "^ri-[0-9]+$")', true],
    ['regexMatchString($Input.name, "^x")', false],
    ['split("a,b,,c", ",")', ['a', 'b', '', 'c']],
    ['get($Input.list, 3)', 3],
    ['get($Input.obj, "b")', 2],
    ['intAdd($Input.n, -5)', -3],
    ['randomInt(10, 20)', 15],
    ['arrayContains($Input.list, 3)', true],
    ['arrayContains($Input.list, 9)', false],
    ['arrayUnique($Input.list)', [1, 2, 3]],
    ['toArray($Input.name)', ['ri-1']],
    ['toArray($Input.list)', [1, 2, 2, 3]],
    ['toArray($Input.missing)', []],
    ['mapKeys($Input.obj)', ['a', 'b']],
    ['mapValues($Input.obj)', [1, 2]],
    ['stringToJson($Input.json)', { k: [1] }],
    ['fromJSON($Input.json)', { k: [1] }],
    ['jsonToString($Input.obj)', '{"a":1,"b":2}'],
    ['toBase64("hi there")', 'aGkgdGhlcmU='],
    ['fromBase64("aGkgdGhlcmU=")', 'hi there'],
    ['intAdd(intAdd(intAdd(1, 2), 3), 4)', 10],
  ])('%s → %j', (source, expected) => {
    expect(run(source, input)).toEqual(expected);
  });

  it('uuid() is a v4 UUID drawn from the injected random source, so it is repeatable', () => {
    let seed = 0;
    const random = (): number => ((seed = (seed * 9301 + 49297) % 233280) / 233280);
    const first = run('uuid()', {}, { random });
    seed = 0;
    expect(run('uuid()', {}, { random })).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('wrong argument types at run time are FnF.ExpressionError with the expression in the message', () => {
    const call = (): unknown => run('intAdd($Input.name, 1)', { name: 'x' });
    expect(call).toThrow(FlowError);
    expect(call).toThrow(/intAdd\(\): argument 1 must be an integer, got string in expression "intAdd\(\$Input.name, 1\)"/);
    try {
      call();
    } catch (error) {
      expect((error as FlowError).name).toBe('FnF.ExpressionError');
    }
    expect(() => run('stringToJson("{nope")')).toThrow(/not valid JSON/);
    expect(() => run('hash("a", "CRC32")')).toThrow(/algorithm must be one of/);
  });
});

describe('syntax errors carry the offset of the offending character', () => {
  it.each([
    ['$Input.status = "Active"', 14, /unexpected character "="/],
    ['$Input.status == "Active', 17, /unterminated string/],
    ['$Global.x', 0, /unknown variable \$Global \(global variables are not supported locally\)/],
    ['$Foo.x', 0, /unknown variable \$Foo/],
    ['noSuchFn(1)', 0, /unknown function "noSuchFn"/],
    ['uuid(1)', 0, /uuid\(\) takes 0 argument\(s\), got 1/],
    ['length()', 0, /length\(\) takes 1 argument\(s\), got 0/],
    ['$Input.a < 1 < 2', 13, /comparisons cannot be chained/],
    ['$Input.', 7, /expected a field name after "."/],
    ['$Input[-1]', 7, /expected an index or a quoted key/],
    ['Active', 0, /unexpected name "Active" \(strings need quotes/],
    ['$Context.Executions.Name', 0, /\$Context has only Execution and Current/],
    ['$Context.Current.Err', 0, /\$Context.Current has no field "Err"/],
    ['', 0, /empty expression/],
    ['($Input.a == 1', 14, /expected "\)"/],
    ['$Input.a $Input.b', 9, /unexpected \$Input/],
  ])('%j fails at %i', (source, offset, message) => {
    let caught: unknown;
    try {
      parseExpression(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionSyntaxError);
    expect((caught as ExpressionSyntaxError).offset).toBe(offset);
    expect((caught as Error).message).toMatch(message);
  });

  it('allows 10 nested calls and refuses 11', () => {
    const nest = (depth: number): string => (depth === 0 ? '1' : `intAdd(${nest(depth - 1)}, 1)`);
    expect(parseExpression(nest(10)).callDepth).toBe(10);
    expect(() => parseExpression(nest(11))).toThrow(/more than 10 nested function calls \(11\)/);
  });

  it('records which variables an expression reads', () => {
    expect([...parseExpression('$Output.Body.x == $Input.y').variables].sort()).toEqual(['Input', 'Output']);
  });
});
