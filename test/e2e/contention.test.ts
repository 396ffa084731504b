import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness';
import { ACCEPTOR, INITIATOR, REGION, connectedPairsSeed } from './seeds';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const TRANSIENT = ['Connecting', 'AcceptingConnecting', 'Activating', 'Deactivating', 'Modifying', 'Deleting'];

describe('contention', () => {
  it('50 concurrent connect-and-modify-spec runs on one pair end with one connection and a consistent spec', async () => {
    stack = await startStack();
    const s = stack;
    const runs = await Promise.all(
      Array.from({ length: 50 }, (_, n) => s.run('connect-and-modify-spec', { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Middle.1' }, `contender-${n}`)),
    );
    const statuses = runs.map((run) => run.result.status);
    expect(statuses.filter((status) => status !== 'Succeeded'), JSON.stringify(runs.find((run) => run.result.status !== 'Succeeded')?.result)).toEqual([]);
    const calls = s.emulator.control.calls();
    expect(calls.filter((call) => call.action === 'ConnectRouterInterface' && call.status === 200)).toHaveLength(1);
    const state = s.emulator.control.state().interfaces;
    expect(state.find((ri) => ri.routerInterfaceId === INITIATOR)).toMatchObject({ status: 'Active', spec: 'Middle.1' });
    expect(state.find((ri) => ri.routerInterfaceId === ACCEPTOR)).toMatchObject({ status: 'Active' });
    // Exactly one run made each change; the others found the work done or in flight.
    expect(runs.filter((run) => run.result.output?.connectChanged === true)).toHaveLength(1);
  });

  it('concurrent batch runs over overlapping interfaces leave no interface in a transient status', async () => {
    const { seed, initiators } = connectedPairsSeed(4);
    stack = await startStack({ seed });
    const s = stack;
    const change = (index: number, spec: string) => ({ regionId: REGION, routerInterfaceId: initiators[index] as string, spec });
    const batches = [
      [change(0, 'Large.1'), change(1, 'Large.1'), change(2, 'Large.1')],
      [change(1, 'Middle.1'), change(2, 'Middle.1'), change(3, 'Middle.1')],
      [change(2, 'Small.5'), change(3, 'Small.5'), change(0, 'Small.5')],
    ];
    const runs = await Promise.all(batches.map((changes, n) => s.run('batch-modify-spec', { changes }, `batch-${n}`)));
    for (const run of runs) {
      expect(run.result.status).toBe('Succeeded');
      const results = (run.result.output as { results: Array<{ outcome: string }> }).results;
      expect(results.map((item) => item.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    }
    const interfaces = s.emulator.control.state().interfaces;
    expect(interfaces.filter((ri) => TRANSIENT.includes(ri.status))).toEqual([]);
    // Each interface ends at one of the specs asked for it.
    const asked = new Map<string, string[]>();
    for (const changes of batches) for (const c of changes) asked.set(c.routerInterfaceId, [...(asked.get(c.routerInterfaceId) ?? []), c.spec]);
    for (const [id, specs] of asked) expect(specs).toContain(interfaces.find((ri) => ri.routerInterfaceId === id)?.spec);
  });
});
