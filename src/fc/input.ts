import { validateRegionId, validateRouterInterfaceId } from '../vpc/validate';
import type { FcContext } from './context';

export interface RouterInterfaceTarget {
  regionId: string;
  routerInterfaceId: string;
}

/** `{regionId, routerInterfaceId}` from an event; the region falls back to the function's own region. */
export function parseTarget(event: Record<string, unknown>, context: FcContext): RouterInterfaceTarget {
  const region = event.regionId ?? context.region;
  return {
    regionId: validateRegionId(region),
    routerInterfaceId: validateRouterInterfaceId(event.routerInterfaceId),
  };
}
