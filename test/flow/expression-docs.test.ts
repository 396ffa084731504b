/**
 * Every example on CloudFlow's expression pages, run by the interpreter, with the result the page gives. Each row
 * quotes the page's example input and output; the URL says where it is. Where a page gives no result, the test says
 * what is asserted instead and why.
 */
import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../../src/flow/errors';
import { loadFlow } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/model';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { flowOf, runFlow, trace } from './helpers';

const BUILT_INS_ZH = 'https://help.aliyun.com/document_detail/2579872.html';
const BUILT_INS_EN = 'https://www.alibabacloud.com/help/en/serverless-workflow/latest/built-in-functions';
const BUILT_INS_JA = 'https://www.alibabacloud.com/help/ja/serverless-workflow/latest/built-in-functions';
const BUILT_INS_2026 = 'https://help.aliyun.com/en/document_detail/2579872.html';
const CHOICE_ZH = 'https://help.aliyun.com/document_detail/2412568.html';
const CHOICE_TC = 'https://www.alibabacloud.com/help/tc/serverless-workflow/latest/select-choice';
const DATA_PASSING_JA = 'https://www.alibabacloud.com/help/ja/serverless-workflow/latest/data-transfer';
const IO_ZH = 'https://help.aliyun.com/document_detail/2402077.html';

/** A one-state flow whose output is `{result: <expression>}`; the expression is written as a YAML double-quoted
 * scalar, since the page's JSON literals (`": "`, a leading `{`) cannot be plain YAML. */
function flowReturning(expression: string): Flow {
  return flowOf(`  - Type: Pass\n    Name: P\n    OutputConstructor:\n      result.$: ${JSON.stringify(expression)}\n    End: true\n`);
}

async function resultOf(expression: string, input: object = {}): Promise<unknown> {
  const { result } = await runFlow(flowReturning(expression), input);
  expect(result.status).toBe('Succeeded');
  return (result.output as { result?: unknown }).result;
}

