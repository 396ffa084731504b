/** DescribeRouterInterfaces' ten filter keys (API reference §3): what the client accepts and the emulator serves. */
export const FILTER_KEYS = [
  'RouterInterfaceId',
  'RouterId',
  'RouterType',
  'RouterInterfaceOwnerId',
  'OppositeInterfaceId',
  'OppositeRouterType',
  'OppositeRouterId',
  'OppositeInterfaceOwnerId',
  'Status',
  'Name',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function isFilterKey(value: string): value is FilterKey {
  return (FILTER_KEYS as readonly string[]).includes(value);
}
