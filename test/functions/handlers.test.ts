import { describe, expect, it } from 'vitest';
import { definition as activate } from '../../functions/activate/index';
import { definition as connect } from '../../functions/connect/index';
import { definition as deactivate } from '../../functions/deactivate/index';
import { definition as describeFn } from '../../functions/describe/index';
import { definition as modifySpec } from '../../functions/modify-spec/index';
import { deriveClientToken } from '../../src/vpc/client-token';
import { apiError } from '../vpc/fake-vpc';
import { harness } from './harness';

const at = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-a' };
const ri = (status: string, spec = 'Small.1') => [{ id: 'ri-a', status, spec }];

describe.each([
  ['connect', connect, 'ConnectRouterInterface', 'Idle', 'Connecting', ['Connecting', 'AcceptingConnecting', 'Active'], ['Inactive', 'Deactivating', 'Activating']],
  ['activate', activate, 'ActivateRouterInterface', 'Inactive', 'Activating', ['Activating', 'Active'], ['Idle', 'Deactivating', 'Connecting']],
  ['deactivate', deactivate, 'DeactivateRouterInterface', 'Active', 'Deactivating', ['Deactivating', 'Inactive'], ['Idle', 'Activating', 'Connecting']],
] as const)('%s', (_name, definition, action, from, to, done, refused) => {
  it(`changes ${from} → ${to} with one call`, async () => {
    const { invoke, fake, lines } = harness(definition, ri(from));
    await expect(invoke(at)).resolves.toEqual({ requestId: 'REQ-1', ...at, changed: true });
    expect(fake.calls.map((call) => call.action)).toEqual([action]);
    expect(fake.interfaces.get('ri-a')!.status).toBe(to);
    expect(JSON.parse(lines[0]!)).toMatchObject({ action, outcome: 'succeeded', changed: true, routerInterfaceId: 'ri-a' });
  });

  it.each(done)('succeeds with changed:false when already %s', async (status) => {
    const { invoke, fake } = harness(definition, ri(status));
    await expect(invoke(at)).resolves.toEqual({ requestId: 'REQ-2', ...at, changed: false, status });
    expect(fake.calls.map((call) => call.action)).toEqual([action, 'DescribeRouterInterfaces']);
  });

  it.each(refused)('rethrows the status conflict when %s', async (status) => {
    const { invoke } = harness(definition, ri(status));
    await expect(invoke(at)).rejects.toMatchObject({ name: 'StatusConflict', code: 'IncorrectStatus', errorClass: 'conflict', requestId: 'REQ-IncorrectStatus' });
  });

  it('rethrows the original conflict when the describe fails', async () => {
    const { invoke, fake } = harness(definition, ri(done[0]!));
    fake.queue('DescribeRouterInterfaces', apiError('Throttling.User', 'flow control'), apiError('InternalError', 'x', 500), apiError('Throttling', 'y'), apiError('Throttling', 'z'));
    await expect(invoke(at)).rejects.toMatchObject({ name: 'StatusConflict', code: 'IncorrectStatus' });
  });

  it('does not describe on a terminal error', async () => {
    const { invoke, fake } = harness(definition, []);
    await expect(invoke(at)).rejects.toMatchObject({ name: 'RouterInterfaceNotFound', code: 'InvalidRouterInterfaceId.NotFound', errorClass: 'terminal' });
    expect(fake.calls).toHaveLength(1);
  });

  it('refuses an EventBridge batch of two', async () => {
    const { invoke, fake } = harness(definition, ri(from));
    await expect(invoke([{ specversion: '1.0', data: at }, { specversion: '1.0', data: at }])).rejects.toMatchObject({ name: 'InvalidInput', rule: 'single-event' });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('connect on a concurrent connect', () => {
  it('treats Forbidden.OnlyOneConnection.Concurrent as done when the interface is Connecting', async () => {
    const { invoke, fake } = harness(connect, ri('Connecting'));
    fake.queue('ConnectRouterInterface', apiError('Forbidden.OnlyOneConnection', 'Cannot connect concurrently between same routers'));
    await expect(invoke(at)).resolves.toMatchObject({ changed: false, status: 'Connecting' });
  });

  it('keeps the terminal Forbidden.OnlyOneConnection terminal', async () => {
    const { invoke, fake } = harness(connect, ri('Idle'));
    fake.queue('ConnectRouterInterface', apiError('Forbidden.OnlyOneConnection', 'The Specified routers have a connection already'));
    await expect(invoke(at)).rejects.toMatchObject({ name: 'ConnectionRefused', code: 'Forbidden.OnlyOneConnection', errorClass: 'terminal' });
    expect(fake.calls).toHaveLength(1);
  });
});

describe('modify-spec', () => {
  const request = { ...at, spec: 'Large.1', executionName: 'exec-42' };
  const token = deriveClientToken('exec-42', 'ri-a', 'Large.1');

  const modifyCalls = (fake: { calls: Array<{ action: string; params: Record<string, unknown> }> }) =>
    fake.calls.filter((call) => call.action === 'ModifyRouterInterfaceSpec');

  it('reads first, then changes the spec with a token derived from the execution name', async () => {
    const { invoke, fake } = harness(modifySpec, ri('Active'));
    await expect(invoke(request)).resolves.toEqual({ requestId: 'REQ-2', ...at, changed: true, spec: 'Large.1', clientToken: token });
    expect(fake.calls.map((call) => call.action)).toEqual(['DescribeRouterInterfaces', 'ModifyRouterInterfaceSpec']);
    expect(modifyCalls(fake)[0]!.params).toEqual({ RegionId: 'cn-hangzhou', RouterInterfaceId: 'ri-a', Spec: 'Large.1', ClientToken: token });
  });

  it('sends the same token on every retry and replay of the step', async () => {
    const first = harness(modifySpec, ri('Active'));
    first.fake.queue('ModifyRouterInterfaceSpec', apiError('ServiceUnavailable', 'temporary', 503));
    await first.invoke(request);
    const replay = harness(modifySpec, ri('Active'));
    await replay.invoke(request);
    const tokens = [...modifyCalls(first.fake), ...modifyCalls(replay.fake)].map((call) => call.params.ClientToken);
    expect(tokens).toEqual([token, token, token]);
  });

  it('prefers an explicit clientToken, else falls back to the FC request id', async () => {
    const explicit = harness(modifySpec, ri('Active'));
    await explicit.invoke({ ...request, clientToken: 'my-token' });
    expect(modifyCalls(explicit.fake)[0]!.params.ClientToken).toBe('my-token');
    const fallback = harness(modifySpec, ri('Active'));
    await fallback.invoke({ ...at, spec: 'Large.1' });
    expect(modifyCalls(fallback.fake)[0]!.params.ClientToken).toBe(deriveClientToken('fc-request-1', 'ri-a', 'Large.1'));
  });

  it('succeeds with changed:false and makes no write when the interface already carries the target spec', async () => {
    const { invoke, fake } = harness(modifySpec, ri('Activating', 'Large.1'));
    await expect(invoke(request)).resolves.toEqual({ requestId: 'REQ-1', ...at, changed: false, spec: 'Large.1', clientToken: token, status: 'Activating' });
    expect(modifyCalls(fake)).toEqual([]);
  });

  it('succeeds with changed:false when the write conflicts because the same change landed after the read', async () => {
    // Another delivery of the step applied Large.1 between this one's read (still Small.1) and its write.
    const { invoke, fake } = harness(modifySpec, ri('Activating', 'Large.1'));
    const readBeforeTheOtherWrite = {
      httpStatus: 200,
      body: {
        RequestId: 'REQ-read',
        TotalCount: 1,
        PageNumber: 1,
        PageSize: 50,
        RouterInterfaceSet: { RouterInterfaceType: [{ RouterInterfaceId: 'ri-a', Status: 'Active', Spec: 'Small.1', Role: 'InitiatingSide', BusinessStatus: 'Normal' }] },
      },
    };
    fake.queue('DescribeRouterInterfaces', readBeforeTheOtherWrite);
    fake.queue('ModifyRouterInterfaceSpec', apiError('InvalidInstance.StatusError', 'The router instance status error.'));
    await expect(invoke(request)).resolves.toMatchObject({ ...at, changed: false, spec: 'Large.1', status: 'Activating' });
    expect(fake.calls.map((call) => call.action)).toEqual(['DescribeRouterInterfaces', 'ModifyRouterInterfaceSpec', 'DescribeRouterInterfaces']);
  });

  it('rethrows the conflict when the spec differs', async () => {
    const { invoke, fake } = harness(modifySpec, ri('Activating', 'Small.1'));
    fake.queue('ModifyRouterInterfaceSpec', apiError('InvalidInstance.StatusError', 'The router instance owener error.'));
    await expect(invoke(request)).rejects.toMatchObject({ name: 'StatusConflict', code: 'InvalidInstance.StatusError', errorClass: 'conflict' });
  });

  it.each([
    [{ ...at, spec: 'Negative' }, 'spec', 'negative'],
    [{ ...at, spec: 'large.1' }, 'spec', 'enum'],
    [{ ...at }, 'spec', 'required'],
    [{ ...at, spec: 'Large.1', clientToken: 'x'.repeat(65) }, 'clientToken', 'format'],
    [{ ...at, spec: 'Large.1', executionName: 7 }, 'executionName', 'format'],
    [{ ...at, spec: 'Large.1', executionName: '' }, 'executionName', 'format'],
  ])('refuses %j before any request', async (event, field, rule) => {
    const { invoke, fake } = harness(modifySpec, ri('Active'));
    await expect(invoke(event)).rejects.toMatchObject({ name: 'InvalidInput', field, rule });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('describe', () => {
  it('returns the poll view with the next wait', async () => {
    const { invoke } = harness(describeFn, ri('Connecting'));
    await expect(invoke({ ...at, attempt: 12 })).resolves.toEqual({
      requestId: 'REQ-1',
      ...at,
      status: 'Connecting',
      spec: 'Small.1',
      role: 'InitiatingSide',
      businessStatus: 'Normal',
      oppositeInterfaceId: null,
      oppositeInterfaceStatus: null,
      attempt: 13,
      nextPollSeconds: 12,
    });
  });

  it('starts counting at 1 when no attempt is given', async () => {
    const { invoke } = harness(describeFn, ri('Active'));
    await expect(invoke(at)).resolves.toMatchObject({ attempt: 1, nextPollSeconds: 5 });
  });

  it('reads a timer trigger event', async () => {
    const { invoke } = harness(describeFn, ri('Active'));
    const timer = { triggerTime: '2026-01-01T00:00:00Z', triggerName: 'nightly', payload: JSON.stringify(at) };
    await expect(invoke(Buffer.from(JSON.stringify(timer)))).resolves.toMatchObject({ status: 'Active' });
  });

  it.each([-1, 'three', 1.5])('refuses attempt %j', async (attempt) => {
    const { invoke } = harness(describeFn, ri('Active'));
    await expect(invoke({ ...at, attempt })).rejects.toMatchObject({ name: 'InvalidInput', field: 'attempt' });
  });

  it('reports an unknown interface as InvalidRouterInterfaceId.NotFound', async () => {
    const { invoke } = harness(describeFn, []);
    await expect(invoke(at)).rejects.toMatchObject({ name: 'RouterInterfaceNotFound', code: 'InvalidRouterInterfaceId.NotFound' });
  });
});
