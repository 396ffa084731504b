/**
 * The durability the emulator claims: a change is on disk before it is answered; a save that fails is answered with
 * the cloud's InternalError (HTTP 500, the documented message), which the client retries, never with a 200; and a
 * failed start leaves no listening socket behind.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, StateFileError, type RunningEmulator } from '../../src/emulator/index';
import { createVpcClient } from '../../src/vpc/client';
import { DEMO_INITIATOR, REGION, popClient, popError, expectApiError, withEmulator } from './helpers';
import { activeSeed } from '../contracts/seeds';
import { ROOT } from '../contracts/stack';

const INTERNAL_MESSAGE = 'The request processing has failed due to some unknown error, exception or failure.';
const modify = { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Large.1' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'riflow-durability-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const savedSpec = (file: string): string | undefined => {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { state: { interfaces: Array<{ routerInterfaceId: string; spec: string }> } };
  return saved.state.interfaces.find((ri) => ri.routerInterfaceId === DEMO_INITIATOR)?.spec;
};

/** The next save cannot succeed: a directory with something in it now stands where the state file is renamed to. */
function breakSaves(file: string): () => void {
  rmSync(file);
  mkdirSync(join(file, 'in-the-way'), { recursive: true });
  return () => rmSync(file, { recursive: true, force: true });
}

describe('a change is durable before it is answered', () => {
  it('the state file holds the change when the 200 arrives', async () => {
    const file = join(dir, 'state.json');
    await withEmulator({ seed: activeSeed(), stateFile: file, config: { preset: 'fast' } }, async (emulator) => {
      expect(savedSpec(file)).toBe('Small.1');
      await popClient(emulator).request('ModifyRouterInterfaceSpec', modify);
      expect(savedSpec(file)).toBe('Large.1');
    });
  });

  it('a save that fails is answered InternalError (HTTP 500, the documented message), never 200', async () => {
    const file = join(dir, 'state.json');
    await withEmulator({ seed: activeSeed(), stateFile: file, config: { preset: 'fast' } }, async (emulator) => {
      const repair = breakSaves(file);
      expectApiError(await popError(popClient(emulator).request('ModifyRouterInterfaceSpec', modify)), 500, 'InternalError', INTERNAL_MESSAGE);
      expect(emulator.control.calls().at(-1)).toMatchObject({ action: 'ModifyRouterInterfaceSpec', status: 500, code: 'InternalError' });
      repair();
    });
  });

  it("the client retries the InternalError of a failed save, and the retry's 200 means the change is on disk", async () => {
    const file = join(dir, 'state.json');
    await withEmulator({ seed: activeSeed(), stateFile: file, config: { preset: 'fast' } }, async (emulator) => {
      const repair = breakSaves(file);
      const client = createVpcClient({
        endpoint: emulator.url,
        credentials: emulator.credentials,
        retry: { maxAttempts: 2 },
        // The disk is repaired while the client backs off.
        sleep: async () => repair(),
      });
      const result = await client.modifySpec(REGION, DEMO_INITIATOR, 'Large.1', 'durable-token-1');
      expect(result.requestId).toEqual(expect.any(String));
      const modifies = emulator.control.calls().filter((call) => call.action === 'ModifyRouterInterfaceSpec');
      expect(modifies.map((call) => [call.status, call.code ?? null])).toEqual([
        [500, 'InternalError'],
        [200, null],
      ]);
      expect(savedSpec(file)).toBe('Large.1');
    });
  });
});

describe('startEmulator closes its server on every start-up failure', () => {
  /** Listening sockets of this process, once servers closed by earlier tests are gone. */
  async function listening(): Promise<number> {
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
  }

  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** After the failure the port is free again: something else can listen on it. */
  async function expectPortFree(port: number): Promise<void> {
    const other = createServer();
    await new Promise<void>((resolve, reject) => {
      other.once('error', reject);
      other.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => other.close(resolve));
  }

  it.each([
    { what: 'a bad seed', options: () => ({ seed: { accounts: 'none' } as never }), error: /accounts/ },
    { what: 'a state file that is not JSON', options: () => ({ stateFile: corrupt(join(dir, 'state.json')) }), error: StateFileError },
    { what: 'an unreadable s.yaml for the CloudFlow API', options: () => ({ cloudflow: { sYamlPath: join(dir, 'missing', 's.yaml'), workflowsDir: join(ROOT, 'workflows') } }), error: /ENOENT|s\.yaml/ },
    { what: 'an unreadable s.yaml for the FC API', options: () => ({ functions: { sYamlPath: join(dir, 'missing', 's.yaml') } }), error: /ENOENT|s\.yaml/ },
  ])('$what', async ({ options, error }) => {
    const port = await freePort();
    const before = await listening();
    await expect(startEmulator({ port, ...options() })).rejects.toThrow(error);
    expect(await listening()).toBe(before);
    await expectPortFree(port);
  });

  it('a port already in use', async () => {
    let first: RunningEmulator | undefined;
    try {
      first = await startEmulator({});
      const before = await listening();
      await expect(startEmulator({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
      expect(await listening()).toBe(before);
    } finally {
      await first?.stop();
    }
  });
});

function corrupt(file: string): string {
  writeFileSync(file, '{"format": "riflow-emulator-state", "version": 1, "state": {');
  return file;
}
