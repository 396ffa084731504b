/**
 * Local CloudFlow interpreter throughput and memory.
 *
 * Throughput: executions per second of a poll loop (Describe → IsActive → Backoff ×10 → Modify; 33 state visits)
 * with stub tasks and zero waits, side by side with aws-local-stepfunctions running the equivalent ASL machine
 * (its local task handlers and zero wait overrides) and a hand-written async loop making the same calls (the floor),
 * the runners taking turns in every repetition so that machine noise hits them alike.
 * Memory: 10,000 executions parked in a Wait on the real clock, measured in a child process, then stopped.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startExecution } from '../src/flow/execution';
import { loadFlow } from '../src/flow/loader';
import type { TaskRequest } from '../src/flow/runtime';
import { requirePeer } from './support/peer-package';
import { BENCH_INPUT, describeStub, invokeStub, modifyStub, pollLoopYaml, POLLS_BEFORE_ACTIVE, zeroClock, type Polled } from './support/poll-loop';
import { median, type Benchmark, type BenchTable } from './types';

const CHILD_FLAG = 'RIFLOW_FLOW_BENCH_CHILD';
const REPETITIONS = 7;
const BUDGET_MS = 400;
const PARKED = 10_000;
const MEMORY_RUNS = 3;
const PARKED_LIMIT_KB = 4;


const aslMachine = {
  StartAt: 'Describe',
  States: {
    Describe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:describe', Next: 'IsActive' },
    IsActive: { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'Active', Next: 'Modify' }], Default: 'Backoff' },
    Backoff: { Type: 'Wait', Seconds: 10, Next: 'Describe' },
    Modify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:modify', End: true },
  },
};

const input = BENCH_INPUT;

/**
 * Executions per second of CPU time of each runner, the runners taking turns: repetition i runs every runner once
 * for BUDGET_MS of wall time. CPU time (the process's user + system, process.cpuUsage) rather than wall time, because
 * the machine is shared: wall time also counts the moments the process waited for a core, which land on whichever
 * runner happens to be running.
 */
async function interleavedRates(runners: Array<() => Promise<void>>): Promise<number[][]> {
  for (const runOne of runners) for (let i = 0; i < 200; i += 1) await runOne();
  const samples: number[][] = runners.map(() => []);
  for (let rep = 0; rep < REPETITIONS; rep += 1) {
    for (const [index, runOne] of runners.entries()) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      let count = 0;
      while (performance.now() - started < BUDGET_MS) {
        await runOne();
        count += 1;
      }
      const used = process.cpuUsage(cpu);
      samples[index]?.push((count * 1e6) / (used.user + used.system));
    }
  }
  return samples;
}

async function riflowRunner(): Promise<() => Promise<void>> {
  const flow = loadFlow(pollLoopYaml(10));
  const invokeTask = invokeStub;
  return async () => {
    const result = await startExecution(flow, input, { invokeTask, clock: zeroClock }).result;
    if (result.status !== 'Succeeded') throw new Error(`riflow run ${result.status}: ${result.cause ?? ''}`);
  };
}

/** The part of aws-local-stepfunctions' API the peer runner uses. */
type PeerHandler = (state: unknown) => Promise<unknown>;
interface PeerOverrides {
  taskResourceLocalHandlers: Record<string, PeerHandler>;
  waitTimeOverrides: Record<string, number>;
}
interface PeerModule {
  StateMachine: new (definition: object, options: { validationOptions: { checkArn: boolean; checkPaths: boolean } }) => {
    run(input: object, options: { overrides: PeerOverrides }): { result: Promise<unknown> };
  };
}

