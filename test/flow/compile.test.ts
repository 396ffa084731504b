import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { documentedEventTypes } from '../../src/flow/cloudflow-history';
import { VirtualClock } from '../../src/flow/clock';
import { compileFlow } from '../../src/flow/compile';
import { startExecution } from '../../src/flow/execution';
import { isExecutionName } from '../../src/flow/execution-name';
import type { EvalEnv } from '../../src/flow/expression/ast';
import { parseExpression } from '../../src/flow/expression/parser';
import { compileTemplate, type MissingPathMode, type Template } from '../../src/flow/expression/template';
import type { HistoryEvent } from '../../src/flow/history';
import type { JsonObject, JsonValue } from '../../src/flow/json';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy, type HistoryPolicy } from '../../src/flow/policy';
import * as table from '../../src/flow/states/table';
import { flowOf, runFlow, taskError } from './helpers';

vi.mock('../../src/flow/states/table', { spy: true });

const pollLoop = flowOf(
  [
    '  - Type: Task',
    '    Name: Describe',
    '    Action: X:Y',
    '    Parameters:',
    '      id.$: $Input.id',
    '    OutputConstructor:',
    '      id.$: $Input.id',
    '      status.$: $Output.Body.status',
    '    Next: IsActive',
    '  - Type: Choice',
    '    Name: IsActive',
    '    Branches:',
    '      - Condition: $Input.status == "Active"',
    '        Next: Done',
    '    Default: Backoff',
    '  - Type: Wait',
    '    Name: Backoff',
    '    Seconds: 5',
    '    Next: Describe',
    '  - Type: Succeed',
    '    Name: Done',
    '',
  ].join('\n'),
);

function activeOnThird(): () => { Body: { status: string } } {
  let calls = 0;
  return () => ({ Body: { status: ++calls >= 3 ? 'Active' : 'Connecting' } });
}

describe('a flow is compiled once', () => {
  it('per flow and policy, with every reference resolved to the compiled state it names', () => {
    const compiled = compileFlow(pollLoop, CLOUDFLOW_POLICY);
    expect(compileFlow(pollLoop, CLOUDFLOW_POLICY)).toBe(compiled);
    expect(compileFlow(pollLoop, { ...CLOUDFLOW_POLICY })).not.toBe(compiled);
    const { states } = compiled;
    expect(compiled.start).toBe(states.get('Describe'));
    expect(states.get('Describe')?.next).toBe(states.get('IsActive'));
    expect(states.get('Backoff')?.next).toBe(states.get('Describe'));
    expect(states.get('Done')?.next).toBeUndefined();
  });

  it('its states are prepared when it first runs, not on each visit or execution', async () => {
    const flow = flowOf('  - Type: Pass\n    Name: A\n    Next: B\n  - Type: Pass\n    Name: B\n    End: true\n');
    vi.mocked(table.prepareState).mockClear();
    for (let i = 0; i < 3; i += 1) await runFlow(flow, {});
    expect(table.prepareState).toHaveBeenCalledTimes(2);
    const policy = { ...CLOUDFLOW_POLICY };
    await runFlow(flow, {}, {}, { policy });
    await runFlow(flow, {}, {}, { policy });
    expect(table.prepareState).toHaveBeenCalledTimes(4);
  });
});

