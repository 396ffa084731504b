/**
 * `riflow plan` for a batch: what a riflow-fleet-modify-spec run (or a riflow-batch-modify-spec one) would do to each
 * interface, decided from reads only. Resolving a selector pages through DescribeRouterInterfaces (50 a page) as
 * the run does; an explicit list is read 5 ids a call. Pure decisions (`decideBatch`), so every case is a unit test.
 */
import { BANDWIDTH_SPECS, type BandwidthSpec } from '../../vpc-api/specs';
import { VPC_RATE_LIMITS } from '../../vpc-api/rate-limits';
import type { VpcClient } from '../../vpc/client';
import { FLEET_LIMITS } from '../../vpc/fleet-limits';
import type { FleetTarget } from '../../vpc/fleet-target';
import type { RouterInterface } from '../../vpc/router-interface';
import { nameMatches, selectorQuery } from '../../vpc/selector';

export type BatchOutcome = 'change' | 'skip' | 'refused';

export interface BatchItem {
  routerInterfaceId: string;
  outcome: BatchOutcome;
  targetSpec: string;
  currentSpec?: string;
  status?: string;
  /** The Fail code or outcome a run would end this interface with, when refused. */
  code?: string;
  reason: string;
}

export interface BatchPlan {
  /** noop: exit 0; changes: exit 2; blocked (any interface refused, or the batch itself): exit 1. */
  result: 'noop' | 'changes' | 'blocked';
  flow: 'riflow-fleet-modify-spec' | 'riflow-batch-modify-spec';
  items: BatchItem[];
  counts: { change: number; skip: number; refused: number; excluded: number };
  /** A refusal of the whole batch (a selector matching more than the largest fleet). */
  batchRefused?: { code: string; message: string };
  /** Read calls made to build the plan. */
  apiCalls: number;
  /** What a run would cost against the VPC API's quotas. */
  estimate: QuotaEstimate;
}

export interface QuotaEstimate {
  shards: number;
  modifyCalls: number;
  /** Reads, writes' re-reads excluded: the shard reads plus one poll a shard per poll of a change of `changeMinutes`. */
  describeCalls: number;
  changeMinutes: number;
  /** The least time the quotas allow for those calls (minutes). */
  minimumMinutes: number;
}

/** The statuses a change is made from: Active (the run waits for it to settle back to Active); in progress, it waits. */
const CHANGEABLE = new Set(['Active', 'Activating', 'Modifying']);

function bandwidth(spec: string): string {
  const mbps = (BANDWIDTH_SPECS as Record<string, number | undefined>)[spec];
  return mbps === undefined ? spec : `${spec} (${mbps} Mbit/s)`;
}

/** One interface: changed, skipped (already at the spec), or refused with the code a run would end it with. */
export function decideItem(id: string, ri: RouterInterface | undefined, spec: BandwidthSpec, regionId: string): BatchItem {
  const base = { routerInterfaceId: id, targetSpec: spec };
  if (!ri) return { ...base, outcome: 'refused', code: 'RouterInterfaceNotFound', reason: `does not exist in ${regionId}` };
  const seen = { ...base, currentSpec: ri.spec, status: ri.status };
  if (ri.role !== 'InitiatingSide') return { ...seen, outcome: 'refused', code: 'WrongRole', reason: 'an accepting interface: its spec follows its initiator\'s' };
  if (ri.businessStatus && ri.businessStatus !== 'Normal') return { ...seen, outcome: 'refused', code: 'AccountLocked', reason: `business status ${ri.businessStatus}` };
  if (ri.spec === spec) return { ...seen, outcome: 'skip', reason: `already ${spec}` };
  // The emulator's rule for what the docs only call "some spec/region-pair combinations"
  // (ParameterMismatch.RegionId-OppositeRegionId-Spec): the Mini specs stay within one region.
  if (spec.startsWith('Mini.') && ri.oppositeRegionId !== undefined && ri.oppositeRegionId !== regionId) {
    return { ...seen, outcome: 'refused', code: 'UnsupportedSpec', reason: `${spec} is not offered between ${regionId} and ${ri.oppositeRegionId}` };
  }
  if (!CHANGEABLE.has(ri.status)) return { ...seen, outcome: 'refused', code: 'UnexpectedStatus', reason: `status ${ri.status}: only an Active interface settles back after a spec change` };
  return { ...seen, outcome: 'change', reason: `${bandwidth(ri.spec)} → ${bandwidth(spec)}` };
}

