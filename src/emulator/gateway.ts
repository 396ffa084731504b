import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateV1, authenticateV3, type Authenticated, type RpcRequestParts } from './auth';
import { loggableParams, type CallLog } from './call-log';
import { ApiError, GatewayErrors } from './errors';
import type { FaultInjector } from './faults';
import { readBody, sendJson, sendRaw } from './http-io';
import type { Mutex } from './mutex';
import type { NonceCache } from './nonce-cache';
import { parseUrlEncoded } from './percent-encoding';
import type { ProductRegistry, ResolvedAction } from './products';
import type { RateLimiter } from './rate-limiter';
import type { EmulatorStore } from './store';
import { formatTime } from './transitions';
import type { CallRecord, FaultRule } from './types';

/**
 * The POP RPC gateway: parses GET query / POST form calls, runs the cloud's checks in order (Action/Version →
 * authentication → rate limit), applies fault rules, then runs the action under the store mutex and waits until
 * the change is saved before answering.
 */
export interface GatewayDeps {
  store: EmulatorStore;
  registry: ProductRegistry;
  nonces: NonceCache;
  limiter: RateLimiter;
  faults: FaultInjector;
  calls: CallLog;
  mutex: Mutex;
  /** Resolves once every change made so far is durable (no-op without a state file). */
  persist: () => Promise<void>;
  log: (line: string) => void;
}

interface CallContext {
  requestId: string;
  action: string;
  version: string;
  signatureVersion: CallRecord['signatureVersion'];
  accessKeyId?: string;
  params: Record<string, string>;
  faultId?: string;
}

