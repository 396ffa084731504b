/**
 * Our stand-in for the documented ParameterMismatch.RegionId-OppositeRegionId-Spec: the Mini specs are offered only
 * within one region. The real matrix is not public.
 */
export function specAllowedBetween(spec: string, regionId: string, oppositeRegionId: string): boolean {
  return !(spec.startsWith('Mini.') && regionId !== oppositeRegionId);
}

/** Regions the emulator knows besides those of seeded routers. */
export const KNOWN_REGIONS: readonly string[] = [
  'cn-hangzhou', 'cn-shanghai', 'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu',
  'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-hongkong', 'ap-southeast-1', 'ap-southeast-3',
  'ap-southeast-5', 'ap-northeast-1', 'ap-northeast-2', 'us-west-1', 'us-east-1', 'eu-central-1', 'eu-west-1',
  'me-east-1',
];
