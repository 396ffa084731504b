/**
 * The journal's cost (src/journal): the overhead per state transition of a journaled execution against the same
 * execution without one, and the time the local CloudFlow API takes to resume 1,000 unfinished executions.
 *
 * Overhead: the poll loop of flow.bench.ts (33 state visits, 12 task calls, stub tasks, waits that take no time) run
 * back to back, the variants taking turns, in a temporary folder: without a journal; with a journal, each event
 * written as it is recorded (what survives a kill of the process); with a journal and an fdatasync before each task
 * call and at the end (what survives a crash of the machine: the default). Wall time per execution, divided by its
 * 33 state transitions.
 * Resume: 1,000 journals of executions parked in a 300 s Wait after ten polls (121 events each), loaded by
 * ExecutionStore.resume() and replayed until every one is parked again, waiting out what is left of its Wait.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionStore } from '../src/emulator/cloudflow/executions';
import type { Clock } from '../src/flow/clock';
import { startExecution } from '../src/flow/execution';
import { loadFlow } from '../src/flow/loader';
import { startJournal } from '../src/journal/journaled';
import { BENCH_INPUT, invokeStub, pollLoopYaml, zeroClock } from './support/poll-loop';
import { median, type Benchmark, type BenchTable } from './types';

const REPETITIONS = 7;
const BUDGET_MS = 300;
const TRANSITIONS = 33;
const TASK_CALLS = 12;
const RESUMED = 1_000;
const RESUME_RUNS = 3;

const input = BENCH_INPUT;

async function overhead(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'riflow-journal-bench-'));
  const definition = pollLoopYaml(10);
  const flow = loadFlow(definition);
  let n = 0;
  const journaled = (fsync: boolean) => async (): Promise<void> => {
    const name = `run-${(n += 1)}`;
    const journal = startJournal({ path: join(dir, `${name}.ndjson`), name, flow: flow.name, definition, input, startedAt: Date.now() }, { invokeTask: invokeStub, clock: zeroClock, writer: { fsync } });
    const handle = startExecution(flow, input, { clock: zeroClock, ...journal.options });
    const result = await handle.result;
    if (result.status !== 'Succeeded') throw new Error(result.cause);
  };
  const variants: Array<[string, () => Promise<void>]> = [
    ['no journal', async () => void (await startExecution(flow, input, { invokeTask: invokeStub, clock: zeroClock }).result)],
    ['journal, a write per event (survives a kill)', journaled(false)],
    ['journal + fdatasync before each task call (default)', journaled(true)],
  ];
  for (const [, run] of variants) for (let i = 0; i < 20; i++) await run();
  const samples = variants.map(() => [] as number[]);
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (const [index, [, run]] of variants.entries()) {
      const started = performance.now();
      let count = 0;
      while (performance.now() - started < BUDGET_MS) {
        await run();
        count += 1;
      }
      samples[index]?.push(((performance.now() - started) * 1000) / count / TRANSITIONS);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const perTransition = samples.map(median);
  const base = perTransition[0] as number;
  const rows = variants.map(([label], i) => {
    const us = perTransition[i] as number;
    const perCall = ((us - base) * TRANSITIONS) / 1000 / TASK_CALLS;
    return [label, us.toFixed(2), i === 0 ? '—' : `+${(us - base).toFixed(2)}`, i === 0 ? '—' : `+${perCall.toFixed(3)}`, (1e6 / (us * TRANSITIONS)).toFixed(0)];
  });
  const killSafe = (perTransition[1] as number) - base;
  return {
    title: 'Journal overhead per state transition',
    method:
      'The 33-transition poll loop (12 task calls, stub tasks, waits that take no time) back to back for 300 ms per variant, the variants taking turns, 7 repetitions; wall time per execution ÷ 33; journals in the OS temporary folder.',
    columns: ['variant', 'µs per transition', 'overhead (µs per transition)', 'overhead (ms per task call)', 'executions/s'],
    rows,
    target: 'a journal written per event adds at most 50 µs per state transition, and the fdatasync at most 5 ms per task call (one VPC API round trip takes tens of ms, a poll seconds)',
    met: killSafe <= 50 && (((perTransition[2] as number) - base) * TRANSITIONS) / 1000 / TASK_CALLS <= 5,
    notes: [
      'Each state transition writes about four events (StateEntered, StateStarted, TaskScheduled/TaskSucceeded, StateSucceeded), each one write() of one line.',
      'The fdatasync row depends on the disk under the temporary folder far more than on riflow: on tmpfs it costs nothing, on a real disk it is one flush per task call, i.e. per VPC API call, which itself takes tens of milliseconds.',
    ],
  };
}

async function resumeThousand(): Promise<BenchTable> {
  const definition = pollLoopYaml(10, 300);
  const flow = loadFlow(definition);
  const times: number[] = [];
  let events = 0;
  for (let run = 0; run < RESUME_RUNS; run++) {
    const stateDir = mkdtempSync(join(tmpdir(), 'riflow-resume-bench-'));
    // Record: 1,000 executions parked in their 300 s Wait, then "killed" (suspended: no end recorded).
    const parkedClock: Clock = { now: () => Date.now(), sleep: (ms, signal) => (ms >= 300_000 ? new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('stopped')))) : Promise.resolve()) };
    const recording = new ExecutionStore({ invokeTask: invokeStub, clock: parkedClock, stateDir, journal: { fsync: false } });
    const parked = new Promise<void>((resolve) => {
      let count = 0;
      recording.subscribe((change) => {
        if (change.event?.type === 'StateStarted' && change.event.state === 'Park' && ++count === RESUMED) resolve();
      });
    });
    for (let i = 0; i < RESUMED; i++) recording.start(flow, definition, `parked-${i}`, input);
    await parked;
    recording.stopAll('killed');
    await recording.settled();
    // Resume them all: until every replay has parked again.
    const resuming = new ExecutionStore({ invokeTask: invokeStub, clock: parkedClock, stateDir, journal: { fsync: false } });
    const started = performance.now();
    const replayed = new Promise<void>((resolve) => {
      let count = 0;
      resuming.subscribe((change) => {
        if (change.event?.type === 'StateStarted' && change.event.state === 'Park' && ++count === RESUMED) resolve();
      });
    });
    const report = resuming.resume();
    await replayed;
    times.push(performance.now() - started);
    if (report.resumed.length !== RESUMED) throw new Error(`resumed ${report.resumed.length}`);
    events = resuming.get(flow.name, 'parked-0')?.events.length ?? 0;
    resuming.stopAll('done');
    await resuming.settled();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const ms = median(times);
  return {
    title: 'Resuming 1,000 unfinished executions',
    method: `${RESUMED} journals of executions parked in a 300 s Wait after ten polls (${events} events each), read by ExecutionStore.resume() and replayed until every one is parked again; the median of ${RESUME_RUNS} runs, from the call to the last one parked.`,
    columns: ['executions', 'events replayed', 'time (ms)', 'per execution (ms)'],
    rows: [[RESUMED, RESUMED * events, ms.toFixed(0), (ms / RESUMED).toFixed(2)]],
    target: '1,000 unfinished executions resumed within 5 s of the start',
    met: ms <= 5_000,
  };
}

const benchmark: Benchmark = {
  name: 'journal: overhead per transition, resuming 1,000 executions',
  async run() {
    return [await overhead(), await resumeThousand()];
  },
};
export default benchmark;