function errorBody(error: ApiError, requestId: string, hostId: string, productCode: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${productCode}&requestId=${requestId}`,
  };
}

async function parseRequest(req: IncomingMessage): Promise<RpcRequestParts> {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const query = parseUrlEncoded(queryStart < 0 ? '' : url.slice(queryStart + 1));
  const body = await readBody(req);
  const params = { ...query };
  const contentType = req.headers['content-type'] ?? '';
  if (body.length > 0 && (contentType === '' || contentType.includes('application/x-www-form-urlencoded'))) {
    parseUrlEncoded(body.toString('utf8'), params);
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    pathname: queryStart < 0 ? url : url.slice(0, queryStart),
    query,
    params,
    headers: req.headers,
    body,
  };
}

export class RpcGateway {
  constructor(private readonly deps: GatewayDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const context: CallContext = {
      requestId: randomUUID().toUpperCase(),
      action: '',
      version: '',
      signatureVersion: 'none',
      params: {},
    };
    let status = 200;
    let code: string | undefined;
    try {
      const parts = await parseRequest(req);
      const outcome = await this.run(parts, context, res);
      if (outcome === 'dropped') {
        status = 0;
        code = 'Dropped';
      } else if (outcome.error) {
        status = outcome.error.status;
        code = outcome.error.code;
        const { registry } = this.deps;
        sendJson(res, status, errorBody(outcome.error, context.requestId, registry.hostIdFor(context.version), registry.codeFor(context.version)));
      } else if (outcome.raw) {
        status = outcome.raw.status;
        code = outcome.raw.code ?? 'RawBody';
        sendRaw(res, status, outcome.raw.body, outcome.raw.contentType);
      } else {
        sendJson(res, 200, { RequestId: context.requestId, ...outcome.body });
      }
    } catch (error) {
      this.deps.log(`emulator: request ${context.requestId} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      const internal = GatewayErrors.internal();
      status = internal.status;
      code = internal.code;
      if (!res.headersSent && !res.destroyed) sendJson(res, status, errorBody(internal, context.requestId, 'vpc.aliyuncs.com', 'Vpc'));
    } finally {
      this.deps.calls.add({
        time: formatTime(this.deps.store.clock.now()),
        requestId: context.requestId,
        action: context.action,
        version: context.version,
        method: (req.method ?? 'GET').toUpperCase(),
        signatureVersion: context.signatureVersion,
        ...(context.accessKeyId ? { accessKeyId: context.accessKeyId } : {}),
        params: loggableParams(context.params),
        status,
        ...(code ? { code } : {}),
        ...(context.faultId ? { faultId: context.faultId } : {}),
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      });
    }
  }

  private async run(
    parts: RpcRequestParts,
    context: CallContext,
    res: ServerResponse,
  ): Promise<
    | 'dropped'
    | { error: ApiError; raw?: undefined; body?: undefined }
    | { raw: { status: number; body: string; contentType: string; code?: string }; error?: undefined; body?: undefined }
    | { body: Record<string, unknown>; error?: undefined; raw?: undefined }
  > {
    const { store, registry, nonces, limiter, faults, mutex } = this.deps;
    context.params = parts.params;
    const isV3 = (parts.headers.authorization ?? '').startsWith('ACS3-');
    context.signatureVersion = isV3 ? 'V3' : 'V1';
    const action = isV3 ? headerText(parts.headers['x-acs-action']) : parts.params.Action;
    const version = isV3 ? headerText(parts.headers['x-acs-version']) : parts.params.Version;
    context.action = action ?? '';
    context.version = version ?? '';
    let resolved: ResolvedAction | undefined;
    let auth: Authenticated;
    try {
      if (!action) throw GatewayErrors.missing('Action');
      if (!version) throw GatewayErrors.missing('Version');
      resolved = registry.resolve(version, action);
      if (!resolved) throw GatewayErrors.actionNotFound();
      if (isV3 && !parts.headers.authorization?.startsWith('ACS3-HMAC-SHA256 ')) throw GatewayErrors.signatureMethod();
      auth = isV3 ? authenticateV3(parts, store, nonces) : authenticateV1(parts, store, nonces);
      context.accessKeyId = auth.accessKeyId;
      // Per account, region and action, as the quota pages' dimension "regionId, API, ParentUid" says.
      const limit = store.config.rateLimits[action] ?? store.config.rateLimit;
      if (!limiter.take(JSON.stringify([auth.account.id, parts.params.RegionId ?? '', version, action]), limit, store.clock.now())) {
        throw GatewayErrors.throttlingUser();
      }
    } catch (error) {
      if (error instanceof ApiError) return { error };
      throw error;
    }

    const fault = faults.match(action);
    if (fault) context.faultId = fault.id;
    if (fault && !fault.afterApply) {
      const effect = await this.applyFault(fault, res);
      if (effect) return effect;
    } else if (fault?.latencyMs) {
      await store.wallClock.sleep(fault.latencyMs);
    }
    const handler = resolved.handler;
    const request = { action, version, params: parts.params, account: auth.account, accessKeyId: auth.accessKeyId, requestId: context.requestId };
    let outcome: { body: Record<string, unknown> } | { error: ApiError };
    try {
      outcome = { body: await mutex.run(() => handler(request)) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      outcome = { error };
    }
    // Durable before answered; a refused action may still have settled statuses while reading, saved too. A save
    // that fails is the cloud's InternalError (outcome unknown to the client, which retries), never a 200.
    try {
      await this.deps.persist();
    } catch {
      return { error: GatewayErrors.internal() };
    }
    if (fault?.afterApply === 'drop') {
      res.socket?.destroy();
      return 'dropped';
    }
    if (fault?.afterApply === 'corrupt') {
      const answer = 'body' in outcome ? { RequestId: context.requestId, ...outcome.body } : { RequestId: context.requestId, Code: outcome.error.code };
      const text = JSON.stringify(answer);
      return { raw: { status: 'body' in outcome ? 200 : outcome.error.status, body: text.slice(0, Math.ceil(text.length / 2)), contentType: 'application/json', code: 'Corrupted' } };
    }
    return outcome;
  }

  private async applyFault(
    fault: FaultRule,
    res: ServerResponse,
  ): Promise<'dropped' | { error: ApiError } | { raw: { status: number; body: string; contentType: string } } | undefined> {
    if (fault.latencyMs) await this.deps.store.wallClock.sleep(fault.latencyMs);
    if (fault.drop) {
      res.socket?.destroy();
      return 'dropped';
    }
    if (fault.error) return { error: new ApiError(fault.error.status, fault.error.code, fault.error.message ?? `Injected fault ${fault.error.code}.`) };
    if (fault.body !== undefined) {
      return { raw: { status: fault.status ?? 502, body: fault.body, contentType: fault.contentType ?? 'text/html' } };
    }
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
