import { ERROR_CLASS_OF } from '../rpc/error-names';
import type { ApiFailure, ErrorClass, ErrorName, VpcError, VpcErrorName } from '../rpc/error-names';
import { CLIENT_ERROR_CODES, clientCodeName, rpcErrorFor, unlistedCodeName } from '../rpc/errors';

/**
 * The one error catalogue: every VPC code named in the API reference (shared/reference/vpc-router-interface-api.md
 * §2, §3.3, §5.6), with the vocabulary name a handler throws for it and the actions whose error tables list it.
 * Codes not listed follow `unlistedCodeName`. A listed code keeps its name whatever the HTTP status (e.g. the 500
 * `InvalidRouterInterfaceChargeType.Malformed` stays terminal). Typos are the API's own (`Valud`, `Forbbiden`,
 * `Invaild`, `Financile`, `Malformd`), kept because codes match verbatim.
 */
export const VPC_ACTIONS = [
  'CreateRouterInterface',
  'ConnectRouterInterface',
  'ActivateRouterInterface',
  'DeactivateRouterInterface',
  'ModifyRouterInterfaceSpec',
  'ModifyRouterInterfaceAttribute',
  'DescribeRouterInterfaces',
  'DeleteRouterInterface',
  'CreateRouteEntry',
] as const;
export type VpcAction = (typeof VPC_ACTIONS)[number];

/** `'any'`: the API gateway's common codes and the client's own, which any call can meet. */
export interface CatalogueEntry {
  name: VpcErrorName;
  actions: readonly VpcAction[] | 'any';
}

/** A code any action can meet. */
const ANY = 'any';

/** The catalogue key of the one code the API overloads (see `catalogueKey`). */
export const CONCURRENT_CONNECT_KEY = 'Forbidden.OnlyOneConnection.Concurrent';

const [CREATE, CONNECT, ACTIVATE, DEACTIVATE, MODIFY_SPEC, MODIFY_ATTRIBUTE, DESCRIBE, DELETE, ROUTE_ENTRY] = VPC_ACTIONS;

type Row = readonly [code: string, actions: CatalogueEntry['actions']];

const BY_NAME: Readonly<Record<VpcErrorName, readonly Row[]>> = {
  StatusConflict: [
    ['IncorrectStatus', [CONNECT, ACTIVATE, DEACTIVATE, MODIFY_ATTRIBUTE, DELETE]],
    ['IncorrectRIStatus', [CONNECT, ACTIVATE]],
    ['InvalidInstance.StatusError', [MODIFY_SPEC]],
    ['OperationConflict', ANY],
    ['INSTANCE_IN_PROCESSIONG', [MODIFY_ATTRIBUTE]],
    [CONCURRENT_CONNECT_KEY, [CONNECT]],
    // Right after ModifyRouterInterfaceAttribute the peer info is eventually consistent (Terraform retries it).
    ['IncorrectOppositeInterfaceInfo.NotSet', [CONNECT]],
    // Returned by CreateRouteEntry when the next-hop interface is mid-transition.
    ['IncorrectStatus.RouterInterface', [ROUTE_ENTRY]],
  ],
  TransientFailure: [
    ['Throttling', ANY],
    ['Throttling.User', ANY],
    ['Throttling.Api', ANY],
    ['ServiceUnavailable', ANY],
    ['InternalError', ANY],
  ],
  RouterInterfaceNotFound: [
    // Describe: the client turns an empty result for one id into this code, as Terraform does.
    ['InvalidRouterInterfaceId.NotFound', [CONNECT, ACTIVATE, DEACTIVATE, MODIFY_SPEC, MODIFY_ATTRIBUTE, DESCRIBE]],
    ['InvalidRegionId.NotFound', [CREATE, CONNECT, ACTIVATE, DEACTIVATE, MODIFY_ATTRIBUTE, DESCRIBE, DELETE]],
    ['InvalidInstanceId.NotFound', [DELETE]],
  ],
  WrongRole: [['IncorrectRole.NotInitiatingSide', [CONNECT]]],
  ConnectionRefused: [
    ['Forbidden.OnlyOneConnection', [CONNECT]],
    ['IncorrectOppositeInterfaceInfo', [CONNECT]],
    ['CROSS_BID.FORBIDDEN', [CONNECT]],
  ],
  AccountLocked: [
    // ModifySpec: "not allowed with overdue payment" (the code is the one Create and Connect document).
    ['Forbidden.BillsOutstanding', [CREATE, CONNECT, MODIFY_SPEC]],
    ['Forbidden.FinancialLocked', [CONNECT, ACTIVATE, DEACTIVATE, MODIFY_SPEC, MODIFY_ATTRIBUTE]],
    ['Forbidden.FinancileLocked', [ACTIVATE, DEACTIVATE]],
  ],
  UnsupportedSpec: [
    ['InvalidSpec.ValudNotSupported', [CREATE, MODIFY_SPEC]],
    ['ParameterMismatch.RegionId-OppositeRegionId-Spec', [CREATE, MODIFY_SPEC]],
  ],
  RequestRefused: [
    // other not-found codes: a peer, a region on the other side, a price
    ['InvalidOppositeRegionId.NotFound', [CREATE, MODIFY_SPEC]],
    ['InvalidOpposite.NotFound', [MODIFY_SPEC]],
    ['InvalidPrice.NotFound', [CREATE]],
    ['OppositeRouterInterfaceIsDeleted', [ACTIVATE]],
    // pairing and configuration
    ['InvalidBandwidth.NotEnough', [CREATE]],
    ['InvalidRole.ValueNotSupported', [CREATE]],
    ['InvalidRole.Malformed', [DESCRIBE]],
    ['NotSupportLinkrole', [ACTIVATE, DEACTIVATE]],
    ['LinkRole.NotSupport', [MODIFY_ATTRIBUTE]],
    ['OperationFailed.PconnTrafficNotEnable', [ACTIVATE]],
    ['DependencyViolation.RouterInterfaceReferedByRouteEntry', [DELETE]],
    ['InvalidRouterInterfaceChargeType.Malformed', [DELETE]],
    // ownership and permissions
    ['Forbbiden', [ACTIVATE, MODIFY_ATTRIBUTE]],
    ['Forbbiden.InvaildOwner', [DEACTIVATE]],
    ['Forbbiden.ModifyIdAndType', [MODIFY_ATTRIBUTE]],
    ['InvalidInstanceOwner.Error', [MODIFY_SPEC]],
    ['IllegalParam.InstanceOwner', [DELETE]],
    ['Forbidden.RAM', ANY],
    // parameters
    ['InvalidAliuid', [CREATE]],
    ['IllegalParam.AliUid', [DESCRIBE]],
    ['InvalidParam.NotFound', [MODIFY_SPEC]],
    ['InvalidParam.NotNull', [DESCRIBE]],
    ['InvalidParam.ModifyRouterInterface', [MODIFY_ATTRIBUTE]],
    ['Parameter.Illegal', [DESCRIBE]],
    ['InvalidFilterKey.ValueNotSupported', [DESCRIBE]],
    ['InvalidConnectionType.MalFormed', [DESCRIBE]],
    ['InvalidProductForm.MalFormed', [DESCRIBE]],
    ['EndPoint.Empty', [DESCRIBE]],
    ['InvalidName.Malformed', [MODIFY_ATTRIBUTE]],
    ['InvalidName.Malformd', [MODIFY_ATTRIBUTE]],
    ['InvalidDescription.Malformed', [MODIFY_ATTRIBUTE]],
    ['InvalidOppositeRouterType.ValueNotSupported', [MODIFY_ATTRIBUTE]],
    ['IllegalParam.HcThreshold', [MODIFY_ATTRIBUTE]],
    ['IllegalParam.HcRate', [MODIFY_ATTRIBUTE]],
    ['IllegalParam.HcSourceIp', [MODIFY_ATTRIBUTE]],
    ['InvalidHealthCheckIP.Malformd', [MODIFY_ATTRIBUTE]],
    ['MissingParameter', ANY],
    ['InvalidParameter', ANY],
    // gateway: action, access key, timestamp, signature
    ['InvalidAction.NotFound', ANY],
    ['InvalidApi.NotFound', ANY],
    ['InvalidAccessKeyId.NotFound', ANY],
    ['InvalidAccessKeyId.Inactive', ANY],
    ['InvalidSecurityToken.Expired', ANY],
    ['InvalidSecurityToken.Malformed', ANY],
    ['InvalidTimeStamp.Format', ANY],
    ['InvalidTimeStamp.Expired', ANY],
    ['SignatureNonceUsed', ANY],
    ['InvalidSignatureMethod', ANY],
    ['SignatureDoesNotMatch', ANY],
    ['IncompleteSignature', ANY],
  ],
};

