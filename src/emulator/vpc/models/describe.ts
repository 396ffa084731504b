import { bandwidthOf } from '../../../vpc-api/specs';
import { settle } from '../../transitions';
import type { RouterInterfaceRecord, RouterRecord } from '../../types';
import type { DescribeFilter, DescribeRequest, FilterKey } from '../requests/describe';
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

function viewOf(world: VpcWorld, ri: RouterInterfaceRecord): RouterInterfaceView {
  const { state } = world;
  const peer = ri.oppositeInterfaceId ? world.findInterface(ri.oppositeInterfaceId) : undefined;
  const ownBandwidth = bandwidthOf(ri.spec);
  const peerBandwidth = peer ? bandwidthOf(peer.spec) : undefined;
  return {
    ri,
    peer,
    router: state.routers.find((r) => r.id === ri.routerId),
    oppositeRouter: state.routers.find((r) => r.id === ri.oppositeRouterId),
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
  // Only the interfaces this describe is about count as "described"; Status is matched after settling.
  const selected = own.filter((ri) => matches(ri, otherFilters));
  const counted = new Set<RouterInterfaceRecord>();
  let changed = false;
  for (const ri of selected) {
    if (state.interfaces.includes(ri) && settle(state, ri, store.config, world.now, 'describe', counted)) changed = true;
  }
  if (changed || counted.size > 0) store.markChanged();
  const result = selected.filter((ri) => state.interfaces.includes(ri) && matches(ri, statusFilters));
  const { pageNumber, pageSize } = request;
  const page = result.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { pageNumber, pageSize, totalCount: result.length, items: page.map((ri) => viewOf(world, ri)) };
}
