/**
 * Local CloudFlow interpreter throughput and memory.
 *
 * Throughput: executions per second of a poll loop (Describe → IsActive → Backoff ×10 → Modify; 33 state visits)
 * with stub tasks and zero waits, side by side with aws-local-stepfunctions running the equivalent ASL machine
 * (its local task handlers and zero wait overrides) and a hand-written async loop making the same calls (the floor).
 * Memory: 10,000 executions parked in a Wait on the real clock, measured in a child process, then stopped.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../src/flow/clock';
import { startExecution } from '../src/flow/execution';
import { loadFlow } from '../src/flow/loader';
import type { TaskRequest } from '../src/flow/runtime';
import { requirePeer } from './support/peer-package';
import { median, type Benchmark, type BenchTable } from './types';

const CHILD_FLAG = 'RIFLOW_FLOW_BENCH_CHILD';
const POLLS_BEFORE_ACTIVE = 10;
const REPETITIONS = 5;
const BUDGET_MS = 600;
const PARKED = 10_000;
const MEMORY_LIMIT_MB = 256;

const pollLoopYaml = (waitSeconds: number): string => `
Type: StateMachine
SpecVersion: v1
Name: poll-loop
StartAt: Describe
States:
  - Type: Task
    Name: Describe
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:{region}:{accountId}:functions/describe
      body:
        routerInterfaceId.$: $Input.routerInterfaceId
        attempt.$: $Input.attempt
    OutputConstructor:
      routerInterfaceId.$: $Input.routerInterfaceId
      status.$: $Output.Body.status
      attempt.$: $Output.Body.attempt
    Next: IsActive
  - Type: Choice
    Name: IsActive
    Branches:
      - Condition: $Input.status == "Active"
        Next: Modify
    Default: Backoff
  - Type: Wait
    Name: Backoff
    Seconds: ${waitSeconds}
    Next: Describe
  - Type: Task
    Name: Modify
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:{region}:{accountId}:functions/modify
      body:
        routerInterfaceId.$: $Input.routerInterfaceId
    OutputConstructor:
      result.$: $Output.Body
    End: true
`;

const aslMachine = {
  StartAt: 'Describe',
  States: {
    Describe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:describe', Next: 'IsActive' },
    IsActive: { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'Active', Next: 'Modify' }], Default: 'Backoff' },
    Backoff: { Type: 'Wait', Seconds: 10, Next: 'Describe' },
    Modify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:modify', End: true },
  },
};

interface Polled {
  routerInterfaceId: string;
  status: string;
  attempt: number;
}

/** The same stub behaviour for all three runners: Active on the eleventh describe. */
function describeStub(body: { routerInterfaceId?: unknown; attempt?: unknown }): Polled {
  const attempt = (typeof body.attempt === 'number' ? body.attempt : 0) + 1;
  return { routerInterfaceId: String(body.routerInterfaceId), status: attempt > POLLS_BEFORE_ACTIVE ? 'Active' : 'Connecting', attempt };
}
const modifyStub = (body: { routerInterfaceId?: unknown }) => ({ routerInterfaceId: String(body.routerInterfaceId), changed: true });

const zeroClock: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };
const input = { routerInterfaceId: 'ri-bench' };

async function executionsPerSecond(runOne: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 200; i += 1) await runOne();
  const samples: number[] = [];
  for (let rep = 0; rep < REPETITIONS; rep += 1) {
    const started = performance.now();
    let count = 0;
    while (performance.now() - started < BUDGET_MS) {
      await runOne();
      count += 1;
    }
    samples.push((count * 1000) / (performance.now() - started));
  }
  return median(samples);
}

/** The task stub riflow and the floor both call, with the same request objects. */
const invokeStub = async (request: Pick<TaskRequest, 'stateName' | 'parameters'>) => {
  const body = request.parameters.body as { routerInterfaceId?: unknown; attempt?: unknown };
  return { Body: request.stateName === 'Describe' ? describeStub(body) : modifyStub(body) };
};

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

/** The same task calls (same request objects, same reshaping of their output) written as a plain async loop. */
function floorRunner(): () => Promise<void> {
  const describeArn = 'acs:fc:{region}:{accountId}:functions/describe';
  const modifyArn = 'acs:fc:{region}:{accountId}:functions/modify';
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
  baselineRssMb: number;
  parkedRssMb: number;
  heapUsedMb: number;
  stopped: number;
}