/** A flow with every frequent event and the rarer ones: a retry, a Catch, a Parallel, a Map and a Wait. */
const everyKind = flowOf(
  [
    '  - Type: Task',
    '    Name: Flaky',
    '    Action: X:Y',
    '    Retry:',
    '      - Description: once more',
    '        Errors: [Busy]',
    '        IntervalSeconds: 1',
    '        MaxAttempts: 2',
    '    Next: Fan',
    '  - Type: Parallel',
    '    Name: Fan',
    '    Branches:',
    '      - StartAt: Left',
    '        States:',
    '          - Type: Wait',
    '            Name: Left',
    '            Seconds: 1',
    '            End: true',
    '      - StartAt: Right',
    '        States:',
    '          - Type: Pass',
    '            Name: Right',
    '            End: true',
    '    OutputConstructor:',
    '      items: [{}, {}]',
    '    Next: Each',
    '  - Type: Map',
    '    Name: Each',
    '    ItemsPath: $Input.items',
    '    Processor:',
    '      StartAt: Item',
    '      States:',
    '        - Type: Choice',
    '          Name: Item',
    '          Branches:',
    '            - Condition: $Input.never == true',
    '              Next: Item2',
    '          Default: Item2',
    '        - Type: Succeed',
    '          Name: Item2',
    '    Next: Broken',
    '  - Type: Task',
    '    Name: Broken',
    '    Action: X:Y',
    '    Catch:',
    '      - Description: any',
    '        Errors: [FnF.ALL]',
    '        Next: Done',
    '    End: true',
    '  - Type: Succeed',
    '    Name: Done',
    '',
  ].join('\n'),
);

describe('the documented-event count is exact whether anyone listens or not', () => {
  const history = (changes: Partial<HistoryPolicy>): CloudFlowPolicy => ({ ...CLOUDFLOW_POLICY, history: { ...CLOUDFLOW_POLICY.history, ...changes } });
  const policies: Array<[string, CloudFlowPolicy]> = [
    ['the default policy', CLOUDFLOW_POLICY],
    ['no TaskStarted', history({ taskStarted: false })],
    ['no StepStarted for Choice and Wait', history({ stepStartedOmittedFor: ['Choice', 'Wait'] })],
    ['a retry records a new StepStarted', history({ retry: 'step-restarted' })],
    ['no StepExited after a failure', history({ exitedAfterFailure: false })],
  ];

  it.each(policies)('%s', async (_name, policy) => {
    const tasks = () => {
      let flaky = 0;
      return {
        Flaky: () => {
          flaky += 1;
          if (flaky < 3) throw taskError('Busy');
          return { Body: {} };
        },
        Broken: () => {
          throw taskError('Down');
        },
      };
    };
    const listened = await runFlow(everyKind, {}, tasks(), { policy });
    const silent = await startExecution(everyKind, {}, { clock: new VirtualClock(), policy, invokeTask: statefulInvoker(tasks()) }).result;
    expect(listened.result.status).toBe('Succeeded');
    expect(listened.result.counts.retries).toBe(2);
    const counted = listened.events.reduce((sum, event) => sum + documentedEventTypes(event, policy).length, 0);
    expect(listened.result.historyEvents).toBe(counted);
    expect(silent).toMatchObject({ status: 'Succeeded', historyEvents: counted });
  });
});

function statefulInvoker(tasks: Record<string, () => unknown>): (request: { stateName: string }) => Promise<unknown> {
  return async (request) => (tasks[request.stateName] as () => unknown)();
}

describe('constructors written out as literals build what a loop over their entries builds', () => {
  const env: EvalEnv = { context: {}, errorName: 'FnF.ExpressionError', random: () => 0.5, policy: CLOUDFLOW_POLICY.expressions };
  /** The plain reading of a constructor: each key in order, its literal or its expression's value, a missing one
   * left out or null. */
  function reference(entries: Array<[string, string | JsonValue, boolean]>, input: JsonObject, missing: MissingPathMode): JsonObject {
    const result: JsonObject = {};
    for (const [key, value, isExpression] of entries) {
      const found = isExpression ? (Object.hasOwn(input, value as string) ? input[value as string] : undefined) : (value as JsonValue);
      if (found !== undefined) result[key] = found;
      else if (missing === 'null') result[key] = null;
    }
    return result;
  }

  it('for any keys (quotes, line separators, digits, empty, __proto__), values and missing-path rule', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('"', "'", '\\', '\u2028', '${x}', '1', '01', '', 'constructor', '__proto__', 'a b', '`'));
    const entry = fc.tuple(key, fc.oneof(fc.tuple(fc.jsonValue(), fc.constant(false)), fc.tuple(fc.constantFrom('present', 'absent', 'nothing'), fc.constant(true))));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.constantFrom<MissingPathMode>('omit', 'null'), (drawn, missing) => {
        const entries = drawn.map(([k, [value, isExpression]]) => [k, value, isExpression] as [string, string | JsonValue, boolean]);
        const template: Template = {
          kind: 'object',
          entries: entries.map(([k, value, isExpression]) => [
            k,
            isExpression ? { kind: 'expression', expression: parseExpression(`$Input.${value as string}`) } : { kind: 'literal', value: value as JsonValue },
          ]),
        };
        const input: JsonObject = { present: 'here', nothing: null };
        const built = compileTemplate(template, missing)(input, undefined, env) as JsonObject;
        const expected = reference(entries, input, missing);
        expect(Object.getPrototypeOf(built)).toBe(Object.getPrototypeOf(expected));
        expect(Object.entries(built)).toEqual(Object.entries(expected));
      }),
      { numRuns: 300 },
    );
  });
});

