/** Following a CloudFlow execution: paging, pacing, the end, Ctrl-C; and rebuilding history events from it. */
import { describe, expect, it, vi } from 'vitest';
import type { CloudFlowClient, ExecutionDescription, ExecutionHistoryEvent } from '../../src/cloudflow/client';
import { VirtualClock } from '../../src/flow/clock';
import { opaqueEvent, toHistoryEvent } from '../../src/cli/remote/cloud-events';
import { followExecution, MIN_CALL_INTERVAL_MS } from '../../src/cli/remote/follow';
import { CLIENT_CATALOGUE, vpcErrorFor } from '../../src/vpc/errors';

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
    const throttled = vpcErrorFor({ code: 'Throttling.User', httpStatus: 400, apiMessage: 'slow down' }, { catalogue: CLIENT_CATALOGUE });
    const { client, calls } = fakeApi(clock, [[event(1)]], [throttled]);
    expect((await followExecution({ client, flowName: 'f', executionName: 'e', clock, onEvent: () => undefined })).status).toBe('Succeeded');
    const describes = calls.filter((call) => call.action === 'describe');
    expect(describes).toHaveLength(2);
    expect((describes[1] as { at: number }).at - (describes[0] as { at: number }).at).toBeGreaterThanOrEqual(2 * MIN_CALL_INTERVAL_MS);

    const denied = vpcErrorFor({ code: 'Forbidden.RAM', httpStatus: 403, apiMessage: 'no' }, { catalogue: CLIENT_CATALOGUE });
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
  it('rebuilds the emulator\'s events (type names mapped back, detail spread, scope kept)', () => {
    const rebuilt = toHistoryEvent(event(7, 'StepRetrying', 'Connect', { attempt: 1, error: 'OperationConflict', cause: 'busy', waitSeconds: 2, rule: 0, scope: 'Fanout.Branch0' }), 'e1');
    expect(rebuilt).toEqual({
      v: 1, seq: 7, time: '2026-01-01T00:00:07.000Z', execution: 'e1', type: 'StateRetrying', state: 'Connect',
      attempt: 1, error: 'OperationConflict', cause: 'busy', waitSeconds: 2, rule: 0, scope: 'Fanout.Branch0',
    });
    expect(toHistoryEvent(event(9, 'ExecutionFailed', '', { error: 'E', cause: 'c' }), 'e1')).toMatchObject({ type: 'ExecutionFailed', error: 'E' });
    expect(toHistoryEvent(event(9, 'ExecutionFailed', '', { error: 'E', cause: 'c' }), 'e1')).not.toHaveProperty('state');
  });

  it('leaves what the view cannot read to a plain record: unknown types, missing fields, non-JSON details', () => {
    expect(toHistoryEvent(event(1, 'TaskStarted'), 'e1')).toBeUndefined();
    expect(toHistoryEvent(event(2, 'StepRetrying', 'S', { attempt: '1' }), 'e1')).toBeUndefined();
    const raw = { ...event(3, 'StepEntered'), eventDetail: 'not json' };
    expect(toHistoryEvent(raw, 'e1')).toBeUndefined();
    expect(opaqueEvent(raw, 'e1')).toEqual({ v: 1, type: 'CloudFlowEvent', seq: 3, time: raw.time, execution: 'e1', state: 'S', cloudflowType: 'StepEntered', detail: 'not json' });
  });
});
