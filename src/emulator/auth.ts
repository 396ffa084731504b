import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, GatewayErrors } from './errors';
import type { NonceCache } from './nonce-cache';
import { signV1, stringToSignV1 } from './signature-v1';
import { parseV3Authorization, sha256Hex, signV3, stringToSignV3 } from './signature-v3';
import type { EmulatorStore } from './store';
import type { AccessKeyRecord, AccountRecord } from './types';

/**
 * Authentication of one RPC call in the cloud's order, after Action/Version were resolved: required common
 * parameters → access key → timestamp → nonce → signature → STS token. The nonce is only remembered once the
 * signature holds, so a forged request cannot burn someone else's nonce.
 */

export interface RpcRequestParts {
  method: string;
  pathname: string;
  /** Decoded query-string parameters only (V3 signs these). */
  query: Record<string, string>;
  /** Query and form body merged (V1 signs these). */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Authenticated {
  account: AccountRecord;
  accessKeyId: string;
}

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const V1_REQUIRED = ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'Timestamp'];
/**
 * "Every common request header but Authorization must be signed when present"
 * (https://help.aliyun.com/document_detail/2593177.html, SignedHeaders): `host` and each `x-acs-*` header sent.
 */
const V3_ALWAYS_SIGNED = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

function mustBeSigned(headers: IncomingHttpHeaders): string[] {
  const sent = Object.keys(headers).filter((name) => name.startsWith('x-acs-'));
  return [...new Set([...V3_ALWAYS_SIGNED, ...sent])];
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function missingHeader(name: string): ApiError {
  return new ApiError(
    400,
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function checkTimestamp(value: string, now: number, windowMs: number): void {
  const time = Date.parse(value);
  if (!TIMESTAMP_PATTERN.test(value) || Number.isNaN(time)) throw GatewayErrors.timestampFormat();
  if (Math.abs(now - time) > windowMs) throw GatewayErrors.timestampExpired();
}

function lookupKey(store: EmulatorStore, accessKeyId: string): { account: AccountRecord; key: AccessKeyRecord } {
  const found = store.findAccessKey(accessKeyId);
  if (!found) throw GatewayErrors.accessKeyNotFound();
  return found;
}

function checkToken(key: AccessKeyRecord, token: string | undefined): void {
  if (key.securityToken === undefined) {
    if (token) throw GatewayErrors.securityTokenMismatch();
    return;
  }
  if (!token) throw GatewayErrors.securityTokenMissing();
  if (!sameText(token, key.securityToken)) throw GatewayErrors.securityTokenMismatch();
}

export function authenticateV1(parts: RpcRequestParts, store: EmulatorStore, nonces: NonceCache): Authenticated {
  const { params } = parts;
  for (const name of V1_REQUIRED) if (!params[name]) throw GatewayErrors.missing(name);
  if (params.SignatureMethod !== 'HMAC-SHA1') throw GatewayErrors.signatureMethod();
  if (params.SignatureVersion !== '1.0') throw GatewayErrors.signatureVersion();
  const accessKeyId = params.AccessKeyId as string;
  const nonce = params.SignatureNonce as string;
  const { account, key } = lookupKey(store, accessKeyId);
  const now = store.wallClock.now();
  checkTimestamp(params.Timestamp as string, now, store.config.timestampWindowMs);
  if (nonces.has(accessKeyId, nonce, now)) throw GatewayErrors.nonceUsed();
  if (store.config.verifySignatures) {
    const stringToSign = stringToSignV1(parts.method, params);
    if (!sameText(signV1(stringToSign, key.accessKeySecret), params.Signature as string)) {
      throw GatewayErrors.signatureMismatch(stringToSign);
    }
  }
  checkToken(key, params.SecurityToken);
  nonces.remember(accessKeyId, nonce, now, store.config.nonceWindowMs);
  return { account, accessKeyId };
}

export function authenticateV3(parts: RpcRequestParts, store: EmulatorStore, nonces: NonceCache): Authenticated {
  const { headers } = parts;
  const authorization = parseV3Authorization(header(headers, 'authorization') ?? '');
  if (!authorization) throw GatewayErrors.incompleteSignature();
  for (const name of ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!header(headers, name)) throw missingHeader(name);
  }
  const signed = authorization.signedHeaders.map((name) => name.toLowerCase());
  if (mustBeSigned(headers).some((name) => !signed.includes(name))) throw GatewayErrors.incompleteSignature();
  const { account, key } = lookupKey(store, authorization.accessKeyId);
  const now = store.wallClock.now();
  checkTimestamp(header(headers, 'x-acs-date') as string, now, store.config.timestampWindowMs);
  const nonce = header(headers, 'x-acs-signature-nonce') as string;
  if (nonces.has(authorization.accessKeyId, nonce, now)) throw GatewayErrors.nonceUsed();
  if (store.config.verifySignatures) {
    const payloadHash = sha256Hex(parts.body);
    if (payloadHash !== header(headers, 'x-acs-content-sha256')) throw GatewayErrors.contentHashMismatch();
    const flatHeaders: Record<string, string | undefined> = {};
    for (const name of signed) flatHeaders[name] = header(headers, name);
    const stringToSign = stringToSignV3({
      method: parts.method,
      pathname: parts.pathname,
      query: parts.query,
      headers: flatHeaders,
      signedHeaders: signed,
      payloadHash,
    });
    if (!sameText(signV3(stringToSign, key.accessKeySecret), authorization.signature)) {
      throw GatewayErrors.signatureMismatch(stringToSign);
    }
  }
  checkToken(key, header(headers, 'x-acs-security-token'));
  nonces.remember(authorization.accessKeyId, nonce, now, store.config.nonceWindowMs);
  return { account, accessKeyId: authorization.accessKeyId };
}
