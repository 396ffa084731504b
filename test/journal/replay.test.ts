/**
 * Resume by replay, through the interpreter and real journal files: a flow with a Parallel, a Map (two at a time), a
 * retried task, Waits and `uuid()` is killed after each event of an uninterrupted run in turn, then resumed from its
 * journal. Every resume must end as the uninterrupted run ended (same output, uuid() included), record the same
 * events (one each: nothing twice, nothing lost), and call again only the task that was in flight.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { startExecution, type ExecutionResult } from '../../src/flow/execution';
import type { HistoryEvent } from '../../src/flow/history';
import { loadFlow } from '../../src/flow/loader';
import type { InvokeTask, TaskRequest } from '../../src/flow/runtime';
import { readJournalFile } from '../../src/journal/file';
import { parseJournal } from '../../src/journal/format';
import { resumeJournal, startJournal } from '../../src/journal/journaled';

const DEFINITION = `Type: StateMachine
SpecVersion: v1
Name: replayed
StartAt: Fan
States:
  - Type: Parallel
    Name: Fan
    Branches:
      - StartAt: Flaky
        States:
          - Type: Task
            Name: Flaky
            Action: X:Y
            Retry:
              - Errors: [Busy]
                IntervalSeconds: 3
                MaxAttempts: 2
            Next: Pause
          - Type: Wait
            Name: Pause
            Seconds: 10
            End: true
      - StartAt: Each
        States:
          - Type: Map
            Name: Each
            ItemsPath: $Input.items
            MaxConcurrency: 2
            Processor:
              StartAt: Work
              States:
                - Type: Task
                  Name: Work
                  Action: X:Y
                  Parameters:
                    n.$: $Input.n
                  OutputConstructor:
                    n.$: $Output.Body
                  Next: Settle
                - Type: Wait
                  Name: Settle
                  Seconds.$: $Input.n
                  End: true
            End: true
    Next: Name
  - Type: Pass
    Name: Name
    OutputConstructor:
      id.$: uuid()
      fan.$: $Input
    End: true
`;
const INPUT = { items: [{ n: 1 }, { n: 4 }, { n: 2 }] };
const flow = loadFlow(DEFINITION);
const dir = mkdtempSync(join(tmpdir(), 'riflow-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tasks: Flaky's first attempt fails with Busy, its retry answers; Work answers its n; each call takes a second. */
function tasks(calls: TaskRequest[], clock: VirtualClock): InvokeTask {
  return async (request) => {
    calls.push(request);
    await clock.sleep(1000);
    if (request.stateName === 'Flaky' && request.retryCount === 0) {
      const error = new Error('try later');
      error.name = 'Busy';
      throw error;
    }
    return { Body: request.stateName === 'Work' ? request.parameters.n : 'ok' };
  };
}

interface Run {
  result: ExecutionResult;
  calls: TaskRequest[];
  events: HistoryEvent[];
}

/** Runs from the start with a journal at `path`; `killAfter` events in, the process "dies" (the journal is left as a
 * kill leaves it, and the run goes no further). */
async function firstRun(path: string, killAfter?: number): Promise<Run> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const calls: TaskRequest[] = [];
  const events: HistoryEvent[] = [];
  const journal = startJournal({ path, name: 'replay-1', flow: flow.name, definition: DEFINITION, input: INPUT, startedAt: clock.now(), seed: 42 }, { invokeTask: tasks(calls, clock), clock, writer: { fsync: false } });
  const handle = startExecution(flow, INPUT, {
    clock,
    ...journal.options,
    onEvent: (event) => {
      events.push(event);
      if (events.length === killAfter) journal.suspend();
    },
  });
  journal.attach(handle);
  return { result: await handle.result, calls, events };
}

async function resumedRun(path: string, laterBy = 0): Promise<Run & { replayed: number }> {
  const read = readJournalFile(path);
  if (read.kind !== 'journal') throw new Error(`not resumable: ${JSON.stringify(read)}`);
  const clock = new VirtualClock(Date.UTC(2026, 0, 1) + laterBy);
  const calls: TaskRequest[] = [];
  const events: HistoryEvent[] = [];
  const journal = resumeJournal(path, read.journal, { invokeTask: tasks(calls, clock), clock, writer: { fsync: false } });
  const handle = startExecution(flow, read.journal.header.input, { clock, ...journal.options, onEvent: (event) => events.push(event) });
  journal.attach(handle);
  return { result: await handle.result, calls, events, replayed: read.journal.events.length };
}

