/** FC's invocation API on the emulator, called with the real @alicloud/fc2 client over loopback HTTP. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFc2, type Fc2Client, type Fc2Config } from '../../src/cli/remote/fc2';
import {
  DEMO_ACCOUNT_ID,
  EMULATOR_STS_ACCESS_KEY_ID,
  EMULATOR_STS_ACCESS_KEY_SECRET,
  EMULATOR_STS_SECURITY_TOKEN,
  startEmulator,
  type RunningEmulator,
} from '../../src/emulator/index';
import { fcContentMd5, fcStringToSign, fcSignature } from '../../src/emulator/fc/index';
import { LOCAL_FC_POLICY, type LocalFcPolicy } from '../../src/local-fc/policy';
import { DEMO_INITIATOR, OTHER_ACCOUNT_ID, OTHER_KEY, REGION, richSeed } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const DESCRIBE_EVENT = JSON.stringify({ regionId: REGION, routerInterfaceId: DEMO_INITIATOR });

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: richSeed(), config: { preset: 'fast' }, functions: { sYamlPath: join(ROOT, 's.yaml') }, functionEnvironment: { RIFLOW_HANDLER_LOG: 'off' } });
});
afterAll(() => emulator.stop());

function fc2(config: Partial<Fc2Config> = {}, accountId = DEMO_ACCOUNT_ID, version = '2023-03-30', target: RunningEmulator = emulator): Fc2Client {
  const Fc2 = loadFc2();
  const client = new Fc2(accountId, { ...target.credentials, accessKeyID: target.credentials.accessKeyId, region: REGION, endpoint: target.url, ...config });
  client.version = version;
  return client;
}

const invokeV3 = (client: Fc2Client, name: string, event: string) => client.post(`/functions/${name}/invocations`, event, {}, { qualifier: 'LATEST' });

describe('FC 3.0 invocation path (2023-03-30)', () => {
  it('runs the handler and answers its JSON result', async () => {
    const { headers, data } = await invokeV3(fc2(), 'riflow-describe', DESCRIBE_EVENT);
    expect(headers['x-fc-error-type']).toBeUndefined();
    expect(headers['x-fc-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(data).toMatchObject({ routerInterfaceId: DEMO_INITIATOR, status: 'Idle', role: 'InitiatingSide', attempt: 1 });
    // The handler called back into this emulator's VPC API.
    expect(emulator.control.calls().some((call) => call.action === 'DescribeRouterInterfaces')).toBe(true);
  });

  it('answers a thrown error as FC does: 200, x-fc-error-type and {errorMessage, errorType, stackTrace}', async () => {
    const event = JSON.stringify({ regionId: REGION, routerInterfaceId: DEMO_INITIATOR, spec: 'Huge.9' });
    const { headers, data } = await invokeV3(fc2(), 'riflow-modify-spec', event);
    expect(headers['x-fc-error-type']).toBe('UnhandledInvocationError');
    expect(data).toEqual({ errorType: 'InvalidInput', errorMessage: expect.stringMatching(/^spec: must be one of/), stackTrace: [] });
  });

  it('refuses a wrong signature with SignatureNotMatch (403) before running anything', async () => {
    emulator.control.clearCalls();
    const forged = fc2({ accessKeySecret: 'not-the-secret' });
    const failure = await invokeV3(forged, 'riflow-describe', DESCRIBE_EVENT).then(() => undefined, (error: unknown) => error as Error & { code?: string });
    expect(failure?.name).toBe('FCSignatureNotMatchError');
    expect(failure?.code).toBe('SignatureNotMatch');
    expect(failure?.message).toMatch(/failed with 403/);
    expect(emulator.control.calls()).toEqual([]);
  });

  it('answers FunctionNotFound (404) for a function s.yaml does not deploy', async () => {
    const failure = await invokeV3(fc2(), 'riflow-teleport', '{}').catch((error: unknown) => error as Error & { code?: string });
    expect(failure).toMatchObject({ name: 'FCFunctionNotFoundError', code: 'FunctionNotFound' });
    expect((failure as Error).message).toMatch(/failed with 404/);
  });

  it('accepts an STS key with its token, and refuses a key used for another account', async () => {
    const sts = fc2({ accessKeyID: EMULATOR_STS_ACCESS_KEY_ID, accessKeySecret: EMULATOR_STS_ACCESS_KEY_SECRET, securityToken: EMULATOR_STS_SECURITY_TOKEN });
    expect((await invokeV3(sts, 'riflow-describe', DESCRIBE_EVENT)).data).toMatchObject({ status: 'Idle' });
    const otherKeyOnDemoAccount = fc2({ accessKeyID: OTHER_KEY.accessKeyId, accessKeySecret: OTHER_KEY.accessKeySecret });
    await expect(invokeV3(otherKeyOnDemoAccount, 'riflow-describe', DESCRIBE_EVENT)).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(OTHER_ACCOUNT_ID).not.toBe(DEMO_ACCOUNT_ID);
  });
});

describe('FC 2.0 invocation path (2016-08-15)', () => {
  it('runs service functions through fc2 invokeFunction, with or without a qualifier', async () => {
    const client = fc2({}, DEMO_ACCOUNT_ID, '2016-08-15');
    expect((await client.invokeFunction('riflow', 'riflow-describe', DESCRIBE_EVENT)).data).toMatchObject({ status: 'Idle' });
    const { headers, data } = await client.invokeFunction('riflow', 'riflow-connect', '{"regionId":"cn-hangzhou"}', {}, 'LATEST');
    expect(headers['x-fc-error-type']).toBe('UnhandledInvocationError');
    expect(data).toMatchObject({ errorType: 'InvalidInput' });
  });
});

describe('what the signature covers', () => {
  /** A request signed the way fc2 signs, sent with fetch so each part can be changed on its own. */
  async function send(options: { date?: Date; invocationType?: string; tamperBody?: boolean } = {}): Promise<Response> {
    const path = '/2023-03-30/functions/riflow-describe/invocations';
    const body = DESCRIBE_EVENT;
    const headers: Record<string, string> = {
      date: (options.date ?? new Date()).toUTCString(),
      'content-type': 'application/octet-stream',
      'content-md5': fcContentMd5(Buffer.from(body)),
      'x-fc-account-id': DEMO_ACCOUNT_ID,
      ...(options.invocationType ? { 'x-fc-invocation-type': options.invocationType } : {}),
    };
    const signature = fcSignature(fcStringToSign('POST', path, headers), emulator.credentials.accessKeySecret);
    headers.authorization = `FC ${emulator.credentials.accessKeyId}:${signature}`;
    return fetch(`${emulator.url}${path}`, { method: 'POST', headers, body: options.tamperBody ? `${body} ` : body });
  }

  it('matches fc2 byte for byte, and refuses a stale Date, a changed body and asynchronous calls', async () => {
    const Fc2 = loadFc2() as unknown as { getSignature(id: string, secret: string, method: string, path: string, headers: Record<string, string>): string };
    const headers = { date: 'Thu, 01 Jan 2026 00:00:00 GMT', 'content-type': 'application/json', 'content-md5': 'abc', 'x-fc-account-id': '1', 'X-Fc-Trace': 't' };
    const path = '/2016-08-15/services/s/functions/f/invocations';
    expect(`FC id:${fcSignature(fcStringToSign('POST', path, headers), 'secret')}`).toBe(Fc2.getSignature('id', 'secret', 'POST', path, headers));

    expect((await send()).status).toBe(200);
    const stale = await send({ date: new Date(Date.now() - 60 * 60_000) });
    expect(stale.status).toBe(403);
    expect(await stale.json()).toMatchObject({ ErrorCode: 'RequestTimeTooSkewed' });
    const tampered = await send({ tamperBody: true });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringMatching(/Content-MD5/) });
    const asynchronous = await send({ invocationType: 'Async' });
    expect(asynchronous.status).toBe(400);
    expect(await asynchronous.json()).toMatchObject({ ErrorCode: 'InvalidArgument' });
  });

  it('answers PathNotSupported for other FC paths', async () => {
    const response = await fetch(`${emulator.url}/2023-03-30/functions/riflow-describe`, { method: 'GET' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ ErrorCode: 'PathNotSupported' });
  });
});

