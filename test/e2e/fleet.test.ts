/**
 * riflow-fleet-modify-spec end to end, small: the shipped workflow through the interpreter, the real handler bundles
 * and the emulator over HTTP on the virtual clock, as the fleet benchmark runs it (bench/support/fleet-run.ts) — five-
 * minute spec changes, random faults, the VPC API's quotas. Then the same flow started the way the nightly timer
 * starts it, through the start function and the local CloudFlow API, where its sub-executions are executions of
 * their own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fleetSeed, runFleet, type FleetRunResult } from '../../bench/support/fleet-run';
import { createCloudFlowClient } from '../../src/cloudflow/client';
import { createStartHandler } from '../../src/cloudflow/start-handler';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { ROOT, startStack, type Stack } from './harness';
import { REGION } from './seeds';

const EVENTS = CLOUDFLOW_LIMITS.historyEvents.value;
const BYTES = CLOUDFLOW_LIMITS.stateDataBytes.value;
const FIVE_MINUTES = 300_000;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** Every interface at its spec, each change applied exactly once, every execution within its own limits. */
function expectConverged(run: FleetRunResult, interfaces: number): void {
  expect(run.parent.status).toBe('Succeeded');
  expect(run.atTarget).toBe(interfaces);
  expect(Object.keys(run.applied).sort()).toEqual([...run.initiators].sort());
  expect(new Set(Object.values(run.applied))).toEqual(new Set([1]));
  for (const execution of [run.parent, ...run.children]) {
    expect(execution.historyEvents, execution.name).toBeLessThanOrEqual(EVENTS);
    expect(execution.largestPayloadBytes, execution.name).toBeLessThan(BYTES);
  }
  expect(run.children.every((child) => child.status === 'Succeeded')).toBe(true);
}

describe('riflow-fleet-modify-spec', () => {
  it('120 interfaces, their acceptors tagged too, 5-minute changes and 10% random faults: all converge, each change applied once', async () => {
    const run = await runFleet({ interfaces: 120, tagAcceptors: true, faultRate: 0.1, changeMs: FIVE_MINUTES, spec: 'Large.1', seed: 14 });
    expectConverged(run, 120);
    // 240 tagged interfaces make five pages: five shards, the acceptors left out of each.
    expect(run.parent.output).toEqual({ total: 120, changed: 120, unchanged: 0, failed: 0, excluded: 120, failures: [], failuresNotListed: 0, shards: 5, shardsFailed: [] });
    expect(run.children).toHaveLength(5);
    expect(run.faultsInjected).toBeGreaterThan(20);
    // Modifies: one per interface, plus the faults' retries; describes: about one per shard per poll, not per interface.
    expect(run.apiCalls.ModifyRouterInterfaceSpec).toBeLessThan(120 * 1.3);
    expect(run.apiCalls.DescribeRouterInterfaces).toBeLessThan(5 * 40);
    expect(run.simulatedMs).toBeGreaterThanOrEqual(FIVE_MINUTES);
  });

  it('converges under heavy throttling: with Describe and Modify at 20 calls a minute, the retries absorb every Throttling.User', async () => {
    const quota = { capacity: 20, windowMs: 60_000 };
    const run = await runFleet({
      interfaces: 100,
      faultRate: 0,
      changeMs: FIVE_MINUTES,
      spec: 'Small.5',
      seed: 3,
      config: { rateLimits: { DescribeRouterInterfaces: quota, ModifyRouterInterfaceSpec: quota } },
    });
    expectConverged(run, 100);
    expect(run.throttles).toBeGreaterThan(10);
    expect(run.parent.output).toMatchObject({ total: 100, changed: 100, failed: 0 });
  });

  it('reports what is already at the spec and names what fails, without stopping the rest', async () => {
    const unchanged = await runFleet({ interfaces: 30, faultRate: 0, changeMs: 1_000, spec: 'Small.1', seed: 1 });
    expect(unchanged.parent.output).toMatchObject({ total: 30, changed: 0, unchanged: 30, failed: 0, shards: 1 });
    expect(unchanged.apiCalls).toEqual({ DescribeRouterInterfaces: 2 });
    // Mini specs stay within a region (the emulator's rule): an interface to another region refuses Mini.5.
    const mixed = await runFleet({ interfaces: 30, faultRate: 0, changeMs: 1_000, spec: 'Mini.5', seed: 1, crossRegion: 3 });
    expect(mixed.parent.output).toMatchObject({
      total: 30,
      changed: 27,
      failed: 3,
      failures: [0, 1, 2].map((n) => ({ id: `ri-pair${n}init00000000000000`, code: 'UnsupportedSpec' })),
    });
  });
});

