/** An API error as the cloud reports it: HTTP status, code and message (typos of the real service kept). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Errors of the POP gateway, common to every product. */
export const GatewayErrors = {
  actionNotFound: () =>
    new ApiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  missing: (param: string) => new ApiError(400, `Missing${param}`, `${param} is mandatory for this action.`),
  accessKeyNotFound: () => new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  timestampFormat: () =>
    new ApiError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  timestampExpired: () =>
    new ApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  nonceUsed: () => new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  signatureMethod: () => new ApiError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.'),
  signatureVersion: () => new ApiError(400, 'InvalidSignatureVersion', 'Specified signature version is not valid.'),
  incompleteSignature: () =>
    new ApiError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.'),
  signatureMismatch: (stringToSign: string) =>
    new ApiError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    ),
  contentHashMismatch: () =>
    new ApiError(400, 'SignatureDoesNotMatch', 'Specified x-acs-content-sha256 is not matched with the request body.'),
  // The public docs name no code for a missing or wrong STS token; these two are our choice.
  securityTokenMissing: () =>
    new ApiError(400, 'InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed or missing.'),
  securityTokenMismatch: () =>
    new ApiError(400, 'InvalidSecurityToken.Mismatch', 'Specified SecurityToken mismatch with the AccessKey.'),
  throttlingUser: () => new ApiError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  internal: () =>
    new ApiError(
      500,
      'InternalError',
      'The request processing has failed due to some unknown error, exception or failure.',
    ),
};
