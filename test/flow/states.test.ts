import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../src/flow/compile';
import type { StateType } from '../../src/flow/model';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { flowOf, runFlow, taskError, trace } from './helpers';

const body = (value: unknown) => () => ({ Body: value });

describe('Pass, Succeed, Fail', () => {
  it('Pass hands its input on; End ends the execution with that output', async () => {
    const { result } = await runFlow(flowOf('  - Type: Pass\n    Name: P\n    End: true\n'), { a: 1 });
    expect(result).toMatchObject({ status: 'Succeeded', output: { a: 1 }, counts: { stateTransitions: 1, taskCalls: 0 } });
  });

  it('Pass with constructors: literals stay literal, .$ keys evaluate, nested objects and arrays', async () => {
    const flow = flowOf(
      [
        '  - Type: Pass',
        '    Name: P',
        '    InputConstructor:',
        '      id.$: $Input.id',
        '      fixed: $Input.id',
        '      nested: { x.$: "intAdd($Input.n, 1)", list: [1, two] }',
        '    OutputConstructor:',
        '      got.$: $Input',
        '      same.$: $Output.nested.x',
        '      exec.$: $Context.Execution.Name',
        '      original.$: $Context.Current.Input.id',
        '    End: true',
        '',
      ].join('\n'),
    );
    const { result } = await runFlow(flow, { id: 'ri-1', n: 41 });
    expect(result.output).toEqual({
      got: { id: 'ri-1', fixed: '$Input.id', nested: { x: 42, list: [1, 'two'] } },
      same: 42,
      exec: 'test-run',
      original: 'ri-1',
    });
  });

  it('a missing path leaves the key out (policy missingPath: omit), or writes null when flipped', async () => {
    const flow = flowOf('  - Type: Pass\n    Name: P\n    OutputConstructor:\n      a.$: $Input.absent\n      b: 1\n    End: true\n');
    expect((await runFlow(flow, {})).result.output).toEqual({ b: 1 });
    const policy = { ...CLOUDFLOW_POLICY, missingPath: 'null' as const };
    expect((await runFlow(flow, {}, {}, { policy })).result.output).toEqual({ a: null, b: 1 });
  });

  it('Succeed ends the execution with its input', async () => {
    const flow = flowOf('  - Type: Pass\n    Name: P\n    Next: S\n  - Type: Succeed\n    Name: S\n');
    expect((await runFlow(flow, { k: 'v' })).result).toMatchObject({ status: 'Succeeded', output: { k: 'v' } });
  });

  it.each([
    ['Code and Detail', '    Code: RiNotActive\n    Detail: not active in time\n', 'RiNotActive', 'not active in time'],
    ['Detail only (default code)', '    Detail: plain failure\n', CLOUDFLOW_POLICY.errorNames.failWithoutCode, 'plain failure'],
    ['End: true tolerated', '    Code: X\n    End: true\n', 'X', ''],
  ])('Fail with %s', async (_name, fields, error, cause) => {
    const { result, events } = await runFlow(flowOf(`  - Type: Fail\n    Name: F\n${fields}`), {});
    expect(result).toMatchObject({ status: 'Failed', error, cause });
    expect(events.at(-2)).toMatchObject({ type: 'StateFailed', state: 'F', error, cause });
  });
});

describe('Choice', () => {
  const flow = flowOf(
    [
      '  - Type: Choice',
      '    Name: C',
      '    Branches:',
      '      - Condition: $Input.status == "Active"',
      '        Next: Active',
      '      - Condition: $Input.attempt >= 30 || $Input.give_up == true',
      '        Next: TooLong',
      '    Default: Other',
      '  - Type: Pass',
      '    Name: Active',
      '    End: true',
      '  - Type: Pass',
      '    Name: TooLong',
      '    End: true',
      '  - Type: Pass',
      '    Name: Other',
      '    End: true',
      '',
    ].join('\n'),
  );
  it.each([
    [{ status: 'Active', attempt: 40 }, 'Active'],
    [{ status: 'Connecting', attempt: 30 }, 'TooLong'],
    [{ status: 'Connecting', attempt: 3, give_up: true }, 'TooLong'],
    [{ status: 'Connecting', attempt: 3 }, 'Other'],
    [{}, 'Other'],
  ])('%j → %s (first true branch, else Default)', async (input, expected) => {
    const { events, result } = await runFlow(flow, input);
    expect(trace(events)).toEqual(['C', expected]);
    expect(result.output).toEqual(input);
  });
});

