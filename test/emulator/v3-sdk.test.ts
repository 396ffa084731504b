import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcModule, * as $Vpc from '@alicloud/vpc20160428';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { EMULATOR_STS_ACCESS_KEY_ID, EMULATOR_STS_ACCESS_KEY_SECRET, EMULATOR_STS_SECURITY_TOKEN, type RunningEmulator } from '../../src/emulator/index';
import { DEMO_ACCEPTOR, DEMO_INITIATOR, LOCKED_INTERFACE, REGION, richSeed, withEmulator } from './helpers';

// The package is CommonJS with `exports.default`; depending on the loader the class is the default or its `.default`.
const VpcClient = ((VpcModule as unknown as { default?: typeof VpcModule }).default ?? VpcModule) as typeof VpcModule;

interface SdkError {
  code: string;
  statusCode: number;
  data: { Code: string; Message: string };
}

function sdkClient(url: string, keys: { accessKeyId: string; accessKeySecret: string; securityToken?: string }): VpcModule {
  return new VpcClient(new $OpenApiUtil.Config({ ...keys, endpoint: new URL(url).host, protocol: 'http', regionId: REGION }));
}

async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

function expectSdkError(error: SdkError, status: number, code: string, message?: string): void {
  expect([error.statusCode, error.code, error.data.Code]).toEqual([status, code, code]);
  if (message !== undefined) expect(error.data.Message).toBe(message);
}

const id = (routerInterfaceId: string) => ({ regionId: REGION, routerInterfaceId });

async function status(client: VpcModule, routerInterfaceId: string): Promise<{ status?: string; spec?: string }> {
  const response = await client.describeRouterInterfaces(
    new $Vpc.DescribeRouterInterfacesRequest({ regionId: REGION, filter: [new $Vpc.DescribeRouterInterfacesRequestFilter({ key: 'RouterInterfaceId', value: [routerInterfaceId] })] }),
  );
  const found = response.body?.routerInterfaceSet?.routerInterfaceType?.[0];
  return { status: found?.status, spec: found?.spec };
}

interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Lets the SDK sign a real request against a stand-in server, so it can be replayed (or tampered) later. */
async function captureSdkRequest(keys: { accessKeyId: string; accessKeySecret: string }): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"RequestId":"CAPTURED","TotalCount":0,"PageNumber":1,"PageSize":10,"RouterInterfaceSet":{"RouterInterfaceType":[]}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await sdkClient(url, keys).describeRouterInterfaces(new $Vpc.DescribeRouterInterfacesRequest({ regionId: REGION, pageSize: 5 }));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (!captured) throw new Error('nothing captured');
  return captured;
}

function replay(emulator: RunningEmulator, captured: CapturedRequest, headerChanges: Record<string, string> = {}): Promise<{ status: number; body: { Code?: string; TotalCount?: number; Message?: string } }> {
  return new Promise((resolve, reject) => {
    const port = Number(new URL(emulator.url).port);
    // Framing headers are recomputed for the body actually sent; everything the SDK signed is kept.
    const { 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, ...signed } = captured.headers;
    const headers = { ...signed, ...headerChanges, 'content-length': String(captured.body.length) };
    const req = httpRequest({ host: '127.0.0.1', port, method: captured.method, path: captured.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Code?: string } }));
    });
    req.on('error', reject);
    req.end(captured.body);
  });
}