function catalogueOf(byName: Readonly<Record<VpcErrorName, readonly Row[]>>): ReadonlyMap<string, CatalogueEntry> {
  const entries = new Map<string, CatalogueEntry>();
  for (const [name, rows] of Object.entries(byName) as Array<[VpcErrorName, readonly Row[]]>) {
    for (const [code, actions] of rows) entries.set(code, { name, actions });
  }
  // The client's own codes (src/rpc/errors.ts) can end any call.
  for (const code of Object.values(CLIENT_ERROR_CODES)) entries.set(code, { name: clientCodeName(code) as VpcErrorName, actions: ANY });
  return entries;
}

/** The VPC API's codes and the client's own, keyed by `catalogueKey`. */
export const VPC_CATALOGUE: ReadonlyMap<string, CatalogueEntry> = catalogueOf(BY_NAME);

/**
 * The catalogue key for an API answer. Only `Forbidden.OnlyOneConnection` is overloaded: "The Specified routers have
 * a connection already" is terminal, "Cannot connect concurrently between same routers" is a conflict to retry.
 */
function catalogueKey(code: string, apiMessage: string): string {
  if (code === 'Forbidden.OnlyOneConnection' && /concurrent/i.test(apiMessage)) return CONCURRENT_CONNECT_KEY;
  return code;
}

/** The vocabulary name for a VPC answer; `httpStatus` 0 = unknown. Codes the catalogue does not list follow the open rules. */
export function errorNameFor(failure: ApiFailure): VpcErrorName {
  return VPC_CATALOGUE.get(catalogueKey(failure.code, failure.apiMessage))?.name ?? unlistedCodeName(failure.code, failure.httpStatus);
}

export function classifyError(failure: ApiFailure): ErrorClass {
  return ERROR_CLASS_OF[errorNameFor(failure)];
}

/** The error a handler throws for a VPC answer (or a client-side failure): the class the catalogue names. */
export function vpcErrorFor(failure: ApiFailure, options?: { cause?: unknown }): VpcError {
  return rpcErrorFor(failure, { name: errorNameFor(failure), cause: options?.cause });
}

/**
 * Every name a call of these actions can end in: their listed codes and the gateway's and client's, the open rules'
 * two names, and `InvalidInput` (the handler's own check). What a workflow must handle for a function.
 */
export function errorNamesOf(actions: readonly VpcAction[]): ErrorName[] {
  const names = new Set<ErrorName>(['InvalidInput', 'TransientFailure', 'RequestRefused']);
  for (const entry of VPC_CATALOGUE.values()) {
    if (entry.actions === ANY || entry.actions.some((action) => actions.includes(action))) names.add(entry.name);
  }
  return [...names];
}