/** Child process: park PARKED executions in a 300 s Wait on the real clock, measure, stop them all. */
async function parkExecutions(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const flow = loadFlow(pollLoopYaml(300));
  let describes = 0;
  const invokeTask = async (request: TaskRequest) => {
    describes += 1;
    return { Body: request.stateName === 'Describe' ? { status: 'Connecting', attempt: 1 } : {} };
  };
  gc?.();
  const baseline = process.memoryUsage().rss;
  const handles = Array.from({ length: PARKED }, (_, i) => startExecution(flow, { routerInterfaceId: `ri-${i}` }, { name: `park-${i}`, invokeTask }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  gc?.();
  const usage = process.memoryUsage();
  if (describes !== PARKED) throw new Error(`expected ${PARKED} parked executions, saw ${describes} describes`);
  for (const handle of handles) handle.stop('benchmark finished');
  const results = await Promise.all(handles.map((handle) => handle.result));
  const report: MemoryReport = {
    parked: PARKED,
    baselineRssMb: baseline / 2 ** 20,
    parkedRssMb: usage.rss / 2 ** 20,
    heapUsedMb: usage.heapUsed / 2 ** 20,
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

const benchmark: Benchmark = {
  name: 'flow',
  async run(): Promise<BenchTable[]> {
    const riflow = await executionsPerSecond(await riflowRunner());
    let peer: number | undefined;
    let peerNote = 'aws-local-stepfunctions 3.0.0 runs on Node 20 with a Promise.withResolvers polyfill.';
    try {
      peer = await executionsPerSecond(await peerRunner());
    } catch (error) {
      peerNote = `aws-local-stepfunctions could not run: ${(error as Error).message}`;
    }
    const floor = await executionsPerSecond(floorRunner());
    const vsPeer = peer === undefined ? undefined : riflow / peer;
    const vsFloor = floor / riflow;
    const memory = await measureMemoryInChild();
    const visits = 3 * POLLS_BEFORE_ACTIVE + 3;
    return [
      {
        title: 'Local CloudFlow interpreter: poll-loop throughput',
        method: `Executions/s of Describe → IsActive → Backoff ×${POLLS_BEFORE_ACTIVE} → Modify (${visits} state visits), stub tasks, zero waits, one execution at a time; median of ${REPETITIONS} runs of ${BUDGET_MS} ms after a warm-up.`,
        columns: ['runner', 'executions/s', 'µs per state visit', 'relative to riflow'],
        rows: [
          ['riflow interpreter', round(riflow), (1e6 / riflow / visits).toFixed(2), '1.00'],
          ['aws-local-stepfunctions (peer)', peer === undefined ? 'n/a' : round(peer), peer === undefined ? 'n/a' : (1e6 / peer / visits).toFixed(2), peer === undefined ? 'n/a' : (peer / riflow).toFixed(2)],
          ['hand-written async loop (floor)', round(floor), (1e6 / floor / visits).toFixed(2), (floor / riflow).toFixed(2)],
        ],
        target: '≥ 3× the peer and within 3× of the floor',
        met: vsPeer !== undefined && vsPeer >= 3 && vsFloor <= 3,
        notes: [peerNote, `riflow is ${vsPeer === undefined ? 'n/a' : vsPeer.toFixed(1)}× the peer; the floor is ${vsFloor.toFixed(1)}× riflow.`],
      },
      {
        title: 'Local CloudFlow interpreter: executions parked in Wait',
        method: `${PARKED.toLocaleString('en')} executions started at once and parked in a 300 s Wait on the real clock, RSS measured after GC in a child process (tsx loaded), then all stopped.`,
        columns: ['executions', 'baseline RSS (MB)', 'parked RSS (MB)', 'heap used (MB)', 'stopped cleanly'],
        rows: [[memory.parked, memory.baselineRssMb.toFixed(1), memory.parkedRssMb.toFixed(1), memory.heapUsedMb.toFixed(1), memory.stopped]],
        target: `${PARKED.toLocaleString('en')} parked executions within ${MEMORY_LIMIT_MB} MB RSS`,
        met: memory.parkedRssMb <= MEMORY_LIMIT_MB && memory.stopped === memory.parked,
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
