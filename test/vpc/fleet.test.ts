/**
 * The fleet's shard logic (src/vpc/fleet.ts) and its inputs (selector, events), against the emulator over HTTP with
 * the real client: planning shards, a round of writes, a poll, the reports — and the largest report, which must fit
 * CloudFlow's 64 KiB.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fleetSeed } from '../../bench/support/fleet-run';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { VirtualClock } from '../../src/flow/clock';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { InvalidInputError } from '../../src/input-error/invalid-input';
import { PAGE_SIZE, createVpcClient } from '../../src/vpc/client';
import { applyRound, planShards, pollShard, readShard, reportFleet, summarizeShard, type Shard } from '../../src/vpc/fleet';
import { parseFleetEvent } from '../../src/vpc/fleet-event';
import { FLEET_LIMITS } from '../../src/vpc/fleet-limits';
import { nameMatches, selectorQuery } from '../../src/vpc/selector';

const REGION = 'cn-hangzhou';
const TAG = { tag: { key: 'riflow-fleet', value: 'office-links' } };

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function fleet(pairs: number, options: { config?: object; clock?: VirtualClock } = {}) {
  const { seed, initiators } = fleetSeed(pairs);
  emulator = await startEmulator({ seed, config: { preset: 'fast', ...options.config }, ...(options.clock ? { clock: options.clock } : {}) });
  const client = createVpcClient({ endpoint: emulator.url, credentials: emulator.credentials, retry: { maxAttempts: 1 } });
  return { client, initiators, emulator };
}

function refusal(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('selectors', () => {
  it('match names by pattern (* and ?, everything else literal) and ask the API for what it can filter', () => {
    expect(nameMatches({ namePattern: 'night-*' }, 'night-link-1')).toBe(true);
    expect(nameMatches({ namePattern: 'night-*' }, 'day-1')).toBe(false);
    expect(nameMatches({ namePattern: 'ri?.b' }, 'ri1.b')).toBe(true);
    expect(nameMatches({ namePattern: 'a.b*' }, 'axb')).toBe(false);
    expect(nameMatches({ namePattern: 'exact' }, 'exact')).toBe(true);
    expect(nameMatches({ namePattern: 'night-*' }, undefined)).toBe(false);
    expect(nameMatches({ routerId: 'vrt-a' }, undefined)).toBe(true);
    expect(selectorQuery({ routerId: 'vrt-a', namePattern: 'exact', ...TAG })).toEqual({
      filters: [{ key: 'RouterId', values: ['vrt-a'] }, { key: 'Name', values: ['exact'] }],
      tags: [TAG.tag],
    });
    expect(selectorQuery({ namePattern: 'night-*' })).toEqual({ filters: [], tags: [] });
  });

  it('shard by the API page', () => {
    expect(FLEET_LIMITS.shardSize).toBe(PAGE_SIZE);
  });
});

describe('planShards', () => {
  it('makes one shard per page of a selector (one describe), the first wave spaced apart', async () => {
    const { client, emulator } = await fleet(120);
    const plan = await planShards(client, REGION, { select: TAG }, 2);
    expect(plan).toEqual({
      matched: 120,
      failuresPerShard: 50,
      shards: [
        { index: 0, page: 1, delaySeconds: 0 },
        { index: 1, page: 2, delaySeconds: FLEET_LIMITS.shardSpacingSeconds },
        { index: 2, page: 3, delaySeconds: 0 },
      ],
    });
    expect(emulator.control.calls().map((call) => call.action)).toEqual(['DescribeRouterInterfaces']);
  });

  it('chunks a list of ids into shards of 50 without any call, and refuses a selector matching more than 10,000', async () => {
    const { client, emulator } = await fleet(2);
    const ids = Array.from({ length: 120 }, (_, i) => `ri-x${i}`);
    const plan = await planShards(client, REGION, { routerInterfaceIds: ids }, 10);
    expect(plan.shards.map((shard) => shard.ids?.length)).toEqual([50, 50, 20]);
    expect(emulator.control.calls()).toEqual([]);
    const huge = { ...client, page: async () => ({ requestId: 'r', items: [], totalCount: 10_001 }) };
    await expect(planShards(huge, REGION, { select: TAG }, 10)).rejects.toMatchObject({ name: 'InvalidInput', field: 'select', rule: 'fleet-size', message: expect.stringContaining('matches 10001 interfaces; riflow-fleet-modify-spec changes at most 10000') });
  });
});

describe('a shard', () => {
  const shard: Shard = { index: 0, page: 1, delaySeconds: 0 };

  it('reads its page, changes what is not at the spec with ClientTokens, and polls until each is Active', async () => {
    const clock = new VirtualClock(Date.now());
    const { client, initiators, emulator } = await fleet(3, { clock, config: { transitions: { Activating: { mode: 'delay', ms: 60_000 } } } });
    const read = await readShard(client, REGION, 'Large.1', { select: TAG }, shard);
    expect(read).toEqual({ results: Object.fromEntries(initiators.map((id) => [id, 'todo'])), todo: 3, excluded: 0 });
    const round = await applyRound(client, REGION, 'Large.1', { select: TAG }, shard, read.results, 0, 'nightly-a1b2c3d4-0');
    expect(round).toMatchObject({ todo: 0, round: 1, results: Object.fromEntries(initiators.map((id) => [id, 'pending'])) });
    // A repeated round (a replayed step) sends the same tokens: nothing applies twice.
    await applyRound(client, REGION, 'Large.1', { select: TAG }, shard, read.results, 0, 'nightly-a1b2c3d4-0');
    expect(emulator.control.appliedSpecChanges()).toEqual(Object.fromEntries(initiators.map((id) => [id, 1])));
    const early = await pollShard(client, REGION, 'Large.1', { select: TAG }, shard, round.results, 0);
    expect(early).toMatchObject({ pending: 3, attempt: 1, nextPollSeconds: 5 });
    clock.advance(60_000);
    const settled = await pollShard(client, REGION, 'Large.1', { select: TAG }, shard, early.results, early.attempt);
    expect(settled).toMatchObject({ pending: 0, results: Object.fromEntries(initiators.map((id) => [id, 'changed'])) });
    expect(summarizeShard(shard, settled.results, 0, 2)).toEqual({ shard: 0, total: 3, changed: 3, unchanged: 0, failed: 0, pending: 0, excluded: 0, failures: [], failuresNotListed: 0 });
  });

  it('ends a round at the first throttling, keeps what conflicts for the next round, and gives it up after the last', async () => {
    const { client, initiators, emulator } = await fleet(4, { config: { rateLimits: { ModifyRouterInterfaceSpec: { capacity: 2 } } } });
    const todo = Object.fromEntries(initiators.map((id) => [id, 'todo']));
    const round = await applyRound(client, REGION, 'Large.1', { routerInterfaceIds: initiators }, { index: 0, ids: initiators, delaySeconds: 0 }, todo, 0, 'x');
    expect(Object.values(round.results)).toEqual(['pending', 'pending', 'todo:TransientFailure', 'todo:TransientFailure']);
    expect(emulator.control.calls().filter((call) => call.action === 'ModifyRouterInterfaceSpec')).toHaveLength(3);
    const last = await applyRound(client, REGION, 'Large.1', { routerInterfaceIds: initiators }, { index: 0, ids: initiators, delaySeconds: 0 }, round.results, FLEET_LIMITS.roundCap - 1, 'x');
    expect(last.todo).toBe(0);
    expect(Object.values(last.results).filter((outcome) => outcome === 'TransientFailure')).toHaveLength(2);
  });

  it('takes a throttled poll as a poll that read nothing, and waits at least a minute before the next', async () => {
    const { client, initiators } = await fleet(2, { config: { rateLimits: { DescribeRouterInterfaces: { capacity: 1 } } } });
    const pending = Object.fromEntries(initiators.map((id) => [id, 'pending']));
    const first = await pollShard(client, REGION, 'Large.1', { select: TAG }, shard, pending, 3);
    expect(first).toMatchObject({ throttled: false, attempt: 4 });
    const throttled = await pollShard(client, REGION, 'Large.1', { select: TAG }, shard, pending, 4);
    expect(throttled).toEqual({ results: pending, pending: 2, attempt: 5, nextPollSeconds: 60, throttled: true });
    const last = await pollShard(client, REGION, 'Large.1', { select: TAG }, shard, pending, FLEET_LIMITS.pollCap - 1);
    expect(last).toMatchObject({ throttled: true, pending: 0, results: Object.fromEntries(initiators.map((id) => [id, 'PollTimeout'])) });
    // A round whose re-read is throttled makes no writes and keeps everything to do.
    const round = await applyRound(client, REGION, 'Large.1', { select: TAG }, shard, Object.fromEntries(initiators.map((id) => [id, 'todo'])), 1, 'x');
    expect(round).toMatchObject({ todo: 2, results: Object.fromEntries(initiators.map((id) => [id, 'todo:TransientFailure'])) });
  });

  it('waits a jittered, capped backoff between rounds, the same for the same execution', async () => {
    const { client } = await fleet(1);
    const wait = async (round: number, name: string) => (await applyRound(client, REGION, 'Large.1', { select: TAG }, { index: 0, page: 1, delaySeconds: 0 }, {}, round, name)).nextRoundSeconds;
    for (const round of [0, 1, 2, 3, 4, 5, 9]) {
      const ceiling = Math.min(60, 2 * 2 ** round);
      const seconds = await wait(round, 'shard-a');
      expect(seconds).toBeGreaterThanOrEqual(Math.max(1, ceiling / 2));
      expect(seconds).toBeLessThanOrEqual(ceiling);
      expect(await wait(round, 'shard-a')).toBe(seconds);
    }
    const spread = new Set(await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => wait(9, name))));
    expect(spread.size).toBeGreaterThan(2);
  });
});

describe('reports', () => {
  it('the largest fleet’s report fits 64 KiB, even when every interface fails with the longest code', () => {
    const shards = FLEET_LIMITS.maxInterfaces / FLEET_LIMITS.shardSize;
    const perShard = Math.floor(FLEET_LIMITS.failuresListed / shards);
    const code = 'RouterInterfaceNotFound'.padEnd(32, 'x');
    const summaries = Array.from({ length: shards }, (_, s) => {
      const results = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`ri-2zeo3xzyf38r4urz${String(s * 50 + i).padStart(5, '0')}`, code]));
      return summarizeShard({ index: s }, results, 50, perShard);
    });
    // What the distributed Map collects ({Items}), and what the fleet reports from it.
    expect(Buffer.byteLength(JSON.stringify({ Items: summaries }))).toBeLessThan(CLOUDFLOW_LIMITS.stateDataBytes.value);
    const report = reportFleet(summaries);
    expect(report).toMatchObject({ total: 10_000, failed: 10_000, shards: 200, failuresNotListed: 10_000 - FLEET_LIMITS.failuresListed });
    expect(report.failures).toHaveLength(FLEET_LIMITS.failuresListed);
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(CLOUDFLOW_LIMITS.stateDataBytes.value);
    expect(reportFleet([summaries[0] as (typeof summaries)[number], { Error: { Code: 'ReadShardFailed' } }]).shardsFailed).toEqual([{ shard: 1, code: 'ReadShardFailed' }]);
  });
});

describe('the fleet function’s events', () => {
  it.each([
    [{ op: 'fly' }, 'op', 'enum'],
    [{ op: 'shards', regionId: REGION, spec: 'Large.1', concurrency: 10 }, 'select', 'fleet-target'],
    [{ op: 'shards', regionId: REGION, spec: 'Large.1', select: TAG, concurrency: 101 }, 'concurrency', 'range'],
    [{ op: 'read', regionId: REGION, spec: 'Large.1', shard: { index: 0, page: 1 }, failuresListed: 2 }, 'select', 'fleet-target'],
    [{ op: 'read', regionId: REGION, spec: 'Large.1', select: TAG, shard: { index: 0, page: 1, ids: ['ri-a'] }, failuresListed: 2 }, 'shard', 'shape'],
    [{ op: 'read', regionId: REGION, spec: 'Large.1', select: TAG, shard: { index: 0, page: 201 }, failuresListed: 2 }, 'shard.page', 'range'],
    [{ op: 'poll', regionId: REGION, spec: 'Large.1', select: TAG, shard: { index: 0, page: 1 }, failuresListed: 2, results: { 'ri-a': 'a b' } }, 'results.ri-a', 'format'],
    [{ op: 'apply', regionId: REGION, spec: 'Large.1', select: TAG, shard: { index: 0, page: 1 }, failuresListed: 2, results: {}, round: 0 }, 'executionName', 'format'],
    [{ op: 'report', regionId: REGION, shards: [{ shard: 0 }] }, 'shards[0].total', 'range'],
  ])('refuses %j naming %s (rule %s)', (event, field, rule) => {
    expect(refusal(() => parseFleetEvent(event, undefined))).toMatchObject({ field, rule });
  });

  it('reads a shard of ids without a selector, and takes the function’s region when the event has none', () => {
    expect(parseFleetEvent({ op: 'read', spec: 'Large.1', shard: { index: 0, ids: ['ri-a'] }, failuresListed: 2 }, REGION)).toMatchObject({
      regionId: REGION,
      target: { routerInterfaceIds: ['ri-a'] },
      shard: { index: 0, ids: ['ri-a'], delaySeconds: 0 },
    });
  });
});
