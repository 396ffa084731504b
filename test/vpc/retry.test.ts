import { describe, expect, it, vi } from 'vitest';
import { createVpcClient } from '../../src/vpc/client';
import { vpcErrorFor } from '../../src/vpc/errors';
import { DEFAULT_RETRY, MIN_REQUEST_MS, backoffDelayMs } from '../../src/rpc/retry';
import type { RpcTransport } from '../../src/rpc/transport';
import { apiError, createFakeVpc } from './fake-vpc';

/** A clock that only moves when the client sleeps, recording every sleep. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

const credentials = { accessKeyId: 'AK', accessKeySecret: 'SECRET' };
const throttled = () => apiError('Throttling.User', 'Request was denied due to user flow control.');

describe('backoffDelayMs (full jitter)', () => {
  const retry = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('draws uniformly below min(max, base·2^n)', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, retry, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, retry, () => 0.5)).toBe(400);
    expect(backoffDelayMs(3, retry, () => 0)).toBe(0);
  });

  it('clamps a misbehaving random source into the window', () => {
    expect(backoffDelayMs(0, retry, () => 7)).toBe(100);
    expect(backoffDelayMs(0, retry, () => -1)).toBe(0);
  });
});

describe('client retries', () => {
  it('retries transient errors with growing windows, then succeeds', async () => {
    const fake = createFakeVpc([{ id: 'ri-a', status: 'Idle', spec: 'Small.1' }]);
    fake.queue('ConnectRouterInterface', throttled(), apiError('ServiceUnavailable', 'temporary', 503), {
      httpStatus: 0,
      body: undefined,
    });
    const time = fakeTime();
    const client = createVpcClient({ endpoint: 'http://unused', credentials, transport: fake.transport, ...time, random: () => 0.5 });
    await expect(client.connect('cn-hangzhou', 'ri-a')).resolves.toEqual({ requestId: 'REQ-1' });
    expect(fake.calls).toHaveLength(4);
    expect(time.sleeps).toEqual([100, 200, 400]);
  });

  it('gives up after maxAttempts with the last transient error', async () => {
    const fake = createFakeVpc();
    fake.queue('ConnectRouterInterface', ...Array.from({ length: 10 }, throttled));
    const time = fakeTime();
    const client = createVpcClient({
      endpoint: 'http://unused',
      credentials,
      transport: fake.transport,
      retry: { maxAttempts: 3 },
      ...time,
      random: () => 1,
    });
    await expect(client.connect('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ name: 'TransientFailure', code: 'Throttling.User', errorClass: 'transient' });
    expect(fake.calls).toHaveLength(3);
    expect(time.sleeps).toEqual([DEFAULT_RETRY.baseDelayMs, DEFAULT_RETRY.baseDelayMs * 2]);
  });

  it.each([
    ['conflict', apiError('IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Idle.")],
    ['conflict', apiError('OperationConflict', 'Request was denied due to conflict with a previous request.')],
    ['terminal', apiError('InvalidRouterInterfaceId.NotFound', 'not found', 404)],
    ['terminal', apiError('SignatureDoesNotMatch', 'no', 400)],
  ])('never retries a %s error', async (errorClass, response) => {
    const fake = createFakeVpc();
    fake.queue('ConnectRouterInterface', response, response);
    const time = fakeTime();
    const client = createVpcClient({ endpoint: 'http://unused', credentials, transport: fake.transport, ...time });
    await expect(client.connect('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ errorClass });
    expect(fake.calls).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('never sleeps past the deadline and keeps room for the request', async () => {
    const fake = createFakeVpc();
    fake.queue('ConnectRouterInterface', ...Array.from({ length: 20 }, throttled));
    const time = fakeTime(0);
    const deadline = 2_000;
    const client = createVpcClient({
      endpoint: 'http://unused',
      credentials,
      transport: fake.transport,
      retry: { maxAttempts: 20, baseDelayMs: 200, maxDelayMs: 1_000 },
      deadline,
      ...time,
      random: () => 1,
    });
    await expect(client.connect('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ name: 'TransientFailure', code: 'Throttling.User' });
    // Slept 200, 400, 800 (now 1400); the next 1000 ms wait plus the 500 ms request margin would pass 2000.
    expect(time.sleeps).toEqual([200, 400, 800]);
    expect(time.now()).toBeLessThanOrEqual(deadline - MIN_REQUEST_MS);
    expect(fake.calls).toHaveLength(4);
  });

  it('gives up at once rather than sleep into the last 500 ms before the deadline, where no request could run', async () => {
    const fake = createFakeVpc();
    fake.queue('ConnectRouterInterface', ...Array.from({ length: 20 }, throttled));
    const time = fakeTime(0);
    // After 200, 400 and 800 ms (now 1400) the next wait of 1000 ms would end at 2400: before the deadline, but
    // within the 500 ms a request needs.
    const deadline = 2_600;
    const client = createVpcClient({
      endpoint: 'http://unused',
      credentials,
      transport: fake.transport,
      retry: { maxAttempts: 20, baseDelayMs: 200, maxDelayMs: 1_000 },
      deadline,
      ...time,
      random: () => 1,
    });
    await expect(client.connect('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ name: 'TransientFailure', code: 'Throttling.User' });
    expect(time.sleeps).toEqual([200, 400, 800]);
    expect(time.now()).toBe(1_400);
  });

  it('still retries when the wait ends exactly 500 ms before the deadline, with a 500 ms request timeout', async () => {
    const transport = vi
      .fn<RpcTransport>()
      .mockResolvedValueOnce({ httpStatus: 400, body: { RequestId: 'R1', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' } })
      .mockResolvedValueOnce({ httpStatus: 200, body: { RequestId: 'R2' } });
    const time = fakeTime(0);
    // The first retry waits 200 ms (random 1): 0 + 200 + 500 = the deadline.
    const deadline = 200 + MIN_REQUEST_MS;
    const client = createVpcClient({
      endpoint: 'http://unused',
      credentials,
      transport,
      retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1_000 },
      deadline,
      ...time,
      random: () => 1,
    });
    await client.activate('cn-hangzhou', 'ri-a');
    expect(time.sleeps).toEqual([200]);
    expect(transport.mock.calls.map(([call]) => call.timeoutMs)).toEqual([deadline, MIN_REQUEST_MS]);
  });

  it('clips each request timeout to the time left', async () => {
    const transport = vi.fn<RpcTransport>(async () => ({ httpStatus: 200, body: { RequestId: 'R' } }));
    const time = fakeTime(0);
    const client = createVpcClient({ endpoint: 'http://unused', credentials, transport, timeoutMs: 5_000, deadline: 3_000, ...time });
    await client.activate('cn-hangzhou', 'ri-a');
    time.advance(1_000);
    await client.activate('cn-hangzhou', 'ri-a');
    expect(transport.mock.calls.map(([call]) => call.timeoutMs)).toEqual([3_000, 2_000]);
  });

  it('refuses to start a request when the deadline is too close', async () => {
    const transport = vi.fn<RpcTransport>();
    const time = fakeTime(0);
    const client = createVpcClient({ endpoint: 'http://unused', credentials, transport, deadline: MIN_REQUEST_MS - 1, ...time });
    await expect(client.deactivate('cn-hangzhou', 'ri-a')).rejects.toMatchObject({
      name: 'TransientFailure',
      code: 'RequestTimeout',
      errorClass: 'transient',
      message: expect.stringContaining('the invocation deadline leaves no time for a request') as unknown,
    });
    expect(transport).not.toHaveBeenCalled();
  });

  it('retries transport failures thrown by the transport', async () => {
    const fake = createFakeVpc([{ id: 'ri-a', status: 'Active', spec: 'Small.1' }]);
    const timeout = vpcErrorFor({ code: 'RequestTimeout', apiMessage: 'slow' });
    const network = vpcErrorFor({ code: 'NetworkError', apiMessage: 'ECONNRESET' });
    fake.queue('DeactivateRouterInterface', timeout, network);
    const time = fakeTime();
    const client = createVpcClient({ endpoint: 'http://unused', credentials, transport: fake.transport, ...time, random: () => 0 });
    await expect(client.deactivate('cn-hangzhou', 'ri-a')).resolves.toMatchObject({ requestId: 'REQ-1' });
    expect(fake.calls).toHaveLength(3);
  });

  it('does not retry errors that are not VpcErrors (bugs surface at once)', async () => {
    const transport = vi.fn<RpcTransport>(async () => {
      throw new TypeError('boom');
    });
    const client = createVpcClient({ endpoint: 'http://unused', credentials, transport, ...fakeTime() });
    await expect(client.activate('cn-hangzhou', 'ri-a')).rejects.toThrow(TypeError);
    expect(transport).toHaveBeenCalledTimes(1);
  });
});
