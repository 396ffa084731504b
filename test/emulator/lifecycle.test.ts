import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/emulator/index';
import {
  DEMO_ACCEPTOR,
  DEMO_INITIATOR,
  DEMO_ROUTER_A,
  DEMO_ROUTER_B,
  REGION,
  describeOne,
  expectApiError,
  popClient,
  popError,
  withEmulator,
} from './helpers';

describe('router-interface lifecycle (pop-core, fast preset)', () => {
  it('creates a pair, connects, modifies the spec, deactivates, activates and deletes', async () => {
    await withEmulator({ config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      const created = await client.request<{ RouterInterfaceId: string }>('CreateRouterInterface', {
        RegionId: REGION, Role: 'InitiatingSide', OppositeRegionId: REGION, Spec: 'Large.1', RouterType: 'VRouter', RouterId: DEMO_ROUTER_A, Name: 'link-a',
      });
      expect(created.RouterInterfaceId).toMatch(/^ri-[a-z0-9]{21}$/);
      const acceptor = await client.request<{ RouterInterfaceId: string }>('CreateRouterInterface', {
        RegionId: REGION, Role: 'AcceptingSide', OppositeRegionId: REGION, Spec: 'Negative', RouterType: 'VRouter', RouterId: DEMO_ROUTER_B,
        OppositeInterfaceId: created.RouterInterfaceId, OppositeRouterId: DEMO_ROUTER_A, OppositeRouterType: 'VRouter', OppositeInterfaceOwnerId: DEMO_ACCOUNT_ID,
      });
      expect((await describeOne(client, created.RouterInterfaceId)).Status).toBe('Idle');
      await client.request('ModifyRouterInterfaceAttribute', {
        RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId,
        OppositeInterfaceId: acceptor.RouterInterfaceId, OppositeRouterId: DEMO_ROUTER_B, OppositeRouterType: 'VRouter', OppositeInterfaceOwnerId: DEMO_ACCOUNT_ID,
      });

      // The demo pair holds no connection yet, so this pair may connect.
      await client.request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId });
      const initiator = await describeOne(client, created.RouterInterfaceId);
      expect([initiator.Status, initiator.OppositeInterfaceStatus]).toEqual(['Active', 'Active']);
      const accepted = await describeOne(client, acceptor.RouterInterfaceId);
      expect([accepted.Status, accepted.Spec, accepted.OppositeInterfaceSpec]).toEqual(['Active', 'Negative', 'Large.1']);

      const modified = await client.request<{ Spec: string }>('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId, Spec: 'Middle.1' });
      expect(modified.Spec).toBe('Middle.1');
      expect(emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === created.RouterInterfaceId)?.spec).toBe('Middle.1');
      expect((await describeOne(client, acceptor.RouterInterfaceId)).OppositeInterfaceSpec).toBe('Middle.1');

      await client.request('DeactivateRouterInterface', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId });
      expect((await describeOne(client, created.RouterInterfaceId)).Status).toBe('Inactive');
      await client.request('ActivateRouterInterface', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId });
      expect((await describeOne(client, created.RouterInterfaceId)).Status).toBe('Active');
      await client.request('DeactivateRouterInterface', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId });
      await client.request('DeleteRouterInterface', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId });
      await expect(describeOne(client, created.RouterInterfaceId)).rejects.toThrow(/not found/);
      const gone = await popError(client.request('DeleteRouterInterface', { RegionId: REGION, RouterInterfaceId: created.RouterInterfaceId }));
      expectApiError(gone, 404, 'InvalidInstanceId.NotFound');
    });
  });

  it('treats a modify to the current spec as a successful no-op and keeps the status', async () => {
    await withEmulator({ seed: 'demo' }, async (emulator) => {
      const client = popClient(emulator);
      await emulator.control.seed({ ...emulator.control.state(), interfaces: emulator.control.state().interfaces.map((ri) => ({ ...ri, status: 'Active' as const })) });
      const result = await client.request<{ Spec: string }>('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Small.1' });
      expect(result.Spec).toBe('Small.1');
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Active');
    });
  });

  it('modifies an Inactive interface without activating it', async () => {
    await withEmulator({}, async (emulator) => {
      const state = emulator.control.state();
      await emulator.control.seed({ ...state, interfaces: state.interfaces.map((ri) => ({ ...ri, status: 'Inactive' as const })) });
      const client = popClient(emulator);
      await client.request('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Large.2' });
      const after = await describeOne(client, DEMO_INITIATOR);
      expect([after.Status, after.Spec]).toEqual(['Inactive', 'Large.2']);
    });
  });

  it('makes ModifySpec, Create and Delete idempotent by ClientToken', async () => {
    await withEmulator({ config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      const modify = { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Middle.1', ClientToken: 'exec-1-Middle.1' };
      await client.request('ModifyRouterInterfaceSpec', modify);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Active');
      const changesBefore = emulator.control.state();
      const again = await client.request<{ Spec: string }>('ModifyRouterInterfaceSpec', modify);
      expect(again.Spec).toBe('Middle.1');
      expect(emulator.control.state().interfaces).toEqual(changesBefore.interfaces);
      const mismatch = await popError(client.request('ModifyRouterInterfaceSpec', { ...modify, Spec: 'Large.1' }));
      expectApiError(mismatch, 400, 'IdempotentParameterMismatch');

      const create = { RegionId: REGION, Role: 'InitiatingSide', OppositeRegionId: REGION, Spec: 'Small.2', RouterType: 'VRouter', RouterId: DEMO_ROUTER_A, ClientToken: 'create-1' };
      const first = await client.request<{ RouterInterfaceId: string }>('CreateRouterInterface', create);
      const second = await client.request<{ RouterInterfaceId: string }>('CreateRouterInterface', create);
      expect(second.RouterInterfaceId).toBe(first.RouterInterfaceId);
      expect(emulator.control.state().interfaces).toHaveLength(3);

      const del = { RegionId: REGION, RouterInterfaceId: first.RouterInterfaceId, ClientToken: 'delete-1' };
      await client.request('DeleteRouterInterface', del);
      await client.request('DeleteRouterInterface', del);
      expect(emulator.control.state().interfaces).toHaveLength(2);
    });
  });

  it('applies CreateRouterInterface rules: roles, specs, routers, quota, overdue accounts', async () => {
    await withEmulator({}, async (emulator) => {
      const client = popClient(emulator);
      const base = { RegionId: REGION, Role: 'InitiatingSide', OppositeRegionId: REGION, Spec: 'Small.1', RouterType: 'VRouter', RouterId: DEMO_ROUTER_A };
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, Role: 'Sideways' })), 400, 'InvalidRole.ValueNotSupported', 'The specified Role is not valid.');
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, Role: 'AcceptingSide' })), 400, 'InvalidSpec.ValudNotSupported', 'The specified Spec is not supported.');
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, Spec: 'Negative' })), 400, 'InvalidSpec.ValudNotSupported');
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, RouterId: 'vrt-missing' })), 404, 'InvalidRouterId.NotFound');
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, RegionId: 'xx-nowhere-1' })), 404, 'InvalidRegionId.NotFound');
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, Name: '1-starts-with-digit' })), 400, 'InvalidName.Malformed');
      expectApiError(await popError(client.request('CreateRouterInterface', { ...base, OppositeRegionId: 'cn-shanghai', Spec: 'Mini.2' })), 400, 'ParameterMismatch.RegionId-OppositeRegionId-Spec');
      // The demo router has one interface; four more fit, the sixth does not.
      for (let i = 0; i < 4; i += 1) await client.request('CreateRouterInterface', base);
      expectApiError(await popError(client.request('CreateRouterInterface', base)), 400, 'QuotaExceeded.RouterInterface');
      expect(emulator.control.state().interfaces.filter((ri) => ri.routerId === DEMO_ROUTER_A)).toHaveLength(5);
    });
  });

  it('ModifyRouterInterfaceAttribute checks status, names and connected opposite info', async () => {
    await withEmulator({ config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_ACCEPTOR, Name: 'acceptor-renamed', Description: 'Receives the demo link' });
      const renamed = await describeOne(client, DEMO_ACCEPTOR);
      expect(renamed.Name).toBe('acceptor-renamed');
      expectApiError(await popError(client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_ACCEPTOR, OppositeRouterType: 'Bridge' })), 400, 'InvalidOppositeRouterType.ValueNotSupported');
      await client.request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      expectApiError(
        await popError(client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, OppositeInterfaceId: 'ri-other' })),
        400,
        'InvalidParam.ModifyRouterInterface',
      );
      // Connecting is not Active, Idle or Inactive: use a delayed transition to catch it.
      emulator.control.updateConfig({ transitions: { Deactivating: { mode: 'delay', ms: 60_000 } } });
      await client.request('DeactivateRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      expectApiError(
        await popError(client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Name: 'x-renamed' })),
        400,
        'IncorrectStatus',
        'RouterInterface can be operated by this action only when the status is Active,idle or inactive.',
      );
      expectApiError(
        await popError(client.request('DeleteRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR })),
        400,
        'IncorrectStatus',
        'This openeration would be allowed only when status of this RouterInterface is Idle/Inactive.',
      );
    });
  });
});
