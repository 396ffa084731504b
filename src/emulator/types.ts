import type { RouterInterfaceStatus } from '../vpc-api/statuses';

/** Shared data shapes of the emulator: state records, seed documents, configuration, fault rules, call records. */

export type Role = 'InitiatingSide' | 'AcceptingSide';
export type RouterType = 'VRouter' | 'VBR';
export type BusinessStatus = 'Normal' | 'FinancialLocked' | 'SecurityLocked';
export type ChargeType = 'PostPaid' | 'PrePaid';

/** A key pair; a key with a `securityToken` is a temporary (STS) key and every request must carry that token. */
export interface AccessKeyRecord {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AccountRecord {
  /** Alibaba Cloud account UID, always a string (17–18 digit ids do not survive JSON numbers). */
  id: string;
  name?: string;
  /** Overdue payments: Create/Connect/ModifySpec are refused with Forbidden.BillsOutstanding. */
  overdue: boolean;
  /** Business id (site); connecting across different bids is refused with CROSS_BID.FORBIDDEN. */
  bid: string;
  accessKeys: AccessKeyRecord[];
}

export interface RouterRecord {
  id: string;
  type: RouterType;
  regionId: string;
  ownerId: string;
  vpcId?: string;
}

/** Progress of a transient status; the target is implied by the status (see transitions.ts). */
export interface PendingTransition {
  /** Clock time (ms) the transient status was entered. */
  since: number;
  /** Describe calls that have shown this transient status so far. */
  describes: number;
}

export interface RouterInterfaceRecord {
  routerInterfaceId: string;
  regionId: string;
  ownerId: string;
  role: Role;
  spec: string;
  routerId: string;
  routerType: RouterType;
  oppositeRegionId?: string;
  oppositeInterfaceId?: string;
  oppositeRouterId?: string;
  oppositeRouterType?: RouterType;
  oppositeInterfaceOwnerId?: string;
  name?: string;
  description?: string;
  status: RouterInterfaceStatus;
  businessStatus: BusinessStatus;
  chargeType: ChargeType;
  /** ISO 8601 UTC. */
  creationTime: string;
  connectedTime?: string;
  /** Custom route entries using this interface as next hop; Delete is refused while > 0. */
  routeEntryCount: number;
  /** Resource tags (key → value), as DescribeRouterInterfaces' `Tags.N` filters and its `Tags` field show them. */
  tags?: Record<string, string>;
  pending?: PendingTransition;
}

/** What an idempotent call (ClientToken) returned the first time, keyed by account, action and token. */
export interface ClientTokenRecord {
  fingerprint: string;
  response: Record<string, unknown>;
}

export interface EmulatorState {
  accounts: AccountRecord[];
  routers: RouterRecord[];
  /** In creation order; DescribeRouterInterfaces lists them in this order. */
  interfaces: RouterInterfaceRecord[];
  clientTokens: Record<string, ClientTokenRecord>;
}

/**
 * A seed: the same shape as the state with most fields optional (defaults: overdue false, bid "26842", router type
 * VRouter, status Idle, businessStatus Normal, chargeType PostPaid, creationTime = load time, routeEntryCount 0).
 */
export interface SeedDocument {
  accounts: Array<Partial<Omit<AccountRecord, 'id' | 'accessKeys'>> & Pick<AccountRecord, 'id' | 'accessKeys'>>;
  routers: Array<Partial<RouterRecord> & Pick<RouterRecord, 'id' | 'regionId' | 'ownerId'>>;
  interfaces?: Array<
    Partial<RouterInterfaceRecord> &
      Pick<RouterInterfaceRecord, 'routerInterfaceId' | 'ownerId' | 'role' | 'spec' | 'routerId' | 'regionId'>
  >;
  clientTokens?: Record<string, ClientTokenRecord>;
}

/** How a transient status settles: at the next read, after a delay on the clock, or after N describes showed it. */
export type TransitionTiming = { mode: 'immediate' } | { mode: 'delay'; ms: number } | { mode: 'describes'; count: number };

/** Transient statuses whose timing is configurable; AcceptingConnecting follows its initiator's Connecting. */
export type TransientStatus = 'Connecting' | 'Activating' | 'Deactivating' | 'Deleting' | 'Modifying';

export interface RateLimitConfig {
  /** Requests allowed per window per account, region and action (token bucket capacity). */
  capacity: number;
  windowMs: number;
}

export interface EmulatorConfig {
  transitions: Record<TransientStatus, TransitionTiming>;
  /** Code returned by Connect/Activate on a wrong status; the docs changed from the older to the newer one in 2023. */
  statusErrorDialect: 'IncorrectRIStatus' | 'IncorrectStatus';
  /** The flow control of an action without a figure of its own in `rateLimits` (the CloudFlow API's actions here). */
  rateLimit: RateLimitConfig;
  /** Per action: the VPC API's published quotas (src/emulator/vpc/rate-limits.ts), or as raised in Quota Center. */
  rateLimits: Record<string, RateLimitConfig>;
  /** When false, signatures are not checked (keys, timestamps, nonces and tokens still are). */
  verifySignatures: boolean;
  /** Allowed clock skew of Timestamp / x-acs-date either way. */
  timestampWindowMs: number;
  /** How long a SignatureNonce stays used. */
  nonceWindowMs: number;
  maxInterfacesPerRouter: number;
  /** HTTP status of CloudFlow's ExecutionAlreadyExists (not documented; 409, as Conflict). */
  executionAlreadyExistsStatus: number;
  /** Newest call records kept by the request log. */
  callLogLimit: number;
}

export interface FaultRule {
  /** Set by the emulator when the rule is added. */
  id?: string;
  action: string | '*';
  /** 0-based indices of the calls matching `action` that this rule hits: "3", "0-1", "2,5-7", "4-" (from 4 on). */
  calls?: string;
  /** Chance in [0, 1] per matching call, drawn from the injected random source. */
  probability?: number;
  error?: { code: string; status: number; message?: string };
  latencyMs?: number;
  /** Destroy the socket without a response. */
  drop?: true;
  /**
   * Run the action (the write is applied and saved), then lose its answer: `drop` destroys the socket, `corrupt`
   * sends the answer's status with a truncated JSON body. What a ClientToken exists for: the retry must find it done.
   */
  afterApply?: 'drop' | 'corrupt';
  /** Raw response body (e.g. an HTML 502 page) sent with `status` (default 502). */
  body?: string;
  status?: number;
  contentType?: string;
}

export interface CallRecord {
  /** ISO 8601, from the emulator clock. */
  time: string;
  requestId: string;
  action: string;
  version: string;
  method: string;
  signatureVersion: 'V1' | 'V3' | 'none';
  accessKeyId?: string;
  /** Request parameters without Signature, SecurityToken or any secret. */
  params: Record<string, string>;
  status: number;
  code?: string;
  faultId?: string;
  latencyMs: number;
}

/** A partial configuration as accepted by `startEmulator({config})`, `control.updateConfig` and PATCH config. */
export type EmulatorConfigPatch = Partial<Omit<EmulatorConfig, 'transitions' | 'rateLimit' | 'rateLimits'>> & {
  transitions?: Partial<Record<TransientStatus, TransitionTiming>>;
  /** One limit for every action (the default and each action's). */
  rateLimit?: Partial<RateLimitConfig>;
  /** One action's limit, e.g. `{DescribeRouterInterfaces: {capacity: 600}}`. */
  rateLimits?: Record<string, Partial<RateLimitConfig>>;
  /** Sets every transition timing before the other fields apply. */
  preset?: 'fast' | 'realistic';
};