async function peerRunner(): Promise<() => Promise<void>> {
  // aws-local-stepfunctions 3 declares Node >= 22 for Promise.withResolvers; this polyfill lets it run on Node 20.
  const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
  promiseStatics.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  // Installed on demand, outside the project's dependencies (bench/support/peer-package.ts).
  const { StateMachine } = requirePeer('aws-local-stepfunctions') as PeerModule;
  const machine = new StateMachine(aslMachine, { validationOptions: { checkArn: false, checkPaths: false } });
  const describe: PeerHandler = async (state) => describeStub(state as Polled);
  const modify: PeerHandler = async (state) => modifyStub(state as Polled);
  const overrides: PeerOverrides = { taskResourceLocalHandlers: { Describe: describe, Modify: modify }, waitTimeOverrides: { Backoff: 0 } };
  return async () => {
    await machine.run(input, { overrides }).result;
  };
}

const describeArn = 'acs:fc:{region}:{accountId}:functions/describe';
const modifyArn = 'acs:fc:{region}:{accountId}:functions/modify';

/**
 * The floor: the calls riflow makes to the two things it is given, the task invoker (the whole TaskRequest, the
 * execution's signal included) and the clock (a sleep with that signal), and the same reshaping of the describe
 * output, written as a plain async loop. The one AbortController per execution is what any loop that can be stopped
 * needs; the loop checks nothing else (no size limit, no history count, no Retry or Catch).
 */
function floorRunner(): () => Promise<void> {
  return async () => {
    const { signal } = new AbortController();
    const executionName = 'floor';
    let state: { routerInterfaceId: string; attempt?: number; status?: string } = input;
    for (;;) {
      const body: Record<string, string | number> = { routerInterfaceId: state.routerInterfaceId };
      if (state.attempt !== undefined) body.attempt = state.attempt;
      const parameters = { resourceArn: describeArn, body };
      const request: TaskRequest = { action: 'FC:InvokeFunction', parameters, stateName: 'Describe', executionName, retryCount: 0, signal };
      const output = (await invokeStub(request)).Body as Polled;
      state = { routerInterfaceId: state.routerInterfaceId, status: output.status, attempt: output.attempt };
      if (state.status === 'Active') break;
      await zeroClock.sleep(10_000, signal);
    }
    const parameters = { resourceArn: modifyArn, body: { routerInterfaceId: state.routerInterfaceId } };
    const request: TaskRequest = { action: 'FC:InvokeFunction', parameters, stateName: 'Modify', executionName, retryCount: 0, signal };
    const result = await invokeStub(request);
    if (!result.Body) throw new Error('no result');
  };
}

/** The floor as it was measured before: requests with the state name and Parameters only, sleeps without a signal,
 * and so no AbortController. Reported beside the floor, not judged. */
function bareLoopRunner(): () => Promise<void> {
  return async () => {
    let state: { routerInterfaceId: string; attempt?: number; status?: string } = input;
    for (;;) {
      const body: Record<string, string | number> = { routerInterfaceId: state.routerInterfaceId };
      if (state.attempt !== undefined) body.attempt = state.attempt;
      const output = (await invokeStub({ stateName: 'Describe', parameters: { resourceArn: describeArn, body } })).Body as Polled;
      state = { routerInterfaceId: state.routerInterfaceId, status: output.status, attempt: output.attempt };
      if (state.status === 'Active') break;
      await zeroClock.sleep(10_000);
    }
    const result = await invokeStub({ stateName: 'Modify', parameters: { resourceArn: modifyArn, body: { routerInterfaceId: state.routerInterfaceId } } });
    if (!result.Body) throw new Error('no result');
  };
}

interface MemoryReport {
  parked: number;
  baselineHeapMb: number;
  baselineRssMb: number;
  parkedHeapMb: number;
  parkedRssMb: number;
  stopped: number;
}

