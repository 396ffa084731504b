/** Deployed-function calls through @alicloud/fc2, against the emulator's FC invocation paths (in-process, real HTTP). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFcFunctions, createRemoteInvokeTask, FcInvocationError, type FcFunctions } from '../../src/cli/remote/fc-functions';
import { DEMO_ACCOUNT_ID, startEmulator, type RunningEmulator } from '../../src/emulator';
import type { TaskRequest } from '../../src/flow/runtime';
import { ROOT } from './helpers';

const INITIATOR = 'ri-bp1d2v6ebu8tl7ohx4kmq';
const DESCRIBE_EVENT = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: INITIATOR });

let emulator: RunningEmulator;
let functions: FcFunctions;
beforeAll(async () => {
  emulator = await startEmulator({ config: { preset: 'fast' }, functions: { sYamlPath: join(ROOT, 's.yaml') }, functionEnvironment: { RIFLOW_HANDLER_LOG: 'off' } });
  functions = createFcFunctions({ endpoint: emulator.url, accountId: DEMO_ACCOUNT_ID, region: 'cn-hangzhou', credentials: emulator.credentials });
});
afterAll(() => emulator.stop());

async function failureOf(call: Promise<unknown>): Promise<FcInvocationError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(FcInvocationError);
  return outcome as FcInvocationError;
}

describe('createFcFunctions', () => {
  it('returns the decoded result of FC 3.0 and FC 2.0 functions', async () => {
    expect(await functions.invoke({ functionName: 'riflow-describe' }, DESCRIBE_EVENT)).toMatchObject({ routerInterfaceId: INITIATOR, status: 'Idle' });
    expect(await functions.invoke({ functionName: 'riflow-describe', serviceName: 'riflow', qualifier: 'LATEST' }, DESCRIBE_EVENT)).toMatchObject({ status: 'Idle' });
  });

  it('names a function error by its errorType, an FC API error FC.<ErrorCode>, and no answer FC.NetworkError', async () => {
    const invalid = await failureOf(functions.invoke({ functionName: 'riflow-modify-spec' }, JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: INITIATOR, spec: 'Huge.9' })));
    expect(invalid).toMatchObject({ name: 'InvalidInput', source: 'function', message: expect.stringMatching(/^spec: must be one of/) });

    const missing = await failureOf(functions.invoke({ functionName: 'riflow-teleport' }, '{}'));
    expect(missing).toMatchObject({ name: 'FC.FunctionNotFound', source: 'api' });

    const wrongKey = createFcFunctions({ endpoint: emulator.url, accountId: DEMO_ACCOUNT_ID, region: 'cn-hangzhou', credentials: { ...emulator.credentials, accessKeySecret: 'wrong' } });
    expect(await failureOf(wrongKey.invoke({ functionName: 'riflow-describe' }, DESCRIBE_EVENT))).toMatchObject({ name: 'FC.SignatureNotMatch', source: 'api' });

    const closed = await startEmulator();
    const unreachable = closed.url;
    await closed.stop();
    const nowhere = createFcFunctions({ endpoint: unreachable, accountId: DEMO_ACCOUNT_ID, region: 'cn-hangzhou', credentials: emulator.credentials, timeoutMs: 2_000 });
    expect(await failureOf(nowhere.invoke({ functionName: 'riflow-describe' }, DESCRIBE_EVENT))).toMatchObject({ name: 'FC.NetworkError', source: 'network' });
  });

  it('names an API error whose body says {Code, Message} (not ErrorCode) by its HTTP status, not as a network failure', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Code: 'FunctionNotFound', Message: 'function not found', RequestId: 'R' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const other = createFcFunctions({ endpoint: url, accountId: DEMO_ACCOUNT_ID, region: 'cn-hangzhou', credentials: emulator.credentials });
      expect(await failureOf(other.invoke({ functionName: 'riflow-describe' }, DESCRIBE_EVENT))).toMatchObject({ name: 'FC.HTTP404', source: 'api' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createRemoteInvokeTask', () => {
  const request = (resourceArn: string, signal = new AbortController().signal): TaskRequest => ({
    action: 'FC:InvokeFunction',
    parameters: { resourceArn, body: { a: 1 } },
    stateName: 'Describe',
    executionName: 'e1',
    retryCount: 0,
    signal,
  });

  it('maps ARNs to addresses: placeholders take the configured account and region, concrete segments win', async () => {
    const invoke = vi.fn<FcFunctions['invoke']>().mockResolvedValue({ ok: true });
    const task = createRemoteInvokeTask({ invoke });
    expect(await task(request('acs:fc:{{region}}:{{accountId}}:functions/riflow-describe/LATEST'))).toEqual({ Body: { ok: true } });
    await task(request('acs:fc:cn-shanghai:1234:services/riflow.prod/functions/riflow-connect'));
    expect(invoke.mock.calls).toEqual([
      [{ functionName: 'riflow-describe', qualifier: 'LATEST' }, '{"a":1}'],
      [{ functionName: 'riflow-connect', serviceName: 'riflow', qualifier: 'prod', accountId: '1234', region: 'cn-shanghai' }, '{"a":1}'],
    ]);
    await expect(task(request('arn:aws:lambda:x'))).rejects.toMatchObject({ name: 'FC.FunctionNotFound' });
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('stops waiting when the task is aborted', async () => {
    const task = createRemoteInvokeTask({ invoke: () => new Promise(() => undefined) });
    const controller = new AbortController();
    const pending = task(request('acs:fc:::functions/riflow-describe', controller.signal));
    controller.abort(new Error('execution stopped'));
    await expect(pending).rejects.toThrow('execution stopped');
  });
});
