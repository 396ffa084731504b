import { createHash } from 'node:crypto';
import { InvalidInputError } from '../input-error/invalid-input';
import { VpcError } from '../rpc/error-names';
import type { BandwidthSpec } from '../vpc-api/specs';
import type { VpcClient } from './client';
import { deriveClientToken } from './client-token';
import { FLEET_LIMITS } from './fleet-limits';
import type { FleetTarget } from './fleet-target';
import { nextPollSeconds } from './poll-schedule';
import type { RouterInterface } from './router-interface';
import { nameMatches, selectorQuery } from './selector';

/**
 * A fleet change in shards, as `riflow-fleet-modify-spec` runs it: the interfaces are split into shards of one
 * DescribeRouterInterfaces page (50, the API's largest PageSize), each shard a sub-workflow execution of a
 * distributed Map. A shard reads its interfaces with one describe, changes those not at the spec in rounds (one
 * invocation makes all of a round's writes; what a conflict or throttling turned back is tried again next round,
 * after a jittered backoff), then polls them all with one describe per poll (per 5 ids for an explicit list). So a
 * shard costs a few invocations and history events per round, not per interface, and what it reports is small
 * enough for 200 of them to fit the Map's 64 KiB output.
 *
 * Outcomes per interface: `todo` (to change; `todo:<Name>` after a round turned it back with that error),
 * `pending` (the change is accepted, the interface still settling), `changed`, `unchanged` (already at the spec),
 * or the name it failed with (`RouterInterfaceNotFound`, `WrongRole`, `UnsupportedSpec`, `AccountLocked`,
 * `StatusConflict` or `TransientFailure` once the rounds ran out, `PollTimeout`, `UnexpectedStatus`, …).
 */

/** Outcome codes are the handlers' error names (at most 23 characters) and the fleet's own; longer text is cut, so
 * that the largest report stays within 64 KiB (test/vpc/fleet.test.ts). */
const CODE_MAX = 32;

/** One shard: a page of a selector, or up to 50 ids of a list. */
export interface Shard {
  index: number;
  page?: number;
  ids?: string[];
  /** Seconds the shard waits before it reads (the first wave only). */
  delaySeconds: number;
}

export interface ShardPlan {
  shards: Shard[];
  /** Interfaces the API matched (a selector's TotalCount; before its name pattern and the acceptors are left out). */
  matched: number;
  /** How many failures each shard's report lists by name. */
  failuresPerShard: number;
}

export type Outcomes = Record<string, string>;

export interface ShardSummary {
  shard: number;
  total: number;
  changed: number;
  unchanged: number;
  failed: number;
  /** Not settled when the report was made: still to change, or accepted and settling. */
  pending: number;
  /** Interfaces a selector matched but that are left out: acceptors (their spec follows their initiator). */
  excluded: number;
  failures: Array<{ id: string; code: string }>;
  failuresNotListed: number;
}

export interface FleetReport {
  total: number;
  changed: number;
  unchanged: number;
  failed: number;
  excluded: number;
  failures: Array<{ id: string; code: string }>;
  failuresNotListed: number;
  shards: number;
  /** Shards whose sub-execution failed as a whole: their interfaces are not in the counts. */
  shardsFailed: Array<{ shard: number; code: string }>;
}