/** Child process: park PARKED executions in a 300 s Wait on the real clock, measure, stop them all. */
async function parkExecutions(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory child needs node --expose-gc');
  const flow = loadFlow(pollLoopYaml(300));
  let describes = 0;
  const invokeTask = async (request: TaskRequest) => {
    describes += 1;
    return { Body: request.stateName === 'Describe' ? { status: 'Connecting', attempt: 1 } : {} };
  };
  // One execution to its end first, so that the baseline has the flow compiled and the interpreter's code loaded.
  const warmUp = await startExecution(flow, { routerInterfaceId: 'ri-warm-up' }, { invokeTask: async () => ({ Body: { status: 'Active', attempt: 1 } }) }).result;
  if (warmUp.status !== 'Succeeded') throw new Error(`warm-up run ${warmUp.status}`);
  gc();
  const baseline = process.memoryUsage();
  const handles = Array.from({ length: PARKED }, (_, i) => startExecution(flow, { routerInterfaceId: `ri-${i}` }, { name: `park-${i}`, invokeTask }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  gc();
  const usage = process.memoryUsage();
  if (describes !== PARKED) throw new Error(`expected ${PARKED} parked executions, saw ${describes} describes`);
  for (const handle of handles) handle.stop('benchmark finished');
  const results = await Promise.all(handles.map((handle) => handle.result));
  const report: MemoryReport = {
    parked: PARKED,
    baselineHeapMb: baseline.heapUsed / 2 ** 20,
    baselineRssMb: baseline.rss / 2 ** 20,
    parkedHeapMb: usage.heapUsed / 2 ** 20,
    parkedRssMb: usage.rss / 2 ** 20,
    stopped: results.filter((result) => result.status === 'Stopped').length,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function measureMemoryInChild(): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, [CHILD_FLAG]: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line) return reject(new Error(`memory child exited with ${code}`));
      resolve(JSON.parse(line) as MemoryReport);
    });
  });
}

const round = (n: number): number => Math.round(n);
const times = (n: number): string => `${n.toFixed(1)}×`;
const spread = (values: number[], format: (n: number) => string): string => `${format(Math.min(...values))}–${format(Math.max(...values))}`;
/** KB per parked execution. */
const perExecutionKb = (afterMb: number, beforeMb: number, count: number): number => ((afterMb - beforeMb) * 1024) / count;

