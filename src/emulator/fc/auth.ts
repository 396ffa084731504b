/**
 * Authentication of one FC REST request, in this order: Authorization and Date present → access key known →
 * Date within the emulator's timestamp window → signature (fc2's scheme, see signature.ts) → body matches its
 * Content-MD5 → STS token → the `x-fc-account-id` is the key's own account. FC has no nonce on this API.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorStore } from '../store';
import type { AccountRecord } from '../types';
import { FcApiError } from './errors';
import { fcContentMd5, fcSignature, fcStringToSign, parseFcAuthorization, type SignedHeaders } from './signature';

export interface FcRequestParts {
  method: string;
  /** The signed path: `/<version>/…` without the query string, percent-decoded. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticateFc(parts: FcRequestParts, store: EmulatorStore): AccountRecord {
  const authorization = header(parts.headers, 'authorization');
  if (!authorization) throw FcApiError.missingHeader('Authorization');
  const date = header(parts.headers, 'date');
  if (!date) throw FcApiError.missingHeader('Date');
  const credentials = parseFcAuthorization(authorization);
  if (!credentials) throw FcApiError.signatureNotMatch('the Authorization header is not "FC <AccessKeyId>:<Signature>"');

  const found = store.findAccessKey(credentials.accessKeyId);
  if (!found) throw FcApiError.invalidAccessKeyId(credentials.accessKeyId);
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt) || Math.abs(store.wallClock.now() - sentAt) > store.config.timestampWindowMs) {
    throw FcApiError.timeTooSkewed(date);
  }

  if (store.config.verifySignatures) {
    const signed: SignedHeaders = {};
    for (const name of Object.keys(parts.headers)) signed[name] = header(parts.headers, name);
    const stringToSign = fcStringToSign(parts.method, parts.path, signed);
    if (!sameText(fcSignature(stringToSign, found.key.accessKeySecret), credentials.signature)) {
      throw FcApiError.signatureNotMatch(`the server's string to sign is ${JSON.stringify(stringToSign)}`);
    }
    const md5 = header(parts.headers, 'content-md5');
    if (md5 !== undefined && md5 !== fcContentMd5(parts.body)) throw FcApiError.invalidArgument('Content-MD5 does not match the request body');
  }

  const token = header(parts.headers, 'x-fc-security-token');
  const expected = found.key.securityToken;
  if (expected === undefined ? token !== undefined : token === undefined || !sameText(token, expected)) {
    throw FcApiError.invalidSecurityToken();
  }
  const accountId = header(parts.headers, 'x-fc-account-id');
  if (accountId !== found.account.id) throw FcApiError.accessDenied(accountId, found.account.id);
  return found.account;
}
