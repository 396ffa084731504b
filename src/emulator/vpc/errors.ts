import { ApiError } from '../errors';

/**
 * The VPC router-interface error catalogue (API reference §2–§3), with the service's own typos kept because
 * clients match on them. Where one code has per-action messages, the action is a parameter.
 */
export type VpcAction =
  | 'CreateRouterInterface'
  | 'ConnectRouterInterface'
  | 'ActivateRouterInterface'
  | 'DeactivateRouterInterface'
  | 'ModifyRouterInterfaceSpec'
  | 'ModifyRouterInterfaceAttribute'
  | 'DescribeRouterInterfaces'
  | 'DeleteRouterInterface';

const LOCKED_OUTSTANDING = 'This RouterInterface is financiel locked because of bills outstanding.';

const REGION_NOT_FOUND: Record<VpcAction, string> = {
  CreateRouterInterface: 'The specified RegionId does not exist in our records.',
  ConnectRouterInterface: 'The specified RegionId does not exist in our record.',
  ActivateRouterInterface: 'The specified RegionId does not exist in our records.',
  DeactivateRouterInterface: 'The RegionId provided does not exist in our records.',
  ModifyRouterInterfaceSpec: 'The specified RegionId does not exist in our records.',
  ModifyRouterInterfaceAttribute: 'The specified RegionId does not exist in our records.',
  DescribeRouterInterfaces: 'The RegionId provided does not exist in our records.',
  DeleteRouterInterface: 'The specified RegionId does not exist in our records.',
};

/** Each action's answer when the interface exists but belongs to another account. */
const OWNER_ERROR: Record<VpcAction, [string, string]> = {
  CreateRouterInterface: ['Forbbiden', 'The router does not belong to your account.'],
  ConnectRouterInterface: ['InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.'],
  ActivateRouterInterface: ['Forbbiden', 'The router does not belong to your account.'],
  DeactivateRouterInterface: ['Forbbiden.InvaildOwner', 'The RouterInterface owener error'],
  ModifyRouterInterfaceSpec: ['InvalidInstanceOwner.Error', 'The router instance owener error.'],
  ModifyRouterInterfaceAttribute: ['Forbbiden', 'The Router instance owner error'],
  DescribeRouterInterfaces: ['Forbbiden', 'The router does not belong to your account.'],
  DeleteRouterInterface: ['IllegalParam.InstanceOwner', 'The router instance owener error.'],
};

