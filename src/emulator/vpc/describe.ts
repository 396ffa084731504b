import { bandwidthOf } from '../../vpc-api/specs';
import { settle } from '../transitions';
import type { EmulatorState, RouterInterfaceRecord } from '../types';
import type { VpcCall } from './vpc-context';
import { VpcErrors } from './vpc-errors';

/** DescribeRouterInterfaces (API reference §3): ten filter keys, OR within a key, AND across keys, paging ≤ 50. */

const FILTER_FIELDS: Record<string, (ri: RouterInterfaceRecord) => string | undefined> = {
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

interface Filter {
  key: string;
  values: Set<string>;
}

function parseFilters(params: Record<string, string>): Filter[] {
  const filters: Array<Filter & { index: number }> = [];
  for (const [name, key] of Object.entries(params)) {
    const match = /^Filter\.(\d+)\.Key$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    if (!Object.hasOwn(FILTER_FIELDS, key)) throw VpcErrors.filterKey(index);
    const values = new Set<string>();
    for (const [valueName, value] of Object.entries(params)) {
      if (valueName.startsWith(`Filter.${index}.Value.`)) values.add(value);
    }
    filters.push({ index, key, values });
  }
  return filters.sort((a, b) => a.index - b.index);
}

function pagingNumber(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > max) throw VpcErrors.badPaging();
  return parsed;
}

function matches(ri: RouterInterfaceRecord, filters: Filter[]): boolean {
  return filters.every((filter) => {
    const actual = FILTER_FIELDS[filter.key]?.(ri);
    return actual !== undefined && filter.values.has(actual);
  });
}

/** The API object; the Opposite* status/spec fields mirror the live peer when it exists. */
export function toApiObject(state: EmulatorState, ri: RouterInterfaceRecord): Record<string, unknown> {
  const peer = ri.oppositeInterfaceId
    ? state.interfaces.find((other) => other.routerInterfaceId === ri.oppositeInterfaceId)
    : undefined;
  const router = state.routers.find((r) => r.id === ri.routerId);
  const oppositeRouter = state.routers.find((r) => r.id === ri.oppositeRouterId);
  const ownBandwidth = bandwidthOf(ri.spec);
  const peerBandwidth = peer ? bandwidthOf(peer.spec) : undefined;
  return {
    RouterInterfaceId: ri.routerInterfaceId,
    Status: ri.status,
    Role: ri.role,
    Spec: ri.spec,
    // An acceptor (Negative) carries its initiator's bandwidth.
    Bandwidth: ownBandwidth ?? peerBandwidth ?? 0,
    RouterId: ri.routerId,
    RouterType: ri.routerType,
    VpcInstanceId: router?.vpcId ?? '',
    Name: ri.name ?? '',
    Description: ri.description ?? '',
    CreationTime: ri.creationTime,
    ConnectedTime: ri.connectedTime ?? '',
    EndTime: '',
    ChargeType: ri.chargeType === 'PrePaid' ? 'Prepaid' : 'AfterPay',
    BusinessStatus: ri.businessStatus,
    RegionId: ri.regionId,
    OppositeRegionId: ri.oppositeRegionId ?? '',
    OppositeInterfaceId: ri.oppositeInterfaceId ?? '',
    OppositeRouterId: ri.oppositeRouterId ?? '',
    OppositeRouterType: ri.oppositeRouterType ?? '',
    OppositeVpcInstanceId: oppositeRouter?.vpcId ?? '',
    OppositeInterfaceOwnerId: ri.oppositeInterfaceOwnerId ?? '',
    OppositeInterfaceSpec: peer?.spec ?? '',
    OppositeInterfaceStatus: peer?.status ?? '',
    OppositeInterfaceBusinessStatus: peer?.businessStatus ?? '',
    OppositeBandwidth: peerBandwidth ?? (peer ? ownBandwidth ?? 0 : 0),
    CrossBorder: false,
    FastLinkMode: false,
    HasReservationData: 'false',
    Ipv6Status: 'off',
    ResourceGroupId: '',
    Tags: { Tags: [] },
  };
}

export function describeRouterInterfaces(call: VpcCall): Record<string, unknown> {
  const regionId = call.region();
  const pageNumber = pagingNumber(call.param('PageNumber'), 1, Number.MAX_SAFE_INTEGER);
  const pageSize = pagingNumber(call.param('PageSize'), 10, 50);
  const filters = parseFilters(call.request.params);
  const statusFilters = filters.filter((f) => f.key === 'Status');
  const otherFilters = filters.filter((f) => f.key !== 'Status');
  const { state, config } = call.store;

  const own = state.interfaces.filter((ri) => ri.regionId === regionId && ri.ownerId === call.request.account.id);
  // Only the interfaces this describe is about count as "described"; Status is matched after settling.
  const selected = own.filter((ri) => matches(ri, otherFilters));
  const counted = new Set<RouterInterfaceRecord>();
  let changed = false;
  for (const ri of selected) {
    if (state.interfaces.includes(ri) && settle(state, ri, config, call.now, 'describe', counted)) changed = true;
  }
  if (changed || counted.size > 0) call.store.markChanged();
  const result = selected.filter((ri) => state.interfaces.includes(ri) && matches(ri, statusFilters));
  const page = result.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: result.length,
    RouterInterfaceSet: { RouterInterfaceType: page.map((ri) => toApiObject(state, ri)) },
  };
}
