import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHandler } from '../../src/fc/handler';
import { definition as connect } from '../../functions/connect/index';
import { createFakeVpc } from '../vpc/fake-vpc';
import { fcContext } from '../functions/harness';

const idle = [{ id: 'ri-a', status: 'Idle', spec: 'Small.1', role: 'InitiatingSide' }];
const event = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-a' };
const throttled = { httpStatus: 400, body: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'R' } };

afterEach(() => vi.restoreAllMocks());

describe('RIFLOW_CLIENT_MAX_ATTEMPTS', () => {
  it('caps the client retries of transient errors (1 = none, leaving them to the workflow)', async () => {
    const fake = createFakeVpc(idle);
    fake.queue('ConnectRouterInterface', throttled as never);
    const handler = defineHandler(connect, { transport: fake.transport, env: { RIFLOW_CLIENT_MAX_ATTEMPTS: '1' }, log: () => {}, sleep: async () => {} });
    await expect(handler(event, fcContext)).rejects.toMatchObject({ name: 'TransientFailure', code: 'Throttling.User' });
    expect(fake.calls).toHaveLength(1);
  });

  it('retries by default', async () => {
    const fake = createFakeVpc(idle);
    fake.queue('ConnectRouterInterface', throttled as never);
    const handler = defineHandler(connect, { transport: fake.transport, env: {}, log: () => {}, sleep: async () => {}, random: () => 0 });
    await expect(handler(event, fcContext)).resolves.toMatchObject({ changed: true });
    expect(fake.calls.map((call) => call.action)).toEqual(['ConnectRouterInterface', 'ConnectRouterInterface']);
  });
});

describe('RIFLOW_HANDLER_LOG', () => {
  it.each([
    { target: 'stderr', stdout: 0, stderr: 1 },
    { target: 'off', stdout: 0, stderr: 0 },
    { target: undefined, stdout: 1, stderr: 0 },
  ])('with $target writes $stdout line(s) to stdout and $stderr to stderr', async ({ target, stdout, stderr }) => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const fake = createFakeVpc(idle);
    const handler = defineHandler(connect, { transport: fake.transport, env: target ? { RIFLOW_HANDLER_LOG: target } : {} });
    await handler(event, fcContext);
    const lines = (spy: typeof out) => spy.mock.calls.filter(([chunk]) => String(chunk).includes('"action":"ConnectRouterInterface"'));
    expect(lines(out)).toHaveLength(stdout);
    expect(lines(err)).toHaveLength(stderr);
  });
});

describe('connect with the spec the workflow will set next', () => {
  it('refuses an invalid spec before any request', async () => {
    const fake = createFakeVpc(idle);
    const handler = defineHandler(connect, { transport: fake.transport, env: {}, log: () => {} });
    await expect(handler({ ...event, spec: 'Huge.9' }, fcContext)).rejects.toMatchObject({ name: 'InvalidInput', field: 'spec' });
    expect(fake.calls).toHaveLength(0);
  });
});
