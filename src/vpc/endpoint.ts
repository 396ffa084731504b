import type { EnvironmentVariables } from '../rpc/credentials';
import { endpointForRegion, REGION_PLACEHOLDER } from '../rpc/endpoint';

/**
 * The public VPC endpoint of each region is `vpc.<regionId>.aliyuncs.com` (the VPC API 2016-04-28 endpoint page,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-endpoint). The functions have no
 * VPC attached, so the `vpc-vpc.<regionId>` endpoints are out of their reach: the public one is the default.
 */
export const DEFAULT_VPC_ENDPOINT = `https://vpc.${REGION_PLACEHOLDER}.aliyuncs.com`;

/**
 * The endpoint for a request in `regionId`: `RIFLOW_VPC_ENDPOINT` (the local runner points it at an emulator; a
 * `{regionId}` in it is replaced by the request's region), else that region's public endpoint.
 */
export function endpointFromEnvironment(env: EnvironmentVariables, regionId: string): string {
  const configured = env.RIFLOW_VPC_ENDPOINT?.trim();
  return endpointForRegion(configured ? configured : DEFAULT_VPC_ENDPOINT, regionId);
}
