import { bandwidthOf } from '../../../vpc-api/specs';
import { settle } from '../../transitions';
import type { RouterInterfaceRecord, RouterRecord } from '../../types';
import type { FilterKey } from '../../../vpc-api/filter-keys';
import type { DescribeFilter, DescribeRequest, TagFilter } from '../requests/describe';
import type { VpcWorld } from './world';

/** DescribeRouterInterfaces: the caller's interfaces in the region, settled as they are read, filtered and paged. */

const FILTER_FIELDS: Record<FilterKey, (ri: RouterInterfaceRecord) => string | undefined> = {
  RouterInterfaceId: (ri) => ri.routerInterfaceId,
  RouterId: (ri) => ri.routerId,
  RouterType: (ri) => ri.routerType,
  RouterInterfaceOwnerId: (ri) => ri.ownerId,
  OppositeInterfaceId: (ri) => ri.oppositeInterfaceId,
  OppositeRouterType: (ri) => ri.oppositeRouterType,
  OppositeRouterId: (ri) => ri.oppositeRouterId,
  OppositeInterfaceOwnerId: (ri) => ri.oppositeInterfaceOwnerId,
  Status: (ri) => ri.status,
  Name: (ri) => ri.name,
};

/** One interface as Describe shows it: the Opposite* status and spec mirror the live peer when it exists. */
export interface RouterInterfaceView {
  ri: RouterInterfaceRecord;
  peer: RouterInterfaceRecord | undefined;
  router: RouterRecord | undefined;
  oppositeRouter: RouterRecord | undefined;
  bandwidth: number;
  oppositeBandwidth: number;
}

export interface DescribePage {
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  items: RouterInterfaceView[];
}

function matches(ri: RouterInterfaceRecord, filters: DescribeFilter[]): boolean {
  return filters.every((filter) => {
    const actual = FILTER_FIELDS[filter.key](ri);
    return actual !== undefined && filter.values.has(actual);
  });
}

function tagged(ri: RouterInterfaceRecord, tags: TagFilter[]): boolean {
  return tags.every((tag) => ri.tags !== undefined && Object.hasOwn(ri.tags, tag.key) && (tag.value === undefined || ri.tags[tag.key] === tag.value));
}

function viewOf(world: VpcWorld, ri: RouterInterfaceRecord): RouterInterfaceView {
  const peer = ri.oppositeInterfaceId ? world.findInterface(ri.oppositeInterfaceId) : undefined;
  const ownBandwidth = bandwidthOf(ri.spec);
  const peerBandwidth = peer ? bandwidthOf(peer.spec) : undefined;
  return {
    ri,
    peer,
    router: world.store.findRouter(ri.routerId),
    oppositeRouter: ri.oppositeRouterId === undefined ? undefined : world.store.findRouter(ri.oppositeRouterId),
    // An acceptor (Negative) carries its initiator's bandwidth.
    bandwidth: ownBandwidth ?? peerBandwidth ?? 0,
    oppositeBandwidth: peerBandwidth ?? (peer ? ownBandwidth ?? 0 : 0),
  };
}

export function describe(world: VpcWorld, request: DescribeRequest): DescribePage {
  const { state, store } = world;
  const statusFilters = request.filters.filter((f) => f.key === 'Status');
  const otherFilters = request.filters.filter((f) => f.key !== 'Status');
  const own = state.interfaces.filter((ri) => ri.regionId === request.regionId && ri.ownerId === world.account.id);
  const selected = own.filter((ri) => matches(ri, otherFilters) && tagged(ri, request.tags));
  const counted = new Set<RouterInterfaceRecord>();
  const gone = new Set<RouterInterfaceRecord>();
  let changed = false;
  const settleOne = (ri: RouterInterfaceRecord, kind: 'describe' | 'read'): void => {
    const deleting = ri.status === 'Deleting';
    if (!settle(state, ri, store.config, world.now, kind, counted)) return;
    changed = true;
    if (deleting && !state.interfaces.includes(ri)) gone.add(ri);
  };
  // A deletion that is due ends before counting; then only the interfaces this describe shows count as described
  // (all that match, when a Status filter has to see their settled status first).
  for (const ri of selected) if (ri.status === 'Deleting') settleOne(ri, 'read');
  const { pageNumber, pageSize } = request;
  const pageOf = (list: RouterInterfaceRecord[]) => list.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  let result = selected.filter((ri) => !gone.has(ri));
  if (statusFilters.length > 0) {
    for (const ri of result) settleOne(ri, 'describe');
    result = result.filter((ri) => !gone.has(ri) && matches(ri, statusFilters));
  } else {
    for (const ri of pageOf(result)) settleOne(ri, 'describe');
    result = result.filter((ri) => !gone.has(ri));
  }
  if (changed || counted.size > 0) store.markChanged();
  return { pageNumber, pageSize, totalCount: result.length, items: pageOf(result).map((ri) => viewOf(world, ri)) };
}
