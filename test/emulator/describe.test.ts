import type RPCClient from '@alicloud/pop-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, type SeedDocument } from '../../src/emulator/index';
import {
  DEMO_ACCEPTOR,
  DEMO_INITIATOR,
  DEMO_ROUTER_A,
  DEMO_ROUTER_B,
  OTHER_KEY,
  REGION,
  expectApiError,
  pairSide,
  popClient,
  popError,
  richSeed,
  withEmulator,
  type DescribeResult,
} from './helpers';

/** richSeed plus 12 numbered interfaces on spare routers (creation order = number). */
function pagingSeed(): SeedDocument {
  const seed = richSeed();
  seed.routers.push({ id: 'vrt-paging0000000000000a', regionId: REGION, ownerId: DEMO_ACCOUNT_ID, type: 'VRouter' });
  for (let i = 0; i < 12; i += 1) {
    const id = `ri-bp1page${String(i).padStart(14, '0')}`;
    seed.interfaces?.push({
      ...pairSide(id, DEMO_ACCOUNT_ID, 'vrt-paging0000000000000a', 'ri-nowhere', DEMO_ROUTER_B, 'InitiatingSide'),
      name: `page-${i}`,
      status: i % 3 === 0 ? 'Inactive' : 'Idle',
    });
  }
  return seed;
}

async function ids(client: RPCClient, params: Record<string, unknown>): Promise<{ ids: string[]; total: number }> {
  const result = await client.request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION, ...params });
  return { ids: result.RouterInterfaceSet.RouterInterfaceType.map((ri) => ri.RouterInterfaceId), total: result.TotalCount };
}

describe('DescribeRouterInterfaces filters and paging', () => {
  it('ORs values within a key and ANDs keys', async () => {
    await withEmulator({ seed: pagingSeed() }, async (emulator) => {
      const client = popClient(emulator);
      expect((await ids(client, { Filter: [{ Key: 'RouterInterfaceId', Value: [DEMO_INITIATOR, DEMO_ACCEPTOR] }] })).ids).toEqual([DEMO_INITIATOR, DEMO_ACCEPTOR]);
      expect(
        (await ids(client, { Filter: [{ Key: 'RouterInterfaceId', Value: [DEMO_INITIATOR, DEMO_ACCEPTOR] }, { Key: 'RouterId', Value: [DEMO_ROUTER_A] }] })).ids,
      ).toEqual([DEMO_INITIATOR]);
      const inactivePages = await ids(client, { Filter: [{ Key: 'Status', Value: ['Inactive'] }, { Key: 'RouterId', Value: ['vrt-paging0000000000000a'] }], PageSize: 50 });
      expect(inactivePages.ids).toEqual(['ri-bp1page00000000000000', 'ri-bp1page00000000000003', 'ri-bp1page00000000000006', 'ri-bp1page00000000000009']);
      expect((await ids(client, { Filter: [{ Key: 'Name', Value: ['page-1', 'page-2'] }] })).total).toBe(2);
      expect((await ids(client, { Filter: [{ Key: 'RouterType', Value: ['VBR'] }] })).total).toBe(0);
      expect((await ids(client, { Filter: [{ Key: 'OppositeRouterType', Value: ['VRouter'] }], PageSize: 50 })).total).toBe(16);
      expect((await ids(client, { Filter: [{ Key: 'OppositeRouterId', Value: [DEMO_ROUTER_A] }] })).ids).toEqual([DEMO_ACCEPTOR]);
      expect((await ids(client, { Filter: [{ Key: 'OppositeInterfaceId', Value: [DEMO_ACCEPTOR] }] })).ids).toEqual([DEMO_INITIATOR]);
      expect((await ids(client, { Filter: [{ Key: 'RouterInterfaceOwnerId', Value: [DEMO_ACCOUNT_ID] }], PageSize: 50 })).total).toBe(16);
      expect((await ids(client, { Filter: [{ Key: 'OppositeInterfaceOwnerId', Value: ['123'] }] })).total).toBe(0);
      // An unknown id is an empty list, not an error.
      expect(await ids(client, { Filter: [{ Key: 'RouterInterfaceId', Value: ['ri-unknown'] }] })).toEqual({ ids: [], total: 0 });
    });
  });

  it('pages in creation order with TotalCount over all pages', async () => {
    await withEmulator({ seed: pagingSeed() }, async (emulator) => {
      const client = popClient(emulator);
      const filter = [{ Key: 'RouterId', Value: ['vrt-paging0000000000000a'] }];
      const first = await client.request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION, Filter: filter, PageSize: 5 });
      expect([first.PageNumber, first.PageSize, first.TotalCount]).toEqual([1, 5, 12]);
      const pages: string[] = [];
      for (let page = 1; page <= 3; page += 1) pages.push(...(await ids(client, { Filter: filter, PageSize: 5, PageNumber: page })).ids);
      expect(pages).toEqual(Array.from({ length: 12 }, (_, i) => `ri-bp1page${String(i).padStart(14, '0')}`));
      expect((await ids(client, { Filter: filter, PageSize: 5, PageNumber: 4 })).ids).toEqual([]);
      // Default page size is 10.
      expect((await ids(client, { Filter: filter })).ids).toHaveLength(10);
    });
  });

  it('refuses a page size over 50 with the documented 404 oddity and unknown filter keys', async () => {
    await withEmulator({}, async (emulator) => {
      const client = popClient(emulator);
      expectApiError(await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION, PageSize: 51 })), 404, 'InvalidRegionId.NotFound', 'The parameter wrong, pageNum or pageSize.');
      expectApiError(await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION, PageNumber: 0 })), 404, 'InvalidRegionId.NotFound', 'The parameter wrong, pageNum or pageSize.');
      expectApiError(
        await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION, Filter: [{ Key: 'Colour', Value: ['red'] }] })),
        404,
        'InvalidFilterKey.ValueNotSupported',
        'Specified filter key is not supported: Filter.1.key',
      );
      expect((await client.request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION, PageSize: 50 })).PageSize).toBe(50);
    });
  });

  it('lists only the caller account and region, with account ids as strings', async () => {
    await withEmulator({ seed: richSeed() }, async (emulator) => {
      expect((await ids(popClient(emulator, OTHER_KEY), {})).total).toBe(0);
      expect((await ids(popClient(emulator), { RegionId: 'cn-shanghai' })).total).toBe(0);
      const response = await popClient(emulator).request<DescribeResult>('DescribeRouterInterfaces', { RegionId: REGION, Filter: [{ Key: 'RouterInterfaceId', Value: [DEMO_INITIATOR] }] });
      expect(typeof response.RouterInterfaceSet.RouterInterfaceType[0]?.OppositeInterfaceOwnerId).toBe('string');
    });
  });
});