describe('Wait', () => {
  it('waits Seconds on the clock', async () => {
    const flow = flowOf('  - Type: Wait\n    Name: W\n    Seconds: 300\n    End: true\n');
    const { result } = await runFlow(flow, {});
    expect(Date.parse(result.stoppedAt) - Date.parse(result.startedAt)).toBe(300_000);
  });

  it('waits Seconds.$ from the input, and fails on an out-of-range value', async () => {
    const flow = flowOf('  - Type: Wait\n    Name: W\n    Seconds.$: $Input.next\n    End: true\n');
    const ok = await runFlow(flow, { next: 42 });
    expect(Date.parse(ok.result.stoppedAt) - Date.parse(ok.result.startedAt)).toBe(42_000);
    expect(ok.events.find((e) => e.type === 'StateStarted')).toMatchObject({ waitSeconds: 42 });
    const bad = await runFlow(flow, { next: 301 });
    expect(bad.result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidInput', cause: expect.stringMatching(/^W: Seconds.\$ \(\$Input.next\) gave 301; it must be a whole number of seconds from 1 to 300: CloudFlow's longest Wait/) });
  });
});

describe('Task', () => {
  it('passes evaluated Parameters, the state name, execution name and retry count to the invoker', async () => {
    const flow = flowOf(
      '  - Type: Task\n    Name: T\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: acs:fc:::functions/f\n      body:\n        id.$: $Input.id\n        spec.$: $Context.Execution.Input.spec\n    End: true\n',
    );
    const { calls, result } = await runFlow(flow, { id: 'ri-1', spec: 'Large.1' }, { T: body({ ok: true }) });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      action: 'FC:InvokeFunction',
      parameters: { resourceArn: 'acs:fc:::functions/f', body: { id: 'ri-1', spec: 'Large.1' } },
      stateName: 'T',
      executionName: 'test-run',
      retryCount: 0,
    });
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
    // Without an OutputConstructor the raw $Output is the output (a fixed choice, listed in policy.ts).
    expect(result.output).toEqual({ Body: { ok: true } });
  });

  it('OutputConstructor reads $Input, $Output and $Context', async () => {
    const flow = flowOf(
      '  - Type: Task\n    Name: T\n    Action: X:Y\n    OutputConstructor:\n      id.$: $Input.id\n      status.$: $Output.Body.status\n      retries.$: $Context.Current.RetryCount\n    End: true\n',
    );
    const { result } = await runFlow(flow, { id: 'ri-1' }, { T: body({ status: 'Active' }) });
    expect(result.output).toEqual({ id: 'ri-1', status: 'Active', retries: 0 });
  });

  it.each([
    ['an array', () => [1, 2], 'FnF.InvalidOutput', /must be a JSON object, got an array/],
    ['a string', () => 'text', 'FnF.InvalidOutput', /got string/],
    ['more than 64 KiB', () => ({ big: 'x'.repeat(64 * 1024) }), 'FnF.DataSizeExceeded', /^T: output is 65546 bytes: CloudFlow's largest state input or output \(bytes of JSON\) is 65,536 \(\S+\/input-and-output\)$/],
  ])('output that is %s fails the state', async (_name, task, error, cause) => {
    const flow = flowOf('  - Type: Task\n    Name: T\n    Action: X:Y\n    End: true\n');
    const { result } = await runFlow(flow, {}, { T: task });
    expect(result).toMatchObject({ status: 'Failed', error, cause: expect.stringMatching(cause) });
  });

  it('the execution input must be a JSON object', async () => {
    const { result } = await runFlow(flowOf('  - Type: Pass\n    Name: P\n    End: true\n'), [1]);
    expect(result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidInput' });
  });

  it('a Task Timeout fails the call with FnF.TaskTimeout and aborts its signal', async () => {
    const flow = flowOf('  - Type: Task\n    Name: T\n    Action: X:Y\n    Timeout: "30"\n    End: true\n');
    let seenSignal: AbortSignal | undefined;
    const outcome = await runFlow(flow, {}, {
      T: (request) => {
        seenSignal = request.signal;
        return new Promise(() => undefined);
      },
    });
    expect(outcome.result).toMatchObject({ status: 'Failed', error: 'FnF.TaskTimeout', cause: 'T did not finish within its Timeout of 30 s' });
    expect(Date.parse(outcome.result.stoppedAt) - Date.parse(outcome.result.startedAt)).toBe(30_000);
    expect(seenSignal?.aborted).toBe(true);
  });
});

