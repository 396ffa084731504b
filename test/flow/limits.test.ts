// The interpreter refuses what CloudFlow refuses: each documented limit, at load time and at run time, with a message
// that names the limit, the state and the page. The numbers here are the documented ones, written out, so that a
// changed value in limits.ts fails a test.
import { describe, expect, it } from 'vitest';
import { FlowValidationError, type ValidationProblem } from '../../src/flow/errors';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { loadFlow } from '../../src/flow/loader';
import type { MapState, TaskState } from '../../src/flow/model';
import type { TaskRequest } from '../../src/flow/runtime';
import { flowOf, runFlow } from './helpers';

const header = 'Type: StateMachine\nSpecVersion: v1\nName: demo\nStartAt: A\nStates:\n';
const DOCS = 'https://www.alibabacloud.com/help/en/serverless-workflow/latest';

function problemsOf(states: string, top = ''): ValidationProblem[] {
  try {
    loadFlow(`Type: StateMachine\nSpecVersion: v1\nName: demo\n${top}StartAt: A\nStates:\n${states}`);
  } catch (error) {
    if (error instanceof FlowValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the definition to be rejected');
}

const task = (fields: string) => `  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n${fields}    End: true\n`;
const map = (fields: string) =>
  `  - Type: Map\n    Name: A\n    ItemsPath: $Input.items\n${fields}    Processor:\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n    End: true\n`;
const retry = (fields: string) => task(`    Retry:\n      - Description: d\n        Errors: [X]\n        MaxAttempts: 1\n${fields}`);
const branches = (n: number) => {
  const branch = '      - StartAt: X\n        States:\n          - Type: Pass\n            Name: X\n            End: true\n';
  return `  - Type: Parallel\n    Name: A\n    Branches:\n${branch.repeat(n)}    End: true\n`;
};

describe('load time: a definition beyond a documented limit is refused, naming the limit, the state and the page', () => {
  const cases: Array<[string, string, string, string, RegExp]> = [
    ['Map MaxConcurrency 41', map('    MaxConcurrency: 41\n'), '', 'MaxConcurrency', /got 41: CloudFlow's largest inline Map MaxConcurrency \(iterations at once\) is 40 \(\S+\/inline-mode\)$/],
    ['Map MaxConcuccency 41 (the field table’s spelling)', map('    MaxConcuccency: 41\n'), '', 'MaxConcuccency', /got 41: CloudFlow's largest inline Map MaxConcurrency/],
    ['Parallel with 51 branches', branches(51), '', 'Branches', /^has 51 branches: CloudFlow's largest number of branches of a Parallel state is 50 \(\S+\/parallel\)$/],
    ['Task Timeout "604801"', task('    Timeout: "604801"\n'), '', 'Timeout', /got 604801: CloudFlow's longest Task Timeout \(seconds; 0 = none\) is 604,800 \(\S+\/task-task\)$/],
    ['Task Timeout -1', task('    Timeout: -1\n'), '', 'Timeout', /^must be between 0 and 604800, got -1/],
    ['Wait Seconds 0', '  - Type: Wait\n    Name: A\n    Seconds: 0\n    End: true\n', '', 'Seconds', /got 0: CloudFlow's shortest Wait \(seconds\) is 1 \(\S+\/wait-wait\)$/],
    ['Wait Seconds 301', '  - Type: Wait\n    Name: A\n    Seconds: 301\n    End: true\n', '', 'Seconds', /got 301: CloudFlow's longest Wait in Standard mode \(seconds\) is 300 \(\S+\/wait-wait\)$/],
    ['Retry IntervalSeconds 86401', retry('        IntervalSeconds: 86401\n'), '', 'IntervalSeconds', /got 86401: CloudFlow's longest Retry IntervalSeconds is 86,400 \(\S+\/error-handling\)$/],
    ['Retry MaxBackoffSeconds 86401', retry('        IntervalSeconds: 1\n        MaxBackoffSeconds: 86401\n'), '', 'MaxBackoffSeconds', /got 86401: CloudFlow's longest Retry MaxBackoffSeconds is 86,400/],
    ['flow Timeout above a year', '  - Type: Pass\n    Name: A\n    End: true\n', 'Timeout: 31536001\n', 'Timeout', /got 31536001: CloudFlow's longest Standard-mode execution \(seconds, 1 year\) is 31,536,000/],
  ];

  it.each(cases)('%s', (_name, states, top, field, message) => {
    const problems = problemsOf(states, top);
    expect(problems).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
    if (!top) expect(problems[0]).toMatchObject({ state: 'A' });
  });

  it('accepts each limit itself: MaxConcurrency 40, 50 branches, Timeout "604800", Seconds 1 and 300, 86,400 s retries', () => {
    expect((loadFlow(header + map('    MaxConcurrency: 40\n')).scope.states.get('A') as MapState).maxConcurrency).toBe(40);
    expect(() => loadFlow(header + branches(50))).not.toThrow();
    expect((loadFlow(header + task('    Timeout: "604800"\n')).scope.states.get('A') as TaskState).timeoutSeconds).toBe(604_800);
    for (const seconds of [1, 300]) expect(() => loadFlow(`${header}  - Type: Wait\n    Name: A\n    Seconds: ${seconds}\n    End: true\n`)).not.toThrow();
    expect(() => loadFlow(header + retry('        IntervalSeconds: 86400\n        MaxBackoffSeconds: 86400\n'))).not.toThrow();
  });

  it('an absent MaxConcurrency, or 0, is the documented maximum of 40', () => {
    expect((loadFlow(header + map('')).scope.states.get('A') as MapState).maxConcurrency).toBe(40);
    expect((loadFlow(header + map('    MaxConcurrency: 0\n')).scope.states.get('A') as MapState).maxConcurrency).toBe(40);
    expect((loadFlow(header + map('    MaxConcuccency: 7\n')).scope.states.get('A') as MapState).maxConcurrency).toBe(7);
  });

  it('refuses both spellings of the Map concurrency in one state', () => {
    expect(problemsOf(map('    MaxConcurrency: 5\n    MaxConcuccency: 5\n'))).toEqual([
      expect.objectContaining({ field: 'MaxConcuccency', message: 'cannot be combined with MaxConcurrency: both spell the Map\'s concurrency' }),
    ]);
  });

  it('Task Timeout: 0 means none, Timeout.$ is an expression checked when the Task runs, a number is a warning', () => {
    expect((loadFlow(header + task('    Timeout: "0"\n')).scope.states.get('A') as TaskState).timeoutSeconds).toBeUndefined();
    const dynamic = loadFlow(header + task('    Timeout.$: $Input.timeout\n'));
    expect(dynamic.scope.states.get('A')).toMatchObject({ timeoutSeconds: { source: '$Input.timeout' } });
    expect(dynamic.warnings).toEqual([]);
    expect(problemsOf(task('    Timeout: "30"\n    Timeout.$: $Input.timeout\n'))).toEqual([
      expect.objectContaining({ field: 'Timeout', message: 'cannot be combined with Timeout.$' }),
    ]);
    const numeric = loadFlow(header + task('    Timeout: 30\n'));
    expect((numeric.scope.states.get('A') as TaskState).timeoutSeconds).toBe(30);
    expect(numeric.warnings).toEqual([expect.objectContaining({ field: 'Timeout', state: 'A', line: 9, message: 'is documented as a string of seconds; write Timeout: "30"' })]);
  });
});

describe('run time: crossing a documented limit fails the execution, naming the limit and the state', () => {
  const wait = flowOf('  - Type: Wait\n    Name: W\n    Seconds.$: $Input.next\n    End: true\n');

  it.each([
    [0, /^W: Seconds.\$ \(\$Input.next\) gave 0; it must be a whole number of seconds from 1 to 300: CloudFlow's shortest Wait \(seconds\) is 1 \(\S+\/wait-wait\)$/],
    [301, /gave 301; .*CloudFlow's longest Wait in Standard mode \(seconds\) is 300/],
    [2.5, /gave 2.5; it must be a whole number of seconds/],
    ['10', /gave "10"; it must be a whole number/],
  ])('Seconds.$ giving %j', async (next, cause) => {
    const { result, events } = await runFlow(wait, { next });
    expect(result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidInput', cause: expect.stringMatching(cause) });
    expect(events.find((event) => event.type === 'StateFailed')).toMatchObject({ state: 'W' });
  });

  it('Seconds.$ of 1 and of 300 wait that long', async () => {
    for (const next of [1, 300]) {
      const { result } = await runFlow(wait, { next });
      expect(Date.parse(result.stoppedAt) - Date.parse(result.startedAt)).toBe(next * 1000);
    }
  });

  const timed = flowOf('  - Type: Task\n    Name: T\n    Action: X:Y\n    Timeout.$: $Input.timeout\n    End: true\n');
  /** A task that answers on the next turn of the event loop, or fails when its signal aborts. */
  const slow = (request: TaskRequest) =>
    new Promise((resolve, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason as Error), { once: true });
      setTimeout(() => resolve({ Body: 'late' }), 0);
    });

  it.each([604_801, -1, 'soon', 1.5])('Timeout.$ giving %j fails the Task before the call', async (timeout) => {
    const { result, calls } = await runFlow(timed, { timeout }, { T: slow });
    expect(result).toMatchObject({
      status: 'Failed',
      error: 'FnF.InvalidInput',
      cause: expect.stringMatching(/^T: Timeout.\$ \(\$Input.timeout\) gave \S+; it must be a whole number of seconds from 0 to 604800: CloudFlow's longest Task Timeout \(seconds; 0 = none\) is 604,800 \(\S+\/task-task\)$/),
    });
    expect(calls).toEqual([]);
  });

  it('Timeout.$ of "30" (a string, as the docs write it) times the call out after 30 s; 0 means no timeout', async () => {
    const never = (request: TaskRequest) =>
      new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason as Error), { once: true }));
    const { result } = await runFlow(timed, { timeout: '30' }, { T: never });
    expect(result).toMatchObject({ status: 'Failed', error: 'FnF.TaskTimeout', cause: 'T did not finish within its Timeout of 30 s' });
    expect(Date.parse(result.stoppedAt) - Date.parse(result.startedAt)).toBe(30_000);
    const untimed = await runFlow(timed, { timeout: 0 }, { T: slow });
    expect(untimed.result).toMatchObject({ status: 'Succeeded', output: { Body: 'late' } });
  });

  describe('64 KiB per state input and output', () => {
    const big = (bytes: number) => ({ big: 'x'.repeat(bytes) });
    const cite = /: CloudFlow's largest state input or output \(bytes of JSON\) is 65,536 \(\S+\/input-and-output\)$/;
    const failsWith = (result: unknown, what: RegExp) =>
      expect(result).toMatchObject({ status: 'Failed', error: 'FnF.DataSizeExceeded', cause: expect.stringMatching(new RegExp(`^${what.source} is \\d+ bytes${cite.source}`)) });

    it('the execution input', async () => {
      const { result } = await runFlow(flowOf('  - Type: Pass\n    Name: P\n    End: true\n'), big(64 * 1024));
      failsWith(result, /the execution input/);
      // 65,536 bytes of JSON exactly is within the limit: {"big":"…"} is 10 bytes around the string.
      expect((await runFlow(flowOf('  - Type: Pass\n    Name: P\n    End: true\n'), big(64 * 1024 - 10))).result.status).toBe('Succeeded');
    });

    it('an InputConstructor result', async () => {
      const flow = flowOf('  - Type: Pass\n    Name: P\n    InputConstructor:\n      a.$: $Input.half\n      b.$: $Input.half\n    End: true\n');
      const { result } = await runFlow(flow, { half: 'x'.repeat(40 * 1024) });
      failsWith(result, /P: InputConstructor result/);
    });

    it('a Task’s raw $Output, even when its OutputConstructor keeps little of it', async () => {
      const flow = flowOf('  - Type: Task\n    Name: T\n    Action: X:Y\n    OutputConstructor:\n      ok: true\n    End: true\n');
      const { result } = await runFlow(flow, {}, { T: () => ({ Body: 'x'.repeat(64 * 1024) }) });
      failsWith(result, /T: \$Output/);
    });

    const fanOut = (outputConstructor: string) =>
      flowOf(
        '  - Type: Map\n    Name: Each\n    ItemsPath: $Input.items\n    Processor:\n      StartAt: Grow\n      States:\n        - Type: Pass\n          Name: Grow\n          OutputConstructor:\n            text.$: $Context.Execution.Input.text\n          End: true\n' +
          `${outputConstructor}    End: true\n`,
      );
    const input = { items: [{}, {}, {}], text: 'x'.repeat(30 * 1024) };

    it('a Map’s combined Items, with or without an OutputConstructor', async () => {
      failsWith((await runFlow(fanOut(''), input)).result, /Each: output/);
      failsWith((await runFlow(fanOut('    OutputConstructor:\n      count.$: length($Output.Items)\n'), input)).result, /Each: \$Output/);
      expect((await runFlow(fanOut(''), { ...input, items: [{}, {}] })).result.status).toBe('Succeeded');
    });

    it('a Parallel’s combined branches', async () => {
      const branch = (n: number) => `      - StartAt: B${n}\n        States:\n          - Type: Pass\n            Name: B${n}\n            InputConstructor:\n              text.$: $Input.text\n            End: true\n`;
      const flow = flowOf(`  - Type: Parallel\n    Name: Both\n    Branches:\n${branch(0)}${branch(1)}    OutputConstructor:\n      done: true\n    End: true\n`);
      failsWith((await runFlow(flow, { text: 'x'.repeat(40 * 1024) })).result, /Both: \$Output/);
    });

    it('a Map iteration’s input', async () => {
      // Each item merges two objects that are each within the limit, so the item (an iteration's input) is not.
      const flow = flowOf(
        '  - Type: Map\n    Name: Each\n    ItemsPath: toArray(jsonMerge($Input, $Context.Execution.Input))\n    Processor:\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n    End: true\n',
      );
      const { result } = await runFlow(flow, { a: 'x'.repeat(40 * 1024) });
      expect(result.status).toBe('Succeeded');
      const merged = flowOf(
        '  - Type: Pass\n    Name: Shape\n    OutputConstructor:\n      b.$: $Input.a\n    Next: Each\n  - Type: Map\n    Name: Each\n    ItemsPath: toArray(jsonMerge($Input, $Context.Execution.Input))\n    Processor:\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n    End: true\n',
      );
      failsWith((await runFlow(merged, { a: 'x'.repeat(40 * 1024) })).result, /Each: item 0 \(an iteration's input\)/);
    });
  });

  it('an inline Map without MaxConcurrency runs at most 40 iterations at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const flow = flowOf(map('').replace('Name: A', 'Name: Each').replace('        - Type: Pass\n          Name: P\n', '        - Type: Task\n          Name: P\n          Action: X:Y\n'));
    const { result } = await runFlow(flow, { items: Array.from({ length: 45 }, () => ({})) }, {
      P: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { Body: 1 };
      },
    });
    expect(result.status).toBe('Succeeded');
    expect(maxInFlight).toBe(40);
  });
});

describe('the limits table', () => {
  it('holds each documented value with the page that states it', () => {
    // toMatchObject: the table may hold more limits than these.
    expect(Object.fromEntries(Object.entries(CLOUDFLOW_LIMITS).map(([key, limit]) => [key, [limit.value, limit.page.replace(`${DOCS}/`, '')]]))).toMatchObject({
      stateDataBytes: [65_536, 'input-and-output'],
      waitSecondsMin: [1, 'wait-wait'],
      waitSecondsMax: [300, 'wait-wait'],
      mapMaxConcurrency: [40, 'inline-mode'],
      parallelMaxBranches: [50, 'parallel'],
      taskTimeoutSecondsMax: [604_800, 'task-task'],
      retryIntervalSecondsMax: [86_400, 'error-handling'],
      retryMaxBackoffSecondsMax: [86_400, 'error-handling'],
      standardExecutionSecondsMax: [31_536_000, 'standard-workflow-and-express-workflow'],
    });
  });
});
