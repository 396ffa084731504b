/**
 * Realistic timings. `npm start` (the demo without --fast) takes about 20 s: that figure is the demo's transitions
 * (DEMO_TRANSITIONS) on the poll schedule, checked on the virtual clock. One run of the built CLI on the real clock
 * shows that a run without --fast really waits: a spec change against an emulator with cloud-like timings.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_TRANSITIONS } from '../../src/cli/target';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { startContractStack, type ContractStack } from '../contracts/stack';
import { INITIATOR, REGION, demoPairSeed } from '../e2e/seeds';
import { ndjson, ROOT, runCli, scratchDir } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
let emulator: RunningEmulator | undefined;
let stack: ContractStack | undefined;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(async () => {
  scratch.remove();
  await emulator?.stop();
  await stack?.stop();
  emulator = undefined;
  stack = undefined;
});

it('the demo takes about 20 s of cloud-like time: connect, poll, modify, poll, as the README shows it', async () => {
  stack = await startContractStack({ seed: 'demo', config: { transitions: { ...DEMO_TRANSITIONS } } });
  const started = stack.clock.now();
  const { result, events } = await stack.run('connect-and-modify-spec', { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Middle.1' });
  expect(result.status).toBe('Succeeded');
  const statuses = events.flatMap((event) => (event.type === 'TaskSucceeded' && event.state === 'Describe' ? [(event.output as { Body: { status: string } }).Body.status] : []));
  expect(statuses).toEqual(['Connecting', 'Active', 'Activating', 'Active']);
  const seconds = (stack.clock.now() - started) / 1000;
  expect(seconds).toBeGreaterThanOrEqual(15);
  expect(seconds).toBeLessThanOrEqual(25);
});

it('a run without --fast waits on the real clock for transitions of a few seconds', { timeout: 30_000 }, async () => {
  emulator = await startEmulator({
    seed: demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' }),
    // Shorter than the demo's 6 s, so the first describe, 5 s after the write, already sees Active.
    config: { transitions: { ...DEMO_TRANSITIONS, Activating: { mode: 'delay', ms: 4_000 } } },
  });
  const input = JSON.stringify({ regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1' });
  const result = await runCli(['run', `${ROOT}/workflows/modify-spec.yaml`, '--input', input, '--endpoint', emulator.url, '--json'], { cwd: scratch.dir, timeoutMs: 25_000 });
  expect(result.code, result.stderr).toBe(0);
  const lines = ndjson(result.stdout);
  const last = lines.at(-1) as { status: string; durationMs: number };
  expect(last.status).toBe('Succeeded');
  expect(last.durationMs).toBeGreaterThanOrEqual(5_000); // the 5 s wait really passed
  expect(last.durationMs).toBeLessThan(15_000);
  expect(lines.some((line) => line.type === 'StateStarted' && line.waitSeconds === 5)).toBe(true);
  expect(emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR)).toMatchObject({ status: 'Active', spec: 'Large.1' });
});
