/**
 * The largest input each shipped workflow supports within CloudFlow's limits, run at that size in its worst case,
 * through the real interpreter, handler bundles and emulator on the virtual clock. Worst case, as budgeted in
 * src/cloudflow/workflow-input.ts: the write step (connect, modify, deactivate) is refused as a status conflict until
 * its conflict rule's 8 retries are used up, then the interface stays in progress for all 40 polls. The batch at one
 * change more would pass the 5,000-event limit: the interpreter fails it, and the start function refuses it first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createStartHandler } from '../../src/cloudflow/start-handler';
import { BATCH_WORST_CASE_EVENTS, MAX_BATCH_CHANGES } from '../../src/cloudflow/workflow-input';
import type { FaultRule } from '../../src/emulator/index';
import { CLOUDFLOW_EVENT_TYPES, CloudFlowHistory } from '../../src/flow/cloudflow-history';
import type { HistoryEvent } from '../../src/flow/history';
import { jsonByteSize, type JsonValue } from '../../src/flow/json';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { startStack, type RunOutcome, type Stack } from './harness';
import { INITIATOR, REGION, connectedPairsSeed, demoPairSeed } from './seeds';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const LIMIT = CLOUDFLOW_LIMITS.historyEvents.value;
/** Refused as the interface settles, for the first 8 calls of `action`: the conflict rule's MaxAttempts. */
const refusedEightTimes = (action: string): FaultRule => ({
  action,
  calls: '0-7',
  error: { code: 'IncorrectStatus', status: 400, message: 'The status of the router interface is incorrect.' },
});
/** A transition that outlasts the workflow's 40 polls. */
const STUCK = { mode: 'describes', count: 1000 } as const;

/** Every limit of the run: documented events only, as many as counted, within 5,000; every state's data within 64 KiB. */
function expectWithinLimits({ result, events }: RunOutcome): void {
  const history = new CloudFlowHistory(CLOUDFLOW_POLICY);
  events.forEach((event) => history.add(event));
  expect(history.events).toHaveLength(result.historyEvents);
  expect(result.historyEvents).toBeLessThanOrEqual(LIMIT);
  const documented = new Set<string>(CLOUDFLOW_EVENT_TYPES);
  expect(history.events.filter((event) => !documented.has(event.Type))).toEqual([]);
  const data = events.flatMap((event) => ['input' in event ? event.input : undefined, 'output' in event ? event.output : undefined]);
  const largest = Math.max(...data.filter((value): value is JsonValue => value !== undefined).map((value) => jsonByteSize(value, Infinity)));
  expect(largest).toBeLessThan(CLOUDFLOW_LIMITS.stateDataBytes.value);
}

const count = (events: HistoryEvent[], type: string, state: string, scope?: string) =>
  events.filter((event) => event.type === type && event.state === state && (scope === undefined || event.scope === scope)).length;

/** `n` connected pairs whose initiators are still settling from an earlier change (Modifying, for 16 describes:
 * the modify-spec handler describes twice per refused call, so 8 calls are refused, then the 9th goes through). */
function settlingPairs(n: number) {
  const { seed, initiators } = connectedPairsSeed(n);
  for (const ri of seed.interfaces ?? []) {
    if (initiators.includes(ri.routerInterfaceId)) Object.assign(ri, { status: 'Modifying', pending: { since: 0, describes: 0 } });
  }
  const changes = initiators.map((routerInterfaceId) => ({ regionId: REGION, routerInterfaceId, spec: 'Large.1' }));
  return { seed, changes };
}
const settlingConfig = { transitions: { Modifying: { mode: 'describes', count: 16 }, Activating: STUCK } } as const;

