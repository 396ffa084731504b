import { resolveCredentials } from '../rpc/credentials';
import type { Credentials, CredentialsProvider } from '../rpc/credentials';
import type { VpcError } from '../rpc/error-names';
import { CLIENT_ERROR_CODES } from '../rpc/errors';
import { isBag, toPlain } from '../rpc/plain';
import { DEFAULT_RETRY, withRetry } from '../rpc/retry';
import type { RetryOptions } from '../rpc/retry';
import { createPopTransport } from '../rpc/transport';
import type { RpcParams, RpcTransport, RpcValue } from '../rpc/transport';
import { vpcErrorFor } from './errors';
import { parseRouterInterfacePage } from './router-interface';
import type { RouterInterface } from './router-interface';
import { validateClientToken, validateFilters, validateRegionId, validateRouterInterfaceId, validateTargetSpec } from './validate';
import type { RouterInterfaceFilter } from './validate';
import type { BandwidthSpec } from '../vpc-api/specs';

export interface VpcClientOptions {
  /** `https://vpc.aliyuncs.com`, a regional endpoint, or a local emulator `http://127.0.0.1:PORT`. */
  endpoint: string;
  credentials?: Credentials;
  credentialsProvider?: CredentialsProvider;
  /** Per-request timeout (default 5 s), clipped to the time left before `deadline`. */
  timeoutMs?: number;
  /** Retries of transient errors (default 4 attempts, 200 ms base, 3 s cap). */
  retry?: Partial<RetryOptions>;
  /** Epoch ms by which every call must be over (the FC invocation's end minus a margin). */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Replaces pop-core (tests). Credentials are still resolved and checked first. */
  transport?: RpcTransport;
}

export interface ActionResult {
  requestId: string;
}

export interface ModifySpecResult extends ActionResult {
  /** The spec the API reports back (the requested one). */
  spec: string;
}

export interface DescribeResult extends ActionResult {
  routerInterface: RouterInterface;
}

export interface VpcClient {
  connect(regionId: string, routerInterfaceId: string): Promise<ActionResult>;
  activate(regionId: string, routerInterfaceId: string): Promise<ActionResult>;
  deactivate(regionId: string, routerInterfaceId: string): Promise<ActionResult>;
  modifySpec(regionId: string, routerInterfaceId: string, spec: BandwidthSpec, clientToken?: string): Promise<ModifySpecResult>;
  /** One interface; an empty answer becomes `InvalidRouterInterfaceId.NotFound` (the API itself returns an empty list). */
  describe(regionId: string, routerInterfaceId: string): Promise<DescribeResult>;
  /** Every interface matching the filters, all pages followed. */
  list(regionId: string, filters?: RouterInterfaceFilter[]): Promise<RouterInterface[]>;
  /** One page (PageSize 50) of the interfaces matching the filters and tags, with the API's TotalCount. */
  page(regionId: string, query: PageQuery, pageNumber: number): Promise<InterfacePage>;
}

export interface PageQuery {
  filters?: RouterInterfaceFilter[];
  /** `Tags.N.Key`/`Tags.N.Value`: every tag must be on the interface (any value when none is given). */
  tags?: Array<{ key: string; value?: string }>;
}

export interface InterfacePage extends ActionResult {
  items: RouterInterface[];
  totalCount: number;
}

const VPC_API_VERSION = '2016-04-28';
const DEFAULT_TIMEOUT_MS = 5_000;
export const PAGE_SIZE = 50;
/** Stops a server that keeps sending full pages from looping forever (10,000 interfaces). */
export const MAX_PAGES = 200;

type Body = Record<string, unknown>;

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stripUndefined(params: Record<string, RpcValue | undefined>): RpcParams {
  const clean: RpcParams = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) clean[key] = value;
  return clean;
}

function requestIdOf(body: Body): string | undefined {
  const id = body.RequestId;
  return typeof id === 'string' ? id : undefined;
}

/** Turns one HTTP answer into a success body or the catalogue's error. */
export function interpretResponse(action: string, httpStatus: number, body: unknown): Body {
  if (!isBag(body)) {
    const shape = body === undefined ? 'a body that is not JSON' : 'a JSON body that is not an object';
    const code = httpStatus >= 200 && httpStatus < 300 ? CLIENT_ERROR_CODES.unexpected : CLIENT_ERROR_CODES.badGateway;
    throw vpcErrorFor({ code, httpStatus, apiMessage: `${action} returned ${shape}` });
  }
  const plain = toPlain(body) as Body;
  const code = plain.Code;
  if (typeof code === 'string' && code !== '' && !['200', 'OK', 'Success', 'success'].includes(code)) {
    const message = typeof plain.Message === 'string' ? plain.Message : '';
    throw vpcErrorFor({ code, apiMessage: message, httpStatus, requestId: requestIdOf(plain) });
  }
  if (httpStatus >= 400) {
    // An error status without a code: a 5xx is the gateway's (transient), a 4xx something we cannot interpret.
    throw vpcErrorFor({
      code: httpStatus >= 500 ? CLIENT_ERROR_CODES.badGateway : CLIENT_ERROR_CODES.unexpected,
      httpStatus,
      requestId: requestIdOf(plain),
      apiMessage: `${action} answered HTTP ${httpStatus} without an error code`,
    });
  }
  return plain;
}

