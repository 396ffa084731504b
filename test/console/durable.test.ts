/** The console with a state dir and a state file: a run it started, killed at its first Wait, carries on after a
 * restart, and the page's API serves it whole. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionDetail } from '../../src/console/protocol';
import { VirtualClock } from '../../src/flow/clock';
import { demoInput } from './fixtures';
import { pageHeaders, raw, startTestConsole, type TestConsole } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'riflow-console-durable-'));
const consoles: TestConsole[] = [];
afterEach(async () => {
  for (const running of consoles.splice(0)) await running.close();
  rmSync(dir, { recursive: true, force: true });
});

const FLOW = 'riflow-connect-and-modify-spec';

async function open(clock: VirtualClock): Promise<TestConsole> {
  // Realistic transitions: the connect leaves the pair Connecting for a while, so the run waits and polls.
  const running = await startTestConsole({ clock, config: {}, stateDir: join(dir, 'journals'), stateFile: join(dir, 'vpc.json'), historyDir: join(dir, 'history') });
  consoles.push(running);
  return running;
}

describe('riflow console --state-dir --state-file', () => {
  it('carries on a run killed at its first Wait after a restart, and serves its whole history', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const first = await open(clock);
    const killed = new Promise<void>((resolve) => {
      first.emulator.cloudflow?.executions.subscribe((change) => {
        if (change.event?.type === 'StateStarted' && change.event.stateType === 'Wait') void first.stop().then(resolve);
      });
    });
    const started = await raw(`${first.url}/_console/api/executions`, { method: 'POST', headers: pageHeaders(first), body: JSON.stringify({ flow: FLOW, name: 'console-durable', input: demoInput() }) });
    expect(started.status).toBe(200);
    await killed;
    consoles.splice(0);

    const second = await open(clock);
    await second.emulator.cloudflow?.executions.settled();
    const response = await raw(`${second.url}/_console/api/executions/${FLOW}/console-durable`, { headers: { authorization: `Bearer ${second.token}` } });
    expect(response.status).toBe(200);
    const detail = response.json() as ExecutionDetail;
    expect(detail).toMatchObject({ name: 'console-durable', status: 'Succeeded', source: 'cloudflow' });
    expect(detail.events[0]?.type).toBe('ExecutionStarted');
    expect(detail.events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(new Set(detail.events.map((event) => event.seq)).size).toBe(detail.events.length);
    const ri = second.emulator.control.state().interfaces.find((record) => record.routerInterfaceId === demoInput().routerInterfaceId);
    expect(ri).toMatchObject({ status: 'Active', spec: demoInput().spec });
  });
});