describe('batch-modify-spec at its largest batch', () => {
  it(`runs ${MAX_BATCH_CHANGES} changes in the worst case within 5,000 events, 64 KiB per state and its Timeout`, async () => {
    const { seed, changes } = settlingPairs(MAX_BATCH_CHANGES);
    stack = await startStack({ seed, config: settlingConfig });
    const run = await stack.run('batch-modify-spec', { changes });
    const { result, events } = run;
    expect(result.status).toBe('Succeeded');
    expect(result.output).toMatchObject({ total: MAX_BATCH_CHANGES });
    const results = (result.output?.results ?? []) as Array<{ outcome: string; error?: { Code: string } }>;
    expect(results.map((item) => [item.outcome, item.error?.Code])).toEqual(changes.map(() => ['failed', 'PollTimeout']));
    for (let item = 0; item < MAX_BATCH_CHANGES; item++) {
      const scope = `ApplyChanges.Items[${item}]`;
      expect(count(events, 'TaskFailed', 'ModifySpec', scope)).toBe(8);
      expect(count(events, 'TaskScheduled', 'Describe', scope)).toBe(40);
    }
    // The worst case is exactly what workflow-input.ts budgets: 6 + 7 × 637 = 4,465 events.
    expect(result.historyEvents).toBe(BATCH_WORST_CASE_EVENTS.perExecution + MAX_BATCH_CHANGES * BATCH_WORST_CASE_EVENTS.perChange);
    expectWithinLimits(run);
    expect(Date.parse(result.stoppedAt) - Date.parse(result.startedAt)).toBeLessThan(7200_000);
  });

  it('one change more would pass 5,000 events: the interpreter fails it, and the start function refuses it before any call', async () => {
    const { seed, changes } = settlingPairs(MAX_BATCH_CHANGES + 1);
    stack = await startStack({ seed, config: settlingConfig, cloudflow: true });
    const { result } = await stack.run('batch-modify-spec', { changes });
    expect(result).toMatchObject({ status: 'Failed', error: 'FnF.HistoryLimitExceeded' });
    expect(result.cause).toMatch(/CloudFlow allows 5000 history events per execution \(https:\/\/help\.aliyun\.com\/en\/document_detail\/122093\.html\)$/);
    expect(result.historyEvents).toBeLessThanOrEqual(LIMIT);

    await stack.emulator.control.reset();
    const start = createStartHandler({ env: { ...stack.env, RIFLOW_FLOW_ENDPOINT: stack.emulator.url }, log: () => undefined });
    const event = Buffer.from(JSON.stringify({ flow: 'riflow-batch-modify-spec', input: { changes } }));
    await expect(start(event, { requestId: 'r-1', function: { name: 'riflow-start' } })).rejects.toMatchObject({
      name: 'InvalidInput',
      field: 'event.input.changes',
      rule: 'batch-size',
      message: expect.stringContaining('5000 history events per execution (https://help.aliyun.com/en/document_detail/122093.html)'),
    });
    expect(stack.emulator.control.calls()).toEqual([]);
    expect(stack.emulator.cloudflow?.executions.list('riflow-batch-modify-spec')).toEqual([]);
  });
});

describe('the single-interface workflows at their worst case', () => {
  const active = () => demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' });

  it.each([
    {
      workflow: 'modify-spec',
      seed: active,
      faults: [refusedEightTimes('ModifyRouterInterfaceSpec')],
      transitions: { Activating: STUCK },
      input: { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1' },
      writes: ['ModifySpec'],
      events: 637,
    },
    {
      workflow: 'deactivate',
      seed: active,
      faults: [refusedEightTimes('DeactivateRouterInterface')],
      transitions: { Deactivating: STUCK },
      input: { regionId: REGION, routerInterfaceId: INITIATOR },
      writes: ['Deactivate'],
      events: 637,
    },
    {
      workflow: 'connect-and-modify-spec',
      seed: () => demoPairSeed({}),
      faults: [refusedEightTimes('ConnectRouterInterface'), refusedEightTimes('ModifyRouterInterfaceSpec')],
      // Connected on the 40th describe, the last one the cap allows; then the spec change never settles.
      transitions: { Connecting: { mode: 'describes', count: 39 } as const, Activating: STUCK },
      input: { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1' },
      writes: ['Connect', 'ModifySpec'],
      events: 1272,
    },
  ])('$workflow: $events events with every write retried 8 times and 40 polls per wait', async ({ workflow, seed, faults, transitions, input, writes, events: expected }) => {
    stack = await startStack({ seed: seed(), faults, config: { transitions } });
    const run = await stack.run(workflow, input);
    expect(run.result).toMatchObject({ status: 'Failed', error: 'PollTimeout' });
    for (const write of writes) expect(count(run.events, 'TaskFailed', write)).toBe(8);
    expect(count(run.events, 'TaskScheduled', 'Describe')).toBe(40 * writes.length);
    expect(run.result.historyEvents).toBe(expected);
    expectWithinLimits(run);
  });
});
