import { createHmac } from 'node:crypto';
import { percentEncode } from './percent-encoding';

/** RPC signature version 1.0 (HMAC-SHA1), as `@alicloud/pop-core` computes it. */

/** Every parameter except `Signature`, encoded, sorted by encoded name, joined with `&`. */
export function canonicalQueryV1(params: Record<string, string>): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (name === 'Signature') continue;
    pairs.push([percentEncode(name), percentEncode(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

export function stringToSignV1(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQueryV1(params))}`;
}

export function signV1(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}
