import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/flow/errors';
import { evaluate, type EvalScope } from '../../src/flow/expression/evaluate';
import { parseExpression } from '../../src/flow/expression/parser';
import { ExpressionSyntaxError } from '../../src/flow/expression/tokenizer';
import { runFlow } from './helpers';
import type { JsonObject, JsonValue } from '../../src/flow/json';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { loadFlow } from '../../src/flow/loader';
import { CLOUDFLOW_POLICY, type ExpressionPolicy } from '../../src/flow/policy';

function scope(input: JsonValue, extra: Partial<EvalScope> = {}): EvalScope {
  const context: JsonObject = {
    Execution: { Name: 'exec-1', Input: { spec: 'Large.2' } },
    Current: { Name: 'Describe', Input: { a: 1 }, RetryCount: 2, Error: { Code: 'IncorrectStatus', Detail: 'busy' } },
  };
  return { input, context, random: () => 0.5, errorName: 'FnF.ExpressionError', policy: CLOUDFLOW_POLICY.expressions, ...extra };
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

  it('&& and || treat only boolean true as true (as policy.ts chooses)', () => {
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
    ['regexMatchString("^ri-[0-9]+$", $Input.name)', true],
    ['regexMatchString("^x", $Input.name)', false],
    ['regexMatchString("\\p{L}", "ü")', true],
    ['regexMatchString("\\\\p{L}", "ü")', true],
    ['regexMatchString("a\\-b", "a-b")', true],
    ['regexMatchString("^\\d+$", "42")', true],
    ['split("a,b,,c", ",")', ['a', 'b', '', 'c']],
    ['split("añb", "")', ['a', 'ñ', 'b']],
    ['get($Input.list, 3)', 3],
    ['get($Input.obj, "b")', 2],
    ['intAdd($Input.n, -5)', -3],
    ['randomInt(10, 20)', 15],
    ['arrayContains($Input.list, 3)', true],
    ['arrayContains($Input.list, 9)', false],
    ['arrayContains([{"a": [1]}], {"a": [1]})', true],
    ['arrayUnique([{"a": 1}, {"a": 1}, [1], [1]])', [{ a: 1 }, [1]]],
    ['jsonMerge({"k": 1, "only": 1}, {"k": 2})', { k: 2, only: 1 }],
    ['arrayUnique($Input.list)', [1, 2, 3]],
    ['toArray($Input.name)', ['ri-1']],
    ['toArray($Input.name, $Input.n, $Input.list)', ['ri-1', 2, [1, 2, 2, 3]]],
    ['toArray()', []],
    ['toArray($Input.missing)', [null]],
    ['length("añb")', 3],
    ['length("a😀")', 2],
    ['get($Input.list, 9)', undefined],
    ['format("{} is {}", $Input.missing, true)', 'null is true'],
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
    expect(call).toThrow(/intAdd\(\): argument 1 \(a\) must be an integer, got string "x" in expression "intAdd\(\$Input.name, 1\)"/);
    try {
      call();
    } catch (error) {
      expect((error as FlowError).name).toBe('FnF.ExpressionError');
    }
    expect(() => run('stringToJson($Input.s)', { s: '{nope' })).toThrow(/stringToJson\(\): argument 1 \(json\) is not valid JSON text/);
    expect(() => run('hash("a", $Input.s)', { s: 'CRC32' })).toThrow(/hash\(\): argument 2 \(algorithm\) must be one of MD5, SHA-1, SHA-256, SHA-512, got "CRC32"/);
  });

  it.each([
    ['length($Input.n)', { n: 5 }, /length\(\): argument 1 \(value\) must be an array, an object or a string, got number 5/],
    ['length($Input.absent)', {}, /length\(\): argument 1 \(value\) must be an array, an object or a string, got nothing \(the path is missing\)/],
    ['hash($Input.n, "MD5")', { n: 5 }, /hash\(\): argument 1 \(input\) must be a string, got number 5/],
    ['hash("abc", $Input.a)', { a: 'md5' }, /must be one of MD5, SHA-1, SHA-256, SHA-512, got "md5"/],
    ['fromBase64($Input.s)', { s: 'Rm5G!' }, /fromBase64\(\): argument 1 \(base64\) is not padded standard Base64/],
    ['fromBase64($Input.s)', { s: 'Rm5' }, /is not padded standard Base64/],
    ['stringToJson($Input.s)', { s: '[1, 2]' }, /must be the JSON text of an object \(the function returns map\[string\]any\), got an array/],
    ['regexMatchString($Input.p, "x")', { p: '(' }, /regexMatchString\(\): argument 1 \(pattern\) is not a valid regular expression/],
    ['regexMatchString($Input.p, "ab")', { p: 'a(?=b)' }, /argument 1 \(pattern\) uses a lookahead .* RE2/],
    ['regexMatchString($Input.p, "aa")', { p: '(a)\\1' }, /uses a backreference \(\\1\)/],
    ['regexMatchString($Input.p, "ab")', { p: '(?<!x)b' }, /uses a lookbehind/],
    ['get($Input.list, "a")', { list: [1] }, /get\(\): argument 2 \(key\) must be an integer index for an array, got string "a"/],
    ['get($Input.obj, 1)', { obj: {} }, /get\(\): argument 2 \(key\) must be a string key for an object, got number 1/],
    ['intAdd($Input.x, 1)', { x: 1.5 }, /intAdd\(\): argument 1 \(a\) must be an integer, got number 1.5/],
    ['randomInt($Input.x, 3)', { x: 3 }, /randomInt\(\): argument 2 \(max\) must be greater than argument 1 \(min\), got 3 and 3/],
    ['format($Input.t, 1)', { t: '{} {}' }, /format\(\): the template has more \{\} placeholders than the 1 value\(s\) after it/],
    ['-$Input.s > 1', { s: 'x' }, /the prefix - needs a number, got string/],
  ])('%s at run time: %s', (source, input, message) => {
    let caught: unknown;
    try {
      run(source, input as JsonValue);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlowError);
    expect((caught as FlowError).name).toBe('FnF.ExpressionError');
    expect((caught as Error).message).toMatch(message);
  });

  it('lookaround and backreferences inside a character class are plain characters, not refused', () => {
    expect(run('regexMatchString($Input.p, "=")', { p: '[(?=]' })).toBe(true);
  });
});

