import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudFlowClient } from '../../src/cloudflow/client';
import { createStartHandler } from '../../src/cloudflow/start-handler';
import { SYaml } from '../../src/serverless/s-yaml';
import { alert, queueEvent } from '../cloudflow/fixtures/queue-events';
import { ROOT, startStack, type Stack } from './harness';
import { ACCEPTOR, INITIATOR, REGION, demoPairSeed } from './seeds';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/**
 * The emulator with the local CloudFlow API on it, and the real `start` handler pointed at it, with the
 * environment s.yaml gives the start function (the alert bounds among it) resolved against the emulator.
 */
async function setUp(spec = 'Small.1', overrides: Record<string, string> = {}) {
  stack = await startStack({ seed: demoPairSeed({ status: 'Active', spec }, { status: 'Active' }), cloudflow: true });
  const cloudflow = stack.emulator.cloudflow as NonNullable<typeof stack.emulator.cloudflow>;
  const variables = { ...stack.env, RIFLOW_FLOW_ENDPOINT: stack.emulator.url };
  const declared = SYaml.readFile(join(ROOT, 's.yaml')).functionConfig('riflow-start', variables)?.environmentVariables;
  const env = { ...variables, ...declared, ...overrides };
  const start = createStartHandler({ env, log: () => undefined });
  const client = createCloudFlowClient({ endpoint: stack.emulator.url, credentials: stack.emulator.credentials });
  const context = (requestId: string) => ({ requestId, function: { name: 'riflow-start' }, region: REGION });
  return { stack, cloudflow, start, client, context };
}

const startCalls = (target: Stack) => target.emulator.control.calls().filter((call) => call.action === 'StartExecution');

const timerEvent = (time: string, spec: string) =>
  Buffer.from(
    JSON.stringify({
      triggerTime: time,
      triggerName: 'nightly-downgrade',
      payload: JSON.stringify({ flow: 'riflow-batch-modify-spec', changes: [{ regionId: REGION, routerInterfaceId: INITIATOR, spec }] }),
    }),
  );

