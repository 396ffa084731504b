import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCEPTOR, DEMO_INITIATOR, REGION, popClient, withEmulator } from './helpers';

const EXPECTED_REFUSALS = new Set(['IncorrectRIStatus', 'IncorrectStatus', 'InvalidInstance.StatusError']);

describe('concurrent operations on one pair', () => {
  it('200 mixed calls leave a consistent pair, a complete log and a state file equal to memory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'riflow-emulator-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      await withEmulator({ stateFile, config: { preset: 'fast' } }, async (emulator) => {
        const client = popClient(emulator);
        const id = { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR };
        const specs = ['Middle.1', 'Middle.2', 'Large.1', 'Small.5'];
        const operations = Array.from({ length: 200 }, (_, i) => {
          switch (i % 5) {
            case 0:
              return () => client.request('ConnectRouterInterface', id);
            case 1:
              return () => client.request('ModifyRouterInterfaceSpec', { ...id, Spec: specs[i % specs.length] });
            case 2:
              return () => client.request('DeactivateRouterInterface', id);
            case 3:
              return () => client.request('ActivateRouterInterface', id);
            default:
              return () => client.request('DescribeRouterInterfaces', { RegionId: REGION });
          }
        });
        const results = await Promise.all(
          operations.map((run) => run().then(() => 'ok', (error: { code?: string }) => error.code ?? 'unknown')),
        );
        const unexpected = results.filter((outcome) => outcome !== 'ok' && !EXPECTED_REFUSALS.has(outcome));
        expect(unexpected).toEqual([]);
        // Only the first connect can win: afterwards the initiator is never Idle again.
        expect(results.filter((outcome, i) => i % 5 === 0 && outcome === 'ok')).toHaveLength(1);
        const calls = emulator.control.calls();
        expect(calls).toHaveLength(200);
        const state = emulator.control.state();
        const initiator = state.interfaces.find((ri) => ri.routerInterfaceId === DEMO_INITIATOR);
        const acceptor = state.interfaces.find((ri) => ri.routerInterfaceId === DEMO_ACCEPTOR);
        expect(['Active', 'Inactive']).toContain(initiator?.status);
        expect(acceptor?.status).toBe('Active');
        // The last successful ModifySpec (in execution order, as logged) decided the spec.
        const lastModify = calls.filter((call) => call.action === 'ModifyRouterInterfaceSpec' && call.status === 200).at(-1);
        expect(initiator?.spec).toBe(lastModify?.params.Spec ?? 'Small.1');
        await emulator.stop();
        const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { state: { interfaces: unknown[] } };
        expect(saved.state.interfaces).toEqual(emulator.control.state().interfaces);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
