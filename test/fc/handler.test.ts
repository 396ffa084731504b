import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { FcContext } from '../../src/fc/context';
import { defineHandler, safetyMarginMs } from '../../src/fc/handler';
import type { HandlerDefinition } from '../../src/fc/handler';
import { parseTarget } from '../../src/fc/input';
import type { RouterInterfaceTarget } from '../../src/fc/input';
import type { InvocationLogRecord } from '../../src/fc/log';
import { endpointFromEnvironment } from '../../src/vpc/endpoint';
import type { RpcTransport } from '../../src/rpc/transport';
import { createFakeVpc } from '../vpc/fake-vpc';

const SECRET = 'very-secret-value';

function context(overrides: Partial<FcContext> = {}): FcContext {
  return {
    requestId: 'fc-req-1',
    credentials: { accessKeyId: 'ctx-ak', accessKeySecret: SECRET, securityToken: 'ctx-token' },
    function: { name: 'riflow-describe', handler: 'index.handler', memory: 128, timeout: 30 },
    region: 'cn-shanghai',
    accountId: '123',
    ...overrides,
  };
}

const readStatus: HandlerDefinition<RouterInterfaceTarget, { status: string; changed: boolean }> = {
  name: 'read-status',
  action: 'DescribeRouterInterfaces',
  parse: parseTarget,
  async run(input, { client }) {
    const { routerInterface } = await client.describe(input.regionId, input.routerInterfaceId);
    return { status: routerInterface.status, changed: false };
  },
};

function setup(extra: { transport?: RpcTransport; env?: Record<string, string> } = {}) {
  const fake = createFakeVpc([{ id: 'ri-a', status: 'Active', spec: 'Small.1' }]);
  const lines: string[] = [];
  let clock = 1_700_000_000_000;
  const handler = defineHandler(readStatus, {
    transport: extra.transport ?? fake.transport,
    env: extra.env ?? {},
    log: (line) => lines.push(line),
    now: () => (clock += 5),
    sleep: async () => {},
  });
  const records = () => lines.map((line) => JSON.parse(line) as InvocationLogRecord);
  return { fake, handler, lines, records };
}

