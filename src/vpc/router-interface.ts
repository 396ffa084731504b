import { isBag } from '../rpc/plain';

/** Router interfaces as plain typed objects, read from a body already copied out by `toPlain` (src/rpc/plain.ts). */
export interface RouterInterface {
  routerInterfaceId: string;
  /** As reported; one of `RouterInterfaceStatus` (src/vpc-api/statuses.ts) for a well-behaved server. */
  status: string;
  role: string;
  spec: string;
  businessStatus: string;
  bandwidth?: number;
  routerId?: string;
  routerType?: string;
  vpcInstanceId?: string;
  name?: string;
  description?: string;
  creationTime?: string;
  connectedTime?: string;
  chargeType?: string;
  oppositeInterfaceId?: string;
  oppositeInterfaceStatus?: string;
  oppositeInterfaceSpec?: string;
  oppositeInterfaceBusinessStatus?: string;
  oppositeRouterId?: string;
  oppositeRouterType?: string;
  oppositeRegionId?: string;
  oppositeInterfaceOwnerId?: string;
  oppositeBandwidth?: number;
}

type Bag = Record<string, unknown>;

function text(bag: Bag, key: string): string | undefined {
  const value = bag[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function count(bag: Bag, key: string): number | undefined {
  const value = bag[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

const OPTIONAL_TEXT = [
  ['routerId', 'RouterId'],
  ['routerType', 'RouterType'],
  ['vpcInstanceId', 'VpcInstanceId'],
  ['name', 'Name'],
  ['description', 'Description'],
  ['creationTime', 'CreationTime'],
  ['connectedTime', 'ConnectedTime'],
  ['chargeType', 'ChargeType'],
  ['oppositeInterfaceId', 'OppositeInterfaceId'],
  ['oppositeInterfaceStatus', 'OppositeInterfaceStatus'],
  ['oppositeInterfaceSpec', 'OppositeInterfaceSpec'],
  ['oppositeInterfaceBusinessStatus', 'OppositeInterfaceBusinessStatus'],
  ['oppositeRouterId', 'OppositeRouterId'],
  ['oppositeRouterType', 'OppositeRouterType'],
  ['oppositeRegionId', 'OppositeRegionId'],
  ['oppositeInterfaceOwnerId', 'OppositeInterfaceOwnerId'],
] as const satisfies ReadonlyArray<readonly [keyof RouterInterface, string]>;

/** One `RouterInterfaceType` item (already `toPlain`-ed), or undefined when it lacks an id or a status. */
function parseRouterInterface(item: unknown): RouterInterface | undefined {
  if (!isBag(item)) return undefined;
  const routerInterfaceId = text(item, 'RouterInterfaceId');
  const status = text(item, 'Status');
  if (!routerInterfaceId || !status) return undefined;
  const parsed: RouterInterface = {
    routerInterfaceId,
    status,
    role: text(item, 'Role') ?? '',
    spec: text(item, 'Spec') ?? '',
    businessStatus: text(item, 'BusinessStatus') ?? '',
  };
  for (const [field, key] of OPTIONAL_TEXT) {
    const value = text(item, key);
    if (value !== undefined) parsed[field] = value;
  }
  const bandwidth = count(item, 'Bandwidth');
  if (bandwidth !== undefined) parsed.bandwidth = bandwidth;
  const oppositeBandwidth = count(item, 'OppositeBandwidth');
  if (oppositeBandwidth !== undefined) parsed.oppositeBandwidth = oppositeBandwidth;
  return parsed;
}

export interface RouterInterfacePage {
  items: RouterInterface[];
  /** Items in the raw page (parsed or not), to detect a short page. */
  rawCount: number;
  totalCount: number | undefined;
}

/** A DescribeRouterInterfaces body, or undefined when it does not have that shape. */
export function parseRouterInterfacePage(body: Bag): RouterInterfacePage | undefined {
  const set = body.RouterInterfaceSet;
  if (!isBag(set)) return undefined;
  const list = set.RouterInterfaceType ?? [];
  if (!Array.isArray(list)) return undefined;
  const items: RouterInterface[] = [];
  for (const raw of list) {
    const parsed = parseRouterInterface(raw);
    if (!parsed) return undefined;
    items.push(parsed);
  }
  return { items, rawCount: list.length, totalCount: count(body, 'TotalCount') };
}
