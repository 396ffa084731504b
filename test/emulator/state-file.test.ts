import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateFileError, startEmulator } from '../../src/emulator/index';
import { DEMO_ACCEPTOR, DEMO_INITIATOR, REGION, describeOne, popClient, withEmulator } from './helpers';

let dir: string;
let stateFile: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'riflow-emulator-'));
  stateFile = path.join(dir, 'state.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('state file', () => {
  it('survives a restart: statuses, specs and client tokens', async () => {
    await withEmulator({ stateFile, config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      await client.request('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Large.1', ClientToken: 'token-1' });
    });
    await withEmulator({ stateFile, seed: { accounts: [], routers: [] }, config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      const initiator = await describeOne(client, DEMO_INITIATOR);
      expect([initiator.Status, initiator.Spec]).toEqual(['Active', 'Large.1']);
      // The token was saved: the repeat changes nothing (a fresh modify would enter Activating).
      await client.request('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Large.1', ClientToken: 'token-1' });
      expect(emulator.control.state().interfaces[0]?.status).toBe('Active');
    });
  });

  it('ignores and removes a partial temp file left by a crash; readers never see a torn file', async () => {
    await withEmulator({ stateFile, config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      const torn: string[] = [];
      const writes = Array.from({ length: 30 }, (_, i) =>
        client.request('ModifyRouterInterfaceAttribute', { RegionId: REGION, RouterInterfaceId: DEMO_ACCEPTOR, Name: `name-${i}` }),
      );
      const reads = Array.from({ length: 30 }, async () => {
        const text = await readFile(stateFile, 'utf8');
        try {
          JSON.parse(text);
        } catch {
          torn.push(text);
        }
      });
      await Promise.all([...writes, ...reads]);
      expect(torn).toEqual([]);
    });
    const leftover = path.join(dir, '.state.json.4242.deadbeef.tmp');
    await writeFile(leftover, '{"format":"riflow-emulator-state","version":1,"state":{"accou');
    await withEmulator({ stateFile }, async (emulator) => {
      expect(emulator.control.state().interfaces.map((ri) => ri.status)).toEqual(['Active', 'Active']);
      expect(await readdir(dir)).toEqual(['state.json']);
    });
  });

  it('refuses a corrupt file, says where it broke and leaves it untouched', async () => {
    const corrupt = '{\n  "format": "riflow-emulator-state",\n  "version": 1,\n  "state": {"accounts": [}\n}\n';
    await writeFile(stateFile, corrupt);
    const error = await startEmulator({ stateFile }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as StateFileError).where).toMatchObject({ line: 4, column: 26 });
    expect((error as StateFileError).message).toMatch(/not valid JSON at line 4, column 26/);
    expect(await readFile(stateFile, 'utf8')).toBe(corrupt);
  });

  it('refuses a file that fails validation, naming the field', async () => {
    const text = JSON.stringify({ format: 'riflow-emulator-state', version: 1, state: { accounts: [{ id: '1', accessKeys: [] }], routers: [{ id: 'vrt-1', regionId: REGION, ownerId: '1' }], interfaces: [{ routerInterfaceId: 'ri-1', regionId: REGION, ownerId: '1', role: 'InitiatingSide', spec: 'Small.1', routerId: 'vrt-1', status: 'Broken' }] } });
    await writeFile(stateFile, text);
    const error = (await startEmulator({ stateFile }).catch((reason: unknown) => reason)) as StateFileError;
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.where.field).toBe('state.interfaces[0].status');
    await writeFile(stateFile, JSON.stringify({ format: 'something-else' }));
    expect(((await startEmulator({ stateFile }).catch((reason: unknown) => reason)) as StateFileError).where.field).toBe('format');
    expect(await readFile(stateFile, 'utf8')).toBe(JSON.stringify({ format: 'something-else' }));
  });
});