export const VpcErrors = {
  regionNotFound: (action: VpcAction) => new ApiError(404, 'InvalidRegionId.NotFound', REGION_NOT_FOUND[action]),
  interfaceNotFound: (action: VpcAction) =>
    action === 'DeleteRouterInterface'
      ? new ApiError(404, 'InvalidInstanceId.NotFound', 'The InstanceId provided does not exist in our records.')
      : new ApiError(
          404,
          'InvalidRouterInterfaceId.NotFound',
          action === 'ActivateRouterInterface' || action === 'ModifyRouterInterfaceAttribute'
            ? 'The specified RouterInterfaceId does not exist in our records.'
            : 'The specified RouterInterfaceId does not exist in our record.',
        ),
  ownerError: (action: VpcAction) => new ApiError(400, ...OWNER_ERROR[action]),
  billsOutstanding: () =>
    new ApiError(400, 'Forbidden.BillsOutstanding', 'You cannot use this action because you have bills outstanding.'),
  financialLocked: (action: VpcAction) =>
    new ApiError(
      400,
      'Forbidden.FinancialLocked',
      action === 'ModifyRouterInterfaceSpec'
        ? "RouterInterface can not be operated by this action when it's FinancialLocked."
        : LOCKED_OUTSTANDING,
    ),
  statusMustBe: (code: string, status: string) =>
    new ApiError(400, code, `RouterInterface can be operated by this action only when it's status is ${status}.`),
  notInitiatingSide: () =>
    new ApiError(400, 'IncorrectRole.NotInitiatingSide', 'The specified RouterInterface is not InitiatingSide.'),
  oppositeInfoNotSet: () =>
    new ApiError(
      400,
      'IncorrectOppositeInterfaceInfo.NotSet',
      'OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId must be all set.',
    ),
  sameRouter: () => new ApiError(400, 'IncorrectOppositeInterfaceInfo', 'Cannot connect on the same router'),
  alreadyConnected: () =>
    new ApiError(400, 'Forbidden.OnlyOneConnection', 'The Specified routers have a connection already'),
  concurrentConnect: () =>
    new ApiError(400, 'Forbidden.OnlyOneConnection', 'Cannot connect concurrently between same routers'),
  crossBid: () => new ApiError(404, 'CROSS_BID.FORBIDDEN', 'Connect RouterInterface across bid is illegal'),
  specNotSupported: () => new ApiError(400, 'InvalidSpec.ValudNotSupported', 'The specified Spec is not supported.'),
  specStatusError: () => new ApiError(400, 'InvalidInstance.StatusError', 'The router instance owener error.'),
  specParamNull: () =>
    new ApiError(400, 'InvalidParam.NotFound', 'Parameter must not be null,uid, bid,regionNo, remoteRegionNo or routerId'),
  oppositeRegionNotFound: () =>
    new ApiError(400, 'InvalidOppositeRegionId.NotFound', 'The OppositeRegionId provided does not exist in our records.'),
  oppositeNotFound: () => new ApiError(400, 'InvalidOpposite.NotFound', 'The opposite not exit.'),
  specRegionMismatch: () =>
    new ApiError(
      400,
      'ParameterMismatch.RegionId-OppositeRegionId-Spec',
      'The specified Spec is not supported between the specified RegionId and OppositeRegionId.',
    ),
  roleNotSupported: () => new ApiError(400, 'InvalidRole.ValueNotSupported', 'The specified Role is not valid.'),
  // Not in the public tables (reference §2.1 [UNCONFIRMED]); our choices.
  routerNotFound: () => new ApiError(404, 'InvalidRouterId.NotFound', 'The specified RouterId does not exist in our records.'),
  routerTypeNotSupported: () => new ApiError(400, 'InvalidRouterType.ValueNotSupported', 'The specified RouterType is not valid.'),
  quotaExceeded: () =>
    new ApiError(400, 'QuotaExceeded.RouterInterface', 'The number of router interfaces on the router exceeds the quota.'),
  idempotentMismatch: () =>
    new ApiError(
      400,
      'IdempotentParameterMismatch',
      'The request uses the same client token as a previous, but non-identical request.',
    ),
  attributeStatus: () =>
    new ApiError(
      400,
      'IncorrectStatus',
      'RouterInterface can be operated by this action only when the status is Active,idle or inactive.',
    ),
  attributeOppositeWhileConnected: () =>
    new ApiError(400, 'InvalidParam.ModifyRouterInterface', 'Modify routerinterface param invalid'),
  invalidName: () => new ApiError(400, 'InvalidName.Malformed', 'The attribute name is illegal.'),
  invalidDescription: () => new ApiError(400, 'InvalidDescription.Malformed', 'The Description is illegal.'),
  invalidOppositeRouterType: () =>
    new ApiError(400, 'InvalidOppositeRouterType.ValueNotSupported', 'The specified OppositeRouterType is not valid.'),
  deleteStatus: () =>
    new ApiError(
      400,
      'IncorrectStatus',
      'This openeration would be allowed only when status of this RouterInterface is Idle/Inactive.',
    ),
  referencedByRouteEntry: () =>
    new ApiError(
      400,
      'DependencyViolation.RouterInterfaceReferedByRouteEntry',
      'RouterInterface cannot be deleted when it is refered by a route table entry as next hop.',
    ),
  prepaidDelete: () =>
    new ApiError(500, 'InvalidRouterInterfaceChargeType.Malformed', 'The prepaid routerinterface can not delete.'),
  badPaging: () => new ApiError(404, 'InvalidRegionId.NotFound', 'The parameter wrong, pageNum or pageSize.'),
  // No page lists the tag errors of this action; these follow the common parameter errors (MissingParameter,
  // InvalidParameter) with the limit the Tags field's description states.
  missingTagKey: (index: number) => new ApiError(400, 'MissingParameter', `The input parameter "Tags.${index}.Key" that is mandatory for processing this request is not supplied.`),
  tooManyTags: () => new ApiError(400, 'InvalidParameter', 'The specified parameter "Tags" is not valid: at most 20 tags.'),
  filterKey: (index: number) =>
    new ApiError(404, 'InvalidFilterKey.ValueNotSupported', `Specified filter key is not supported: Filter.${index}.key`),
};