describe('V3 signatures with @alicloud/vpc20160428', () => {
  it('drives a full lifecycle: describe with filters, connect, poll to Active, modify, deactivate', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock }, async (emulator) => {
      const client = sdkClient(emulator.url, emulator.credentials);
      const idle = await client.describeRouterInterfaces(
        new $Vpc.DescribeRouterInterfacesRequest({ regionId: REGION, filter: [new $Vpc.DescribeRouterInterfacesRequestFilter({ key: 'Status', value: ['Idle', 'Active'] }), new $Vpc.DescribeRouterInterfacesRequestFilter({ key: 'RouterInterfaceId', value: [DEMO_INITIATOR] })] }),
      );
      expect(idle.statusCode).toBe(200);
      expect(idle.body?.totalCount).toBe(1);
      await client.connectRouterInterface(new $Vpc.ConnectRouterInterfaceRequest(id(DEMO_INITIATOR)));
      const polled: string[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const current = (await status(client, DEMO_INITIATOR)).status ?? '';
        polled.push(current);
        if (current === 'Active') break;
        clock.advance(3_000);
      }
      expect(polled).toEqual(['Connecting', 'Connecting', 'Connecting', 'Active']);
      expect((await status(client, DEMO_ACCEPTOR)).status).toBe('Active');
      const modified = await client.modifyRouterInterfaceSpec(new $Vpc.ModifyRouterInterfaceSpecRequest({ ...id(DEMO_INITIATOR), spec: 'Middle.1', clientToken: 'v3-token' }));
      expect(modified.body?.spec).toBe('Middle.1');
      clock.advance(5_000);
      expect(await status(client, DEMO_INITIATOR)).toEqual({ status: 'Active', spec: 'Middle.1' });
      await client.deactivateRouterInterface(new $Vpc.DeactivateRouterInterfaceRequest(id(DEMO_INITIATOR)));
      clock.advance(5_000);
      expect((await status(client, DEMO_INITIATOR)).status).toBe('Inactive');
      expect(emulator.control.calls().every((call) => call.signatureVersion === 'V3' && call.status === 200)).toBe(true);
    });
  });

  it('returns the documented errors of Connect, Deactivate and ModifySpec', async () => {
    await withEmulator({ seed: richSeed(), config: { preset: 'fast' } }, async (emulator) => {
      const client = sdkClient(emulator.url, emulator.credentials);
      expectSdkError(await sdkError(client.connectRouterInterface(new $Vpc.ConnectRouterInterfaceRequest(id(DEMO_ACCEPTOR)))), 400, 'IncorrectRole.NotInitiatingSide');
      expectSdkError(await sdkError(client.deactivateRouterInterface(new $Vpc.DeactivateRouterInterfaceRequest(id(DEMO_INITIATOR)))), 400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Active.");
      expectSdkError(await sdkError(client.deactivateRouterInterface(new $Vpc.DeactivateRouterInterfaceRequest(id(LOCKED_INTERFACE)))), 400, 'Forbidden.FinancialLocked');
      expectSdkError(await sdkError(client.modifyRouterInterfaceSpec(new $Vpc.ModifyRouterInterfaceSpecRequest({ ...id(DEMO_INITIATOR), spec: 'Middle.1' }))), 400, 'InvalidInstance.StatusError', 'The router instance owener error.');
      expectSdkError(await sdkError(client.modifyRouterInterfaceSpec(new $Vpc.ModifyRouterInterfaceSpecRequest({ ...id(DEMO_INITIATOR), spec: 'Giant.1' }))), 400, 'InvalidSpec.ValudNotSupported');
      expectSdkError(await sdkError(client.connectRouterInterface(new $Vpc.ConnectRouterInterfaceRequest(id('ri-bp1nosuchinterface0001')))), 404, 'InvalidRouterInterfaceId.NotFound');
      await client.connectRouterInterface(new $Vpc.ConnectRouterInterfaceRequest(id(DEMO_INITIATOR)));
      expectSdkError(await sdkError(client.connectRouterInterface(new $Vpc.ConnectRouterInterfaceRequest(id(DEMO_INITIATOR)))), 400, 'IncorrectRIStatus');
    });
  });

  it('refuses a wrong secret, an unknown key and a temporary key without its token; accepts it with the token', async () => {
    await withEmulator({}, async (emulator) => {
      const describe = (client: VpcModule) => client.describeRouterInterfaces(new $Vpc.DescribeRouterInterfacesRequest({ regionId: REGION }));
      const wrong = await sdkError(describe(sdkClient(emulator.url, { ...emulator.credentials, accessKeySecret: 'wrong' })));
      expectSdkError(wrong, 400, 'SignatureDoesNotMatch');
      expect(wrong.data.Message).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
      expectSdkError(await sdkError(describe(sdkClient(emulator.url, { accessKeyId: 'nobody', accessKeySecret: 'x' }))), 404, 'InvalidAccessKeyId.NotFound');
      const sts = { accessKeyId: EMULATOR_STS_ACCESS_KEY_ID, accessKeySecret: EMULATOR_STS_ACCESS_KEY_SECRET };
      expectSdkError(await sdkError(describe(sdkClient(emulator.url, sts))), 400, 'InvalidSecurityToken.Malformed');
      const ok = await describe(sdkClient(emulator.url, { ...sts, securityToken: EMULATOR_STS_SECURITY_TOKEN }));
      expect(ok.body?.totalCount).toBe(2);
    });
  });

  it('refuses a replayed nonce, a tampered signed header or query, a changed body and a stale date', async () => {
    const captured = await captureSdkRequest({ accessKeyId: 'riflow-local', accessKeySecret: 'riflow-local-secret' });
    expect(captured.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=riflow-local,SignedHeaders=[^,]*x-acs-signature-nonce[^,]*,Signature=[0-9a-f]{64}$/);
    await withEmulator({}, async (emulator) => {
      const first = await replay(emulator, captured);
      expect([first.status, first.body.TotalCount]).toEqual([200, 2]);
      const again = await replay(emulator, captured);
      expect([again.status, again.body.Code]).toEqual([400, 'SignatureNonceUsed']);
      const tamperedHeader = await replay(emulator, captured, { 'x-acs-signature-nonce': 'a-fresh-but-unsigned-nonce' });
      expect([tamperedHeader.status, tamperedHeader.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
      const tamperedQuery = await replay(emulator, { ...captured, url: captured.url.replace('PageSize=5', 'PageSize=50') }, { 'x-acs-signature-nonce': 'another-fresh-nonce' });
      expect([tamperedQuery.status, tamperedQuery.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
      const changedBody = await replay(emulator, { ...captured, body: Buffer.from('RegionId=cn-shanghai') }, { 'x-acs-signature-nonce': 'third-fresh-nonce', 'content-type': 'application/x-www-form-urlencoded' });
      expect([changedBody.status, changedBody.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
    });
    // The same signed request reaching a server whose clock is 20 minutes ahead is stale.
    await withEmulator({ wallClock: new VirtualClock(Date.now() + 20 * 60_000) }, async (emulator) => {
      const stale = await replay(emulator, captured);
      expect([stale.status, stale.body.Code]).toEqual([400, 'InvalidTimeStamp.Expired']);
    });
  });
});
