/**
 * V3 (ACS3-HMAC-SHA256): every common request header but Authorization must be signed when it is sent
 * (https://help.aliyun.com/document_detail/2593177.html, SignedHeaders) — `host` and each `x-acs-*` header. The
 * real V3 SDK signs them all and is accepted; a request whose signature is right over a SignedHeaders list that
 * leaves one out is refused with IncompleteSignature.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcModule, * as $Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { sha256Hex, signV3, stringToSignV3 } from '../../src/emulator/signature-v3';
import { DEMO_INITIATOR, REGION } from './helpers';

// CommonJS with `exports.default`: the class is the default or its `.default`, depending on the loader.
const VpcClient = ((VpcModule as unknown as { default?: typeof VpcModule }).default ?? VpcModule) as typeof VpcModule;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ config: { preset: 'fast' } });
});
afterAll(() => emulator.stop());

interface Keys {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

function temporaryKeys(): Required<Keys> {
  const keys = emulator.stsCredentials;
  if (!keys) throw new Error('the demo seed has a temporary key');
  return keys;
}

/** A V3 DescribeRouterInterfaces signed correctly over exactly `signed` (lower-case names) of the headers it sends. */
function craftedCall(keys: Keys, options: { leaveOut?: string[]; extraHeaders?: Record<string, string> } = {}): Promise<{ status: number; code?: string }> {
  const url = new URL(emulator.url);
  const query = { RegionId: REGION };
  const payloadHash = sha256Hex('');
  const headers: Record<string, string> = {
    host: url.host,
    'x-acs-action': 'DescribeRouterInterfaces',
    'x-acs-version': '2016-04-28',
    'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': payloadHash,
    ...(keys.securityToken ? { 'x-acs-security-token': keys.securityToken } : {}),
    ...options.extraHeaders,
  };
  const signedHeaders = Object.keys(headers).filter((name) => !(options.leaveOut ?? []).includes(name)).sort();
  const signature = signV3(stringToSignV3({ method: 'POST', pathname: '/', query, headers, signedHeaders, payloadHash }), keys.accessKeySecret);
  const authorization = `ACS3-HMAC-SHA256 Credential=${keys.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'POST', path: `/?RegionId=${REGION}`, headers: { ...headers, authorization } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { Code?: string }).Code }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('V3 signed headers', () => {
  it('the real V3 client, signing with a temporary key (x-acs-security-token sent and signed), is accepted', async () => {
    const keys = temporaryKeys();
    const client = new VpcClient(new $OpenApiUtil.Config({ ...keys, endpoint: new URL(emulator.url).host, protocol: 'http', regionId: REGION }));
    const response = await client.describeRouterInterfaces(
      new $Vpc.DescribeRouterInterfacesRequest({ regionId: REGION, filter: [new $Vpc.DescribeRouterInterfacesRequestFilter({ key: 'RouterInterfaceId', value: [DEMO_INITIATOR] })] }),
    );
    expect(response.body?.routerInterfaceSet?.routerInterfaceType?.[0]?.routerInterfaceId).toBe(DEMO_INITIATOR);
    expect(emulator.control.calls().at(-1)).toMatchObject({ signatureVersion: 'V3', accessKeyId: keys.accessKeyId, status: 200 });
  });

  it('a crafted request that signs every header it sends is accepted', async () => {
    expect(await craftedCall(temporaryKeys(), { extraHeaders: { 'x-acs-caller-note': 'signed too' } })).toEqual({ status: 200, code: undefined });
  });

  it.each(['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token'])(
    'leaving %s out of SignedHeaders is refused with IncompleteSignature',
    async (header) => {
      expect(await craftedCall(temporaryKeys(), { leaveOut: [header] })).toEqual({ status: 400, code: 'IncompleteSignature' });
    },
  );

  it('an x-acs-* header sent but not signed is refused with IncompleteSignature, whatever its name', async () => {
    expect(await craftedCall(emulator.credentials, { extraHeaders: { 'x-acs-caller-note': 'unsigned' }, leaveOut: ['x-acs-caller-note'] })).toEqual({
      status: 400,
      code: 'IncompleteSignature',
    });
  });
});