describe('a shard at its worst', () => {
  it('19 rounds of writes refused as conflicts, then 40 polls that never see Active: within 5,000 events, every interface named', async () => {
    const conflict = { code: 'OperationConflict', status: 400, message: 'Request was denied due to conflict with a previous request.' };
    const run = await runFleet({
      interfaces: 50,
      faultRate: 0,
      faults: [{ action: 'ModifyRouterInterfaceSpec', calls: `0-${50 * 19 - 1}`, error: conflict }],
      changeMs: 10 * 3600_000,
      spec: 'Large.1',
      seed: 1,
    });
    expect(run.parent.output).toMatchObject({ total: 50, changed: 0, failed: 50, failuresNotListed: 0, shards: 1 });
    expect((run.parent.output?.failures as Array<{ code: string }>).map((failure) => failure.code)).toEqual(Array.from({ length: 50 }, () => 'PollTimeout'));
    expect(run.apiCalls.ModifyRouterInterfaceSpec).toBe(50 * 20);
    const [shard] = run.children;
    // Rounds and polls cost events per round and per poll, not per interface: far below the 5,000 of one execution.
    expect(shard?.historyEvents).toBeLessThan(1_000);
    expect(shard?.largestPayloadBytes).toBeLessThan(BYTES);
  });
});

describe('the nightly timer through the start function and the local CloudFlow API', () => {
  it('starts the fleet run; each shard is an execution of its own, listed by its map run', async () => {
    const { seed, initiators } = fleetSeed(60);
    stack = await startStack({ seed, cloudflow: true, config: { transitions: { Activating: { mode: 'delay', ms: FIVE_MINUTES } } } });
    const cloudflow = stack.emulator.cloudflow as NonNullable<typeof stack.emulator.cloudflow>;
    const sYaml = parse(readFileSync(join(ROOT, 's.yaml'), 'utf8')) as { resources: { start: { props: { triggers: Array<{ triggerName: string; triggerConfig: { payload: string } }> } } } };
    const nightly = sYaml.resources.start.props.triggers.find((trigger) => trigger.triggerName === 'nightly-downgrade');
    const payload = JSON.parse(nightly?.triggerConfig.payload ?? '{}') as Record<string, unknown>;
    expect(payload).toMatchObject({ flow: 'riflow-fleet-modify-spec', spec: 'Small.1', select: { tag: { key: 'riflow-fleet', value: 'office-links' } } });
    const start = createStartHandler({ env: { ...stack.env, RIFLOW_FLOW_ENDPOINT: stack.emulator.url }, log: () => undefined });
    const tick = { triggerTime: '2026-11-24T14:00:00Z', triggerName: 'nightly-downgrade', payload: JSON.stringify({ ...payload, regionId: REGION, spec: 'Large.2' }) };
    const started = await start(Buffer.from(JSON.stringify(tick)), { requestId: 't', function: { name: 'riflow-start' }, region: REGION });
    expect(started.executions).toEqual([expect.objectContaining({ flowName: 'riflow-fleet-modify-spec', executionName: 'nightly-downgrade-2026-11-24T14-00-00Z', started: true })]);
    await cloudflow.executions.settled();

    const client = createCloudFlowClient({ endpoint: stack.emulator.url, credentials: stack.emulator.credentials });
    const parent = await client.describeExecution('riflow-fleet-modify-spec', 'nightly-downgrade-2026-11-24T14-00-00Z');
    expect(parent.status).toBe('Succeeded');
    expect(JSON.parse(parent.output ?? '{}')).toMatchObject({ total: 60, changed: 60, failed: 0, shards: 2 });
    const history = await client.getExecutionHistory('riflow-fleet-modify-spec', 'nightly-downgrade-2026-11-24T14-00-00Z');
    const mapRun = history.events.find((event) => event.type === 'MapRunStarted');
    expect(history.events.filter((event) => event.stepName === 'ReadShard')).toEqual([]);
    const mapRunName = (JSON.parse(mapRun?.eventDetail ?? '{}') as { mapRunName?: string }).mapRunName ?? '';
    const children = cloudflow.executions.listMapRun('riflow-fleet-modify-spec', mapRunName);
    expect(children.map((child) => child.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(cloudflow.executions.list('riflow-fleet-modify-spec').map((execution) => execution.name)).toEqual(['nightly-downgrade-2026-11-24T14-00-00Z']);
    for (const child of children) expect(child.history.events.length).toBeLessThanOrEqual(EVENTS);
    const state = stack.emulator.control.state();
    expect(initiators.every((id) => state.interfaces.find((ri) => ri.routerInterfaceId === id)?.spec === 'Large.2')).toBe(true);
  });
});
