/**
 * The contract of workflows/fleet-modify-spec.yaml's distributed Map, one behaviour per test, through the real
 * interpreter, the real fleet bundle and the emulator over HTTP on the virtual clock: how many shards run at once,
 * how the first wave is spaced, and that a shard failing as a whole is reported while the others still apply.
 * (Convergence under faults and quotas, and a shard at its worst, are test/e2e/fleet.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fleetSeed } from '../../bench/support/fleet-run';
import type { ExecutionResult, SubExecutionHost } from '../../src/flow/execution';
import type { HistoryEvent } from '../../src/flow/history';
import { FLEET_LIMITS } from '../../src/vpc/fleet-limits';
import { REGION } from '../e2e/seeds';
import { startContractStack, type ContractStack } from './stack';

let stack: ContractStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const WORKFLOW = 'fleet-modify-spec';
/** ApplyShards' MaxConcurrency, which PlanShards' `concurrency` spaces (README: "10 at a time"). */
const SHARDS_AT_ONCE = 10;
const SPACING = FLEET_LIMITS.shardSpacingSeconds;
const input = { regionId: REGION, spec: 'Large.1', select: { tag: { key: 'riflow-fleet', value: 'office-links' } } };

interface ShardRecord {
  index: number;
  startedMs: number;
  endedMs?: number;
  events: HistoryEvent[];
}

/** A sub-execution host that records, per shard, when it started and ended on the clock and its events. */
function shardRecorder(now: () => number): { host: SubExecutionHost; shards: ShardRecord[]; peak: () => number } {
  const shards: ShardRecord[] = [];
  let running = 0;
  let peak = 0;
  const host: SubExecutionHost = (request, start) => {
    const record: ShardRecord = { index: request.parent.index, startedMs: now(), events: [] };
    shards.push(record);
    running += 1;
    peak = Math.max(peak, running);
    const handle = start({ onEvent: (event) => record.events.push(event) });
    void handle.result.then(() => {
      running -= 1;
      record.endedMs = now();
    });
    return handle;
  };
  return { host, shards, peak: () => peak };
}

/** Seconds after `originMs` at which the shard's ReadShard task was first scheduled. */
function readShardSecond(shard: ShardRecord, originMs: number): number {
  const scheduled = shard.events.find((event) => event.type === 'TaskScheduled' && 'state' in event && event.state === 'ReadShard');
  if (!scheduled) throw new Error(`shard ${shard.index} never read`);
  return (Date.parse(scheduled.time) - originMs) / 1000;
}

describe('fleet-modify-spec: the distributed Map', () => {
  // One fleet of 11 shards, run once for the two tests that read it.
  const shardCount = SHARDS_AT_ONCE + 1;
  let elevenShards: { result: ExecutionResult; shards: ShardRecord[]; peak: number; origin: number } | undefined;
  const runElevenShards = async () => {
    if (elevenShards) return elevenShards;
    const { seed } = fleetSeed(shardCount * FLEET_LIMITS.shardSize);
    const own = await startContractStack({ seed });
    try {
      const origin = own.clock.now();
      const recorder = shardRecorder(() => own.clock.now());
      const { result } = await own.run(WORKFLOW, input, undefined, recorder.host);
      elevenShards = { result, shards: [...recorder.shards].sort((a, b) => a.index - b.index), peak: recorder.peak(), origin };
      return elevenShards;
    } finally {
      await own.stop();
    }
  };

  it(`runs at most ${SHARDS_AT_ONCE} shards at once, and does reach ${SHARDS_AT_ONCE}; the next starts as one ends`, async () => {
    const { result, shards, peak } = await runElevenShards();
    expect(result).toMatchObject({ status: 'Succeeded', output: { changed: shardCount * FLEET_LIMITS.shardSize, failed: 0, shards: shardCount } });
    expect(shards).toHaveLength(shardCount);
    expect(peak).toBe(SHARDS_AT_ONCE);
    const last = shards[SHARDS_AT_ONCE] as ShardRecord;
    const firstEnd = Math.min(...shards.slice(0, SHARDS_AT_ONCE).map((shard) => shard.endedMs ?? Infinity));
    expect(last.startedMs).toBeGreaterThanOrEqual(firstEnd);
  });

  it(`spaces the first wave ${SPACING} s apart, and a later shard reads as soon as it starts`, async () => {
    const { result, shards, origin } = await runElevenShards();
    expect(result.status).toBe('Succeeded');
    const firstWave = shards.slice(0, SHARDS_AT_ONCE);
    expect(firstWave.map((shard) => readShardSecond(shard, origin))).toEqual(firstWave.map((shard) => shard.index * SPACING));
    const later = shards[SHARDS_AT_ONCE] as ShardRecord;
    expect(readShardSecond(later, origin)).toBe((later.startedMs - origin) / 1000);
  });

  it('reports a shard that fails as a whole (ReadShardFailed) and still applies every other shard', async () => {
    const { seed, initiators } = fleetSeed(2 * FLEET_LIMITS.shardSize);
    stack = await startContractStack({
      seed,
      // Describe 0 is PlanShards' count; describe 1 is the first shard's read (the second reads 12 s later). A
      // refused read is not retried.
      faults: [{ action: 'DescribeRouterInterfaces', calls: '1', error: { code: 'Forbidden.RAM', status: 403, message: 'User not authorized to operate on the specified resource.' } }],
    });
    const { result } = await stack.run(WORKFLOW, input);
    expect(result).toMatchObject({
      status: 'Succeeded',
      output: { changed: FLEET_LIMITS.shardSize, shards: 2, shardsFailed: [{ shard: 0, code: 'ReadShardFailed' }] },
    });
    const state = stack.emulator.control.state();
    const changed = initiators.filter((id) => state.interfaces.find((ri) => ri.routerInterfaceId === id)?.spec === 'Large.1');
    expect(changed).toHaveLength(FLEET_LIMITS.shardSize);
  });
});
