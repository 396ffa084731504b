import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { defaultConfig, mergeConfig } from '../../src/emulator/config';
import { settle, settleAll } from '../../src/emulator/transitions';
import type { EmulatorState, RouterInterfaceRecord } from '../../src/emulator/types';
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

/** The state machine itself: what each settle does to a pair, and whether it tells the store something changed (the
 * store saves the state file only then). */
describe('settle and settleAll', () => {
  const NOW = Date.parse('2026-12-01T10:00:00Z');
  const record = (id: string, status: RouterInterfaceRecord['status'], opposite?: string): RouterInterfaceRecord => ({
    routerInterfaceId: id,
    regionId: REGION,
    ownerId: '1',
    role: id === 'ri-acc' ? 'AcceptingSide' : 'InitiatingSide',
    spec: 'Small.1',
    routerId: `vrt-${id}`,
    routerType: 'VRouter',
    status,
    businessStatus: 'Normal',
    chargeType: 'PostPaid',
    creationTime: '2026-11-01T00:00:00Z',
    routeEntryCount: 0,
    ...(opposite === undefined ? {} : { oppositeInterfaceId: opposite }),
    ...(status === 'Active' || status === 'Idle' || status === 'Inactive' ? {} : { pending: { since: NOW - 60_000, describes: 0 } }),
  });
  const stateOf = (...interfaces: RouterInterfaceRecord[]): EmulatorState => ({ accounts: [], routers: [], interfaces, clientTokens: {} });
  const fast = mergeConfig(defaultConfig(), { preset: 'fast' });

  it('settles Modifying to Active, and says so', () => {
    const ri = record('ri-ini', 'Modifying');
    expect(settle(stateOf(ri), ri, fast, NOW, 'describe')).toBe(true);
    expect(ri.status).toBe('Active');
    expect(ri.pending).toBeUndefined();
    // Settled already: nothing changes, and it says so.
    expect(settle(stateOf(ri), ri, fast, NOW, 'describe')).toBe(false);
  });

  it('reports no change while a transition is not due', () => {
    const ri = { ...record('ri-ini', 'Activating'), pending: { since: NOW, describes: 0 } };
    const slow = mergeConfig(defaultConfig(), { transitions: { Activating: { mode: 'delay', ms: 10_000 } } });
    expect(settle(stateOf(ri), ri, slow, NOW + 9_999, 'read')).toBe(false);
    expect(ri.status).toBe('Activating');
  });

  it('sets connectedTime only when a connect settles, on both sides', () => {
    const initiator = record('ri-ini', 'Connecting', 'ri-acc');
    const acceptor = record('ri-acc', 'AcceptingConnecting', 'ri-ini');
    const state = stateOf(initiator, acceptor);
    expect(settle(state, acceptor, fast, NOW, 'describe')).toBe(true);
    expect([initiator.status, acceptor.status]).toEqual(['Active', 'Active']);
    expect([initiator.connectedTime, acceptor.connectedTime]).toEqual(['2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z']);
    const modified = record('ri-mod', 'Activating');
    settle(stateOf(modified), modified, fast, NOW, 'describe');
    expect(modified.connectedTime).toBeUndefined();
  });

  it('leaves an acceptor alone when its initiator is not the one connecting', () => {
    // The initiator settled by hand to Active; the acceptor's own read makes it Active too.
    const initiator = record('ri-ini', 'Active', 'ri-acc');
    const acceptor = record('ri-acc', 'AcceptingConnecting', 'ri-ini');
    expect(settle(stateOf(initiator, acceptor), acceptor, fast, NOW, 'describe')).toBe(true);
    expect(acceptor.status).toBe('Active');
    // A settling connect makes its acceptor Active only if that acceptor is the one accepting.
    const other = record('ri-acc', 'Inactive', 'ri-x');
    const connecting = record('ri-x', 'Connecting', 'ri-acc');
    settle(stateOf(connecting, other), connecting, fast, NOW, 'describe');
    expect([connecting.status, other.status, other.connectedTime]).toEqual(['Active', 'Inactive', undefined]);
  });

  it('settles at the first read a transient status seeded without its pending transition', () => {
    const { pending: _pending, ...seeded } = record('ri-ini', 'Activating');
    const slow = mergeConfig(defaultConfig(), { transitions: { Activating: { mode: 'delay', ms: 10_000 } } });
    expect(settle(stateOf(seeded), seeded, slow, NOW, 'read')).toBe(true);
    expect(seeded.status).toBe('Active');
  });

  it('settles a connect whose acceptor is gone', () => {
    const initiator = record('ri-ini', 'Connecting', 'ri-gone');
    expect(settle(stateOf(initiator), initiator, fast, NOW, 'describe')).toBe(true);
    expect(initiator.status).toBe('Active');
  });

  it('falls an acceptor back to Idle when its initiator is gone', () => {
    const acceptor = record('ri-acc', 'AcceptingConnecting', 'ri-gone');
    expect(settle(stateOf(acceptor), acceptor, fast, NOW, 'read')).toBe(true);
    expect(acceptor.status).toBe('Idle');
    expect(acceptor.pending).toBeUndefined();
  });

  it('settleAll says whether anything changed', () => {
    const settled = stateOf(record('ri-a', 'Active'), record('ri-b', 'Inactive'));
    expect(settleAll(settled, fast, NOW)).toBe(false);
    const moving = stateOf(record('ri-a', 'Active'), record('ri-b', 'Deactivating'));
    expect(settleAll(moving, fast, NOW)).toBe(true);
    expect(moving.interfaces.map((ri) => ri.status)).toEqual(['Active', 'Inactive']);
  });
});
