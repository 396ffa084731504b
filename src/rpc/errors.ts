import { VPC_ERROR_CLASSES } from './error-names';
import type { ApiFailure, VpcError, VpcErrorName } from './error-names';

/** Codes the client makes up itself for failures that carry no API code, whatever the API. */
export const CLIENT_ERROR_CODES = {
  /** Connect or read timeout (httpx `RequestTimeoutError`), or the invocation deadline reached. */
  timeout: 'RequestTimeout',
  /** Socket-level failure: refused, reset, DNS, dropped connection. */
  network: 'NetworkError',
  /** A body that is not JSON (an HTML 502 page from a proxy), or an HTTP 5xx without a `Code`. */
  badGateway: 'BadGatewayResponse',
  /** A JSON body without `Code` that does not have the shape the action returns, or a 4xx without a `Code`. */
  unexpected: 'UnexpectedResponse',
  /** No access key could be found: checked before any request is made. */
  missingCredentials: 'MissingCredentials',
  /** RIFLOW_VPC_ENDPOINT (or the endpoint option) is not an http(s) URL. */
  invalidEndpoint: 'InvalidEndpoint',
} as const;

/** Of the client's own codes, a failure to get any answer is transient; the others are refused. */
const TRANSIENT_CLIENT_CODES: readonly string[] = [CLIENT_ERROR_CODES.timeout, CLIENT_ERROR_CODES.network, CLIENT_ERROR_CODES.badGateway];

/** The vocabulary name of one of the client's own codes (every API's catalogue starts from these), else undefined. */
export function clientCodeName(code: string): VpcErrorName | undefined {
  if (TRANSIENT_CLIENT_CODES.includes(code)) return 'TransientFailure';
  return (Object.values(CLIENT_ERROR_CODES) as string[]).includes(code) ? 'RequestRefused' : undefined;
}

/** Codes no catalogue lists: any `Throttling*` or `ServiceUnavailable*`, and any 5xx, are transient; the rest refused. */
export function unlistedCodeName(code: string, httpStatus = 0): VpcErrorName {
  if (code.startsWith('Throttling') || code.startsWith('ServiceUnavailable')) return 'TransientFailure';
  return httpStatus >= 500 ? 'TransientFailure' : 'RequestRefused';
}

/**
 * The error a failed call ends in: the class of `name` when an API's catalogue gave one, else the client's own
 * code's name, else the open rules (an API whose codes riflow does not catalogue, such as CloudFlow's).
 */
export function rpcErrorFor(failure: ApiFailure, options?: { cause?: unknown; name?: VpcErrorName }): VpcError {
  const name = options?.name ?? clientCodeName(failure.code) ?? unlistedCodeName(failure.code, failure.httpStatus);
  return new VPC_ERROR_CLASSES[name](failure, options);
}
