import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { DEMO_ACCEPTOR, DEMO_INITIATOR, REGION, describeOne, popClient, popError, withEmulator } from './helpers';

const connect = { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR };

describe('lazy status transitions', () => {
  it('moves Connecting/AcceptingConnecting to Active after the delay on the injected clock', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', connect);
      const initiator = await describeOne(client, DEMO_INITIATOR);
      const acceptor = await describeOne(client, DEMO_ACCEPTOR);
      expect([initiator.Status, acceptor.Status, acceptor.OppositeInterfaceStatus]).toEqual(['Connecting', 'AcceptingConnecting', 'Connecting']);
      clock.advance(7_999);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Connecting');
      clock.advance(1);
      // Reading the acceptor settles the pair.
      expect((await describeOne(client, DEMO_ACCEPTOR)).Status).toBe('Active');
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Active');

      await client.request('DeactivateRouterInterface', connect);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Deactivating');
      clock.advance(5_000);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Inactive');
      await client.request('ActivateRouterInterface', connect);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Activating');
      clock.advance(5_000);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Active');
      await client.request('ModifyRouterInterfaceSpec', { ...connect, Spec: 'Middle.1' });
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Activating');
      clock.advance(5_000);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Active');
    });
  });

  it('settles after N describes in describes mode, counting a pair once per call', async () => {
    await withEmulator({ config: { transitions: { Connecting: { mode: 'describes', count: 2 } } } }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', connect);
      // Other actions read the interface without counting as describes.
      const refused = await popError(client.request('ModifyRouterInterfaceAttribute', { ...connect, Name: 'still-connecting' }));
      expect(refused.code).toBe('IncorrectStatus');
      const statuses: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const all = await client.request<{ RouterInterfaceSet: { RouterInterfaceType: Array<{ Status: string }> } }>('DescribeRouterInterfaces', { RegionId: REGION });
        statuses.push(all.RouterInterfaceSet.RouterInterfaceType.map((ri) => ri.Status).join('/'));
      }
      expect(statuses).toEqual(['Connecting/AcceptingConnecting', 'Connecting/AcceptingConnecting', 'Active/Active']);
    });
  });

  it('settles at the next read in immediate mode, and config changes apply to transitions in flight', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', connect);
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Connecting');
      emulator.control.updateConfig({ preset: 'fast' });
      expect((await describeOne(client, DEMO_INITIATOR)).Status).toBe('Active');
      expect(emulator.control.state().interfaces[0]?.connectedTime).toBe(new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    });
  });

  it('removes a deleted interface once Deleting is over', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('DeleteRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_ACCEPTOR });
      expect((await describeOne(client, DEMO_ACCEPTOR)).Status).toBe('Deleting');
      clock.advance(3_000);
      await expect(describeOne(client, DEMO_ACCEPTOR)).rejects.toThrow(/not found/);
      expect(emulator.control.state().interfaces.map((ri) => ri.routerInterfaceId)).toEqual([DEMO_INITIATOR]);
    });
  });
});
