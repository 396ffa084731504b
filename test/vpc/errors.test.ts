import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../src/vpc/client';
import {
  CONFLICT_ERROR_NAMES,
  TERMINAL_ERROR_NAMES,
  TRANSIENT_ERROR_NAMES,
  VpcError,
  classifyError,
} from '../../src/vpc/errors';
import type { ErrorClass } from '../../src/vpc/errors';

type Row = [httpStatus: number, code: string, message: string, name: string, errorClass: ErrorClass];

function errorFor(status: number, code: string, message: string): VpcError {
  try {
    interpretResponse('AnyAction', status, { RequestId: 'REQ-1', HostId: 'vpc.aliyuncs.com', Code: code, Message: message });
  } catch (error) {
    if (error instanceof VpcError) return error;
    throw error;
  }
  throw new Error('expected a VpcError');
}

const CONNECT: Row[] = [
  [400, 'IncorrectRole.NotInitiatingSide', 'The specified RouterInterface is not InitiatingSide.', 'IncorrectRole.NotInitiatingSide', 'terminal'],
  [400, 'IncorrectRIStatus', "RouterInterface can be operated by this action only when it's status is Idle.", 'IncorrectRIStatus', 'conflict'],
  [400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Idle.", 'IncorrectStatus', 'conflict'],
  [400, 'IncorrectOppositeInterfaceInfo.NotSet', 'OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId must be all set.', 'IncorrectOppositeInterfaceInfo.NotSet', 'conflict'],
  [400, 'IncorrectOppositeInterfaceInfo', 'Cannot connect on the same router', 'IncorrectOppositeInterfaceInfo', 'terminal'],
  [400, 'Forbidden.OnlyOneConnection', 'The Specified routers have a connection already', 'Forbidden.OnlyOneConnection', 'terminal'],
  [400, 'Forbidden.OnlyOneConnection', 'Cannot connect concurrently between same routers', 'Forbidden.OnlyOneConnection.Concurrent', 'conflict'],
  [400, 'Forbidden.BillsOutstanding', 'You cannot use this action because you have bills outstanding.', 'Forbidden.BillsOutstanding', 'terminal'],
  [404, 'CROSS_BID.FORBIDDEN', 'Connect RouterInterface across bid is illegal', 'CROSS_BID.FORBIDDEN', 'terminal'],
  [404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 'InvalidRouterInterfaceId.NotFound', 'terminal'],
  [404, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist in our record.', 'InvalidRegionId.NotFound', 'terminal'],
];

const DEACTIVATE: Row[] = [
  [400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Active.", 'IncorrectStatus', 'conflict'],
  [400, 'Forbidden.FinancialLocked', 'This RouterInterface is financiel locked because of bills outstanding.', 'Forbidden.FinancialLocked', 'terminal'],
  [400, 'Forbidden.FinancileLocked', 'This RouterInterface is financiel locked because of bills outstanding.', 'Forbidden.FinancileLocked', 'terminal'],
  [400, 'Forbbiden.InvaildOwner', 'The RouterInterface owener error', 'Forbbiden.InvaildOwner', 'terminal'],
  [404, 'InvalidRegionId.NotFound', 'The RegionId provided does not exist in our records.', 'InvalidRegionId.NotFound', 'terminal'],
  [404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 'InvalidRouterInterfaceId.NotFound', 'terminal'],
];

const MODIFY_SPEC: Row[] = [
  [400, 'InvalidSpec.ValudNotSupported', 'The specified Spec is not supported.', 'InvalidSpec.ValudNotSupported', 'terminal'],
  [400, 'Forbidden.FinancialLocked', "RouterInterface can not be operated by this action when it's FinancialLocked.", 'Forbidden.FinancialLocked', 'terminal'],
  [400, 'InvalidParam.NotFound', 'Parameter must not be null,uid, bid,regionNo, remoteRegionNo or routerId', 'InvalidParam.NotFound', 'terminal'],
  [400, 'InvalidOppositeRegionId.NotFound', 'The OppositeRegionId provided does not exist in our records.', 'InvalidOppositeRegionId.NotFound', 'terminal'],
  [400, 'InvalidInstanceOwner.Error', 'The router instance owener error.', 'InvalidInstanceOwner.Error', 'terminal'],
  [400, 'InvalidInstance.StatusError', 'The router instance owener error.', 'InvalidInstance.StatusError', 'conflict'],
  [400, 'InvalidOpposite.NotFound', 'The opposite not exit.', 'InvalidOpposite.NotFound', 'terminal'],
  [400, 'ParameterMismatch.RegionId-OppositeRegionId-Spec', 'The specified Spec is not supported between the specified RegionId and OppositeRegionId.', 'ParameterMismatch.RegionId-OppositeRegionId-Spec', 'terminal'],
  [404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 'InvalidRouterInterfaceId.NotFound', 'terminal'],
];

const GATEWAY: Row[] = [
  [404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 'InvalidAction.NotFound', 'terminal'],
  [404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.', 'InvalidApi.NotFound', 'terminal'],
  [400, 'MissingRouterInterfaceId', 'RouterInterfaceId is mandatory for this action.', 'MissingRouterInterfaceId', 'terminal'],
  [400, 'MissingParameter', 'The input parameter "RegionId" that is mandatory for processing this request is not supplied', 'MissingParameter', 'terminal'],
  [400, 'InvalidParameter', 'Specified parameter Spec is not valid.', 'InvalidParameter', 'terminal'],
  [404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 'InvalidAccessKeyId.NotFound', 'terminal'],
  [400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.', 'InvalidAccessKeyId.Inactive', 'terminal'],
  [400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.', 'InvalidTimeStamp.Format', 'terminal'],
  [400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 'InvalidTimeStamp.Expired', 'terminal'],
  [400, 'SignatureNonceUsed', 'Specified signature nonce was used already.', 'SignatureNonceUsed', 'terminal'],
  [400, 'InvalidSignatureMethod', 'Specified signature method is not valid.', 'InvalidSignatureMethod', 'terminal'],
  [400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&x', 'SignatureDoesNotMatch', 'terminal'],
  [403, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 'SignatureDoesNotMatch', 'terminal'],
  [400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.', 'IncompleteSignature', 'terminal'],
  [400, 'Throttling', 'Request was denied due to request throttling.', 'Throttling', 'transient'],
  [400, 'Throttling.User', 'Request was denied due to user flow control.', 'Throttling.User', 'transient'],
  [400, 'Throttling.Api', 'Request was denied due to api flow control.', 'Throttling.Api', 'transient'],
  [403, 'Forbidden.RAM', "User not authorized to operate on the specified resource, or this API doesn't support RAM.", 'Forbidden.RAM', 'terminal'],
  [400, 'OperationConflict', 'Request was denied due to conflict with a previous request.', 'OperationConflict', 'conflict'],
  [500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.', 'InternalError', 'transient'],
  [503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 'ServiceUnavailable', 'transient'],
];

const OTHERS: Row[] = [
  [400, 'INSTANCE_IN_PROCESSIONG', 'Instance is in processing,please wait and try again', 'INSTANCE_IN_PROCESSIONG', 'conflict'],
  [500, 'InvalidRouterInterfaceChargeType.Malformed', 'The prepaid routerinterface can not delete.', 'InvalidRouterInterfaceChargeType.Malformed', 'terminal'],
  [400, 'Throttling.Unknown.Future', 'Request was denied.', 'Throttling.Unknown.Future', 'transient'],
  [502, 'SomeNewGatewayCode', 'Bad gateway.', 'SomeNewGatewayCode', 'transient'],
  [400, 'SomeNewClientCode', 'Nope.', 'SomeNewClientCode', 'terminal'],
];

describe.each([
  ['ConnectRouterInterface', CONNECT],
  ['DeactivateRouterInterface', DEACTIVATE],
  ['ModifyRouterInterfaceSpec', MODIFY_SPEC],
  ['gateway (§5.6)', GATEWAY],
  ['other codes', OTHERS],
])('%s error table', (_table, rows) => {
  it.each(rows)('HTTP %i %s → %s (%s)', (status, code, message, name, errorClass) => {
    const error = errorFor(status, code, message);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.errorClass).toBe(errorClass);
    expect(error.httpStatus).toBe(status);
    expect(error.requestId).toBe('REQ-1');
    expect(error.apiMessage).toBe(message);
    expect(error.message).toContain(code);
    expect(error.message).toContain('RequestId: REQ-1');
  });
});

describe('the catalogue lists', () => {
  it('class each listed name as its list says, with no name in two lists', () => {
    const all = [...TRANSIENT_ERROR_NAMES, ...CONFLICT_ERROR_NAMES, ...TERMINAL_ERROR_NAMES];
    expect(new Set(all).size).toBe(all.length);
    for (const name of TRANSIENT_ERROR_NAMES) expect(classifyError(name, 400)).toBe('transient');
    for (const name of CONFLICT_ERROR_NAMES) expect(classifyError(name, 500)).toBe('conflict');
    for (const name of TERMINAL_ERROR_NAMES) expect(classifyError(name, 503)).toBe('terminal');
  });

  it('name the client-side failures', () => {
    expect(TRANSIENT_ERROR_NAMES).toEqual(expect.arrayContaining(['RequestTimeout', 'NetworkError', 'BadGatewayResponse']));
    expect(TERMINAL_ERROR_NAMES).toEqual(expect.arrayContaining(['MissingCredentials', 'UnexpectedResponse']));
  });
});

describe('bodies without a usable code', () => {
  it.each([
    [502, undefined, 'BadGatewayResponse', 'transient'],
    [0, undefined, 'BadGatewayResponse', 'transient'],
    [503, { RequestId: 'R' }, 'BadGatewayResponse', 'transient'],
    [500, { Message: 'oops' }, 'BadGatewayResponse', 'transient'],
    [404, { RequestId: 'R' }, 'UnexpectedResponse', 'terminal'],
    [200, 'just a string', 'UnexpectedResponse', 'terminal'],
    [200, [1, 2], 'UnexpectedResponse', 'terminal'],
    [502, null, 'BadGatewayResponse', 'transient'],
  ])('HTTP %i with %j → %s', (status, body, name, errorClass) => {
    expect(() => interpretResponse('ConnectRouterInterface', status, body)).toThrow(
      expect.objectContaining({ name, errorClass }),
    );
  });

  it('treats the success codes pop-core knows as success', () => {
    expect(interpretResponse('X', 200, { RequestId: 'R', Code: 'Success' })).toEqual({ RequestId: 'R', Code: 'Success' });
    expect(interpretResponse('X', 200, { RequestId: 'R', Code: '200' }).RequestId).toBe('R');
  });

  it('copies null-prototype objects into plain ones', () => {
    const body = Object.assign(Object.create(null) as object, { RequestId: 'R', Nested: Object.assign(Object.create(null) as object, { A: 1 }) });
    const plain = interpretResponse('X', 200, body);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(plain).toStrictEqual({ RequestId: 'R', Nested: { A: 1 } });
  });

  it('keeps hostile server messages out of the error message verbatim', () => {
    const error = errorFor(400, 'IncorrectStatus', `bad\u001b[2J${'x'.repeat(5000)}`);
    expect(error.message).not.toContain('\u001b');
    expect(error.message.length).toBeLessThan(700);
    expect(error.apiMessage).toHaveLength(5007);
  });
});
