import type { DescribePage, RouterInterfaceView } from '../models/describe';

/** The documented `RouterInterfaceType` object (API reference §3.2): every field present, empty text for none. */
function renderRouterInterface({ ri, peer, router, oppositeRouter, bandwidth, oppositeBandwidth }: RouterInterfaceView): Record<string, unknown> {
  return {
    RouterInterfaceId: ri.routerInterfaceId,
    Status: ri.status,
    Role: ri.role,
    Spec: ri.spec,
    Bandwidth: bandwidth,
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
    OppositeBandwidth: oppositeBandwidth,
    CrossBorder: false,
    FastLinkMode: false,
    HasReservationData: 'false',
    Ipv6Status: 'off',
    ResourceGroupId: '',
    Tags: { Tags: Object.entries(ri.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) },
  };
}

export function renderDescribe(page: DescribePage): Record<string, unknown> {
  return {
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    RouterInterfaceSet: { RouterInterfaceType: page.items.map(renderRouterInterface) },
  };
}
