/** Following a CloudFlow execution: paging, pacing, the end, Ctrl-C; and rebuilding history events from it. */
import { describe, expect, it, vi } from 'vitest';
import type { CloudFlowClient, ExecutionDescription, ExecutionHistoryEvent } from '../../src/cloudflow/client';
import { VirtualClock } from '../../src/flow/clock';
import { CloudFlowEventReader, type ReadEvent } from '../../src/cli/remote/cloud-events';
import { followExecution, MIN_CALL_INTERVAL_MS } from '../../src/cli/remote/follow';
import { rpcErrorFor } from '../../src/rpc/errors';

function event(eventId: number, type = 'StepEntered', stepName = 'S', detail: object = { stateType: 'Task', input: {} }): ExecutionHistoryEvent {
  return { eventId, stepName, type, time: new Date(Date.UTC(2026, 0, 1, 0, 0, eventId)).toISOString(), eventDetail: JSON.stringify(detail) };
}

function description(status: ExecutionDescription['status']): ExecutionDescription {
  return { flowName: 'f', name: 'e', status };
}

/** A fake CloudFlow API whose history grows as it is described, paged by 2 (NextToken = index, like the emulator). */
function fakeApi(clock: VirtualClock, batches: ExecutionHistoryEvent[][], fail: Array<Error | undefined> = []) {
  const all: ExecutionHistoryEvent[] = [];
  let released = 0;
  const calls: Array<{ at: number; action: string; token?: string }> = [];
  const release = (): void => {
    const batch = batches[released++];
    if (batch) all.push(...batch);
  };
  release();
  const client = {
    getExecutionHistory: vi.fn<CloudFlowClient['getExecutionHistory']>(async (_flow, _name, token) => {
      calls.push({ at: clock.now(), action: 'history', ...(token ? { token } : {}) });
      const from = token ? Number(token) : 0;
      const next = from + 2 < all.length ? String(from + 2) : undefined;
      return next ? { events: all.slice(from, from + 2), nextToken: next } : { events: all.slice(from, from + 2) };
    }),
    describeExecution: vi.fn<CloudFlowClient['describeExecution']>(async () => {
      calls.push({ at: clock.now(), action: 'describe' });
      const failure = fail.shift();
      if (failure) throw failure;
      release();
      return description(released > batches.length ? 'Succeeded' : 'Running');
    }),
  };
  return { client, calls };
}

