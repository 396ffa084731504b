import { describe, expect, it } from 'vitest';
import { DEMO_SEED } from '../../src/emulator/index';
import { DEMO_INITIATOR, REGION, controlJson, popClient, richSeed, withEmulator } from './helpers';

describe('control API under /_emulator/', () => {
  it('reports health and the whole state', async () => {
    await withEmulator({}, async (emulator) => {
      expect(await controlJson(emulator, 'GET', 'health')).toMatchObject({ status: 200, body: { ok: true, interfaces: 2 } });
      const state = await controlJson(emulator, 'GET', 'state');
      expect(state.body).toMatchObject({
        accounts: [{ id: DEMO_SEED.accounts[0]?.id, overdue: false }],
        routers: [{ id: DEMO_SEED.routers[0]?.id }, { id: DEMO_SEED.routers[1]?.id }],
        interfaces: [{ routerInterfaceId: DEMO_INITIATOR, status: 'Idle', spec: 'Small.1' }, { status: 'Idle', spec: 'Negative' }],
      });
    });
  });

  it('replaces state from a seed, and reset returns to the starting seed', async () => {
    await withEmulator({}, async (emulator) => {
      const seeded = await controlJson(emulator, 'POST', 'seed', richSeed());
      expect(seeded).toEqual({ status: 200, body: { ok: true, interfaces: 6 } });
      expect(emulator.control.state().accounts.map((a) => a.overdue)).toEqual([false, true, false]);
      await popClient(emulator).request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      expect(await controlJson(emulator, 'POST', 'reset')).toEqual({ status: 200, body: { ok: true } });
      const state = emulator.control.state();
      expect([state.accounts.length, state.interfaces.map((ri) => ri.status)]).toEqual([1, ['Idle', 'Idle']]);
      expect(emulator.control.calls()).toEqual([]);
    });
  });

  it('refuses an invalid seed with 400 naming the field, keeping the state', async () => {
    await withEmulator({}, async (emulator) => {
      const bad = structuredClone(DEMO_SEED);
      (bad.interfaces?.[1] as { status: string }).status = 'Sleeping';
      expect(await controlJson(emulator, 'POST', 'seed', bad)).toEqual({
        status: 400,
        body: { error: expect.stringContaining('must be one of') as unknown, field: 'interfaces[1].status' },
      });
      const noRouter = { ...DEMO_SEED, routers: [] };
      expect((await controlJson(emulator, 'POST', 'seed', noRouter)).body.field).toBe('interfaces[0].routerId');
      expect((await controlJson(emulator, 'POST', 'seed', '{not json')).body.field).toBe('body');
      expect(emulator.control.state().interfaces).toHaveLength(2);
    });
  });

  it('logs calls without secrets and clears them', async () => {
    await withEmulator({}, async (emulator) => {
      await popClient(emulator).request('DescribeRouterInterfaces', { RegionId: REGION });
      const { body } = await controlJson(emulator, 'GET', 'calls');
      const calls = body.calls as Array<Record<string, unknown>>;
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ action: 'DescribeRouterInterfaces', version: '2016-04-28', status: 200, signatureVersion: 'V1', params: { RegionId: REGION } });
      expect(typeof calls[0]?.latencyMs).toBe('number');
      expect(calls[0]?.params).not.toHaveProperty('Signature');
      expect(JSON.stringify(calls)).not.toContain(emulator.credentials.accessKeySecret);
      await controlJson(emulator, 'DELETE', 'calls');
      expect((await controlJson(emulator, 'GET', 'calls')).body.calls).toEqual([]);
    });
  });

  it('reads and patches the configuration, refusing bad fields', async () => {
    await withEmulator({}, async (emulator) => {
      const initial = await controlJson(emulator, 'GET', 'config');
      expect(initial.body).toMatchObject({ statusErrorDialect: 'IncorrectRIStatus', rateLimit: { capacity: 300, windowMs: 60_000 }, transitions: { Connecting: { mode: 'delay', ms: 8_000 } } });
      const patched = await controlJson(emulator, 'PATCH', 'config', { statusErrorDialect: 'IncorrectStatus', transitions: { Connecting: { mode: 'describes', count: 3 } } });
      expect(patched.body).toMatchObject({ statusErrorDialect: 'IncorrectStatus', transitions: { Connecting: { mode: 'describes', count: 3 }, Activating: { mode: 'delay', ms: 5_000 } } });
      expect((await controlJson(emulator, 'PATCH', 'config', { transitions: { Connecting: { mode: 'delay', ms: -1 } } })).body).toEqual({
        error: 'transitions.Connecting.ms: must be a non-negative number',
        field: 'transitions.Connecting.ms',
      });
      expect((await controlJson(emulator, 'PATCH', 'config', { rateLimit: { capacity: 0 } })).body.field).toBe('rateLimit.capacity');
      expect((await controlJson(emulator, 'PATCH', 'config', { colour: 'red' })).body.field).toBe('colour');
      expect(emulator.control.config().statusErrorDialect).toBe('IncorrectStatus');
      expect((await controlJson(emulator, 'GET', 'nowhere')).status).toBe(404);
    });
  });
});