describe('Parallel', () => {
  const branch = (name: string, extra = '') => `      - StartAt: ${name}\n        States:\n          - Type: Task\n            Name: ${name}\n            Action: X:Y\n${extra}            End: true\n`;

  it('runs every branch on the same input; output is {Branch0, Branch1, …} then OutputConstructor', async () => {
    const flow = flowOf(`  - Type: Parallel\n    Name: Fan\n    Branches:\n${branch('A')}${branch('B')}    OutputConstructor:\n      a.$: $Output.Branch0.Body\n      all.$: $Output\n    End: true\n`);
    const { result, calls } = await runFlow(flow, { id: 7 }, { A: (r) => ({ Body: `A${String(r.parameters.id ?? '')}` }), B: body('B') });
    expect(calls.map((c) => c.stateName).sort()).toEqual(['A', 'B']);
    expect(result.output).toEqual({ a: 'A', all: { Branch0: { Body: 'A' }, Branch1: { Body: 'B' } } });
  });

  it('branches really run at the same time', async () => {
    const flow = flowOf(`  - Type: Parallel\n    Name: Fan\n    Branches:\n${branch('A')}${branch('B')}${branch('C')}    End: true\n`);
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return {};
    };
    await runFlow(flow, {}, { A: slow, B: slow, C: slow });
    expect(maxInFlight).toBe(3);
  });

  it('a failing branch aborts the others and fails the Parallel, whose own Catch then applies', async () => {
    const wait = '          - Type: Wait\n            Name: Long\n            Seconds: 300\n            End: true\n';
    const flow = flowOf(
      `  - Type: Parallel\n    Name: Fan\n    Branches:\n${branch('A')}      - StartAt: Long\n        States:\n${wait}    Catch:\n      - Description: any\n        Errors: [Boom]\n        Next: Caught\n        OutputConstructor:\n          code.$: $Context.Current.Error.Code\n    Next: Done\n  - Type: Pass\n    Name: Done\n    End: true\n  - Type: Pass\n    Name: Caught\n    End: true\n`,
    );
    const { result, events } = await runFlow(flow, {}, { A: () => Promise.reject(taskError('Boom')) });
    expect(result).toMatchObject({ status: 'Succeeded', output: { code: 'Boom' } });
    expect(Date.parse(result.stoppedAt) - Date.parse(result.startedAt)).toBe(0);
    expect(events.find((e) => e.type === 'StateAborted')).toMatchObject({ state: 'Long', scope: 'Fan.Branch1', reason: expect.stringMatching(/Fan.Branch0 failed: Boom happened/) });
  });

  it('a Fail inside a branch fails the Parallel with its Code (as policy.ts chooses)', async () => {
    const flow = flowOf(
      '  - Type: Parallel\n    Name: Fan\n    Branches:\n      - StartAt: F\n        States:\n          - Type: Fail\n            Name: F\n            Code: Nested\n            Detail: from the branch\n    End: true\n',
    );
    expect((await runFlow(flow, {})).result).toMatchObject({ status: 'Failed', error: 'Nested', cause: 'from the branch' });
  });
});

