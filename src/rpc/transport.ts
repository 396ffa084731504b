import PopRpcClient from '@alicloud/pop-core/lib/rpc';
import type { CredentialsProvider } from './credentials';
import { checkEndpoint } from './endpoint';
import { isVpcError } from './error-names';
import type { VpcError } from './error-names';
import { CLIENT_ERROR_CODES, rpcErrorFor } from './errors';

/**
 * The wire under the VPC and CloudFlow clients. The default one is pop-core's RPC client (imported alone, so its
 * ROA/XML half stays out of the bundles); tests can pass any function with this shape.
 */
export type RpcValue = string | number | boolean | RpcValue[] | { [key: string]: RpcValue };
export type RpcParams = Record<string, RpcValue>;

export interface RpcCall {
  action: string;
  params: RpcParams;
  timeoutMs: number;
}

/** `body` is the parsed JSON (error bodies included), or undefined when the body was not JSON; httpStatus 0 = unknown. */
export interface RpcResponse {
  httpStatus: number;
  body: unknown;
}

/** Resolves with any HTTP response; rejects only with a `VpcError` for transport failures (timeout, socket). */
export type RpcTransport = (call: RpcCall) => Promise<RpcResponse>;

interface PopEntry {
  response?: { statusCode?: number };
}
interface PopClient {
  request(action: string, params: RpcParams, options: object): Promise<[unknown, PopEntry]>;
}
interface PopConfig {
  endpoint: string;
  apiVersion: string;
  credentialsProvider: CredentialsProvider;
}
// pop-core's typings omit `credentialsProvider` and the `verbose` flag that returns the HTTP status with the body.
const RpcClient = PopRpcClient as unknown as new (config: PopConfig, verbose: boolean) => PopClient;

interface PopFailure {
  name?: unknown;
  code?: unknown;
  data?: unknown;
  entry?: PopEntry;
}

function statusOf(entry: PopEntry | undefined): number {
  const status = entry?.response?.statusCode;
  return typeof status === 'number' ? status : 0;
}

function transportFailure(error: unknown, call: RpcCall): VpcError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as PopFailure;
  if (failure.name === 'RequestTimeoutError') {
    return rpcErrorFor({ code: CLIENT_ERROR_CODES.timeout, apiMessage: `${call.action}: no response within ${call.timeoutMs} ms` }, { cause: error });
  }
  // Socket errors keep Node's code (ECONNREFUSED, ECONNRESET, ENOTFOUND, …); anything else is reported by name.
  const reason = typeof failure.code === 'string' ? failure.code : typeof failure.name === 'string' ? failure.name : 'unknown error';
  return rpcErrorFor({ code: CLIENT_ERROR_CODES.network, apiMessage: `${call.action}: ${reason}` }, { cause: error });
}

/**
 * Signs with V1 HMAC-SHA1 and POSTs a form body (so no parameter, token or signature ends up in a URL). The same
 * wire serves every RPC product: VPC (2016-04-28) and CloudFlow (2019-03-15).
 */
export function createPopTransport(endpoint: string, credentialsProvider: CredentialsProvider, apiVersion: string): RpcTransport {
  checkEndpoint(endpoint);
  const client = new RpcClient({ endpoint, apiVersion, credentialsProvider }, true);
  return async (call) => {
    try {
      const [body, entry] = await client.request(call.action, call.params, {
        method: 'POST',
        timeout: call.timeoutMs,
        formatParams: false,
      });
      return { httpStatus: statusOf(entry), body };
    } catch (error) {
      if (isVpcError(error)) throw error;
      const failure = (typeof error === 'object' && error !== null ? error : {}) as PopFailure;
      // pop-core throws for any body with a `Code`; hand it back as a response so one place interprets codes.
      if (typeof failure.data === 'object' && failure.data !== null) return { httpStatus: statusOf(failure.entry), body: failure.data };
      // json-bigint could not parse the body: an HTML error page or an empty body.
      if (failure.name === 'SyntaxError') return { httpStatus: 0, body: undefined };
      throw transportFailure(error, call);
    }
  };
}
