import { escapeText } from './safe-text';

/**
 * The one error catalogue. Every VPC code named in the API reference is classed here:
 * - transient: the client retries it briefly with jittered backoff inside the FC time budget;
 * - conflict: a status or concurrency clash that clears with time; the workflow retries it with backoff;
 * - terminal: retrying cannot help (not found, wrong role, spec, billing lock, credentials, …).
 * Codes not listed: `Throttling*` is transient; any other code is transient on HTTP 5xx and terminal otherwise.
 * A listed code keeps its class whatever the HTTP status (e.g. the 500 `InvalidRouterInterfaceChargeType.Malformed`).
 */
export type ErrorClass = 'transient' | 'conflict' | 'terminal';

/** Names the client makes up itself for failures that carry no API code. */
export const CLIENT_ERROR_NAMES = {
  /** Connect or read timeout (httpx `RequestTimeoutError`), or the invocation deadline reached. */
  timeout: 'RequestTimeout',
  /** Socket-level failure: refused, reset, DNS, dropped connection. */
  network: 'NetworkError',
  /** A body that is not JSON (an HTML 502 page from a proxy), or an HTTP 5xx without a `Code`. */
  badGateway: 'BadGatewayResponse',
  /** A JSON body without `Code` that does not have the shape the action returns. */
  unexpected: 'UnexpectedResponse',
  /** No access key could be found: checked before any request is made. */
  missingCredentials: 'MissingCredentials',
  /** RIFLOW_VPC_ENDPOINT (or the endpoint option) is not an http(s) URL. */
  invalidEndpoint: 'InvalidEndpoint',
} as const;

export const TRANSIENT_ERROR_NAMES = [
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  CLIENT_ERROR_NAMES.timeout,
  CLIENT_ERROR_NAMES.network,
  CLIENT_ERROR_NAMES.badGateway,
] as const;

export const CONFLICT_ERROR_NAMES = [
  'IncorrectStatus',
  'IncorrectRIStatus',
  'InvalidInstance.StatusError',
  'OperationConflict',
  'INSTANCE_IN_PROCESSIONG',
  'Forbidden.OnlyOneConnection.Concurrent',
  // Right after ModifyRouterInterfaceAttribute the peer info is eventually consistent (Terraform retries it).
  'IncorrectOppositeInterfaceInfo.NotSet',
  // Returned by CreateRouteEntry when the next-hop interface is mid-transition.
  'IncorrectStatus.RouterInterface',
] as const;

/** Typos are the API's own (`Valud`, `Forbbiden`, `Invaild`, `Financile`, `Malformd`), kept because codes match verbatim. */
export const TERMINAL_ERROR_NAMES = [
  // not found
  'InvalidRouterInterfaceId.NotFound',
  'InvalidRegionId.NotFound',
  'InvalidInstanceId.NotFound',
  'InvalidOppositeRegionId.NotFound',
  'InvalidOpposite.NotFound',
  'InvalidPrice.NotFound',
  'OppositeRouterInterfaceIsDeleted',
  // role, pairing and spec
  'IncorrectRole.NotInitiatingSide',
  'IncorrectOppositeInterfaceInfo',
  'Forbidden.OnlyOneConnection',
  'CROSS_BID.FORBIDDEN',
  'InvalidSpec.ValudNotSupported',
  'ParameterMismatch.RegionId-OppositeRegionId-Spec',
  'InvalidBandwidth.NotEnough',
  'InvalidRole.ValueNotSupported',
  'InvalidRole.Malformed',
  'NotSupportLinkrole',
  'LinkRole.NotSupport',
  'OperationFailed.PconnTrafficNotEnable',
  'DependencyViolation.RouterInterfaceReferedByRouteEntry',
  'InvalidRouterInterfaceChargeType.Malformed',
  // billing
  'Forbidden.FinancialLocked',
  'Forbidden.FinancileLocked',
  'Forbidden.BillsOutstanding',
  // ownership and permissions
  'Forbbiden',
  'Forbbiden.InvaildOwner',
  'Forbbiden.ModifyIdAndType',
  'InvalidInstanceOwner.Error',
  'IllegalParam.InstanceOwner',
  'Forbidden.RAM',
  // parameters
  'InvalidAliuid',
  'IllegalParam.AliUid',
  'InvalidParam.NotFound',
  'InvalidParam.NotNull',
  'InvalidParam.ModifyRouterInterface',
  'Parameter.Illegal',
  'InvalidFilterKey.ValueNotSupported',
  'InvalidConnectionType.MalFormed',
  'InvalidProductForm.MalFormed',
  'EndPoint.Empty',
  'InvalidName.Malformed',
  'InvalidName.Malformd',
  'InvalidDescription.Malformed',
  'InvalidOppositeRouterType.ValueNotSupported',
  'IllegalParam.HcThreshold',
  'IllegalParam.HcRate',
  'IllegalParam.HcSourceIp',
  'InvalidHealthCheckIP.Malformd',
  'MissingParameter',
  'InvalidParameter',
  // gateway: action, access key, timestamp, signature
  'InvalidAction.NotFound',
  'InvalidApi.NotFound',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidTimeStamp.Format',
  'InvalidTimeStamp.Expired',
  'SignatureNonceUsed',
  'InvalidSignatureMethod',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  // client-side
  CLIENT_ERROR_NAMES.unexpected,
  CLIENT_ERROR_NAMES.missingCredentials,
  CLIENT_ERROR_NAMES.invalidEndpoint,
] as const;