describe('what the execution reports', () => {
  it('times as toISOString writes them, at any millisecond', async () => {
    for (const start of [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 7, Date.UTC(2026, 0, 1) + 45, Date.UTC(2025, 11, 31, 23, 59, 59, 999), -1, 0]) {
      const clock = new VirtualClock(start);
      const { result, events } = await runFlow(pollLoop, { id: 'ri-1' }, { Describe: activeOnThird() }, { clock });
      expect(result.startedAt).toBe(new Date(start).toISOString());
      expect(result.stoppedAt).toBe(new Date(start + 10_000).toISOString());
      for (const event of events) expect(Date.parse(event.time)).toBeGreaterThanOrEqual(start);
      expect(events.at(-1)?.time).toBe(result.stoppedAt);
    }
  });

  it('generated names follow the execution-name rule', () => {
    for (const draw of [0, 0.5, 0.999999999]) {
      const { name } = startExecution(pollLoop, { id: 'x' }, { clock: new VirtualClock(), random: () => draw, invokeTask: async () => ({ Body: { status: 'Active' } }) });
      expect(isExecutionName(name), name).toBe(true);
    }
  });
});

describe('stopping', () => {
  it('a task that ignores its signal is left behind: nothing is recorded when it answers after the stop', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const events: HistoryEvent[] = [];
    const handle = startExecution(pollLoop, { id: 'ri-1' }, {
      clock: new VirtualClock(),
      onEvent: (event) => events.push(event),
      invokeTask: () => new Promise((resolve) => (answer = resolve)),
    });
    await new Promise((resolve) => setImmediate(resolve));
    handle.stop('enough');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'Stopped', cause: 'enough' });
    const recorded = events.length;
    answer({ Body: { status: 'Active' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toHaveLength(recorded);
    expect(events.slice(-2).map((event) => event.type)).toEqual(['StateAborted', 'ExecutionStopped']);
  });

  it('stops every branch of a Parallel whose tasks ignore their signal', async () => {
    const branch = (name: string): string => `      - StartAt: ${name}\n        States:\n          - Type: Task\n            Name: ${name}\n            Action: X:Y\n            End: true\n`;
    const flow = flowOf(`  - Type: Parallel\n    Name: Fan\n    Branches:\n${branch('A')}${branch('B')}${branch('C')}    End: true\n`);
    const events: HistoryEvent[] = [];
    let calls = 0;
    const handle = startExecution(flow, {}, {
      clock: new VirtualClock(),
      onEvent: (event) => events.push(event),
      invokeTask: () => {
        calls += 1;
        return new Promise(() => undefined);
      },
    });
    while (calls < 3) await new Promise((resolve) => setImmediate(resolve));
    handle.stop('enough');
    expect((await handle.result).status).toBe('Stopped');
    expect(events.filter((event) => event.type === 'StateAborted').map((event) => event.state).sort()).toEqual(['A', 'B', 'C', 'Fan']);
  });
});