/** The shards of a fleet; a selector costs one describe (its TotalCount). */
export async function planShards(client: VpcClient, regionId: string, target: FleetTarget, concurrency: number): Promise<ShardPlan> {
  let shards: Array<Omit<Shard, 'delaySeconds'>>;
  let matched: number;
  if ('select' in target) {
    const first = await client.page(regionId, selectorQuery(target.select), 1);
    matched = first.totalCount;
    if (matched > FLEET_LIMITS.maxInterfaces) {
      throw new InvalidInputError(
        'select',
        'fleet-size',
        `matches ${matched} interfaces; riflow-fleet-modify-spec changes at most ${FLEET_LIMITS.maxInterfaces} in one execution ` +
          `(${FLEET_LIMITS.maxInterfaces / FLEET_LIMITS.shardSize} shards of ${FLEET_LIMITS.shardSize}, whose reports fit CloudFlow's 64 KiB state output); narrow the selector`,
      );
    }
    shards = Array.from({ length: Math.ceil(matched / FLEET_LIMITS.shardSize) }, (_, index) => ({ index, page: index + 1 }));
  } else {
    matched = target.routerInterfaceIds.length;
    shards = chunks(target.routerInterfaceIds, FLEET_LIMITS.shardSize).map((ids, index) => ({ index, ids }));
  }
  const failuresPerShard = Math.max(1, Math.min(FLEET_LIMITS.shardSize, Math.floor(FLEET_LIMITS.failuresListed / Math.max(1, shards.length))));
  return {
    shards: shards.map((shard) => ({ ...shard, delaySeconds: shard.index < concurrency ? shard.index * FLEET_LIMITS.shardSpacingSeconds : 0 })),
    matched,
    failuresPerShard,
  };
}

export interface ShardRead {
  results: Outcomes;
  /** Interfaces to change. */
  todo: number;
  excluded: number;
}

/** Reads a shard: what to change (initiators not at the spec) and what is settled already (at the spec, missing,
 * an acceptor named in a list). A selector's acceptors are left out, counted as `excluded`. */
export async function readShard(client: VpcClient, regionId: string, spec: BandwidthSpec, target: FleetTarget, shard: Shard): Promise<ShardRead> {
  const { found, excluded } = await describeShard(client, regionId, target, shard, shard.ids);
  const results: Outcomes = {};
  for (const id of shardIds(shard, found)) results[id] = settledOutcome(found.get(id), spec) ?? 'todo';
  return { results, todo: count(results, isTodo), excluded };
}

export interface ShardRound {
  results: Outcomes;
  todo: number;
  round: number;
  /** The wait before the next round (jittered), 1..60 s. */
  nextRoundSeconds: number;
}

/**
 * One round of writes: re-reads what is still to change (not in round 0: the read just did), then modifies each
 * with a ClientToken derived from the shard's execution, so a repeat of a round never applies a change twice. A
 * conflict or a transient failure leaves the interface `todo:<Name>` for the next round; the first throttling ends
 * the round's writes (the rest would be throttled too). After `roundCap` rounds what is left fails with its name.
 */
export async function applyRound(
  client: VpcClient,
  regionId: string,
  spec: BandwidthSpec,
  target: FleetTarget,
  shard: Shard,
  previous: Outcomes,
  round: number,
  executionName: string,
): Promise<ShardRound> {
  const results: Outcomes = { ...previous };
  let todoIds = Object.keys(results).filter((id) => isTodo(results[id] as string));
  let throttled = false;
  if (round > 0 && todoIds.length > 0) {
    const found = await unlessThrottled(describeSome(client, regionId, target, shard, todoIds));
    if (found === undefined) throttled = true;
    for (const id of todoIds) {
      const settled = found && settledOutcome(found.get(id), spec, 'pending');
      if (settled !== undefined) results[id] = settled;
    }
    todoIds = todoIds.filter((id) => isTodo(results[id] as string));
  }
  for (const id of todoIds) {
    // The quota is spent: the rest of this round's writes would be throttled too.
    if (throttled) {
      results[id] = 'todo:TransientFailure';
      continue;
    }
    try {
      await client.modifySpec(regionId, id, spec, deriveClientToken(executionName, id, spec));
      results[id] = 'pending';
    } catch (error) {
      if (!(error instanceof VpcError)) throw error;
      if (error.name === 'StatusConflict' || error.name === 'TransientFailure') {
        results[id] = `todo:${code(error.name)}`;
        throttled = isThrottling(error);
      } else {
        results[id] = code(error.name);
      }
    }
  }
  const made = round + 1;
  if (made >= FLEET_LIMITS.roundCap) {
    for (const [id, outcome] of Object.entries(results)) if (isTodo(outcome)) results[id] = outcome === 'todo' ? 'StatusConflict' : outcome.slice('todo:'.length);
  }
  const { firstSeconds, capSeconds } = FLEET_LIMITS.roundBackoff;
  const ceiling = Math.min(capSeconds, firstSeconds * 2 ** round);
  const nextRoundSeconds = Math.max(1, Math.round(ceiling / 2 + jitter(executionName, round) * (ceiling / 2)));
  return { results, todo: count(results, isTodo), round: made, nextRoundSeconds };
}

