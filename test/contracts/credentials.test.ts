/**
 * Which keys sign a handler's requests, told by the emulator's call log: the FC context's credentials (the function's
 * role, temporary keys with a token) win over access keys in the function's environment; the environment's keys are
 * used only when the context has none. Through the real bundles, invoked as FC would: s.yaml's environment around
 * the call, the role's keys in the context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFcInvoker } from '../../src/flow/fc-invoker';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { activeSeed } from './seeds';
import { ROOT, sYamlWith } from './stack';
import { INITIATOR, REGION } from '../e2e/seeds';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: activeSeed(), config: { preset: 'fast' } });
});
afterAll(() => emulator.stop());

/** Keys set as the function's environment variables in s.yaml (the seed's permanent key). */
function environmentKeys(): Record<string, string> {
  return { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret };
}

/** Invokes riflow-describe's bundle once; `role` becomes the context's credentials. */
async function describeWith(role: { accessKeyId: string; accessKeySecret: string; securityToken: string } | undefined): Promise<string | undefined> {
  const invoke = createLocalFcInvoker({
    sYaml: sYamlWith({ RIFLOW_HANDLER_LOG: 'off', RIFLOW_CLIENT_MAX_ATTEMPTS: '1', ...environmentKeys() }),
    rootDir: ROOT,
    env: {
      RIFLOW_VPC_ENDPOINT: emulator.url,
      ...(role ? { ALIBABA_CLOUD_ACCESS_KEY_ID: role.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: role.accessKeySecret, ALIBABA_CLOUD_SECURITY_TOKEN: role.securityToken } : {}),
    },
    log: () => undefined,
  });
  emulator.control.clearCalls();
  await invoke({
    action: 'FC:InvokeFunction',
    stateName: 'Describe',
    executionName: 'credentials',
    retryCount: 0,
    signal: new AbortController().signal,
    parameters: { resourceArn: 'acs:fc:cn-hangzhou:1468255470342387:functions/riflow-describe', body: { regionId: REGION, routerInterfaceId: INITIATOR } },
  });
  const [call] = emulator.control.calls();
  expect(call).toMatchObject({ action: 'DescribeRouterInterfaces', status: 200 });
  return call?.accessKeyId;
}

describe('credentials of a deployed function', () => {
  it('the role’s keys in the FC context sign the request, though the environment has keys too', async () => {
    const role = emulator.stsCredentials;
    if (!role) throw new Error('the demo seed has a temporary key');
    expect(await describeWith(role)).toBe(role.accessKeyId);
  });

  it('the environment’s keys sign it when the context has none', async () => {
    expect(await describeWith(undefined)).toBe(emulator.credentials.accessKeyId);
  });
});