export function decideBatch(flow: BatchPlan['flow'], items: BatchItem[], excluded: number, apiCalls: number, batchRefused?: BatchPlan['batchRefused']): BatchPlan {
  const counts = { change: 0, skip: 0, refused: 0, excluded };
  for (const item of items) counts[item.outcome] += 1;
  const result = batchRefused || counts.refused > 0 ? 'blocked' : counts.change > 0 ? 'changes' : 'noop';
  return { result, flow, items, counts, ...(batchRefused ? { batchRefused } : {}), apiCalls, estimate: estimateQuota(items.length + excluded, counts.change) };
}

/** Polls of a shard while a change of this many minutes settles: the poll schedule's 5 s for a minute, then ~15% of
 * the time waited (src/vpc/poll-schedule.ts), about 23 polls for 5 minutes. */
const POLLS_FOR_FIVE_MINUTES = 23;

function estimateQuota(interfaces: number, changes: number): QuotaEstimate {
  const shards = Math.ceil(interfaces / FLEET_LIMITS.shardSize);
  const changeMinutes = 5;
  const describeCalls = 1 + shards + (changes > 0 ? shards * POLLS_FOR_FIVE_MINUTES : 0);
  const perMinute = (action: keyof typeof VPC_RATE_LIMITS) => (VPC_RATE_LIMITS[action].calls * 60) / VPC_RATE_LIMITS[action].seconds;
  const minimumMinutes = Math.max(changes / perMinute('ModifyRouterInterfaceSpec'), describeCalls / perMinute('DescribeRouterInterfaces'));
  return { shards, modifyCalls: changes, describeCalls, changeMinutes, minimumMinutes: Math.ceil(minimumMinutes * 10) / 10 };
}

export interface Resolved {
  /** In the order the run would meet them. */
  interfaces: Array<{ id: string; ri: RouterInterface | undefined }>;
  excluded: number;
  apiCalls: number;
  batchRefused?: BatchPlan['batchRefused'];
}

/** The interfaces a fleet target names, read as the run would read them (reads only). */
export async function resolveTarget(client: VpcClient, regionId: string, target: FleetTarget): Promise<Resolved> {
  if ('routerInterfaceIds' in target) return readIds(client, regionId, target.routerInterfaceIds);
  const query = selectorQuery(target.select);
  const first = await client.page(regionId, query, 1);
  if (first.totalCount > FLEET_LIMITS.maxInterfaces) {
    return {
      interfaces: [],
      excluded: 0,
      apiCalls: 1,
      batchRefused: { code: 'InvalidInput', message: `the selector matches ${first.totalCount} interfaces; one run changes at most ${FLEET_LIMITS.maxInterfaces}: narrow the selector` },
    };
  }
  const pages = Math.ceil(first.totalCount / FLEET_LIMITS.shardSize);
  const interfaces: Resolved['interfaces'] = [];
  let excluded = 0;
  let apiCalls = 1;
  for (let page = 1; page <= pages; page++) {
    const items = page === 1 ? first.items : (await client.page(regionId, query, page)).items;
    if (page > 1) apiCalls += 1;
    for (const ri of items) {
      if (!nameMatches(target.select, ri.name)) continue;
      if (ri.role !== 'InitiatingSide') excluded += 1;
      else interfaces.push({ id: ri.routerInterfaceId, ri });
    }
  }
  return { interfaces, excluded, apiCalls };
}

export async function readIds(client: VpcClient, regionId: string, ids: readonly string[]): Promise<Resolved> {
  const found = new Map<string, RouterInterface>();
  let apiCalls = 0;
  for (let start = 0; start < ids.length; start += FLEET_LIMITS.idsPerDescribe) {
    const group = ids.slice(start, start + FLEET_LIMITS.idsPerDescribe);
    const page = await client.page(regionId, { filters: [{ key: 'RouterInterfaceId', values: group }] }, 1);
    apiCalls += 1;
    for (const ri of page.items) found.set(ri.routerInterfaceId, ri);
  }
  return { interfaces: ids.map((id) => ({ id, ri: found.get(id) })), excluded: 0, apiCalls };
}