export interface ShardPoll {
  results: Outcomes;
  pending: number;
  attempt: number;
  nextPollSeconds: number;
  /** The describe was throttled: nothing was read this time, and the next poll waits longer. */
  throttled: boolean;
}

/** After a throttled poll the next one waits at least this long, so the shards polling together ask less often than
 * the quota refills, and what the quota turned back gets through (`pollCap` still bounds the polls). */
const THROTTLED_POLL_SECONDS = 60;

/** One poll of a shard: one describe for all that are settling. A throttled describe is not a failure of the shard:
 * the poll counts, nothing changes, and the next one waits at least a minute. */
export async function pollShard(
  client: VpcClient,
  regionId: string,
  spec: BandwidthSpec,
  target: FleetTarget,
  shard: Shard,
  previous: Outcomes,
  attempt: number,
): Promise<ShardPoll> {
  const results: Outcomes = { ...previous };
  const pendingIds = Object.keys(results).filter((id) => results[id] === 'pending');
  const made = attempt + 1;
  let throttled = false;
  if (pendingIds.length > 0) {
    const found = await unlessThrottled(describeSome(client, regionId, target, shard, pendingIds));
    throttled = found === undefined;
    for (const id of pendingIds) {
      if (!found) break;
      const ri = found.get(id);
      if (!ri) results[id] = 'RouterInterfaceNotFound';
      else if (ri.status === 'Active' && ri.spec === spec) results[id] = 'changed';
      else if (ri.status === 'Activating' || ri.status === 'Modifying' || ri.status === 'Active') results[id] = made >= FLEET_LIMITS.pollCap ? 'PollTimeout' : 'pending';
      else results[id] = 'UnexpectedStatus';
    }
  }
  if (throttled && made >= FLEET_LIMITS.pollCap) for (const id of pendingIds) results[id] = 'PollTimeout';
  const next = throttled ? Math.max(THROTTLED_POLL_SECONDS, nextPollSeconds(made)) : nextPollSeconds(made);
  return { results, pending: count(results, (outcome) => outcome === 'pending'), attempt: made, nextPollSeconds: next, throttled };
}

function isThrottling(error: VpcError): boolean {
  return error.name === 'TransientFailure' && error.code.startsWith('Throttling');
}

/** The read, or undefined when the API throttled it (any other error is thrown: the workflow retries it). */
async function unlessThrottled<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof VpcError && isThrottling(error)) return undefined;
    throw error;
  }
}

/** A number in [0, 1) from the execution name and the round. */
function jitter(executionName: string, round: number): number {
  return createHash('sha256').update(JSON.stringify([executionName, round])).digest().readUInt32BE(0) / 2 ** 32;
}

function isTodo(outcome: string): boolean {
  return outcome === 'todo' || outcome.startsWith('todo:');
}

function count(results: Outcomes, test: (outcome: string) => boolean): number {
  return Object.values(results).filter(test).length;
}

/** What a read shows as settled, or undefined when the interface is still to change. At the spec already:
 * `unchanged` before any write, `pending` after one (the write may have been this run's: it settles before counting). */
function settledOutcome(ri: RouterInterface | undefined, spec: string, atSpec = 'unchanged'): string | undefined {
  if (!ri) return 'RouterInterfaceNotFound';
  if (ri.role !== 'InitiatingSide') return 'WrongRole';
  return ri.spec === spec ? atSpec : undefined;
}

