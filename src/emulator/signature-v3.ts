import { createHash, createHmac } from 'node:crypto';
import { percentEncode } from './percent-encoding';

/** ACS3-HMAC-SHA256, as `@alicloud/openapi-core` (`OpenApiUtil.getAuthorization`) computes it. */
const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`; undefined when malformed. */
export function parseV3Authorization(header: string): V3Authorization | undefined {
  if (!header.startsWith(`${V3_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(V3_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(';').filter(Boolean), signature };
}

/** Query names sorted as raw strings and left unencoded; values encoded — exactly what the SDK does. */
export function canonicalQueryV3(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${name}=${percentEncode(query[name] ?? '')}`)
    .join('&');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface V3RequestParts {
  method: string;
  pathname: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}

export function stringToSignV3(parts: V3RequestParts): string {
  const names = [...parts.signedHeaders].map((name) => name.toLowerCase()).sort();
  const canonicalHeaders = names.map((name) => `${name}:${(parts.headers[name] ?? '').trim()}\n`).join('');
  const canonicalRequest = [
    parts.method.toUpperCase(),
    parts.pathname,
    canonicalQueryV3(parts.query),
    canonicalHeaders,
    names.join(';'),
    parts.payloadHash,
  ].join('\n');
  return `${V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function signV3(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}
