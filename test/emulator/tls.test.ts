import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayTls, type ThrowawayTls } from '../../bench/support/throwaway-tls';
import { DEMO_INITIATOR_ID, DEMO_REGION, startEmulator, type RunningEmulator } from '../../src/emulator/index';

/**
 * The emulator over TLS (the `tls` option the handler benchmark uses), reached by a shipped handler bundle in a
 * fresh process: pop-core's HTTPS agent, a certificate made for the run, trusted through NODE_EXTRA_CA_CERTS.
 */
const run = promisify(execFile);
let tls: ThrowawayTls;
let emulator: RunningEmulator;

beforeAll(async () => {
  tls = createThrowawayTls();
  emulator = await startEmulator({ tls: { key: tls.key, cert: tls.cert } });
});

afterAll(async () => {
  await emulator?.stop();
  tls?.remove();
});

const PROBE = `
require(process.argv[1]).handler(Buffer.from(process.argv[2]), { requestId: 'r', function: { name: 'f', timeout: 5 } })
  .then((result) => console.log(JSON.stringify(result)), (error) => console.log(JSON.stringify({ error: error.name, code: error.code })));`;

async function describeOverTls(extraEnv: Record<string, string>): Promise<unknown> {
  const event = JSON.stringify({ regionId: DEMO_REGION, routerInterfaceId: DEMO_INITIATOR_ID });
  const { stdout } = await run(process.execPath, ['-e', PROBE, join(process.cwd(), 'dist', 'functions', 'describe', 'index.js'), event], {
    timeout: 15_000,
    env: {
      PATH: process.env.PATH ?? '',
      RIFLOW_VPC_ENDPOINT: emulator.url,
      RIFLOW_HANDLER_LOG: 'off',
      RIFLOW_CLIENT_MAX_ATTEMPTS: '1',
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
      ...extraEnv,
    },
  });
  return JSON.parse(stdout.trim());
}

describe('the emulator over TLS', () => {
  it('serves https:// and answers a signed call from a bundle that trusts its certificate', async () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await describeOverTls({ NODE_EXTRA_CA_CERTS: tls.certPath })).toMatchObject({ routerInterfaceId: DEMO_INITIATOR_ID, status: 'Idle' });
    expect(emulator.control.calls().map((call) => call.action)).toContain('DescribeRouterInterfaces');
  });

  it('is refused by a client that does not trust the certificate: the TLS is real', async () => {
    expect(await describeOverTls({})).toStrictEqual({ error: 'TransientFailure', code: 'NetworkError' });
  });
});
