/**
 * Function Compute's request signature, as `@alicloud/fc2` computes it (`lib/helper.js` composeStringToSign and
 * `Client.getSignature`):
 *
 *   METHOD \n Content-MD5 \n Content-Type \n Date \n <x-fc-* headers, lower-cased, sorted, "name:value\n" each><path>
 *
 * where path is `/<version><path>` without the query string (queries are signed only on `/proxy/` paths, which the
 * emulator does not serve), and the header is `Authorization: FC <AccessKeyId>:<base64 HMAC-SHA256>`.
 * fc2's Content-MD5 is unusual: base64 of the *hex* MD5 digest, not of the raw digest.
 */
import { createHash, createHmac } from 'node:crypto';

export type SignedHeaders = Record<string, string | undefined>;

export function fcStringToSign(method: string, path: string, headers: SignedHeaders): string {
  const fcHeaders = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase().trim(), value ?? ''] as const)
    .filter(([name]) => name.startsWith('x-fc-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
  return `${method}\n${headers['content-md5'] ?? ''}\n${headers['content-type'] ?? ''}\n${headers.date ?? ''}\n${fcHeaders}${path}`;
}

export function fcSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

/** `FC <AccessKeyId>:<signature>` → its parts; undefined when the header has another shape. */
export function parseFcAuthorization(value: string | undefined): { accessKeyId: string; signature: string } | undefined {
  const match = /^FC ([^:\s]+):(\S+)$/.exec(value ?? '');
  return match ? { accessKeyId: match[1] as string, signature: match[2] as string } : undefined;
}

/** Content-MD5 as fc2 sends it: base64 of the hex digest. */
export function fcContentMd5(body: Buffer): string {
  return Buffer.from(createHash('md5').update(body).digest('hex'), 'utf8').toString('base64');
}
