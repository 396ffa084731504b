/**
 * The local stack the simulation benchmarks run on: the emulator over loopback HTTP, the real handler bundles
 * (dist/functions, through s.yaml) and the interpreter running workflow files — all on one VirtualClock, so a
 * 30-minute poll loop costs milliseconds of real time. Needs `node scripts/build.mjs` first (`npm run bench` does it).
 */
import { join } from 'node:path';
import { holdTimeDuringTasks, VirtualClock } from '../../src/flow/clock';
import { startExecution, type ExecutionResult } from '../../src/flow/execution';
import { createLocalFc } from '../../src/local-fc/runtime';
import { createFcTaskInvoker } from '../../src/local-fc/task-invoker';
import { loadFlow } from '../../src/flow/loader';
import type { InvokeTask, TaskRequest } from '../../src/flow/runtime';
import { DEMO_INITIATOR_ID, DEMO_REGION, handlerEnvironment, startEmulator, type CallRecord, type RunningEmulator, type SeedDocument } from '../../src/emulator/index';

export const ROOT = join(import.meta.dirname, '..', '..');
/** The demo seed's region and initiating interface. */
export const REGION = DEMO_REGION;
export const INITIATOR = DEMO_INITIATOR_ID;

/** Rewrites a task's raw output (`{Body: …}`) before the workflow sees it; used to swap in a baseline poll schedule. */
export type OutputRewrite = (request: TaskRequest, output: unknown) => unknown;

/** One describe as the workflow received it: when (virtual ms) and what status it saw. */
export interface DescribeSeen {
  at: number;
  status: string;
}

export interface SimulatedRun {
  result: ExecutionResult;
  /** The emulator's request log for this run only (times from the virtual clock). */
  calls: CallRecord[];
  describes: DescribeSeen[];
  /** Virtual milliseconds from the start of the execution to its end. */
  virtualMs: number;
}

export interface LocalStack {
  emulator: RunningEmulator;
  clock: VirtualClock;
  /** Replaces the emulator's state and clears its call log, so every run starts from the same interfaces. */
  reseed(seed: SeedDocument): Promise<void>;
  run(workflowText: string, input: object, options?: { name?: string; rewrite?: OutputRewrite }): Promise<SimulatedRun>;
  stop(): Promise<void>;
}

function bodyOf(output: unknown): Record<string, unknown> | undefined {
  const body = (output as { Body?: unknown } | undefined)?.Body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}

// Added to every function's environment. Workflow retries run on the virtual clock, so the handlers' own retries
// (real timers) are turned off, and their log lines too.
const HANDLER_ENV = { RIFLOW_CLIENT_MAX_ATTEMPTS: '1', RIFLOW_HANDLER_LOG: 'off' } as const;

export async function startLocalStack(): Promise<LocalStack> {
  const clock = new VirtualClock();
  const emulator = await startEmulator({ clock, seed: 'demo', config: { preset: 'realistic' } });
  const fcInvoker = createFcTaskInvoker(
    createLocalFc({
      sYamlPath: join(ROOT, 's.yaml'),
      variables: handlerEnvironment(emulator.url, emulator.credentials),
      credentials: emulator.credentials,
      environment: HANDLER_ENV,
      log: () => undefined,
    }),
  );
  let runCount = 0;
  return {
    emulator,
    clock,
    async reseed(seed) {
      await emulator.control.seed(seed);
      emulator.control.clearCalls();
    },
    async run(workflowText, input, options = {}) {
      const describes: DescribeSeen[] = [];
      const observed: InvokeTask = async (request) => {
        const raw = await fcInvoker(request);
        const output = options.rewrite ? options.rewrite(request, raw) : raw;
        const body = bodyOf(output);
        if (request.stateName === 'Describe' && typeof body?.status === 'string') describes.push({ at: clock.now(), status: body.status });
        return output;
      };
      const callsBefore = emulator.control.calls().length;
      const started = clock.now();
      runCount += 1;
      const handle = startExecution(loadFlow(workflowText), input, {
        invokeTask: holdTimeDuringTasks(observed, clock),
        clock,
        name: options.name ?? `bench-${runCount}`,
      });
      const result = await handle.result;
      return { result, calls: emulator.control.calls().slice(callsBefore), describes, virtualMs: clock.now() - started };
    },
    async stop() {
      await emulator.stop();
    },
  };
}