describe('defineHandler', () => {
  it('runs the action and writes exactly one structured log line without secrets', async () => {
    const { handler, lines, records } = setup();
    const event = Buffer.from(JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-a', note: SECRET }));
    await expect(handler(event, context())).resolves.toEqual({ status: 'Active', changed: false });
    expect(lines).toHaveLength(1);
    expect(records()[0]).toEqual({
      level: 'info',
      time: expect.stringMatching(/^2023-11-14T22:13:20\.\d{3}Z$/),
      requestId: 'fc-req-1',
      function: 'riflow-describe',
      action: 'DescribeRouterInterfaces',
      routerInterfaceId: 'ri-a',
      outcome: 'succeeded',
      changed: false,
      errorName: null,
      errorCode: null,
      errorClass: null,
      durationMs: expect.any(Number),
    });
    expect(records()[0]!.durationMs).toBeGreaterThan(0);
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain('ctx-token');
  });

  it('rethrows the catalogue error untouched and logs its name', async () => {
    const { handler, records } = setup();
    const error = await handler({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-missing' }, context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RouterInterfaceNotFound', code: 'InvalidRouterInterfaceId.NotFound', errorClass: 'terminal' });
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'error',
        outcome: 'failed',
        errorName: 'RouterInterfaceNotFound',
        errorCode: 'InvalidRouterInterfaceId.NotFound',
        errorClass: 'terminal',
        changed: null,
      }),
    ]);
  });

  it('refuses a bad event with InvalidInput, makes no request, and logs no raw value', async () => {
    const { handler, fake, lines, records } = setup();
    await expect(handler({ regionId: 'cn-hangzhou', routerInterfaceId: `RI-\u001b${SECRET}` }, context())).rejects.toMatchObject({
      name: 'InvalidInput',
      field: 'routerInterfaceId',
    });
    expect(fake.calls).toHaveLength(0);
    expect(records()[0]).toMatchObject({ errorName: 'InvalidInput', errorCode: null, errorClass: 'terminal', routerInterfaceId: null });
    expect(lines[0]).not.toContain(SECRET);
  });

  it('falls back to the function region when the event has none', async () => {
    const { handler, fake } = setup();
    await handler({ routerInterfaceId: 'ri-a' }, context());
    expect(fake.calls[0]!.params.RegionId).toBe('cn-shanghai');
  });

  it('derives the deadline from the FC timeout minus a safety margin', async () => {
    const transport = vi.fn<RpcTransport>(async () => ({
      httpStatus: 200,
      body: { RequestId: 'R', RouterInterfaceSet: { RouterInterfaceType: [{ RouterInterfaceId: 'ri-a', Status: 'Idle' }] } },
    }));
    const { handler } = setup({ transport });
    await handler({ routerInterfaceId: 'ri-a' }, context({ function: { name: 'f', timeout: 3 } }));
    // started at t0+5, the client asks the time again (+5) before the request: 3000 − 600 − 5 left.
    expect(safetyMarginMs(3_000)).toBe(600);
    expect(transport.mock.calls[0]![0].timeoutMs).toBe(3_000 - 600 - 5);
    expect(safetyMarginMs(60_000)).toBe(2_000);
  });

  it('uses the environment credentials when the context has none, and fails clearly with neither', async () => {
    const withEnv = setup({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret' } });
    await expect(withEnv.handler({ routerInterfaceId: 'ri-a' }, context({ credentials: undefined }))).resolves.toMatchObject({ status: 'Active' });

    const without = setup();
    await expect(without.handler({ routerInterfaceId: 'ri-a' }, context({ credentials: undefined }))).rejects.toMatchObject({
      name: 'RequestRefused', code: 'MissingCredentials',
      errorClass: 'terminal',
    });
    expect(without.fake.calls).toHaveLength(0);
    expect(without.records()[0]).toMatchObject({ errorName: 'RequestRefused', errorCode: 'MissingCredentials' });
  });

  it('survives a log sink that throws', async () => {
    const fake = createFakeVpc([{ id: 'ri-a', status: 'Active', spec: 'Small.1' }]);
    const handler = defineHandler(readStatus, {
      transport: fake.transport,
      env: {},
      log: () => {
        throw new Error('disk full');
      },
    });
    await expect(handler({ routerInterfaceId: 'ri-a' }, context())).resolves.toMatchObject({ status: 'Active' });
  });

  it('reads RIFLOW_VPC_ENDPOINT at invocation time and calls it over real HTTP', async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push(new URLSearchParams(body).get('Action') ?? '');
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"RequestId":"R","RouterInterfaceSet":{"RouterInterfaceType":[{"RouterInterfaceId":"ri-a","Status":"Inactive"}]}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const env: Record<string, string> = {};
      const handler = defineHandler(readStatus, { env, log: () => {} });
      env.RIFLOW_VPC_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(handler({ routerInterfaceId: 'ri-a' }, context())).resolves.toEqual({ status: 'Inactive', changed: false });
      expect(seen).toEqual(['DescribeRouterInterfaces']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the VPC endpoint of a request', () => {
  it('is chosen from the event\'s regionId (else the function\'s region) when RIFLOW_VPC_ENDPOINT has {regionId}', async () => {
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"RequestId":"R","RouterInterfaceSet":{"RouterInterfaceType":[{"RouterInterfaceId":"ri-a","Status":"Active"}]}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const env = { RIFLOW_VPC_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}/{regionId}` };
      const handler = defineHandler(readStatus, { env, log: () => {} });
      await handler({ regionId: 'ap-southeast-1', routerInterfaceId: 'ri-a' }, context());
      await handler({ routerInterfaceId: 'ri-a' }, context({ region: 'cn-beijing' }));
      expect(paths).toEqual(['/ap-southeast-1/', '/cn-beijing/']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('endpointFromEnvironment', () => {
  it('defaults to the public endpoint of the request\'s region', () => {
    expect(endpointFromEnvironment({}, 'cn-shanghai')).toBe('https://vpc.cn-shanghai.aliyuncs.com');
    expect(endpointFromEnvironment({ RIFLOW_VPC_ENDPOINT: '  ' }, 'ap-southeast-1')).toBe('https://vpc.ap-southeast-1.aliyuncs.com');
  });

  it('takes RIFLOW_VPC_ENDPOINT as it is, or with {regionId} filled in', () => {
    expect(endpointFromEnvironment({ RIFLOW_VPC_ENDPOINT: 'http://127.0.0.1:1234' }, 'cn-hangzhou')).toBe('http://127.0.0.1:1234');
    expect(endpointFromEnvironment({ RIFLOW_VPC_ENDPOINT: 'https://vpc-vpc.{regionId}.aliyuncs.com' }, 'cn-beijing')).toBe('https://vpc-vpc.cn-beijing.aliyuncs.com');
  });
});
