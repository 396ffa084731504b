/** The reference example (§3.7) with its four expected traces. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlowFile } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/model';
import { runFlow, taskError, trace, type TaskTable } from './helpers';

let flow: Flow;
beforeAll(async () => {
  flow = await loadFlowFile(join(import.meta.dirname, 'fixtures', 'ri-connect.yaml'), { expectedName: 'ri-connect' });
});

const input = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-123', spec: 'Large.2' };
const connectOk = () => ({ Body: { requestId: 'req-connect' } });
const modifyOk = () => ({ Body: { requestId: 'req-modify', changed: true } });

function tasks(overrides: TaskTable): TaskTable {
  return { Connect: connectOk, Modify: modifyOk, Describe: () => ({ Body: { status: 'Active', attempt: 1 } }), ...overrides };
}

describe('ri-connect reference traces', () => {
  it('1: Connecting then Active → Backoff once → Modify → success with Modify\'s output', async () => {
    let attempt = 0;
    const { result, events, calls, callTimes } = await runFlow(flow, input, tasks({
      Describe: () => ({ Body: { status: ++attempt < 2 ? 'Connecting' : 'Active', attempt } }),
    }));
    expect(trace(events)).toEqual(['Connect', 'Describe', 'IsActive', 'Backoff', 'Describe', 'IsActive', 'Modify']);
    expect(result).toMatchObject({ status: 'Succeeded', output: { routerInterfaceId: 'ri-123', result: { requestId: 'req-modify', changed: true } } });
    expect(callTimes).toEqual([0, 0, 10, 10]);
    // The first Describe has no attempt yet: the key is left out (policy missingPath).
    expect(calls[1]?.parameters.body).toEqual({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-123' });
    expect(calls[2]?.parameters.body).toEqual({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-123', attempt: 1 });
    expect(calls[3]?.parameters.body).toEqual({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-123', spec: 'Large.2' });
  });

  it('2: throttled four times → retries at 2/4/8 s → Catch → ConnectFailed', async () => {
    const { result, events, callTimes } = await runFlow(flow, input, tasks({
      Connect: () => Promise.reject(taskError('FC.ResourceThrottled', 'Rate exceeded (429)')),
    }));
    expect(callTimes).toEqual([0, 2, 6, 14]);
    expect(events.filter((e) => e.type === 'StateRetrying').map((e) => (e as { waitSeconds: number }).waitSeconds)).toEqual([2, 4, 8]);
    expect(trace(events)).toEqual(['Connect', 'ConnectFailed']);
    expect(events.find((e) => e.type === 'StateEntered' && e.state === 'ConnectFailed')).toMatchObject({
      input: { errorCode: 'FC.ResourceThrottled', errorDetail: 'Rate exceeded (429)' },
    });
    expect(result).toMatchObject({ status: 'Failed', error: 'ConnectFailed', cause: 'connect failed', counts: { retries: 3, taskCalls: 4 } });
  });

  it('3: errorType Error matches no Retry rule → Catch FnF.ALL at once', async () => {
    const { result, events, callTimes } = await runFlow(flow, input, tasks({ Connect: () => Promise.reject(new Error('boom')) }));
    expect(callTimes).toEqual([0]);
    expect(trace(events)).toEqual(['Connect', 'ConnectFailed']);
    expect(result).toMatchObject({ status: 'Failed', error: 'ConnectFailed' });
  });

  it('4: never Active → after attempt 30 → TimedOut (RiNotActive)', async () => {
    let attempt = 0;
    const { result, callTimes } = await runFlow(flow, input, tasks({ Describe: () => ({ Body: { status: 'Connecting', attempt: ++attempt } }) }));
    expect(result).toMatchObject({ status: 'Failed', error: 'RiNotActive', cause: 'router interface did not become Active in time' });
    expect(attempt).toBe(30);
    expect(callTimes.at(-1)).toBe(290);
  });
});
