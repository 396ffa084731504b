/**
 * FC API errors (not function errors): HTTP 4xx/5xx with `{"ErrorCode", "ErrorMessage"}`, the shape
 * `@alicloud/fc2` reads (it names the thrown error `FC<ErrorCode>Error`). Codes from FC's error-code table;
 * messages are ours, without a final period (fc2 appends one when it quotes them).
 */
export class FcApiError extends Error {
  override readonly name = 'FcApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static missingHeader(name: string): FcApiError {
    return new FcApiError(400, 'MissingRequiredHeader', `The request is missing the required header ${name}`);
  }

  static invalidAccessKeyId(accessKeyId: string): FcApiError {
    return new FcApiError(403, 'InvalidAccessKeyID', `The access key id ${JSON.stringify(accessKeyId)} does not exist`);
  }

  static timeTooSkewed(date: string): FcApiError {
    return new FcApiError(403, 'RequestTimeTooSkewed', `The Date header ${JSON.stringify(date)} is too far from the server's time`);
  }

  static signatureNotMatch(detail: string): FcApiError {
    return new FcApiError(
      403,
      'SignatureNotMatch',
      `The request signature we calculated does not match the signature you provided. Check your access key and signing method; ${detail}`,
    );
  }

  static invalidSecurityToken(): FcApiError {
    return new FcApiError(403, 'InvalidSecurityToken', 'The security token is missing, or does not belong to the access key');
  }

  static accessDenied(requested: string | undefined, owner: string): FcApiError {
    return new FcApiError(
      403,
      'AccessDenied',
      `The access key belongs to account ${owner}, not ${JSON.stringify(requested ?? '')} (the x-fc-account-id header)`,
    );
  }

  static invalidArgument(message: string): FcApiError {
    return new FcApiError(400, 'InvalidArgument', message);
  }

  static functionNotFound(functionName: string): FcApiError {
    return new FcApiError(404, 'FunctionNotFound', `Function ${JSON.stringify(functionName)} does not exist (it is not an fc3 functionName in s.yaml)`);
  }

  static pathNotSupported(method: string, path: string): FcApiError {
    return new FcApiError(
      404,
      'PathNotSupported',
      `${method} ${path} is not served: the emulator answers POST /2023-03-30/functions/{name}/invocations and POST /2016-08-15/services/{service}/functions/{name}/invocations only`,
    );
  }
}
