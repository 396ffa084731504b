/**
 * The local CloudFlow API with a state dir, over HTTP with pop-core's signed requests (@alicloud/fnf-2019-03-15),
 * the real handler bundles and the real workflows. "Killing" here is the emulator's stop, which leaves every journal
 * as a SIGKILL would (no end recorded); test/chaos kills real processes.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FnfClient from '@alicloud/fnf-2019-03-15';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import type { HistoryEvent } from '../../src/flow/history';
import { VirtualClock } from '../../src/flow/clock';
import { demoPairSeed, INITIATOR, REGION } from '../e2e/seeds';

const ROOT = join(import.meta.dirname, '..', '..');
const FLOW = 'riflow-modify-spec';

let dir: string;
let clock: VirtualClock;
let emulators: RunningEmulator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'riflow-journal-'));
  clock = new VirtualClock(Date.UTC(2026, 0, 1));
  emulators = [];
});
afterEach(async () => {
  for (const emulator of emulators) await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function emulator(options: { stopAt?: (event: HistoryEvent) => boolean; log?: string[] } = {}): Promise<RunningEmulator> {
  const running = await startEmulator({
    clock,
    seed: demoPairSeed({ status: 'Active', spec: 'Mini.2' }, { status: 'Active' }),
    stateFile: join(dir, 'state.json'),
    // Realistic transitions on the virtual clock: the modify leaves the interface Modifying for a few seconds, so the
    // workflow polls (Wait → Describe) before it ends.
    cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows'), stateDir: join(dir, 'journals'), fsync: false },
    functionEnvironment: { RIFLOW_HANDLER_LOG: 'off' },
    ...(options.log ? { log: (line: string) => options.log?.push(line) } : {}),
  });
  emulators.push(running);
  const stopAt = options.stopAt;
  if (stopAt) {
    // Stopping inside the listener leaves the journal exactly as a kill at this event would.
    stops.set(
      running,
      new Promise<void>((resolve) => {
        const unsubscribe = running.cloudflow?.executions.subscribe((change) => {
          if (change.event && stopAt(change.event)) {
            unsubscribe?.();
            void running.stop().then(resolve);
          }
        });
      }),
    );
  }
  return running;
}

const stops = new Map<RunningEmulator, Promise<void>>();

function client(running: RunningEmulator): FnfClient {
  return new FnfClient({ endpoint: running.url, ...running.credentials });
}

function journal(name: string): string {
  return join(dir, 'journals', FLOW, `${name}.ndjson`);
}

function journalEvents(name: string): HistoryEvent[] {
  return readFileSync(journal(name), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as HistoryEvent);
}

function modifyTokens(): string[] {
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { state: { clientTokens: Record<string, { fingerprint: string }> } };
  return Object.entries(state.state.clientTokens)
    .filter(([key, record]) => key.includes('/ModifyRouterInterfaceSpec/') && record.fingerprint.includes(INITIATOR))
    .map(([key]) => key);
}

async function startRun(running: RunningEmulator, name: string, spec = 'Large.1'): Promise<void> {
  await client(running).startExecution({ FlowName: FLOW, ExecutionName: name, Input: JSON.stringify({ regionId: REGION, routerInterfaceId: INITIATOR, spec }) });
}

/** Until the emulator has been stopped at its `stopAt` event. */
async function until(stopped: RunningEmulator): Promise<void> {
  await stops.get(stopped);
}