function loadProblems(yaml: string, policy = CLOUDFLOW_POLICY): string[] {
  try {
    loadFlow(yaml, { policy });
  } catch (error) {
    if (error instanceof FlowValidationError) return error.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('built-in functions page: every usage example gives its output example', () => {
  it.each([
    [BUILT_INS_ZH, 'arrayContains(["Tom",10],10)', true],
    [BUILT_INS_ZH, 'arrayContains(["Tom",10],"Jack")', false],
    [BUILT_INS_ZH, 'arrayUnique([1, 2, 3, 1])', [1, 2, 3]],
    [BUILT_INS_ZH, 'format("hello {}","world")', 'hello world'],
    [BUILT_INS_ZH, 'fromBase64("Rm5G")', 'FnF'],
    [BUILT_INS_ZH, `stringToJson('{"name": "Tom", "age": 10}')`, { name: 'Tom', age: 10 }],
    [BUILT_INS_JA, `fromJSON('{"name": "Tom", "age": 10}')`, { name: 'Tom', age: 10 }],
    [BUILT_INS_ZH, 'hash("abc","MD5")', '900150983cd24fb0d6963f7d28e17f72'],
    [
      BUILT_INS_ZH,
      'jsonMerge({"name": "Tom", "age": 10},{"name": "Tom", "address": "beijing"})',
      { name: 'Tom', age: 10, address: 'beijing' },
    ],
    [BUILT_INS_ZH, 'length([1, 2, 3])', 3],
    [BUILT_INS_ZH, 'length({"name": "Tom", "age": 10})', 2],
    [BUILT_INS_ZH, 'length("name")', 4],
  ])('%s: %s → %j', async (_page, example, output) => {
    expect(await resultOf(example)).toEqual(output);
  });

  it(`the same examples on the en and tc pages read the same (${BUILT_INS_EN})`, async () => {
    // The en page quotes arrayContains, arrayUnique, format and fromBase64 exactly as the zh page does.
    expect(await resultOf('toArray(arrayContains(["Tom",10],10), arrayUnique([1, 2, 3, 1]), format("hello {}","world"), fromBase64("Rm5G"))')).toEqual(
      [true, [1, 2, 3], 'hello world', 'FnF'],
    );
  });

  it(`2026 page: toArray converts a variable number of arguments into an array (${BUILT_INS_2026})`, async () => {
    // The function table's wording; its detailed example is not in the readable part of the page.
    expect(await resultOf('toArray(1, "a", [2], {"k": null})')).toEqual([1, 'a', [2], { k: null }]);
    expect(await resultOf('toArray()')).toEqual([]);
  });

  it(`2026 page: "greeting.$": "format('Hello, {}', $input.username)" (${BUILT_INS_2026})`, async () => {
    // The page gives no output, and it writes $input where every other page writes $Input (and inputMappings, the old
    // FDL's key, for the current spec's InputConstructor). By default $input is refused at load time with a hint;
    // policy expressions.variableNames: 'case-insensitive' runs the example as written.
    const yaml = [
      'Type: StateMachine',
      'SpecVersion: v1',
      'Name: greet',
      'StartAt: P',
      'States:',
      '  - Type: Pass',
      '    Name: P',
      '    InputConstructor:',
      `      greeting.$: "format('Hello, {}', $input.username)"`,
      '    End: true',
      '',
    ].join('\n');
    expect(loadProblems(yaml)).toEqual([
      // Line 9, column 40: the "$" of $input inside the quoted YAML value.
      `9:40 States[0].InputConstructor.greeting.$: invalid expression "format('Hello, {}', $input.username)": unknown variable $input (variable names are case-sensitive: did you mean $Input?); use $Input, $Output or $Context (at character 21)`,
    ]);
    const policy = { ...CLOUDFLOW_POLICY, expressions: { ...CLOUDFLOW_POLICY.expressions, variableNames: 'case-insensitive' as const } };
    const { result } = await runFlow(loadFlow(yaml, { policy }), { username: 'Tom' }, {}, { policy });
    expect(result.output).toEqual({ greeting: 'Hello, Tom' });
  });

  it(`note: a key without the .$ suffix keeps its value as a string (${BUILT_INS_ZH})`, async () => {
    const flow = flowOf('  - Type: Pass\n    Name: P\n    OutputConstructor:\n      plain: format("hello {}","world")\n      evaluated.$: format("hello {}","world")\n    End: true\n');
    expect((await runFlow(flow, {})).result.output).toEqual({ plain: 'format("hello {}","world")', evaluated: 'hello world' });
  });

  it(`note: at most 10 layers of nested built-in functions; an 11th is refused when the flow loads (${BUILT_INS_ZH})`, async () => {
    const nest = (depth: number): string => (depth === 0 ? '0' : `intAdd(${nest(depth - 1)}, 1)`);
    expect(await resultOf(nest(10))).toBe(10);
    const problems = loadProblems(`Type: StateMachine\nSpecVersion: v1\nName: deep\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    OutputConstructor:\n      result.$: ${nest(11)}\n    End: true\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^9:17 States\[0\]\.OutputConstructor\.result\.\$: invalid expression .*more than 10 nested function calls \(11\); CloudFlow allows 10 nested built-in function calls in one expression \(https:\/\/help\.aliyun\.com\/document_detail\/2579872\.html\)/,
    );
  });
});

describe('Choice page: conditions', () => {
  // The page's example flow: "if status is ready, Pass1 runs; otherwise the Default, Pass2".
  const example = loadFlow(
    [
      'Type: StateMachine',
      'Name: MyWorkflow',
      'SpecVersion: v1',
      'StartAt: Choice',
      'States:',
      '  - Type: Choice',
      '    Name: Choice',
      '    Branches:',
      '      - Condition: $Input.data == "ready"',
      '        Next: Pass1',
      '    Default: Pass2',
      '  - Type: Pass',
      '    Name: Pass2',
      '    End: true',
      '  - Type: Pass',
      '    Name: Pass1',
      '    End: true',
      '',
    ].join('\n'),
  );

  it.each([
    [{ data: 'ready' }, 'Pass1'],
    [{ data: 'busy' }, 'Pass2'],
    [{}, 'Pass2'],
  ])(`example flow (${CHOICE_ZH}): input %j → %s`, async (input, state) => {
    expect(trace((await runFlow(example, input)).events)).toEqual(['Choice', state]);
  });

  it(`ChoiceBranch Condition example $Input.status=="ready" (${CHOICE_TC})`, async () => {
    expect(await resultOf('$Input.status=="ready"', { status: 'ready' })).toBe(true);
    expect(await resultOf('$Input.status=="ready"', { status: 'done' })).toBe(false);
  });

  // The page lists what a condition is made of; its own "expression examples" section is not in the readable part
  // of any translation, so each listed item is exercised here on an input of our own.
  const input = { s: 'foobar', n: 12.5, i: 1, on: true, list: ['a', 'b'], map: { k: 1 } };
  it.each([
    ['comparisons on strings: > >= < <= == !=', '$Input.s > "foo" && $Input.s >= "foobar" && $Input.s < "g" && $Input.s <= "foobar" && $Input.s == "foobar" && $Input.s != "x"'],
    ['comparisons on numbers: > >= < <= == !=', '$Input.n > 12 && $Input.n >= 12.5 && $Input.i < 2 && $Input.i <= 1 && $Input.i == 1 && $Input.n != 1'],
    ['logical operators || and &&', '($Input.i == 2 || $Input.on) && $Input.on'],
    ['string constants in double quotes or backticks: "foobar" or `foobar`', '$Input.s == "foobar" && $Input.s == `foobar`'],
    ['number constants 1 and 12.5', '$Input.i == 1 && $Input.n == 12.5'],
    ['boolean constants true and false', '$Input.on == true && !($Input.on == false)'],
    ['prefixes ! and -', '!($Input.i == 2) && -$Input.i == -1'],
    ['in: an array holds a value', '"a" in $Input.list && !("c" in $Input.list)'],
    ['in: an object holds a key', '"k" in $Input.map && !("v" in $Input.map)'],
  ])(`${CHOICE_TC}: %s`, async (_item, condition) => {
    const flow = flowOf(`  - Type: Choice\n    Name: C\n    Branches:\n      - Condition: ${JSON.stringify(condition)}\n        Next: Yes\n    Default: No\n  - Type: Pass\n    Name: Yes\n    End: true\n  - Type: Pass\n    Name: No\n    End: true\n`);
    expect(trace((await runFlow(flow, input)).events)).toEqual(['C', 'Yes']);
  });
});

describe('data-passing and inputs-and-outputs pages', () => {
  it(`Choice Condition example $Context.Current.Input.Size>=1024 (${DATA_PASSING_JA})`, async () => {
    const flow = flowOf('  - Type: Choice\n    Name: C\n    Branches:\n      - Condition: $Context.Current.Input.Size>=1024\n        Next: Big\n    Default: Small\n  - Type: Pass\n    Name: Big\n    End: true\n  - Type: Pass\n    Name: Small\n    End: true\n');
    expect(trace((await runFlow(flow, { Size: 2048 })).events)).toEqual(['C', 'Big']);
    expect(trace((await runFlow(flow, { Size: 10 })).events)).toEqual(['C', 'Small']);
  });

  it(`$Input is $Context.Current.Input and $Output is $Context.Current.Output (${DATA_PASSING_JA})`, async () => {
    const flow = flowOf(
      '  - Type: Pass\n    Name: P\n    OutputConstructor:\n      same.$: $Input == $Context.Current.Input\n      out.$: $Output == $Context.Current.Output\n    End: true\n',
    );
    expect((await runFlow(flow, { a: [1] })).result.output).toEqual({ same: true, out: true });
  });

  it(`the page's other expressions load: $Context.Current.Input, .Error.Code, .Error.Detail, .TaskToken (${DATA_PASSING_JA})`, () => {
    for (const expression of ['$Context.Current.Input', '$Context.Current.Error.Code', '$Context.Current.Error.Detail', '$Context.Current.TaskToken']) {
      expect(() => flowReturning(expression)).not.toThrow();
    }
  });

  it(`$Output only in an OutputConstructor (${IO_ZH})`, () => {
    const problems = loadProblems('Type: StateMachine\nSpecVersion: v1\nName: t\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    InputConstructor:\n      x.$: $Output.Body\n    End: true\n');
    expect(problems).toEqual(["9:12 States[0].InputConstructor.x.$: $Output can only be used in a state's OutputConstructor"]);
  });

  it(`a key ending in .$ must hold an expression, or loading fails (${IO_ZH})`, () => {
    const problems = loadProblems('Type: StateMachine\nSpecVersion: v1\nName: t\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    InputConstructor:\n      a.$: 5\n      b.$: hello world\n    End: true\n');
    expect(problems).toEqual([
      '9:12 States[0].InputConstructor.a.$: must be an expression string (e.g. $Input.status == "Active")',
      '10:12 States[0].InputConstructor.b.$: invalid expression "hello world": unexpected name "hello" (strings need quotes; paths start with $Input, $Output or $Context) (at character 1)',
    ]);
  });
});
