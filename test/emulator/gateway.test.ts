import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { VPC_RATE_LIMITS } from '../../src/vpc-api/rate-limits';
import {
  EMULATOR_STS_ACCESS_KEY_ID,
  EMULATOR_STS_ACCESS_KEY_SECRET,
  EMULATOR_STS_SECURITY_TOKEN,
} from '../../src/emulator/index';
import {
  DEMO_INITIATOR,
  REGION,
  encodeParams,
  expectApiError,
  popClient,
  popError,
  sendGet,
  signedParams,
  withEmulator,
  type DescribeResult,
} from './helpers';

const DESCRIBE = { Action: 'DescribeRouterInterfaces', RegionId: REGION };

describe('RPC gateway over HTTP', () => {
  it('serves GET and POST from pop-core with JSON bodies and an upper-case RequestId', async () => {
    await withEmulator({}, async (emulator) => {
      const client = popClient(emulator);
      const viaGet = await client.request<DescribeResult & { RequestId: string }>('DescribeRouterInterfaces', { RegionId: REGION });
      const viaPost = await client.request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION }, { method: 'POST' });
      expect(viaGet.TotalCount).toBe(2);
      expect(viaPost.TotalCount).toBe(2);
      expect(viaGet.RequestId).toMatch(/^[0-9A-F-]{36}$/);
      const response = await fetch(`${emulator.url}/?${encodeParams(signedParams(DESCRIBE, emulator.credentials))}`);
      expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8');
      expect(emulator.control.calls().map((call) => call.method)).toEqual(['GET', 'POST', 'GET']);
    });
  });

  it('accepts values with reserved and non-ASCII characters on both methods', async () => {
    await withEmulator({ config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      for (const method of ['GET', 'POST']) {
        const name = `demo.${method}_中文-x`;
        await client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Name: name, Description: "Ab !'()*~+/=" }, { method });
        expect(emulator.control.state().interfaces[0]?.name).toBe(name);
      }
    });
  });

  it('checks timestamps against the wall clock, so an emulator on a virtual clock days ahead still serves pop-core', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock }, async (emulator) => {
      clock.advance(3 * 24 * 3600_000);
      const result = await popClient(emulator).request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION }, { method: 'POST' });
      expect(result.TotalCount).toBe(2);
    });
  });

  it('refuses an unknown action or version with InvalidAction.NotFound (404)', async () => {
    await withEmulator({}, async (emulator) => {
      const error = await popError(popClient(emulator).request('DescribeVpcs', { RegionId: REGION }));
      expectApiError(error, 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
      const wrongVersion = await sendGet(emulator, signedParams({ ...DESCRIBE, Version: '2014-05-26' }, emulator.credentials));
      expect([wrongVersion.status, wrongVersion.body.Code]).toEqual([404, 'InvalidAction.NotFound']);
    });
  });

  it('checks in order: action, common parameters, key, timestamp, nonce, signature', async () => {
    await withEmulator({}, async (emulator) => {
      const missingNonce = signedParams(DESCRIBE, emulator.credentials);
      delete missingNonce.SignatureNonce;
      const noNonce = await sendGet(emulator, missingNonce);
      expect([noNonce.status, noNonce.body.Code, noNonce.body.Message]).toEqual([400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.']);

      // An unknown key wins over a stale timestamp.
      const unknownKey = await sendGet(emulator, signedParams(DESCRIBE, { accessKeyId: 'nobody', accessKeySecret: 'x' }, { now: Date.now() - 3_600_000 }));
      expect([unknownKey.status, unknownKey.body.Code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);

      const stale = await sendGet(emulator, signedParams(DESCRIBE, emulator.credentials, { now: Date.now() - 16 * 60_000 }));
      expect([stale.status, stale.body.Code]).toEqual([400, 'InvalidTimeStamp.Expired']);
      const future = await sendGet(emulator, signedParams(DESCRIBE, emulator.credentials, { now: Date.now() + 16 * 60_000 }));
      expect(future.body.Code).toBe('InvalidTimeStamp.Expired');
      const badFormat = await sendGet(emulator, signedParams({ ...DESCRIBE, Timestamp: '2026-01-01 00:00:00' }, emulator.credentials));
      expect([badFormat.status, badFormat.body.Code]).toEqual([400, 'InvalidTimeStamp.Format']);
      const withinWindow = await sendGet(emulator, signedParams(DESCRIBE, emulator.credentials, { now: Date.now() - 14 * 60_000 }));
      expect(withinWindow.status).toBe(200);
    });
  });

  it('refuses a replayed nonce, but only after the first use succeeded', async () => {
    await withEmulator({}, async (emulator) => {
      const params = signedParams(DESCRIBE, emulator.credentials, { nonce: 'fixed-nonce-1' });
      const forged = { ...params, Signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
      expect((await sendGet(emulator, forged)).body.Code).toBe('SignatureDoesNotMatch');
      expect((await sendGet(emulator, params)).status).toBe(200);
      const replay = await sendGet(emulator, params);
      expect([replay.status, replay.body.Code, replay.body.Message]).toEqual([400, 'SignatureNonceUsed', 'Specified signature nonce was used already.']);
    });
  });

  it('refuses a tampered parameter and a wrong secret, telling the string to sign', async () => {
    await withEmulator({}, async (emulator) => {
      const params = signedParams({ ...DESCRIBE, PageSize: '10' }, emulator.credentials);
      const tampered = await sendGet(emulator, { ...params, PageSize: '20' });
      expect([tampered.status, tampered.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
      expect(tampered.body.Message).toMatch(/^Specified signature is not matched with our calculation\. server string to sign is:GET&%2F&AccessKeyId/);
      expect(tampered.body.Message).toContain('PageSize%3D20');

      const wrongSecret = await popError(popClient(emulator, { ...emulator.credentials, accessKeySecret: 'wrong' }).request('DescribeRouterInterfaces', { RegionId: REGION }));
      expectApiError(wrongSecret, 400, 'SignatureDoesNotMatch');
      expect(wrongSecret.data).toMatchObject({ HostId: 'vpc.aliyuncs.com' });
      expect(wrongSecret.data.Recommend).toContain('q=SignatureDoesNotMatch&product=Vpc');
    });
  });

  it('requires the matching SecurityToken for a temporary key', async () => {
    await withEmulator({}, async (emulator) => {
      const sts = { accessKeyId: EMULATOR_STS_ACCESS_KEY_ID, accessKeySecret: EMULATOR_STS_ACCESS_KEY_SECRET };
      expect(emulator.stsCredentials).toEqual({ ...sts, securityToken: EMULATOR_STS_SECURITY_TOKEN });
      const withoutToken = await popError(popClient(emulator, sts).request('DescribeRouterInterfaces', { RegionId: REGION }));
      expectApiError(withoutToken, 400, 'InvalidSecurityToken.Malformed');
      const wrongToken = await popError(popClient(emulator, { ...sts, securityToken: 'forged' }).request('DescribeRouterInterfaces', { RegionId: REGION }));
      expectApiError(wrongToken, 400, 'InvalidSecurityToken.Mismatch');
      const ok = await popClient(emulator, { ...sts, securityToken: EMULATOR_STS_SECURITY_TOKEN }).request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION });
      expect(ok.TotalCount).toBe(2);
      // The token never reaches the request log.
      expect(JSON.stringify(emulator.control.calls())).not.toContain(EMULATOR_STS_SECURITY_TOKEN);
    });
  });

  it('reports a missing business parameter as Missing<Param>', async () => {
    await withEmulator({}, async (emulator) => {
      const error = await popError(popClient(emulator).request('ConnectRouterInterface', { RegionId: REGION }));
      expectApiError(error, 400, 'MissingRouterInterfaceId', 'RouterInterfaceId is mandatory for this action.');
      const noRegion = await popError(popClient(emulator).request('DescribeRouterInterfaces', {}));
      expectApiError(noRegion, 400, 'MissingRegionId', 'RegionId is mandatory for this action.');
    });
  });

  it('throttles per account and action with a token bucket on the injected clock', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock, config: { rateLimit: { capacity: 3, windowMs: 60_000 } } }, async (emulator) => {
      const client = popClient(emulator);
      for (let i = 0; i < 3; i += 1) await client.request('DescribeRouterInterfaces', { RegionId: REGION });
      const throttled = await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION }));
      expectApiError(throttled, 400, 'Throttling.User', 'Request was denied due to user flow control.');
      // Another action has its own bucket.
      await client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Name: 'renamed' });
      clock.advance(20_000); // one token refilled
      await client.request('DescribeRouterInterfaces', { RegionId: REGION });
      expect((await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION }))).code).toBe('Throttling.User');
    });
  });

  it('keeps the VPC quotas of src/emulator/vpc/rate-limits.ts: 300 calls per 60 s per account, region and action', async () => {
    expect(Object.values(VPC_RATE_LIMITS).map((limit) => [limit.calls, limit.seconds])).toEqual(Object.values(VPC_RATE_LIMITS).map(() => [300, 60]));
    expect(Object.entries(VPC_RATE_LIMITS).filter(([, limit]) => limit.assumed).map(([action]) => action)).toEqual(['ActivateRouterInterface', 'ModifyRouterInterfaceSpec', 'DescribeRouterInterfaces']);
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock }, async (emulator) => {
      const client = popClient(emulator);
      const describeIn = (RegionId: string) => client.request('DescribeRouterInterfaces', { RegionId });
      for (let i = 0; i < 300; i += 1) await describeIn(REGION);
      expectApiError(await popError(describeIn(REGION)), 400, 'Throttling.User', 'Request was denied due to user flow control.');
      // Another region has a bucket of its own; so has another action in the same region.
      await describeIn('cn-shanghai');
      await client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Name: 'renamed' });
      clock.advance(1_000); // 5 tokens a second
      for (let i = 0; i < 5; i += 1) await describeIn(REGION);
      expect((await popError(describeIn(REGION))).code).toBe('Throttling.User');
      // A raised quota (Quota Center) is the rateLimits setting, per action.
      emulator.control.updateConfig({ rateLimits: { DescribeRouterInterfaces: { capacity: 600 } } });
      expect(emulator.control.config().rateLimits.DescribeRouterInterfaces).toEqual({ capacity: 600, windowMs: 60_000 });
      expect(emulator.control.config().rateLimits.ModifyRouterInterfaceSpec).toEqual({ capacity: 300, windowMs: 60_000 });
      expect(() => emulator.control.updateConfig({ rateLimits: { DescribeRouterInterfaces: { capacity: 0 } } })).toThrow(/rateLimits\.DescribeRouterInterfaces\.capacity/);
    });
  });

  it('answers 404 for paths outside / and /_emulator/', async () => {
    await withEmulator({}, async (emulator) => {
      const response = await fetch(`${emulator.url}/elsewhere`);
      expect(response.status).toBe(404);
    });
  });
});