function journalEvents(path: string): HistoryEvent[] {
  const parsed = parseJournal(path, readFileSync(path));
  if ('tornHeader' in parsed) throw new Error('torn header');
  return parsed.events.map((line) => line.event);
}

/** What an event says, without when it was recorded or its number. */
function what(event: HistoryEvent): string {
  const { seq: _seq, time: _time, ...rest } = event;
  return JSON.stringify(rest);
}

describe('resume by replay', () => {
  it('ends as the uninterrupted run ends, wherever the kill came, with every event recorded once', async () => {
    const whole = await firstRun(join(dir, 'whole.ndjson'));
    expect(whole.result.status).toBe('Succeeded');
    const expected = whole.events.map(what).sort();
    for (let kill = 1; kill < whole.events.length; kill++) {
      const path = join(dir, `kill-${kill}.ndjson`);
      const first = await firstRun(path, kill);
      const resumed = await resumedRun(path, 60_000);
      expect({ kill, status: resumed.result.status, output: resumed.result.output }).toEqual({ kill, status: 'Succeeded', output: whole.result.output });
      const recorded = journalEvents(path);
      expect({ kill, events: recorded.map(what).sort() }).toEqual({ kill, events: expected });
      expect(new Set(recorded.map((event) => event.seq)).size).toBe(recorded.length);
      // The listener sees every event once too: the replayed ones as first recorded.
      expect(resumed.events.map(what).sort()).toEqual(expected);
      // Only a task that was scheduled and had no outcome yet is called again.
      const inFlight = first.calls.length - recorded.filter((event) => (event.type === 'TaskSucceeded' || event.type === 'TaskFailed') && event.seq <= kill).length;
      expect({ kill, calls: first.calls.length + resumed.calls.length }).toEqual({ kill, calls: whole.calls.length + inFlight });
    }
  });

  it('sleeps what was left of a Wait, from its recorded start', async () => {
    const path = join(dir, 'wait.ndjson');
    const whole = await firstRun(join(dir, 'wait-whole.ndjson'));
    const pause = whole.events.findIndex((event) => event.type === 'StateStarted' && event.state === 'Pause');
    const times = async (laterBy: number): Promise<{ started: number; ended: number }> => {
      await firstRun(path, pause + 1);
      expect((await resumedRun(path, laterBy)).result.status).toBe('Succeeded');
      const events = journalEvents(path);
      rmSync(path);
      const at = (type: string): number => Date.parse((events.find((event) => event.type === type && event.state === 'Pause') as HistoryEvent).time) - Date.UTC(2026, 0, 1);
      return { started: at('StateStarted'), ended: at('StateSucceeded') };
    };
    // Pause starts at 5 s (a failed call, 3 s of backoff, the call that answers) and waits 10 s: resumed at 8 s, it
    // sleeps the 7 s left; resumed at 30 s, past its end, it ends at once.
    expect(await times(8_000)).toEqual({ started: 5_000, ended: 15_000 });
    expect(await times(30_000)).toEqual({ started: 5_000, ended: 30_000 });
  });

  it('a resumed execution keeps its first start time', async () => {
    const path = join(dir, 'start.ndjson');
    await firstRun(path, 5);
    const resumed = await resumedRun(path, 3_600_000);
    expect(resumed.result.startedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('stops a journal that does not fit the definition before calling anything, and writes nothing to it', async () => {
    const path = join(dir, 'misfit.ndjson');
    await firstRun(path, 12);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"state":"Flaky"', '"state":"Other"'));
    const before = readFileSync(path, 'utf8');
    const resumed = await resumedRun(path);
    expect(resumed.result.status).toBe('Stopped');
    expect(resumed.result.cause).toMatch(/misfit\.ndjson:\d+: the journal records \w+ of Other in Fan\.Branch0 here, the run records \w+ of Flaky/);
    expect(resumed.calls).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('stops a journal whose events the run no longer reaches', async () => {
    const path = join(dir, 'unreached.ndjson');
    await firstRun(path, 12);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    // An event of a scope that never runs.
    const extra = { ...JSON.parse(lines[2] as string), seq: 999, scope: 'Nowhere.Items[0]' };
    writeFileSync(path, `${[...lines, JSON.stringify(extra)].join('\n')}\n`);
    const before = readFileSync(path, 'utf8');
    const resumed = await resumedRun(path);
    expect(resumed.result.status).toBe('Stopped');
    expect(resumed.result.cause).toMatch(new RegExp(`unreached\\.ndjson:${lines.length + 1}: the run no longer reaches this event`));
    expect(resumed.calls).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
