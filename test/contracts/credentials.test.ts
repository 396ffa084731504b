/**
 * Which keys sign a handler's requests, told by the emulator's call log: the FC context's credentials (the function's
 * role, temporary keys with a token) win over access keys in the function's environment; the environment's keys are
 * used only when the context has none. Through the real bundles, invoked as FC would: s.yaml's environment as the
 * function's own, the role's keys in the context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFc } from '../../src/local-fc/runtime';
import { SYaml } from '../../src/serverless/s-yaml';
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
  const fc = createLocalFc({
    sYaml: new SYaml(sYamlWith({ RIFLOW_HANDLER_LOG: 'off', RIFLOW_CLIENT_MAX_ATTEMPTS: '1', ...environmentKeys() }), { baseDir: ROOT }),
    variables: { RIFLOW_VPC_ENDPOINT: emulator.url },
    ...(role ? { credentials: role } : {}),
    log: () => undefined,
  });
  emulator.control.clearCalls();
  const answer = await fc.invoke('riflow-describe', JSON.stringify({ regionId: REGION, routerInterfaceId: INITIATOR }));
  expect(answer).toHaveProperty('body');
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
