import { describe, expect, it } from 'vitest';
import { decideAfterError, retryDelaySeconds } from '../../src/flow/retry';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { flowOf, runFlow, taskError } from './helpers';

/** A Task "T" with the given Retry rules (YAML lines under `Retry:`) and optional Catch to a Pass "Caught". */
function taskFlow(retry: string, catchErrors?: string) {
  const catchPart = catchErrors
    ? `    Catch:\n      - Description: c\n        Errors: ${catchErrors}\n        Next: Caught\n        OutputConstructor:\n          id.$: $Input.id\n          code.$: $Context.Current.Error.Code\n          detail.$: $Context.Current.Error.Detail\n`
    : '';
  const caught = catchErrors ? '  - Type: Pass\n    Name: Caught\n    End: true\n' : '';
  return flowOf(`  - Type: Task\n    Name: T\n    Action: X:Y\n    Retry:\n${retry}${catchPart}    End: true\n${caught}`);
}

const rule = (errors: string, fields: string) => `      - Description: r\n        Errors: ${errors}\n${fields.replace(/^/gm, '        ')}\n`;
const alwaysFail = (name: string) => () => Promise.reject(taskError(name));

describe('retry schedules (seconds on the virtual clock)', () => {
  it.each([
    ['constant interval when BackoffRate is omitted', 'IntervalSeconds: 5\nMaxAttempts: 3', [0, 5, 10, 15]],
    ['growth by BackoffRate', 'IntervalSeconds: 2\nMaxAttempts: 3\nBackoffRate: 2', [0, 2, 6, 14]],
    ['fractional BackoffRate', 'IntervalSeconds: 4\nMaxAttempts: 2\nBackoffRate: 1.5', [0, 4, 10]],
    ['capped by MaxBackoffSeconds', 'IntervalSeconds: 2\nMaxAttempts: 4\nBackoffRate: 3\nMaxBackoffSeconds: 10', [0, 2, 8, 18, 28]],
    ['MaxAttempts 0 means one call only', 'IntervalSeconds: 1\nMaxAttempts: 0', [0]],
  ])('%s', async (_name, fields, times) => {
    const { callTimes, result, calls } = await runFlow(taskFlow(rule('[IncorrectStatus]', fields)), {}, { T: alwaysFail('IncorrectStatus') });
    expect(callTimes).toEqual(times);
    expect(calls.map((c) => c.retryCount)).toEqual(times.map((_t, i) => i));
    expect(result).toMatchObject({ status: 'Failed', error: 'IncorrectStatus', counts: { taskCalls: times.length, retries: times.length - 1 } });
  });

  it('a long schedule (an hour of retries) finishes in milliseconds of real time', async () => {
    const started = Date.now();
    const { callTimes } = await runFlow(taskFlow(rule('[FnF.ALL]', 'IntervalSeconds: 60\nMaxAttempts: 60')), {}, { T: alwaysFail('Busy') });
    expect(callTimes.at(-1)).toBe(3600);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('succeeds after retries and reports RetryCount to the task and to $Context', async () => {
    const flow = flowOf(`  - Type: Task\n    Name: T\n    Action: X:Y\n    Retry:\n${rule('[Busy]', 'IntervalSeconds: 1\nMaxAttempts: 5')}    OutputConstructor:\n      retries.$: $Context.Current.RetryCount\n    End: true\n`);
    let n = 0;
    const { result, callTimes } = await runFlow(flow, {}, { T: () => (++n < 3 ? Promise.reject(taskError('Busy')) : { Body: {} }) });
    expect(result).toMatchObject({ status: 'Succeeded', output: { retries: 2 }, counts: { retries: 2, taskCalls: 3, stateTransitions: 3 } });
    expect(callTimes).toEqual([0, 1, 2]);
  });
});

describe('rule matching', () => {
  it('only the first matching rule applies, even when exhausted (later FnF.ALL rule is not used)', async () => {
    const retry = rule('[IncorrectStatus]', 'IntervalSeconds: 1\nMaxAttempts: 1') + rule('[FnF.ALL]', 'IntervalSeconds: 100\nMaxAttempts: 5');
    const { callTimes } = await runFlow(taskFlow(retry), {}, { T: alwaysFail('IncorrectStatus') });
    expect(callTimes).toEqual([0, 1]);
  });

  it('FnF.ALL matches any error name; a non-matching rule is skipped', async () => {
    const retry = rule('[Other]', 'IntervalSeconds: 50\nMaxAttempts: 5') + rule('[FnF.ALL]', 'IntervalSeconds: 3\nMaxAttempts: 2');
    const { callTimes } = await runFlow(taskFlow(retry), {}, { T: alwaysFail('Anything.AtAll') });
    expect(callTimes).toEqual([0, 3, 6]);
  });

  it('counters are per rule: alternating errors use each rule\'s own budget', async () => {
    const retry = rule('[A]', 'IntervalSeconds: 1\nMaxAttempts: 1') + rule('[B]', 'IntervalSeconds: 10\nMaxAttempts: 1');
    const errors = ['A', 'B', 'A'];
    let n = 0;
    const { callTimes, result } = await runFlow(taskFlow(retry), {}, { T: () => Promise.reject(taskError(errors[n++] ?? 'A')) });
    expect(callTimes).toEqual([0, 1, 11]);
    expect(result.error).toBe('A');
  });

  it('an error thrown without a usable name is FC.Unknown (policy fcUnknown)', async () => {
    const { result } = await runFlow(taskFlow(rule('[FC.Unknown]', 'IntervalSeconds: 1\nMaxAttempts: 1')), {}, { T: () => Promise.reject('plain string') });
    expect(result).toMatchObject({ status: 'Failed', error: 'FC.Unknown', cause: 'plain string', counts: { taskCalls: 2 } });
  });

  it('re-entering a state resets its retry counters', async () => {
    const flow = flowOf(
      [
        '  - Type: Task',
        '    Name: T',
        '    Action: X:Y',
        '    Retry:',
        rule('[Flaky]', 'IntervalSeconds: 7\nMaxAttempts: 1').trimEnd(),
        '    OutputConstructor:',
        '      round.$: intAdd($Input.round, 1)',
        '    Next: Again',
        '  - Type: Choice',
        '    Name: Again',
        '    Branches:',
        '      - Condition: $Input.round >= 3',
        '        Next: Done',
        '    Default: T',
        '  - Type: Succeed',
        '    Name: Done',
        '',
      ].join('\n'),
    );
    let n = 0;
    // Every visit fails once, then succeeds: only works if each visit has a fresh budget of 1 retry.
    const { result, callTimes } = await runFlow(flow, { round: 0 }, { T: () => (n++ % 2 === 0 ? Promise.reject(taskError('Flaky')) : { Body: {} }) });
    expect(result).toMatchObject({ status: 'Succeeded', output: { round: 3 }, counts: { retries: 3, taskCalls: 6 } });
    expect(callTimes).toEqual([0, 7, 7, 14, 14, 21]);
    // 3 Task visits + 3 retries + 3 Choice visits + Succeed.
    expect(result.counts.stateTransitions).toBe(10);
  });
});

describe('Catch', () => {
  it('after the retries are exhausted, routes to Next with its OutputConstructor ($Input and the error)', async () => {
    const { result, callTimes } = await runFlow(taskFlow(rule('[Busy]', 'IntervalSeconds: 2\nMaxAttempts: 2'), '[FnF.ALL]'), { id: 'ri-9' }, { T: () => Promise.reject(taskError('Busy', 'still busy')) });
    expect(callTimes).toEqual([0, 2, 4]);
    expect(result).toMatchObject({ status: 'Succeeded', output: { id: 'ri-9', code: 'Busy', detail: 'still busy' } });
  });

  it('an error no Retry rule matches goes straight to Catch, with no delay', async () => {
    const { result, callTimes } = await runFlow(taskFlow(rule('[Busy]', 'IntervalSeconds: 2\nMaxAttempts: 2'), '[Terminal, Other]'), { id: 1 }, { T: alwaysFail('Terminal') });
    expect(callTimes).toEqual([0]);
    expect(result.output).toMatchObject({ code: 'Terminal' });
  });

  it('an error no Catch rule matches fails the execution', async () => {
    const { result } = await runFlow(taskFlow(rule('[Busy]', 'IntervalSeconds: 2\nMaxAttempts: 0'), '[Other]'), {}, { T: alwaysFail('Terminal') });
    expect(result).toMatchObject({ status: 'Failed', error: 'Terminal', cause: 'Terminal happened' });
  });

  it('the first matching Catch rule wins; without OutputConstructor the next state gets the failed state\'s input', async () => {
    const flow = flowOf(
      '  - Type: Task\n    Name: T\n    Action: X:Y\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: First\n      - Errors: [Boom]\n        Next: Second\n    End: true\n  - Type: Pass\n    Name: First\n    End: true\n  - Type: Pass\n    Name: Second\n    End: true\n',
    );
    const { result, events } = await runFlow(flow, { keep: 'me' }, { T: alwaysFail('Boom') });
    expect(result.output).toEqual({ keep: 'me' });
    expect(events.filter((e) => e.type === 'StateEntered').map((e) => e.state)).toEqual(['T', 'First']);
  });
});

describe('history of a retried-then-caught task', () => {
  it('has the documented event order, the attempt, error and wait on each retry', async () => {
    const { events } = await runFlow(taskFlow(rule('[Busy]', 'IntervalSeconds: 3\nMaxAttempts: 2\nBackoffRate: 2'), '[FnF.ALL]'), { id: 1 }, { T: alwaysFail('Busy') });
    expect(events.map((e) => `${e.type}${e.state ? `:${e.state}` : ''}`)).toEqual([
      'ExecutionStarted',
      'StateEntered:T',
      'StateStarted:T',
      'TaskScheduled:T',
      'TaskFailed:T',
      'StateRetrying:T',
      'StateStarted:T',
      'TaskScheduled:T',
      'TaskFailed:T',
      'StateRetrying:T',
      'StateStarted:T',
      'TaskScheduled:T',
      'TaskFailed:T',
      'StateFailed:T',
      'StateEntered:Caught',
      'StateStarted:Caught',
      'StateSucceeded:Caught',
      'ExecutionSucceeded',
    ]);
    const retries = events.filter((e) => e.type === 'StateRetrying');
    expect(retries).toEqual([
      expect.objectContaining({ attempt: 1, error: 'Busy', cause: 'Busy happened', waitSeconds: 3, rule: 0, time: '2026-01-01T00:00:00.000Z' }),
      expect.objectContaining({ attempt: 2, waitSeconds: 6, time: '2026-01-01T00:00:03.000Z' }),
    ]);
    expect(events.find((e) => e.type === 'StateFailed')).toMatchObject({ caughtBy: 'Caught', error: 'Busy' });
    expect(events.map((e) => e.seq)).toEqual(events.map((_e, i) => i + 1));
    expect(events.every((e) => e.v === 1 && e.execution === 'test-run')).toBe(true);
  });
});

describe('the decision functions', () => {
  const base = { errors: ['E'], intervalSeconds: 2, maxAttempts: 3 };
  it.each([
    [{ ...base }, [2, 2, 2]],
    [{ ...base, backoffRate: 2 }, [2, 4, 8]],
    [{ ...base, backoffRate: 10, maxBackoffSeconds: 30 }, [2, 20, 30]],
    [{ ...base, intervalSeconds: 86_400, backoffRate: 2 }, [86_400, 86_400, 86_400]],
  ])('retryDelaySeconds %j', (retryRule, delays) => {
    expect([1, 2, 3].map((n) => retryDelaySeconds(retryRule, n, CLOUDFLOW_POLICY))).toEqual(delays);
  });

  it('decideAfterError retries, then catches, then gives up', () => {
    const retry = [{ ...base, maxAttempts: 1 }];
    const catchRules = [{ errors: ['FnF.ALL'], next: 'Handler' }];
    expect(decideAfterError(retry, catchRules, 'E', [0], CLOUDFLOW_POLICY)).toEqual({ retry: true, rule: 0, attempt: 1, waitSeconds: 2 });
    expect(decideAfterError(retry, catchRules, 'E', [1], CLOUDFLOW_POLICY)).toEqual({ retry: false, catchRule: 0, next: 'Handler' });
    expect(decideAfterError(retry, [], 'E', [1], CLOUDFLOW_POLICY)).toEqual({ retry: false });
  });
});