function unexpected(action: string, body: Body, detail: string): VpcError {
  return vpcErrorFor({
    code: CLIENT_ERROR_CODES.unexpected,
    httpStatus: 200,
    requestId: requestIdOf(body),
    apiMessage: `${action} returned ${detail}`,
  });
}

export function createVpcClient(options: VpcClientOptions): VpcClient {
  const credentialsProvider = resolveCredentials({
    contextCredentials: options.credentials,
    env: {},
    ...(options.credentialsProvider ? { provider: options.credentialsProvider } : {}),
  });
  const transport = options.transport ?? createPopTransport(options.endpoint, credentialsProvider, VPC_API_VERSION);
  const now = options.now ?? Date.now;
  const retryEnvironment = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    deadline: options.deadline,
    now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call(action: string, params: Record<string, RpcValue | undefined>): Promise<Body> {
    const clean = stripUndefined(params);
    return withRetry(retryEnvironment, timeoutMs, async (attemptTimeoutMs) => {
      // A custom transport bypasses pop-core, so check the credentials here as pop-core would fetch them.
      if (options.transport) await credentialsProvider.getCredentials();
      const response = await transport({ action, params: clean, timeoutMs: attemptTimeoutMs });
      return interpretResponse(action, response.httpStatus, response.body);
    });
  }

  async function simpleAction(action: string, regionId: string, routerInterfaceId: string): Promise<ActionResult> {
    const body = await call(action, {
      RegionId: validateRegionId(regionId),
      RouterInterfaceId: validateRouterInterfaceId(routerInterfaceId),
    });
    return { requestId: requestIdOf(body) ?? '' };
  }

  async function describePage(regionId: string, filters: RouterInterfaceFilter[], pageNumber: number, tags: PageQuery['tags'] = []) {
    const action = 'DescribeRouterInterfaces';
    const body = await call(action, {
      RegionId: regionId,
      PageNumber: pageNumber,
      PageSize: PAGE_SIZE,
      Filter: filters.length ? filters.map((filter) => ({ Key: filter.key, Value: filter.values })) : undefined,
      Tags: tags.length ? tags.map((tag): RpcParams => (tag.value === undefined ? { Key: tag.key } : { Key: tag.key, Value: tag.value })) : undefined,
    });
    const page = parseRouterInterfacePage(body);
    if (!page) throw unexpected(action, body, 'no readable RouterInterfaceSet');
    return { page, requestId: requestIdOf(body) ?? '' };
  }

  return {
    connect: (regionId, id) => simpleAction('ConnectRouterInterface', regionId, id),
    activate: (regionId, id) => simpleAction('ActivateRouterInterface', regionId, id),
    deactivate: (regionId, id) => simpleAction('DeactivateRouterInterface', regionId, id),

    async modifySpec(regionId, routerInterfaceId, spec, clientToken) {
      const body = await call('ModifyRouterInterfaceSpec', {
        RegionId: validateRegionId(regionId),
        RouterInterfaceId: validateRouterInterfaceId(routerInterfaceId),
        Spec: validateTargetSpec(spec),
        ClientToken: clientToken === undefined ? undefined : validateClientToken(clientToken),
      });
      const reported = body.Spec;
      return { requestId: requestIdOf(body) ?? '', spec: typeof reported === 'string' ? reported : spec };
    },

    async describe(regionId, routerInterfaceId) {
      const region = validateRegionId(regionId);
      const id = validateRouterInterfaceId(routerInterfaceId);
      const { page, requestId } = await describePage(region, [{ key: 'RouterInterfaceId', values: [id] }], 1);
      const found = page.items.find((item) => item.routerInterfaceId === id);
      if (!found) {
        // The API answers an unknown id with an empty list; Terraform turns that into NotFound, and so do we.
        throw vpcErrorFor({
          code: 'InvalidRouterInterfaceId.NotFound',
          httpStatus: 404,
          requestId,
          apiMessage: `The specified RouterInterfaceId does not exist in our records (${id}; empty DescribeRouterInterfaces result).`,
        });
      }
      return { requestId, routerInterface: found };
    },

    async page(regionId, query, pageNumber) {
      const { page, requestId } = await describePage(validateRegionId(regionId), validateFilters(query.filters ?? []), pageNumber, query.tags);
      return { requestId, items: page.items, totalCount: page.totalCount ?? page.items.length };
    },

    async list(regionId, filters = []) {
      const region = validateRegionId(regionId);
      const checked = validateFilters(filters);
      const all: RouterInterface[] = [];
      for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
        const { page } = await describePage(region, checked, pageNumber);
        all.push(...page.items);
        const reachedTotal = page.totalCount !== undefined && all.length >= page.totalCount;
        if (reachedTotal || page.rawCount < PAGE_SIZE) break;
      }
      return all;
    },
  };
}
