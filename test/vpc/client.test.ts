import { describe, expect, it, vi } from 'vitest';
import { MAX_PAGES, PAGE_SIZE, createVpcClient } from '../../src/vpc/client';
import { InvalidInputError } from '../../src/input-error/invalid-input';
import type { RpcCall, RpcResponse, RpcTransport } from '../../src/rpc/transport';
import { createFakeVpc } from './fake-vpc';

const credentials = { accessKeyId: 'AK', accessKeySecret: 'SECRET' };

function clientWith(transport: RpcTransport) {
  return createVpcClient({ endpoint: 'http://unused', credentials, transport, sleep: async () => {}, random: () => 0 });
}

function riItem(index: number) {
  return { RouterInterfaceId: `ri-${index}`, Status: 'Active', Spec: 'Small.1', Role: 'InitiatingSide', BusinessStatus: 'Normal' };
}

describe('actions', () => {
  it('sends exactly the documented parameters, without undefined ones', async () => {
    const fake = createFakeVpc([{ id: 'ri-a', status: 'Active', spec: 'Small.1' }]);
    const client = clientWith(fake.transport);
    await client.modifySpec('cn-hangzhou', 'ri-a', 'Large.1');
    expect(fake.calls[0]).toMatchObject({
      action: 'ModifyRouterInterfaceSpec',
      params: { RegionId: 'cn-hangzhou', RouterInterfaceId: 'ri-a', Spec: 'Large.1' },
    });
    expect(Object.keys(fake.calls[0]!.params)).toEqual(['RegionId', 'RouterInterfaceId', 'Spec']);
  });

  it('passes the ClientToken and returns the spec the API reports', async () => {
    const fake = createFakeVpc([{ id: 'ri-a', status: 'Active', spec: 'Small.1' }]);
    const result = await clientWith(fake.transport).modifySpec('cn-hangzhou', 'ri-a', 'Middle.2', 'rf-token');
    expect(fake.calls[0]!.params.ClientToken).toBe('rf-token');
    expect(result).toEqual({ requestId: 'REQ-1', spec: 'Middle.2' });
  });

  it.each([
    ['connect', 'ConnectRouterInterface', 'Idle'],
    ['activate', 'ActivateRouterInterface', 'Inactive'],
    ['deactivate', 'DeactivateRouterInterface', 'Active'],
  ] as const)('%s calls %s', async (method, action, status) => {
    const fake = createFakeVpc([{ id: 'ri-a', status, spec: 'Small.1' }]);
    await expect(clientWith(fake.transport)[method]('cn-hangzhou', 'ri-a')).resolves.toEqual({ requestId: 'REQ-1' });
    expect(fake.calls.map((call) => call.action)).toEqual([action]);
  });

  it.each([
    ['regionId', () => ['CN', 'ri-a', 'Large.1', undefined] as const],
    ['routerInterfaceId', () => ['cn-hangzhou', 'ri-A', 'Large.1', undefined] as const],
    ['spec', () => ['cn-hangzhou', 'ri-a', 'Negative', undefined] as const],
    ['clientToken', () => ['cn-hangzhou', 'ri-a', 'Large.1', 'has space'] as const],
  ])('refuses a bad %s before any request', async (field, args) => {
    const transport = vi.fn<RpcTransport>();
    const [region, id, spec, token] = args();
    // The cast lets the test pass values the types would refuse, as untyped callers can.
    const run = clientWith(transport).modifySpec(region, id, spec as 'Large.1', token);
    await expect(run).rejects.toBeInstanceOf(InvalidInputError);
    await expect(run).rejects.toMatchObject({ field });
    expect(transport).not.toHaveBeenCalled();
  });

  it('refuses to be built without credentials', () => {
    expect(() => createVpcClient({ endpoint: 'http://unused', transport: vi.fn<RpcTransport>() })).toThrow(
      expect.objectContaining({ name: 'RequestRefused', code: 'MissingCredentials', errorClass: 'terminal' }),
    );
    expect(() => createVpcClient({ endpoint: 'http://x', credentials: { accessKeyId: 'AK', accessKeySecret: '' } })).toThrow(
      expect.objectContaining({ name: 'RequestRefused', code: 'MissingCredentials' }),
    );
  });

  it('checks credentials from a provider before each request', async () => {
    const transport = vi.fn<RpcTransport>();
    const provider = { getCredentials: vi.fn(async () => ({ accessKeyId: '', accessKeySecret: 'x' })) };
    const client = createVpcClient({ endpoint: 'http://unused', credentialsProvider: provider, transport });
    await expect(client.connect('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ name: 'RequestRefused', code: 'MissingCredentials' });
    expect(transport).not.toHaveBeenCalled();
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => createVpcClient({ endpoint: 'vpc.aliyuncs.com', credentials })).toThrow(
      expect.objectContaining({ name: 'RequestRefused', code: 'InvalidEndpoint' }),
    );
  });
});

describe('describe', () => {
  it('filters by id and returns a typed plain object', async () => {
    const fake = createFakeVpc([
      { id: 'ri-a', status: 'Active', spec: 'Large.1' },
      { id: 'ri-b', status: 'Idle', spec: 'Negative', role: 'AcceptingSide' },
    ]);
    const result = await clientWith(fake.transport).describe('cn-hangzhou', 'ri-b');
    expect(fake.calls[0]!.params).toEqual({
      RegionId: 'cn-hangzhou',
      PageNumber: 1,
      PageSize: PAGE_SIZE,
      Filter: [{ Key: 'RouterInterfaceId', Value: ['ri-b'] }],
    });
    expect(result).toStrictEqual({
      requestId: 'REQ-1',
      routerInterface: { routerInterfaceId: 'ri-b', status: 'Idle', spec: 'Negative', role: 'AcceptingSide', businessStatus: 'Normal' },
    });
  });

  it('turns an empty list into InvalidRouterInterfaceId.NotFound', async () => {
    const fake = createFakeVpc();
    await expect(clientWith(fake.transport).describe('cn-hangzhou', 'ri-gone')).rejects.toMatchObject({
      name: 'RouterInterfaceNotFound',
      code: 'InvalidRouterInterfaceId.NotFound',
      errorClass: 'terminal',
      httpStatus: 404,
      requestId: 'REQ-1',
    });
  });

  it('treats a list holding only another interface as not found', async () => {
    const transport: RpcTransport = async () => ({
      httpStatus: 200,
      body: { RequestId: 'R', TotalCount: 1, RouterInterfaceSet: { RouterInterfaceType: [riItem(9)] } },
    });
    await expect(clientWith(transport).describe('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ name: 'RouterInterfaceNotFound', code: 'InvalidRouterInterfaceId.NotFound' });
  });

  it.each([
    { RequestId: 'R' },
    { RequestId: 'R', RouterInterfaceSet: { RouterInterfaceType: 'x' } },
    { RequestId: 'R', RouterInterfaceSet: { RouterInterfaceType: [{ Status: 'Active' }] } },
  ])('refuses a malformed body %j as UnexpectedResponse', async (body) => {
    const transport: RpcTransport = async () => ({ httpStatus: 200, body });
    await expect(clientWith(transport).describe('cn-hangzhou', 'ri-a')).rejects.toMatchObject({ name: 'RequestRefused', code: 'UnexpectedResponse', errorClass: 'terminal' });
  });
});

describe('list', () => {
  function pagedTransport(total: number, reportTotal = true) {
    const calls: RpcCall[] = [];
    const transport: RpcTransport = async (call): Promise<RpcResponse> => {
      calls.push(call);
      const page = Number(call.params.PageNumber);
      const size = Number(call.params.PageSize);
      const items = Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => riItem((page - 1) * size + i));
      return {
        httpStatus: 200,
        body: { RequestId: `R${page}`, ...(reportTotal ? { TotalCount: total } : {}), RouterInterfaceSet: { RouterInterfaceType: items } },
      };
    };
    return { transport, calls };
  }

  it.each([
    [0, 1],
    [49, 1],
    [50, 1],
    [51, 2],
    [120, 3],
  ])('follows every page for %i interfaces (%i requests)', async (total, requests) => {
    const { transport, calls } = pagedTransport(total);
    const all = await clientWith(transport).list('cn-hangzhou', [{ key: 'Status', values: ['Active'] }]);
    expect(all).toHaveLength(total);
    expect(new Set(all.map((ri) => ri.routerInterfaceId)).size).toBe(total);
    expect(calls).toHaveLength(requests);
    expect(calls.every((call) => call.params.PageSize === 50)).toBe(true);
    expect(calls[0]!.params.Filter).toEqual([{ Key: 'Status', Value: ['Active'] }]);
  });

  it('stops on a short page when TotalCount is missing', async () => {
    const { transport, calls } = pagedTransport(75, false);
    expect(await clientWith(transport).list('cn-hangzhou')).toHaveLength(75);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.params.Filter).toBeUndefined();
  });

  it('stops after MAX_PAGES when a server keeps sending full pages', async () => {
    const transport = vi.fn<RpcTransport>(async () => ({
      httpStatus: 200,
      body: { RequestId: 'R', RouterInterfaceSet: { RouterInterfaceType: Array.from({ length: 50 }, (_, i) => riItem(i)) } },
    }));
    await clientWith(transport).list('cn-hangzhou');
    expect(transport).toHaveBeenCalledTimes(MAX_PAGES);
  });

  it('validates filters before any request', async () => {
    const transport = vi.fn<RpcTransport>();
    await expect(clientWith(transport).list('cn-hangzhou', [{ key: 'Bogus' as 'Status', values: ['x'] }])).rejects.toMatchObject({
      name: 'InvalidInput',
      field: 'filters[0].key',
    });
    expect(transport).not.toHaveBeenCalled();
  });
});