describe('triggers through the start function and the local CloudFlow API', () => {
  it('a timer tick starts the batch workflow, which applies the change', async () => {
    const { start, client, cloudflow, context, stack } = await setUp();
    const result = await start(timerEvent('2026-11-24T14:00:00Z', 'Mini.5'), context('t1'));
    expect(result.executions).toEqual([
      { flowName: 'riflow-batch-modify-spec', executionName: 'nightly-downgrade-2026-11-24T14-00-00Z', source: 'timer', started: true, status: 'Running' },
    ]);
    await cloudflow.executions.settled();
    const execution = await client.describeExecution('riflow-batch-modify-spec', 'nightly-downgrade-2026-11-24T14-00-00Z');
    expect(execution.status).toBe('Succeeded');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({ total: 1, results: [{ outcome: 'succeeded', spec: 'Mini.5' }] });
    expect(stack.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR)).toMatchObject({ spec: 'Mini.5', status: 'Active' });
    const history = await client.getExecutionHistory('riflow-batch-modify-spec', 'nightly-downgrade-2026-11-24T14-00-00Z');
    expect(history.events[0]?.type).toBe('ExecutionStarted');
    expect(history.events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('a duplicate delivery of a finished tick starts nothing (ExecutionAlreadyExists is success)', async () => {
    const { start, cloudflow, context, stack } = await setUp();
    await start(timerEvent('2026-11-24T14:00:00Z', 'Mini.5'), context('t1'));
    await cloudflow.executions.settled();
    const again = await start(timerEvent('2026-11-24T14:00:00Z', 'Mini.5'), context('t2'));
    expect(again.executions[0]).toMatchObject({ started: false });
    expect(cloudflow.executions.list('riflow-batch-modify-spec')).toHaveLength(1);
    const modifies = stack.emulator.control.calls().filter((call) => call.action === 'ModifyRouterInterfaceSpec' && call.status === 200);
    expect(modifies).toHaveLength(1);
  });

  it('a duplicate delivered while the first run is still going gets that run back, not a second one', async () => {
    const { start, cloudflow, context } = await setUp();
    const [first, second] = await Promise.all([
      start(timerEvent('2026-11-25T00:00:00Z', 'Large.1'), context('a')),
      start(timerEvent('2026-11-25T00:00:00Z', 'Large.1'), context('b')),
    ]);
    expect(first.executions[0]?.executionName).toBe(second.executions[0]?.executionName);
    expect(cloudflow.executions.list('riflow-batch-modify-spec')).toHaveLength(1);
    await cloudflow.executions.settled();
  });

  it('an EventBridge event (single and batched) starts the modify-spec workflow named after the event', async () => {
    const { start, client, cloudflow, context } = await setUp();
    const cloudEvent = (id: string, spec: string) => ({ id, specversion: '1.0', source: 'riflow.bandwidth', type: 'riflow:SpecChangeRequested', data: { regionId: REGION, routerInterfaceId: INITIATOR, spec } });
    const single = await start(Buffer.from(JSON.stringify(cloudEvent('alarm-1', 'Large.2'))), context('e1'));
    expect(single.executions[0]).toMatchObject({ flowName: 'riflow-modify-spec', executionName: 'event-alarm-1', started: true });
    await cloudflow.executions.settled();
    expect((await client.describeExecution('riflow-modify-spec', 'event-alarm-1')).status).toBe('Succeeded');
    const batch = await start(JSON.stringify([cloudEvent('alarm-1', 'Large.2'), cloudEvent('alarm-2', 'Large.5')]), context('e2'));
    expect(batch.executions.map((execution) => [execution.executionName, execution.started])).toEqual([
      ['event-alarm-1', false],
      ['event-alarm-2', true],
    ]);
    await cloudflow.executions.settled();
  });

  it('refuses an invalid payload with a clear error and starts nothing', async () => {
    const { start, context, stack } = await setUp();
    const bad = Buffer.from(JSON.stringify({ triggerTime: 't', triggerName: 'n', payload: JSON.stringify({ changes: [{ regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Huge.9' }] }) }));
    await expect(start(bad, context('x'))).rejects.toMatchObject({ name: 'InvalidInput', field: 'event.payload.changes[0].spec' });
    expect(stack.emulator.control.calls().filter((call) => call.action === 'StartExecution')).toEqual([]);
  });

  it('answers CloudFlow errors for unknown flows and executions', async () => {
    const { client } = await setUp();
    await expect(client.startExecution('no-such-flow', {})).rejects.toMatchObject({ name: 'RequestRefused', code: 'FlowNotExists', httpStatus: 404 });
    await expect(client.describeExecution('riflow-modify-spec', 'never-ran')).rejects.toMatchObject({ name: 'RequestRefused', code: 'ExecutionNotExists', httpStatus: 404 });
  });

  it('a CloudMonitor alert from the request queue steps the interface one spec up, within the bounds', async () => {
    const { start, client, cloudflow, context, stack } = await setUp('Small.1');
    const result = await start(Buffer.from(JSON.stringify(queueEvent(alert({ resources: `{"instanceId": "${INITIATOR}"}` }), 'A1'))), context('q1'));
    expect(result.executions).toEqual([{ flowName: 'riflow-modify-spec', executionName: 'alert-A1', source: 'alert', started: true, status: 'Running' }]);
    await cloudflow.executions.settled();
    expect((await client.describeExecution('riflow-modify-spec', 'alert-A1')).status).toBe('Succeeded');
    expect(stack.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR)).toMatchObject({ spec: 'Small.2', status: 'Active' });
  });

  it('a Less… alert steps down; at a bound, for a cleared alert or an acceptor it starts nothing and says why', async () => {
    const { start, cloudflow, context, stack } = await setUp('Large.1');
    const onInitiator = { resources: `{"instanceId": "${INITIATOR}"}` };
    const atMax = await start(JSON.stringify(queueEvent(alert(onInitiator), 'B1')), context('q1'));
    expect(atMax.executions[0]).toMatchObject({ started: false, skipped: expect.stringContaining('RIFLOW_ALERT_MAX_SPEC Large.1 allows no step up') });
    const cleared = await start(JSON.stringify(queueEvent(alert({ ...onInitiator, curLevel: 'OK' }), 'B2')), context('q2'));
    expect(cleared.executions[0]).toMatchObject({ started: false, skipped: expect.stringContaining('cleared') });
    const acceptor = await start(JSON.stringify(queueEvent(alert({ resources: `{"instanceId": "${ACCEPTOR}"}` }), 'B3')), context('q3'));
    expect(acceptor.executions[0]).toMatchObject({ started: false, skipped: expect.stringContaining('only an initiating interface') });
    expect(startCalls(stack)).toEqual([]);
    const down = await start(JSON.stringify(queueEvent(alert(onInitiator, { comparisonOperator: 'LessThanThreshold' }), 'B4')), context('q4'));
    expect(down.executions[0]).toMatchObject({ executionName: 'alert-B4', started: true });
    await cloudflow.executions.settled();
    expect(stack.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR)).toMatchObject({ spec: 'Middle.5' });
  });

  it('a riflow request sent to the queue starts its flow; a duplicate delivery of the message starts nothing', async () => {
    const { start, cloudflow, context } = await setUp();
    const message = queueEvent({ regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Middle.1' }, 'C1');
    expect((await start(JSON.stringify(message), context('q1'))).executions[0]).toMatchObject({ executionName: 'message-C1', source: 'queue', started: true });
    await cloudflow.executions.settled();
    expect((await start(JSON.stringify(message), context('q2'))).executions[0]).toMatchObject({ started: false });
  });

  it('refuses bad alert bounds by name before any API call', async () => {
    const { start, context, stack } = await setUp('Small.1', { RIFLOW_ALERT_MAX_SPEC: 'Huge.9' });
    await expect(start(JSON.stringify(queueEvent(alert({ resources: `{"instanceId": "${INITIATOR}"}` }), 'D1')), context('q1'))).rejects.toMatchObject({
      name: 'InvalidInput',
      field: 'RIFLOW_ALERT_MAX_SPEC',
    });
    expect(stack.emulator.control.calls()).toEqual([]);
  });
});