describe('Map', () => {
  const map = (concurrency: string, processorStates: string, extra = '') =>
    flowOf(`  - Type: Map\n    Name: Each\n    ItemsPath: $Input.items\n${concurrency}    Processor:\n      StartAt: Work\n      States:\n${processorStates}${extra}    End: true\n`);
  const work = '        - Type: Task\n          Name: Work\n          Action: X:Y\n          OutputConstructor:\n            doubled.$: $Output.Body\n          End: true\n';
  const withParameters = work.replace('Action: X:Y\n', 'Action: X:Y\n          Parameters:\n            n.$: $Input.n\n');

  it('runs the Processor per item; output is {Items: […]} in item order', async () => {
    const items = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const { result, events } = await runFlow(map('', withParameters), { items }, {
      Work: async (r) => {
        const n = Number(r.parameters.n ?? 0);
        await new Promise((resolve) => setTimeout(resolve, (4 - n) * 2));
        return { Body: n * 2 };
      },
    });
    expect(result.output).toEqual({ Items: [{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }] });
    expect(events.filter((e) => e.type === 'StateEntered' && e.state === 'Work').map((e) => e.scope).sort()).toEqual(['Each.Items[0]', 'Each.Items[1]', 'Each.Items[2]']);
  });

  it.each([
    ['MaxConcurrency 2', '    MaxConcurrency: 2\n', 2],
    ['MaxConcurrency 1', '    MaxConcurrency: 1\n', 1],
    ['MaxConcurrency 0 (no limit)', '    MaxConcurrency: 0\n', 6],
    ['no MaxConcurrency (no limit)', '', 6],
  ])('%s: observed max in flight', async (_name, concurrency, expected) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const items = Array.from({ length: 6 }, (_, n) => ({ n }));
    const { result } = await runFlow(map(concurrency, withParameters), { items }, {
      Work: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 3));
        inFlight -= 1;
        return { Body: 1 };
      },
    });
    expect(result.status).toBe('Succeeded');
    expect(maxInFlight).toBe(expected);
  });

  it('a failing iteration fails the Map and stops the rest', async () => {
    let started = 0;
    const { result } = await runFlow(map('    MaxConcurrency: 1\n', work), { items: [{}, {}, {}, {}] }, {
      Work: () => (++started === 2 ? Promise.reject(taskError('IncorrectStatus', 'busy')) : { Body: 1 }),
    });
    expect(result).toMatchObject({ status: 'Failed', error: 'IncorrectStatus', cause: 'busy' });
    expect(started).toBe(2);
  });

  it.each([
    [{ items: 'nope' }, /ItemsPath \(\$Input.items\) must give an array/],
    [{ items: [1] }, /item 0 must be a JSON object/],
  ])('bad items %j', async (input, cause) => {
    const { result } = await runFlow(map('', work), input, { Work: body(1) });
    expect(result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidInput', cause: expect.stringMatching(cause) });
  });
});

describe('one unit per state type', () => {
  const flow = flowOf(
    [
      '  - Type: Pass',
      '    Name: Pass',
      '    Next: Choice',
      '  - Type: Choice',
      '    Name: Choice',
      '    Branches:',
      '      - Condition: $Input.go == true',
      '        Next: Wait',
      '    Default: Fail',
      '  - Type: Wait',
      '    Name: Wait',
      '    Seconds: 1',
      '    Next: Task',
      '  - Type: Task',
      '    Name: Task',
      '    Action: X:Y',
      '    OutputConstructor:',
      '      items.$: $Input.items',
      '    Next: Parallel',
      '  - Type: Parallel',
      '    Name: Parallel',
      '    Branches:',
      '      - StartAt: B',
      '        States:',
      '          - Type: Pass',
      '            Name: B',
      '            End: true',
      '    OutputConstructor:',
      '      items.$: $Input.items',
      '    Next: Map',
      '  - Type: Map',
      '    Name: Map',
      '    ItemsPath: $Input.items',
      '    Processor:',
      '      StartAt: I',
      '      States:',
      '        - Type: Pass',
      '          Name: I',
      '          End: true',
      '    Next: Succeed',
      '  - Type: Succeed',
      '    Name: Succeed',
      '  - Type: Fail',
      '    Name: Fail',
      '    Code: No',
      '',
    ].join('\n'),
  );

  it('every type has its executor, compiled once per flow and policy; only the types that never wait run synchronously', () => {
    const compiled = compileFlow(flow, CLOUDFLOW_POLICY);
    expect(compileFlow(flow, CLOUDFLOW_POLICY)).toBe(compiled);
    const sync: Record<string, boolean> = {};
    for (const state of compiled.states.values()) sync[state.type] = state.executor.sync;
    const expected: Record<StateType, boolean> = { Pass: true, Choice: true, Succeed: true, Fail: true, Wait: false, Task: false, Parallel: false, Map: false };
    expect(sync).toEqual(expected);
  });

  it('the units run a whole flow through the one loop, child scopes included', async () => {
    const { result } = await runFlow(flow, { go: true, items: [{}, {}] }, { Task: () => ({ done: true }) });
    expect(result).toMatchObject({ status: 'Succeeded', output: { Items: [{}, {}] }, counts: { stateTransitions: 10 } });
  });
});