describe('JSON literals of every type, as arguments and on their own', () => {
  it.each([
    ['{"name": "Tom", "age": 10, "tags": ["a"], "ok": true, "none": null, "ratio": -1.5e2}', { name: 'Tom', age: 10, tags: ['a'], ok: true, none: null, ratio: -150 }],
    ['{}', {}],
    ['[]', []],
    ['[1, "a", true, null, {"k": [2]}]', [1, 'a', true, null, { k: [2] }]],
    ['{"from": $Input.name, "missing": $Input.absent}', { from: 'ri-1', missing: null }],
    ['{"a": {"b": 1}}.a.b', 1],
    ['length({"a": 1, "b": [1, 2]})', 2],
    ["'single'", 'single'],
    ['`backtick`', 'backtick'],
    ['"esc\\"aped\\u0041"', 'esc"apedA'],
    ['null', null],
  ])('%s → %j', (source, expected) => {
    expect(run(source, { name: 'ri-1' })).toEqual(expected);
  });
});

describe('prefix minus and in (Choice page operators)', () => {
  const input = { n: 3, list: ['a', { b: 1 }], obj: { k: 0 }, s: 'abc' };
  it.each([
    ['-$Input.n', -3],
    ['-$Input.n < 0', true],
    ['- 2 == -2', true],
    ['--$Input.n', 3],
    ['$Input.n == -(-3)', true],
    ['"a" in $Input.list', true],
    ['{"b": 1} in $Input.list', true],
    ['"z" in $Input.list', false],
    ['"k" in $Input.obj', true],
    ['"x" in $Input.obj', false],
    ['0 in $Input.obj', false],
    ['"a" in $Input.s', false],
    ['"a" in $Input.absent', false],
    ['!("a" in $Input.list)', false],
    ['"a" in ["a", "b"] && 2 in [1, 2]', true],
    ['$Input.in == null', true],
  ])('%s → %j', (source, expected) => {
    expect(run(source, input)).toEqual(expected);
  });
});

describe('the expression policy switches what the pages leave open', () => {
  const with_ = (changes: Partial<ExpressionPolicy>): Partial<EvalScope> => ({ policy: { ...CLOUDFLOW_POLICY.expressions, ...changes } });

  it('regexMatchStringArguments: string-first reads the subject first', () => {
    const policy = { ...CLOUDFLOW_POLICY.expressions, regexMatchStringArguments: 'string-first' as const };
    expect(evaluate(parseExpression('regexMatchString("ri-1", "^ri-")', policy), scope({}, { policy }))).toBe(true);
    expect(() => parseExpression('regexMatchString("ri-1", "(")', policy)).toThrow(/argument 2 \(pattern\) is not a valid regular expression/);
  });

  it('stringLength: utf8-bytes counts as Go len() does', () => {
    expect(run('length("añb")', {}, with_({ stringLength: 'utf8-bytes' }))).toBe(4);
    expect(run('length("a😀")', {}, with_({ stringLength: 'utf8-bytes' }))).toBe(5);
  });

  it('a flow run reads the switches from the policy passed to loadFlow and startExecution', async () => {
    const policy = { ...CLOUDFLOW_POLICY, expressions: { ...CLOUDFLOW_POLICY.expressions, stringLength: 'utf8-bytes' as const, variableNames: 'case-insensitive' as const } };
    const yaml = 'Type: StateMachine\nSpecVersion: v1\nName: t\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    OutputConstructor:\n      n.$: length($input.s)\n    End: true\n';
    const { result } = await runFlow(loadFlow(yaml, { policy }), { s: 'ñ' }, {}, { policy });
    expect(result.output).toEqual({ n: 2 });
  });

  it('stringToJsonResult: any-json returns JSON text of any type', () => {
    expect(run('stringToJson($Input.s)', { s: '[1, 2]' }, with_({ stringToJsonResult: 'any-json' }))).toEqual([1, 2]);
  });

  it('variableNames: exact refuses $input with a hint; case-insensitive reads it as $Input', () => {
    expect(() => parseExpression('$input.username')).toThrow(/unknown variable \$input \(variable names are case-sensitive: did you mean \$Input\?\)/);
    const policy = { ...CLOUDFLOW_POLICY.expressions, variableNames: 'case-insensitive' as const };
    const compiled = parseExpression('format("Hello, {}", $input.username)', policy);
    expect([...compiled.variables]).toEqual(['Input']);
    expect(evaluate(compiled, scope({ username: 'Tom' }, { policy }))).toBe('Hello, Tom');
  });
});

