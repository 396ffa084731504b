/**
 * The whole local stack for end-to-end tests: the emulator over HTTP, the real handler bundles (dist/functions)
 * called in-process through s.yaml, and the interpreter running the real workflow files — all on one virtual
 * clock, so polls and retry backoffs cost no real time.
 */
import { join } from 'node:path';
import { holdTimeDuringTasks, VirtualClock } from '../../src/flow/clock';
import { startExecution, type ExecutionResult } from '../../src/flow/execution';
import { createLocalFc } from '../../src/local-fc/runtime';
import { createFcTaskInvoker, type FcInvocation } from '../../src/local-fc/task-invoker';
import type { HistoryEvent } from '../../src/flow/history';
import type { InvokeTask } from '../../src/flow/runtime';
import { loadFlowFile } from '../../src/flow/loader';
import {
  handlerEnvironment,
  startEmulator,
  type EmulatorConfigPatch,
  type FaultRule,
  type RunningEmulator,
  type SeedDocument,
} from '../../src/emulator/index';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface StackOptions {
  seed?: SeedDocument | 'demo';
  faults?: FaultRule[];
  /** Seeded source for fault probabilities. */
  random?: () => number;
  preset?: 'fast' | 'realistic';
  /** Emulator configuration applied after the preset, e.g. `{transitions: {Activating: {mode: 'describes', count: 40}}}`. */
  config?: Omit<EmulatorConfigPatch, 'preset'>;
  /** Serve the local CloudFlow API too (the flows s.yaml deploys). */
  cloudflow?: boolean;
}

export interface RunOutcome {
  result: ExecutionResult;
  events: HistoryEvent[];
  invocations: FcInvocation[];
}

export interface Stack {
  emulator: RunningEmulator;
  clock: VirtualClock;
  /** Runs FC:InvokeFunction tasks through s.yaml and the handler bundles, against this emulator. */
  invokeTask: InvokeTask;
  /** The variables the handlers see (endpoint, credentials). */
  env: Record<string, string | undefined>;
  run(workflow: string, input: object, name?: string): Promise<RunOutcome>;
  stop(): Promise<void>;
}


/**
 * Added to every function's environment. The workflow retries transient errors on the virtual clock, so the
 * handlers' own retries (on real timers) are turned off, and their log lines too.
 */
const HANDLER_SETTINGS = { RIFLOW_CLIENT_MAX_ATTEMPTS: '1', RIFLOW_HANDLER_LOG: 'off' } as const;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = new VirtualClock();
  const emulator = await startEmulator({
    clock,
    seed: options.seed ?? 'demo',
    config: { preset: options.preset ?? 'realistic', ...options.config },
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.random ? { random: options.random } : {}),
    functionEnvironment: HANDLER_SETTINGS,
    ...(options.cloudflow ? { cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') } } : {}),
  });
  const env = handlerEnvironment(emulator.url, emulator.credentials);
  let invocations: FcInvocation[] = [];
  const fc = createLocalFc({
    sYamlPath: join(ROOT, 's.yaml'),
    variables: env,
    credentials: emulator.credentials,
    environment: HANDLER_SETTINGS,
    // Handlers do real work over real HTTP: their FC timeout is measured on the real clock (the default).
    log: () => undefined,
  });
  const fcInvoker = createFcTaskInvoker(fc, { onInvoke: (invocation) => invocations.push(invocation) });
  const invokeTask = holdTimeDuringTasks(fcInvoker, clock);
  return {
    emulator,
    clock,
    invokeTask,
    env,
    async run(workflow, input, name) {
      invocations = [];
      const flow = await loadFlowFile(join(ROOT, 'workflows', `${workflow}.yaml`));
      const events: HistoryEvent[] = [];
      const handle = startExecution(flow, input, {
        invokeTask,
        clock,
        onEvent: (event) => events.push(event),
        ...(name ? { name } : {}),
      });
      const result = await handle.result;
      return { result, events, invocations };
    },
    stop: () => emulator.stop(),
  };
}