describe('the local CloudFlow API resumes its executions from their journals', () => {
  it('carries on a killed execution: the modify applied once, completed tasks not called again, nothing recorded twice', async () => {
    const first = await emulator({ stopAt: (event) => event.type === 'StateStarted' && event.stateType === 'Wait' });
    await startRun(first, 'resume-1');
    await until(first);
    const before = journalEvents('resume-1');
    expect(before.at(-1)).toMatchObject({ type: 'StateStarted', stateType: 'Wait' });
    expect(modifyTokens()).toHaveLength(1);

    const second = await emulator();
    await second.cloudflow?.executions.settled();
    const described = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'resume-1' })) as { Status: string };
    expect(described.Status).toBe('Succeeded');
    const after = journalEvents('resume-1');
    // The recorded part is kept as it was, and nothing is written twice.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after.map((event) => event.seq)).size).toBe(after.length);
    const modifies = after.filter((event) => event.type === 'TaskScheduled' && event.state === before.find((e) => e.type === 'TaskScheduled')?.state);
    expect(modifies).toHaveLength(1);
    expect(modifyTokens()).toHaveLength(1);
    const state = second.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR);
    expect(state?.spec).toBe('Large.1');
    // The resumed run applied nothing: the change was made, once, before the kill.
    expect(first.control.appliedSpecChanges()).toEqual({ [INITIATOR]: 1 });
    expect(second.control.appliedSpecChanges()).toEqual({});
  });

  it('resumes a Wait for what was left of it on the business clock', async () => {
    const first = await emulator({ stopAt: (event) => event.type === 'StateStarted' && event.stateType === 'Wait' });
    await startRun(first, 'resume-wait');
    await until(first);
    const started = journalEvents('resume-wait').at(-1) as Extract<HistoryEvent, { type: 'StateStarted' }>;
    clock.advance(2000);
    const second = await emulator();
    await second.cloudflow?.executions.settled();
    const events = journalEvents('resume-wait');
    const ended = events.find((event) => event.type === 'StateSucceeded' && event.state === started.state && event.seq > started.seq) as HistoryEvent;
    expect(Date.parse(ended.time) - Date.parse(started.time)).toBe((started.waitSeconds ?? 0) * 1000);
  });

  it('calls again a task that was in flight, and the ClientToken keeps it to one change', async () => {
    const first = await emulator({ stopAt: (event) => event.type === 'TaskScheduled' && event.state.startsWith('Modify') });
    // The kill comes while StartExecution is still answering: its answer is lost, as the process's would be.
    await startRun(first, 'resume-inflight').catch(() => undefined);
    await until(first);
    expect(journalEvents('resume-inflight').at(-1)).toMatchObject({ type: 'TaskScheduled' });
    const second = await emulator();
    await second.cloudflow?.executions.settled();
    const described = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'resume-inflight' })) as { Status: string };
    expect(described.Status).toBe('Succeeded');
    expect(modifyTokens()).toHaveLength(1);
    // Applied once in all, whichever process applied it.
    expect((first.control.appliedSpecChanges()[INITIATOR] ?? 0) + (second.control.appliedSpecChanges()[INITIATOR] ?? 0)).toBe(1);
    const scheduled = journalEvents('resume-inflight').filter((event) => event.type === 'TaskScheduled' && event.state.startsWith('Modify'));
    expect(scheduled).toHaveLength(1);
  });

  it('lists an execution that had ended as it ended, without running it again', async () => {
    const first = await emulator();
    await startRun(first, 'ended-1');
    await first.cloudflow?.executions.settled();
    await first.stop();
    const lines = readFileSync(journal('ended-1'), 'utf8');
    const second = await emulator();
    const described = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'ended-1' })) as { Status: string; Output: string };
    expect(described.Status).toBe('Succeeded');
    expect(JSON.parse(described.Output)).toMatchObject({ routerInterfaceId: INITIATOR });
    await second.cloudflow?.executions.settled();
    expect(readFileSync(journal('ended-1'), 'utf8')).toBe(lines);
  });

  it('sets a torn last line aside and resumes from the last whole event', async () => {
    const first = await emulator({ stopAt: (event) => event.type === 'StateStarted' && event.stateType === 'Wait' });
    await startRun(first, 'torn-1');
    await until(first);
    const whole = readFileSync(journal('torn-1'), 'utf8');
    const torn = '{"v":1,"seq":99,"time":"2026-01-01T00:00:0';
    writeFileSync(journal('torn-1'), whole + torn);
    const log: string[] = [];
    const second = await emulator({ log });
    expect(log.join('\n')).toMatch(/torn-1\.ndjson:\d+: the last line is torn \(\d+ bytes, kept in .*torn-1\.ndjson\.torn\)/);
    expect(readFileSync(`${journal('torn-1')}.torn`, 'utf8')).toBe(`${torn}\n`);
    await second.cloudflow?.executions.settled();
    const described = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'torn-1' })) as { Status: string };
    expect(described.Status).toBe('Succeeded');
    expect(readFileSync(journal('torn-1'), 'utf8').startsWith(whole)).toBe(true);
  });

  it('reports a journal damaged in the middle with its file and line, leaves it untouched, and serves the others', async () => {
    const first = await emulator({ stopAt: (event) => event.execution === 'good-1' && event.type === 'StateStarted' && event.stateType === 'Wait' });
    await startRun(first, 'bad-1');
    await startRun(first, 'good-1');
    await until(first);
    const lines = readFileSync(journal('bad-1'), 'utf8').split('\n');
    lines[3] = '{"v":1,"seq":3,"oops';
    const damaged = lines.join('\n');
    writeFileSync(journal('bad-1'), damaged);
    const log: string[] = [];
    const second = await emulator({ log });
    await second.cloudflow?.executions.settled();
    expect(log.join('\n')).toContain(`${journal('bad-1')}:4: not valid JSON`);
    const bad = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'bad-1' })) as { Status: string; Output: string };
    expect(bad.Status).toBe('Failed');
    expect(JSON.parse(bad.Output)).toMatchObject({ Error: 'JournalDamaged', Cause: expect.stringContaining('bad-1.ndjson:4') });
    expect(readFileSync(journal('bad-1'), 'utf8')).toBe(damaged);
    expect(existsSync(`${journal('bad-1')}.torn`)).toBe(false);
    const other = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'good-1' })) as { Status: string };
    expect(other.Status).toBe('Succeeded');
    const listed = (await client(second).listExecutions({ FlowName: FLOW })) as { Executions: Array<{ Name: string; Status: string }> };
    expect(listed.Executions.map((execution) => [execution.Name, execution.Status])).toEqual([
      ['bad-1', 'Failed'],
      ['good-1', 'Succeeded'],
    ]);
  });

  it('refuses a journal whose events do not fit the definition, before calling anything, and leaves it untouched', async () => {
    const first = await emulator({ stopAt: (event) => event.type === 'StateStarted' && event.stateType === 'Wait' });
    await startRun(first, 'misfit-1');
    await until(first);
    const text = readFileSync(journal('misfit-1'), 'utf8');
    const lines = text.split('\n');
    const index = lines.findIndex((line) => line.includes('"type":"StateEntered"') && lines.indexOf(line) > 2);
    const event = JSON.parse(lines[index] as string) as { state: string };
    lines[index] = (lines[index] as string).replace(`"state":"${event.state}"`, '"state":"NoSuchState"');
    const misfit = lines.join('\n');
    writeFileSync(journal('misfit-1'), misfit);
    const log: string[] = [];
    const second = await emulator({ log });
    const calls = second.control.calls().length;
    await second.cloudflow?.executions.settled();
    expect(log.join('\n')).toContain(`${journal('misfit-1')}:${index + 1}: the journal records StateEntered of NoSuchState`);
    expect(second.control.calls().length).toBe(calls);
    expect(readFileSync(journal('misfit-1'), 'utf8')).toBe(misfit);
    const described = (await client(second).describeExecution({ FlowName: FLOW, ExecutionName: 'misfit-1' })) as { Status: string };
    expect(described.Status).toBe('Failed');
    expect(readdirSync(join(dir, 'journals', FLOW))).toEqual(['misfit-1.ndjson']);
  });
});