describe('syntax errors carry the offset of the offending character', () => {
  it.each([
    ['$Input.status = "Active"', 14, /unexpected character "="/],
    ['$Input.status == "Active', 17, /unterminated string/],
    ['$Global.x', 0, /unknown variable \$Global \(global variables are not supported locally\)/],
    ['$Foo.x', 0, /unknown variable \$Foo/],
    ['noSuchFn(1)', 0, /unknown function "noSuchFn" \(built-ins: format, length, regexMatchString/],
    ['$input.a', 0, /unknown variable \$input \(variable names are case-sensitive: did you mean \$Input\?\)/],
    ['uuid(1)', 0, /uuid\(\) takes 0 argument\(s\), got 1 \(signature: uuid\(\) string\)/],
    ['length()', 0, /length\(\) takes 1 argument\(s\), got 0/],
    ['format()', 0, /format\(\) takes at least 1 argument\(s\), got 0 \(signature: format\(string, \.\.\.any\) string\)/],
    ['hash("abc", "MD5", 1)', 0, /hash\(\) takes 2 argument\(s\), got 3/],
    ['length(5)', 7, /length\(\): argument 1 \(value\) must be an array, an object or a string, got number 5/],
    ['hash("abc", "md5")', 12, /hash\(\): argument 2 \(algorithm\) must be one of MD5, SHA-1, SHA-256, SHA-512, got "md5"/],
    ['hash(1, "MD5")', 5, /hash\(\): argument 1 \(input\) must be a string, got number 1/],
    ['length(length("ab"))', 7, /length\(\): argument 1 \(value\) must be an array, an object or a string, got a number/],
    ['intAdd(1.5, 1)', 7, /intAdd\(\): argument 1 \(a\) must be an integer, got number 1.5/],
    ['intAdd(-1, "2")', 11, /intAdd\(\): argument 2 \(b\) must be an integer, got string "2"/],
    ['mapKeys([1])', 8, /mapKeys\(\): argument 1 \(map\) must be an object, got an array/],
    ['arrayUnique({"a": 1})', 12, /arrayUnique\(\): argument 1 \(array\) must be an array, got an object/],
    ['jsonMerge({}, $Input.a == 1)', 14, /jsonMerge\(\): argument 2 \(second\) must be an object, got a boolean/],
    ['stringToJson("{nope")', 13, /stringToJson\(\): argument 1 \(json\) is not valid JSON text/],
    ['fromJSON("[1]")', 9, /fromJSON\(\): argument 1 \(json\) must be the JSON text of an object/],
    ['fromBase64("Rm5")', 11, /fromBase64\(\): argument 1 \(base64\) is not padded standard Base64/],
    ['regexMatchString("a(?!b)", $Input.s)', 17, /regexMatchString\(\): argument 1 \(pattern\) uses a lookahead/],
    ['regexMatchString("[", $Input.s)', 17, /is not a valid regular expression/],
    ['split($Input.s, 1)', 16, /split\(\): argument 2 \(separator\) must be a string, got number 1/],
    ['-"a"', 0, /the prefix - needs a number, got a string/],
    ['"a" in "abc"', 4, /the right side of in must be an array or an object, got a string/],
    ['"a" in uuid()', 4, /the right side of in must be an array or an object, got a string/],
    ['{"a": 1, "a": 2}', 9, /the object has the key "a" twice/],
    ['{a: 1}', 1, /expected a quoted key in the object but found "a"/],
    ['{"a" 1}', 5, /expected ":" but found "1"/],
    ['{"a": 1', 7, /expected "}" but found the end of the expression/],
    ['"a" in $Input.l in $Input.m', 16, /comparisons cannot be chained/],
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
    expect(() => parseExpression(nest(11))).toThrow(
      /more than 10 nested function calls \(11\); CloudFlow allows 10 nested built-in function calls in one expression \(https:\/\/help\.aliyun\.com\/document_detail\/2579872\.html\)/,
    );
    expect(CLOUDFLOW_LIMITS.nestedFunctionCalls.value).toBe(10);
    // Calls side by side are not nested: ten of them in an array literal inside one call make a depth of 2.
    expect(parseExpression(`toArray(${Array.from({ length: 12 }, () => 'uuid()').join(', ')})`).callDepth).toBe(2);
  });

  it('records which variables an expression reads', () => {
    expect([...parseExpression('$Output.Body.x == $Input.y').variables].sort()).toEqual(['Input', 'Output']);
  });
});