const CATALOGUE = new Map<string, ErrorClass>([
  ...TRANSIENT_ERROR_NAMES.map((name) => [name, 'transient'] as const),
  ...CONFLICT_ERROR_NAMES.map((name) => [name, 'conflict'] as const),
  ...TERMINAL_ERROR_NAMES.map((name) => [name, 'terminal'] as const),
]);

/**
 * The catalogue name for an API code. Only `Forbidden.OnlyOneConnection` is overloaded: "The Specified routers
 * have a connection already" stays terminal, "Cannot connect concurrently between same routers" becomes
 * `Forbidden.OnlyOneConnection.Concurrent` so a workflow can retry it.
 */
export function errorNameFor(code: string, apiMessage: string): string {
  if (code === 'Forbidden.OnlyOneConnection' && /concurrent/i.test(apiMessage)) {
    return 'Forbidden.OnlyOneConnection.Concurrent';
  }
  return code;
}

/** The class of a catalogue name; `httpStatus` decides for names the catalogue does not list (0 = unknown). */
export function classifyError(name: string, httpStatus = 0): ErrorClass {
  const listed = CATALOGUE.get(name);
  if (listed) return listed;
  if (name.startsWith('Throttling')) return 'transient';
  return httpStatus >= 500 ? 'transient' : 'terminal';
}

export interface VpcErrorFields {
  code: string;
  apiMessage: string;
  httpStatus?: number;
  requestId?: string;
  /** Overrides the name derived from code and message (client-side errors). */
  name?: string;
}

/**
 * Any failure of a VPC call. `name` is the catalogue name a workflow's Retry/Catch matches (FC reports
 * `errorType = err.name`); `code` is the API code verbatim. Messages never contain credentials or signed URLs.
 */
export class VpcError extends Error {
  override readonly name: string;
  readonly code: string;
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  readonly apiMessage: string;
  readonly errorClass: ErrorClass;

  constructor(fields: VpcErrorFields, options?: { cause?: unknown }) {
    const code = escapeText(fields.code, 128);
    const name = fields.name ?? errorNameFor(code, fields.apiMessage);
    const httpStatus = fields.httpStatus ?? 0;
    const label = name === code ? code : `${name} (code ${code})`;
    const status = httpStatus ? ` (HTTP ${httpStatus})` : '';
    const request = fields.requestId ? ` RequestId: ${escapeText(fields.requestId, 80)}` : '';
    super(`${label}${status}: ${escapeText(fields.apiMessage, 500)}${request}`, options);
    this.name = name;
    this.code = code;
    this.httpStatus = httpStatus;
    this.requestId = fields.requestId;
    this.apiMessage = fields.apiMessage;
    this.errorClass = classifyError(name, httpStatus);
  }
}

export function isVpcError(error: unknown): error is VpcError {
  return error instanceof VpcError;
}

/**
 * A bad event or argument, refused before any request. `field` is the path of the offending value (e.g.
 * `routerInterfaceId`, `filters[2].values[0]`), `rule` a stable identifier of the rule it broke.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInput';
  readonly errorClass: ErrorClass = 'terminal';

  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
