import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../src/vpc/client';
import { CLIENT_ERROR_CODES, clientCodeName, rpcErrorFor } from '../../src/rpc/errors';
import { ERROR_CLASS_OF, ERROR_NAMES, VpcError } from '../../src/rpc/error-names';
import { VPC_CATALOGUE, classifyError, errorNameFor, errorNamesOf, vpcErrorFor } from '../../src/vpc/errors';
import type { ErrorClass, ErrorName } from '../../src/rpc/error-names';

type Row = [httpStatus: number, code: string, message: string, name: ErrorName, errorClass: ErrorClass];

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
  [400, 'IncorrectRole.NotInitiatingSide', 'The specified RouterInterface is not InitiatingSide.', 'WrongRole', 'terminal'],
  [400, 'IncorrectRIStatus', "RouterInterface can be operated by this action only when it's status is Idle.", 'StatusConflict', 'conflict'],
  [400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Idle.", 'StatusConflict', 'conflict'],
  [400, 'IncorrectOppositeInterfaceInfo.NotSet', 'OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId must be all set.', 'StatusConflict', 'conflict'],
  [400, 'IncorrectOppositeInterfaceInfo', 'Cannot connect on the same router', 'ConnectionRefused', 'terminal'],
  [400, 'Forbidden.OnlyOneConnection', 'The Specified routers have a connection already', 'ConnectionRefused', 'terminal'],
  [400, 'Forbidden.OnlyOneConnection', 'Cannot connect concurrently between same routers', 'StatusConflict', 'conflict'],
  [400, 'Forbidden.BillsOutstanding', 'You cannot use this action because you have bills outstanding.', 'AccountLocked', 'terminal'],
  [404, 'CROSS_BID.FORBIDDEN', 'Connect RouterInterface across bid is illegal', 'ConnectionRefused', 'terminal'],
  [404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 'RouterInterfaceNotFound', 'terminal'],
  [404, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist in our record.', 'RouterInterfaceNotFound', 'terminal'],
];

const DEACTIVATE: Row[] = [
  [400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Active.", 'StatusConflict', 'conflict'],
  [400, 'Forbidden.FinancialLocked', 'This RouterInterface is financiel locked because of bills outstanding.', 'AccountLocked', 'terminal'],
  [400, 'Forbidden.FinancileLocked', 'This RouterInterface is financiel locked because of bills outstanding.', 'AccountLocked', 'terminal'],
  [400, 'Forbbiden.InvaildOwner', 'The RouterInterface owener error', 'RequestRefused', 'terminal'],
  [404, 'InvalidRegionId.NotFound', 'The RegionId provided does not exist in our records.', 'RouterInterfaceNotFound', 'terminal'],
  [404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 'RouterInterfaceNotFound', 'terminal'],
];

const MODIFY_SPEC: Row[] = [
  [400, 'InvalidSpec.ValudNotSupported', 'The specified Spec is not supported.', 'UnsupportedSpec', 'terminal'],
  [400, 'Forbidden.FinancialLocked', "RouterInterface can not be operated by this action when it's FinancialLocked.", 'AccountLocked', 'terminal'],
  [400, 'InvalidParam.NotFound', 'Parameter must not be null,uid, bid,regionNo, remoteRegionNo or routerId', 'RequestRefused', 'terminal'],
  [400, 'InvalidOppositeRegionId.NotFound', 'The OppositeRegionId provided does not exist in our records.', 'RequestRefused', 'terminal'],
  [400, 'InvalidInstanceOwner.Error', 'The router instance owener error.', 'RequestRefused', 'terminal'],
  [400, 'InvalidInstance.StatusError', 'The router instance owener error.', 'StatusConflict', 'conflict'],
  [400, 'InvalidOpposite.NotFound', 'The opposite not exit.', 'RequestRefused', 'terminal'],
  [400, 'ParameterMismatch.RegionId-OppositeRegionId-Spec', 'The specified Spec is not supported between the specified RegionId and OppositeRegionId.', 'UnsupportedSpec', 'terminal'],
  [404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 'RouterInterfaceNotFound', 'terminal'],
];

const GATEWAY: Row[] = [
  [404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 'RequestRefused', 'terminal'],
  [404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.', 'RequestRefused', 'terminal'],
  [400, 'MissingRouterInterfaceId', 'RouterInterfaceId is mandatory for this action.', 'RequestRefused', 'terminal'],
  [400, 'MissingParameter', 'The input parameter "RegionId" that is mandatory for processing this request is not supplied', 'RequestRefused', 'terminal'],
  [400, 'InvalidParameter', 'Specified parameter Spec is not valid.', 'RequestRefused', 'terminal'],
  [404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 'RequestRefused', 'terminal'],
  [400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.', 'RequestRefused', 'terminal'],
  [400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.', 'RequestRefused', 'terminal'],
  [400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 'RequestRefused', 'terminal'],
  [400, 'SignatureNonceUsed', 'Specified signature nonce was used already.', 'RequestRefused', 'terminal'],
  [400, 'InvalidSignatureMethod', 'Specified signature method is not valid.', 'RequestRefused', 'terminal'],
  [400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&x', 'RequestRefused', 'terminal'],
  [403, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 'RequestRefused', 'terminal'],
  [400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.', 'RequestRefused', 'terminal'],
  [400, 'Throttling', 'Request was denied due to request throttling.', 'TransientFailure', 'transient'],
  [400, 'Throttling.User', 'Request was denied due to user flow control.', 'TransientFailure', 'transient'],
  [400, 'Throttling.Api', 'Request was denied due to api flow control.', 'TransientFailure', 'transient'],
  [403, 'Forbidden.RAM', "User not authorized to operate on the specified resource, or this API doesn't support RAM.", 'RequestRefused', 'terminal'],
  [400, 'OperationConflict', 'Request was denied due to conflict with a previous request.', 'StatusConflict', 'conflict'],
  [500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.', 'TransientFailure', 'transient'],
  [503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 'TransientFailure', 'transient'],
];

const OTHERS: Row[] = [
  [400, 'INSTANCE_IN_PROCESSIONG', 'Instance is in processing,please wait and try again', 'StatusConflict', 'conflict'],
  [500, 'InvalidRouterInterfaceChargeType.Malformed', 'The prepaid routerinterface can not delete.', 'RequestRefused', 'terminal'],
  [400, 'Throttling.Unknown.Future', 'Request was denied.', 'TransientFailure', 'transient'],
  [502, 'SomeNewGatewayCode', 'Bad gateway.', 'TransientFailure', 'transient'],
  [500, 'SomeNewServerCode', 'Server error.', 'TransientFailure', 'transient'],
  // Actions no function calls yet, whose tables still name these codes.
  [400, 'IncorrectStatus.RouterInterface', 'The status of the router interface is not supported for this operation.', 'StatusConflict', 'conflict'],
  [404, 'InvalidInstanceId.NotFound', 'The specified instance does not exist.', 'RouterInterfaceNotFound', 'terminal'],
  [400, 'SomeNewClientCode', 'Nope.', 'RequestRefused', 'terminal'],
  // Codes the catalogue does not list: the open rules (Throttling*, ServiceUnavailable*, any 5xx).
  [400, 'Throttling.Concurrent', 'Request was denied due to concurrent flow control.', 'TransientFailure', 'transient'],
  [503, 'ServiceUnavailable.Busy', 'The service is busy.', 'TransientFailure', 'transient'],
  [400, 'ServiceUnavailable.Maintenance', 'Under maintenance.', 'TransientFailure', 'transient'],
  [404, 'SomeNew.NotFound', 'Gone.', 'RequestRefused', 'terminal'],
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
    expect(error.constructor.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.errorClass).toBe(errorClass);
    expect(error.httpStatus).toBe(status);
    expect(error.requestId).toBe('REQ-1');
    expect(error.apiMessage).toBe(message);
    expect(error.message.startsWith(`${code} (HTTP ${status}): `)).toBe(true);
    expect(error.message.endsWith(' RequestId: REQ-1')).toBe(true);
  });
});

describe('the catalogue', () => {
  it('names every code with a vocabulary name whose class it keeps whatever the HTTP status', () => {
    expect(VPC_CATALOGUE.size).toBeGreaterThan(70);
    for (const [code, entry] of VPC_CATALOGUE) {
      expect(ERROR_NAMES).toContain(entry.name);
      for (const status of [400, 404, 500, 503]) {
        const failure = { code, apiMessage: code === 'Forbidden.OnlyOneConnection.Concurrent' ? 'concurrent' : 'm', httpStatus: status };
        expect(errorNameFor(failure), `${code} at ${status}`).toBe(entry.name);
        expect(classifyError(failure)).toBe(ERROR_CLASS_OF[entry.name]);
      }
    }
  });

  it('uses only names that are JavaScript identifiers: no reading of errorType can split or mangle them', () => {
    for (const name of ERROR_NAMES) expect(name).toMatch(/^[A-Z][A-Za-z]*$/);
  });

  it('names the client-side failures, and keeps them apart from the API codes for other products', () => {
    expect(Object.values(CLIENT_ERROR_CODES).map((code) => [code, VPC_CATALOGUE.get(code)?.name])).toEqual([
      ['RequestTimeout', 'TransientFailure'],
      ['NetworkError', 'TransientFailure'],
      ['BadGatewayResponse', 'TransientFailure'],
      ['UnexpectedResponse', 'RequestRefused'],
      ['MissingCredentials', 'RequestRefused'],
      ['InvalidEndpoint', 'RequestRefused'],
    ]);
    expect(Object.values(CLIENT_ERROR_CODES).map((code) => [code, clientCodeName(code)])).toEqual(Object.values(CLIENT_ERROR_CODES).map((code) => [code, VPC_CATALOGUE.get(code)?.name]));
    expect(clientCodeName('IncorrectStatus')).toBeUndefined();
    // A CloudFlow code that happens to match a VPC one is classed by the open rules only.
    const failure = { code: 'IncorrectStatus', apiMessage: 'm', httpStatus: 400 };
    expect(rpcErrorFor(failure).name).toBe('RequestRefused');
    expect(vpcErrorFor(failure).name).toBe('StatusConflict');
  });

  it('says which names each action can end in', () => {
    expect(errorNamesOf(['DescribeRouterInterfaces']).sort()).toEqual(
      ['InvalidInput', 'RequestRefused', 'RouterInterfaceNotFound', 'StatusConflict', 'TransientFailure'].sort(),
    );
    expect(errorNamesOf(['ConnectRouterInterface'])).toEqual(
      expect.arrayContaining(['WrongRole', 'ConnectionRefused', 'AccountLocked', 'StatusConflict', 'RouterInterfaceNotFound']),
    );
    expect(errorNamesOf(['ConnectRouterInterface'])).not.toContain('UnsupportedSpec');
    expect(errorNamesOf(['ModifyRouterInterfaceSpec'])).toEqual(expect.arrayContaining(['UnsupportedSpec', 'AccountLocked']));
    expect(errorNamesOf(['ModifyRouterInterfaceSpec'])).not.toContain('WrongRole');
  });

  // The whole set per action: what a workflow calling that action must handle (test/deploy/error-contract.test.ts).
  it.each([
    ['CreateRouterInterface', ['AccountLocked', 'RouterInterfaceNotFound', 'StatusConflict', 'UnsupportedSpec']],
    ['ConnectRouterInterface', ['AccountLocked', 'ConnectionRefused', 'RouterInterfaceNotFound', 'StatusConflict', 'WrongRole']],
    ['ActivateRouterInterface', ['AccountLocked', 'RouterInterfaceNotFound', 'StatusConflict']],
    ['DeactivateRouterInterface', ['AccountLocked', 'RouterInterfaceNotFound', 'StatusConflict']],
    ['ModifyRouterInterfaceSpec', ['AccountLocked', 'RouterInterfaceNotFound', 'StatusConflict', 'UnsupportedSpec']],
    ['ModifyRouterInterfaceAttribute', ['AccountLocked', 'RouterInterfaceNotFound', 'StatusConflict']],
    ['DescribeRouterInterfaces', ['RouterInterfaceNotFound', 'StatusConflict']],
    ['DeleteRouterInterface', ['RouterInterfaceNotFound', 'StatusConflict']],
    ['CreateRouteEntry', ['StatusConflict']],
  ] as const)('%s can end in exactly %j, besides InvalidInput, TransientFailure and RequestRefused', (action, names) => {
    expect(errorNamesOf([action]).sort()).toEqual(['InvalidInput', 'RequestRefused', 'TransientFailure', ...names].sort());
  });

  it('keeps the cause of a transport failure', () => {
    const cause = new Error('ECONNRESET');
    const error: VpcError = vpcErrorFor({ code: 'NetworkError', apiMessage: 'x' }, { cause });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('NetworkError: x');
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
  ])('HTTP %i with %j → %s', (status, body, code, errorClass) => {
    const name = errorClass === 'transient' ? 'TransientFailure' : 'RequestRefused';
    expect(() => interpretResponse('ConnectRouterInterface', status, body)).toThrow(
      expect.objectContaining({ name, code, errorClass }),
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