describe('errorType', () => {
  const FIXTURE = join(ROOT, 'test', 'local-fc', 'fixtures', 's.yaml');
  const started: RunningEmulator[] = [];
  afterAll(() => Promise.all(started.map((running) => running.stop())));

  async function errorTypeOf(functionName: string, policy?: LocalFcPolicy): Promise<unknown> {
    const running = await startEmulator({ functions: { sYamlPath: FIXTURE, ...(policy ? { policy } : {}) } });
    started.push(running);
    const { headers, data } = await invokeV3(fc2({}, DEMO_ACCOUNT_ID, '2023-03-30', running), functionName, '{"status":"Idle"}');
    expect(headers['x-fc-error-type']).toBe('UnhandledInvocationError');
    return (data as { errorType?: unknown }).errorType;
  }

  it('is the thrown class name, as documented, unless the policy reads the name property', async () => {
    // A plain Error whose `name` was set: only the name-property reading sees it.
    expect(await errorTypeOf('riflow-named-error')).toBe('Error');
    expect(await errorTypeOf('riflow-named-error', { ...LOCAL_FC_POLICY, errorType: 'name-property' })).toBe('IncorrectStatus');
    expect(await errorTypeOf('riflow-class-named-error')).toBe('IncorrectStatus');
    expect(await errorTypeOf('riflow-thrown-string')).toBe('FC.Unknown');
  });
});