describe('followExecution', () => {
  it('delivers every event once, in order, across pages and polls, and ends after the status does', async () => {
    const clock = new VirtualClock();
    const { client, calls } = fakeApi(clock, [[event(1), event(2), event(3)], [event(4)], [event(5), event(6)]]);
    const seen: number[] = [];
    const final = await followExecution({ client, flowName: 'f', executionName: 'e', clock, onEvent: (e) => seen.push(e.eventId) });
    expect(final.status).toBe('Succeeded');
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    // Never faster than one call per 500 ms, StartExecution (at time 0) included.
    const started = Date.UTC(2026, 0, 1);
    const gaps = calls.map((call, i) => call.at - (i === 0 ? started : (calls[i - 1] as { at: number }).at));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_CALL_INTERVAL_MS);
    // The last page is read again from its own token, not from the start.
    expect(calls.filter((call) => call.action === 'history' && call.token === undefined)).toHaveLength(1);
    expect(calls.at(-1)?.action).toBe('history');
  });

  it('retries throttling with a longer wait, and gives up on other errors', async () => {
    const clock = new VirtualClock();
    const throttled = rpcErrorFor({ code: 'Throttling.User', httpStatus: 400, apiMessage: 'slow down' });
    const { client, calls } = fakeApi(clock, [[event(1)]], [throttled]);
    expect((await followExecution({ client, flowName: 'f', executionName: 'e', clock, onEvent: () => undefined })).status).toBe('Succeeded');
    const describes = calls.filter((call) => call.action === 'describe');
    expect(describes).toHaveLength(2);
    expect((describes[1] as { at: number }).at - (describes[0] as { at: number }).at).toBeGreaterThanOrEqual(2 * MIN_CALL_INTERVAL_MS);

    const denied = rpcErrorFor({ code: 'Forbidden.RAM', httpStatus: 403, apiMessage: 'no' });
    const broken = fakeApi(clock, [[event(1)]], [denied]);
    await expect(followExecution({ client: broken.client, flowName: 'f', executionName: 'e', clock, onEvent: () => undefined })).rejects.toBe(denied);
  });

  it('stops following when its signal is aborted, without touching the execution', async () => {
    const clock = new VirtualClock();
    const { client } = fakeApi(clock, Array.from({ length: 50 }, (_, i) => [event(i + 1)]));
    const controller = new AbortController();
    const seen: number[] = [];
    const following = followExecution({
      client,
      flowName: 'f',
      executionName: 'e',
      clock,
      signal: controller.signal,
      onEvent: (e) => {
        seen.push(e.eventId);
        if (e.eventId === 3) controller.abort(new Error('stopped following'));
      },
    });
    await expect(following).rejects.toThrow('stopped following');
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('CloudFlow events → history events', () => {
  const readAll = (raws: ExecutionHistoryEvent[]): ReadEvent[] => {
    const reader = new CloudFlowEventReader('e1', 'riflow-modify-spec');
    return raws.map((raw) => reader.read(raw));
  };
  const rebuilt = (reads: ReadEvent[]) => reads.flatMap((read) => ('events' in read ? read.events : []));

  it('rebuilds a run from the documented events: a TaskFailed followed by a new TaskScheduled is a retry', () => {
    const scope = { scope: 'Batch.Items[0]' };
    const reads = readAll([
      event(1, 'ExecutionStarted', '', { input: {} }),
      event(2, 'StepEntered', 'ModifySpec', { stateType: 'Task', input: {}, ...scope }),
      event(3, 'StepStarted', 'ModifySpec', { stateType: 'Task', input: {}, ...scope }),
      event(4, 'TaskScheduled', 'ModifySpec', { action: 'FC:InvokeFunction', parameters: {}, retryCount: 0, ...scope }),
      event(5, 'TaskStarted', 'ModifySpec', scope),
      event(6, 'TaskFailed', 'ModifySpec', { error: 'IncorrectStatus', cause: 'busy', retryCount: 0, ...scope }),
      event(8, 'TaskScheduled', 'ModifySpec', { action: 'FC:InvokeFunction', parameters: {}, retryCount: 1, ...scope }),
      event(9, 'TaskStarted', 'ModifySpec', scope),
      event(10, 'TaskSucceeded', 'ModifySpec', { output: { Body: { changed: true } }, retryCount: 1, ...scope }),
      event(11, 'StepSucceeded', 'ModifySpec', { output: {}, ...scope }),
      event(12, 'StepExited', 'ModifySpec', scope),
      event(13, 'ExecutionSucceeded', '', { output: {} }),
    ]);
    const events = rebuilt(reads);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'StateEntered', 'StateStarted', 'TaskScheduled', 'TaskFailed', 'StateRetrying', 'TaskScheduled', 'TaskSucceeded', 'StateSucceeded', 'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', flow: 'riflow-modify-spec', execution: 'e1' });
    expect(events[0]).not.toHaveProperty('state');
    expect(events[5]).toEqual({
      v: 1, seq: 6, time: '2026-01-01T00:00:08.000Z', execution: 'e1', type: 'StateRetrying', state: 'ModifySpec',
      attempt: 1, error: 'IncorrectStatus', cause: 'busy', waitSeconds: 2, scope: 'Batch.Items[0]',
    });
    // TaskStarted and the StepExited after a result add nothing the view shows, and are not streamed.
    expect(reads.filter((read) => 'opaque' in read)).toEqual([]);
  });

  it('a StepExited without a result before it is a stopped step', () => {
    const events = rebuilt(readAll([
      event(1, 'StepEntered', 'Wait', { stateType: 'Wait', input: {} }),
      event(2, 'StepExited', 'Wait', {}),
      event(3, 'ExecutionStopped', '', { reason: 'stopped by StopExecution' }),
    ]));
    expect(events.map((e) => [e.type, e.state])).toEqual([['StateEntered', 'Wait'], ['StateAborted', 'Wait'], ['ExecutionStopped', undefined]]);
    expect(events[1]).toMatchObject({ reason: 'stopped' });
  });

  it('leaves what the view cannot read to a plain record: unknown types, missing fields, non-JSON details', () => {
    const raw = { ...event(3, 'StepEntered'), eventDetail: 'not json' };
    const reads = readAll([event(1, 'TaskSubmitted'), event(2, 'TaskFailed', 'S', { error: 1 }), raw]);
    expect(reads.every((read) => 'opaque' in read)).toBe(true);
    expect(reads[2]).toEqual({ opaque: { v: 1, type: 'CloudFlowEvent', seq: 3, time: raw.time, execution: 'e1', state: 'S', cloudflowType: 'StepEntered', detail: 'not json' } });
  });
});