/** A shard's report: counts, and the first `failuresListed` failures by name. */
export function summarizeShard(shard: Pick<Shard, 'index'>, results: Outcomes, excluded: number, failuresListed: number): ShardSummary {
  const summary: ShardSummary = { shard: shard.index, total: 0, changed: 0, unchanged: 0, failed: 0, pending: 0, excluded, failures: [], failuresNotListed: 0 };
  for (const [id, outcome] of Object.entries(results)) {
    summary.total += 1;
    if (outcome === 'changed' || outcome === 'unchanged') {
      summary[outcome] += 1;
      continue;
    }
    if (outcome === 'pending' || isTodo(outcome)) {
      summary.pending += 1;
      continue;
    }
    summary.failed += 1;
    if (summary.failures.length < failuresListed) summary.failures.push({ id, code: outcome });
    else summary.failuresNotListed += 1;
  }
  return summary;
}

/** The fleet's report from its shards' reports (a shard that failed as a whole is `{Error: {Code, Detail}}`). */
export function reportFleet(shards: Array<ShardSummary | { Error: { Code: string } }>): FleetReport {
  const report: FleetReport = { total: 0, changed: 0, unchanged: 0, failed: 0, excluded: 0, failures: [], failuresNotListed: 0, shards: shards.length, shardsFailed: [] };
  shards.forEach((shard, index) => {
    if ('Error' in shard) {
      report.shardsFailed.push({ shard: index, code: code(shard.Error.Code) });
      return;
    }
    report.total += shard.total;
    report.changed += shard.changed;
    report.unchanged += shard.unchanged;
    report.failed += shard.failed + shard.pending;
    report.excluded += shard.excluded;
    report.failures.push(...shard.failures);
    report.failuresNotListed += shard.failuresNotListed;
  });
  return report;
}

function code(text: string): string {
  return text.length > CODE_MAX ? text.slice(0, CODE_MAX) : text;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** The ids a shard is about: its list, or the page as found. */
function shardIds(shard: Shard, found: Map<string, RouterInterface>): string[] {
  return shard.ids ?? [...found.keys()];
}

/**
 * Some of a shard's interfaces: a page shard reads its page (one describe) and completes by id what the page no
 * longer holds (the router gained or lost an interface); a list shard reads those ids, 5 per describe.
 */
async function describeSome(client: VpcClient, regionId: string, target: FleetTarget, shard: Shard, ids: string[]): Promise<Map<string, RouterInterface>> {
  if (shard.page === undefined) return (await describeShard(client, regionId, target, shard, ids)).found;
  const { found } = await describeShard(client, regionId, target, shard, undefined);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) for (const [id, ri] of (await describeShard(client, regionId, target, shard, missing)).found) found.set(id, ri);
  return found;
}

/**
 * The interfaces of a shard, by id: its page (the selector's filters, its name pattern, initiators only) or the
 * given ids, 5 per describe.
 */
async function describeShard(
  client: VpcClient,
  regionId: string,
  target: FleetTarget,
  shard: Shard,
  ids: string[] | undefined,
): Promise<{ found: Map<string, RouterInterface>; excluded: number }> {
  const found = new Map<string, RouterInterface>();
  let excluded = 0;
  if (ids === undefined && 'select' in target && shard.page !== undefined) {
    const page = await client.page(regionId, selectorQuery(target.select), shard.page);
    for (const ri of page.items) {
      if (!nameMatches(target.select, ri.name)) continue;
      if (ri.role !== 'InitiatingSide') excluded += 1;
      else found.set(ri.routerInterfaceId, ri);
    }
    return { found, excluded };
  }
  for (const group of chunks(ids ?? [], FLEET_LIMITS.idsPerDescribe)) {
    const page = await client.page(regionId, { filters: [{ key: 'RouterInterfaceId', values: group }] }, 1);
    for (const ri of page.items) found.set(ri.routerInterfaceId, ri);
  }
  return { found, excluded };
}