const benchmark: Benchmark = {
  name: 'flow',
  async run(): Promise<BenchTable[]> {
    let peerNote = 'aws-local-stepfunctions 3.0.0 runs on Node 20 with a Promise.withResolvers polyfill.';
    let peer: (() => Promise<void>) | undefined;
    try {
      peer = await peerRunner();
    } catch (error) {
      peerNote = `aws-local-stepfunctions could not run: ${(error as Error).message}`;
    }
    const runners = [await riflowRunner(), floorRunner(), bareLoopRunner(), ...(peer ? [peer] : [])];
    const [riflow = [], floor = [], bare = [], peerRates] = await interleavedRates(runners);
    // Ratios within each repetition, where the runners ran back to back.
    const vsPeer = peerRates?.map((rate, i) => (riflow[i] as number) / rate);
    const vsFloor = floor.map((rate, i) => rate / (riflow[i] as number));
    const vsBare = bare.map((rate, i) => rate / (riflow[i] as number));
    const visits = 3 * POLLS_BEFORE_ACTIVE + 3;
    const row = (name: string, rates: number[] | undefined, relative: string): Array<string | number> =>
      rates === undefined
        ? [name, 'n/a', 'n/a', 'n/a', 'n/a']
        : [name, round(median(rates)), spread(rates, (n) => String(round(n))), (1e6 / median(rates) / visits).toFixed(2), relative];
    const peerMet = vsPeer !== undefined && median(vsPeer) >= 10;
    const floorMet = median(vsFloor) <= 5;

    const memoryRuns: MemoryReport[] = [];
    for (let i = 0; i < MEMORY_RUNS; i += 1) memoryRuns.push(await measureMemoryInChild());
    const heapKb = memoryRuns.map((m) => perExecutionKb(m.parkedHeapMb, m.baselineHeapMb, m.parked));
    const rssKb = memoryRuns.map((m) => perExecutionKb(m.parkedRssMb, m.baselineRssMb, m.parked));
    const kb = (n: number): string => n.toFixed(2);
    const typical = memoryRuns[heapKb.indexOf(median(heapKb))] ?? (memoryRuns[0] as MemoryReport);
    return [
      {
        title: 'Local CloudFlow interpreter: poll-loop throughput',
        method:
          `Executions per second of CPU time of Describe → IsActive → Backoff ×${POLLS_BEFORE_ACTIVE} → Modify (${visits} state visits), stub tasks, zero waits, ` +
          `one execution at a time; ${REPETITIONS} repetitions of ${BUDGET_MS} ms after a warm-up, the runners taking turns within each ` +
          'repetition; medians, ranges over the repetitions, and ratios taken within each repetition.',
        columns: ['runner', 'executions/s', 'range', 'µs per state visit', 'relative to riflow (range)'],
        rows: [
          row('riflow interpreter', riflow, '1.00'),
          row('aws-local-stepfunctions (peer)', peerRates, vsPeer === undefined ? 'n/a' : `${(1 / median(vsPeer)).toFixed(3)} (${spread(vsPeer.map((r) => 1 / r), (n) => n.toFixed(3))})`),
          row('hand-written loop, same calls (floor)', floor, `${median(vsFloor).toFixed(2)} (${spread(vsFloor, (n) => n.toFixed(2))})`),
          row('hand-written loop, no signal (the former floor)', bare, `${median(vsBare).toFixed(2)} (${spread(vsBare, (n) => n.toFixed(2))})`),
        ],
        target: '≥ 10× the peer and within 5× of the floor',
        met: peerMet && floorMet,
        notes: [
          peerNote,
          `riflow is ${vsPeer === undefined ? 'n/a' : `${times(median(vsPeer))} the peer (${spread(vsPeer, times)})`}; the floor is ${times(median(vsFloor))} riflow (${spread(vsFloor, times)}).`,
          'The floor makes the calls riflow makes: the whole TaskRequest (action, Parameters, state and execution name, retry ' +
            'count, the execution\'s signal) and the clock\'s sleep with that signal, so it creates one AbortController per ' +
            'execution, as any loop that can be stopped must (in Node 20, creating that signal costs the floor more than all its ' +
            `other work). The loop without one (the former floor) is ${times(median(vsBare))} riflow (${spread(vsBare, times)}); it is not the floor riflow is judged against.`,
        ],
      },
      {
        title: 'Local CloudFlow interpreter: executions parked in Wait',
        method:
          `${PARKED.toLocaleString('en')} executions started at once and parked in a 300 s Wait on the real clock, in a child process ` +
          '(node --expose-gc, tsx loaded) after one warm-up execution; process.memoryUsage() after a full GC before and after, ' +
          `the difference divided by ${PARKED.toLocaleString('en')}; then all stopped. ${MEMORY_RUNS} child processes: the one with the median heap figure, and ranges.`,
        columns: ['executions', 'baseline heap (MB)', 'parked heap (MB)', 'heap per execution (KB)', 'RSS per execution (KB)', 'stopped cleanly'],
        rows: [
          [
            typical.parked,
            typical.baselineHeapMb.toFixed(1),
            typical.parkedHeapMb.toFixed(1),
            `${kb(median(heapKb))} (${spread(heapKb, kb)})`,
            `${kb(median(rssKb))} (${spread(rssKb, kb)})`,
            typical.stopped,
          ],
        ],
        target: `≤ ${PARKED_LIMIT_KB} KB of heap per parked execution above the baseline`,
        met: median(heapKb) <= PARKED_LIMIT_KB && memoryRuns.every((m) => m.stopped === m.parked),
        notes: [
          'Heap used is what the executions hold (their state data, frames, timers, abort signals). RSS also grows by the ' +
            'memory V8 reserves for its heap as it grows, which is not returned to the system at once; it is shown for reference.',
        ],
      },
    ];
  },
};

export default benchmark;

if (process.env[CHILD_FLAG] === '1') {
  parkExecutions().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
