import { CLIENT_ERROR_CODES, rpcErrorFor } from './errors';

/** The one placeholder an endpoint template may carry: the request's region goes there. */
export const REGION_PLACEHOLDER = '{regionId}';

/** An endpoint template with `{regionId}` filled in (a template without it is used as it is, for every region). */
export function endpointForRegion(template: string, regionId: string): string {
  return template.replaceAll(REGION_PLACEHOLDER, regionId);
}

/** Refuses anything but an http(s) URL before a client is built on it. */
export function checkEndpoint(endpoint: string): void {
  if (!/^https?:\/\/[^\s/?#]+/.test(endpoint)) {
    throw rpcErrorFor({
      code: CLIENT_ERROR_CODES.invalidEndpoint,
      apiMessage: `the VPC endpoint must be an http:// or https:// URL (got "${endpoint}")`,
    });
  }
}
