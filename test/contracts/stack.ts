/**
 * The local stack for the contract suites: the emulator over HTTP, the real handler bundles (dist/functions) called
 * in-process through s.yaml, and the interpreter running the real workflow files, on one virtual clock.
 *
 * Unlike test/e2e/harness.ts it writes nothing to `process.env`: what the handlers see is configured as FC would
 * configure it, through the function's environment variables in (a copy of) s.yaml, which the local FC runtime gives
 * each function's own process environment. `clientRetries: false` (the default) gives every function RIFLOW_CLIENT_MAX_ATTEMPTS=1, so a
 * transient error reaches the workflow's Retry on the virtual clock; `true` leaves s.yaml's functions as deployed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { VirtualClock } from '../../src/flow/clock';
import { startExecution, type ExecutionResult, type SubExecutionHost } from '../../src/flow/execution';
import { holdTimeDuringTasks } from '../../src/flow/clock';
import { createLocalFc } from '../../src/local-fc/runtime';
import { createFcTaskInvoker, type FcInvocation } from '../../src/local-fc/task-invoker';
import { SYaml } from '../../src/serverless/s-yaml';
import type { HistoryEvent } from '../../src/flow/history';
import { loadFlowFile } from '../../src/flow/loader';
import type { InvokeTask } from '../../src/flow/runtime';
import {
  handlerEnvironment,
  startEmulator,
  type EmulatorConfigPatch,
  type FaultRule,
  type RunningEmulator,
  type SeedDocument,
} from '../../src/emulator/index';

export const ROOT = join(import.meta.dirname, '..', '..');
const S_YAML_PATH = join(ROOT, 's.yaml');

export interface ContractStackOptions {
  seed?: SeedDocument | 'demo';
  faults?: FaultRule[];
  random?: () => number;
  /** Default 'fast' (every transition at the next read). */
  preset?: 'fast' | 'realistic';
  config?: Omit<EmulatorConfigPatch, 'preset'>;
  /** The handlers' own retries of transient errors, as deployed (default false: the workflow retries them). */
  clientRetries?: boolean;
  /** Edits s.yaml's resources (by resource key) before the invoker reads it, e.g. a shorter timeout. */
  editFunction?: Record<string, (props: Record<string, unknown>) => void>;
  /** Where the handlers send their VPC calls, given the emulator's URL (default: the emulator itself). */
  endpoint?: (emulatorUrl: string) => string | Promise<string>;
}

export interface RunOutcome {
  result: ExecutionResult;
  events: HistoryEvent[];
  invocations: FcInvocation[];
}

export interface ContractStack {
  emulator: RunningEmulator;
  clock: VirtualClock;
  invokeTask: InvokeTask;
  /** s.yaml as the invoker reads it. */
  sYamlText: string;
  /** `subExecutions`: where a distributed Map's sub-executions run (default: in process, unobserved). */
  run(workflow: string, input: object, name?: string, subExecutions?: SubExecutionHost): Promise<RunOutcome>;
  stop(): Promise<void>;
}

/** s.yaml with every fc3 function's environment extended (and any edits applied), as text for the invoker. */
export function sYamlWith(variables: Record<string, string>, edits: ContractStackOptions['editFunction'] = {}): string {
  const doc = parseDocument(readFileSync(S_YAML_PATH, 'utf8'));
  const resources = doc.toJS().resources as Record<string, { component: string; props: Record<string, unknown> }>;
  for (const [key, resource] of Object.entries(resources)) {
    if (resource.component !== 'fc3') continue;
    const edit = edits[key];
    if (edit) {
      const props = structuredClone(resource.props);
      edit(props);
      for (const [name, value] of Object.entries(props)) {
        if (JSON.stringify(value) !== JSON.stringify(resource.props[name])) doc.setIn(['resources', key, 'props', name], value);
      }
    }
    for (const [name, value] of Object.entries(variables)) doc.setIn(['resources', key, 'props', 'environmentVariables', name], value);
  }
  return doc.toString();
}

export async function startContractStack(options: ContractStackOptions = {}): Promise<ContractStack> {
  const clock = new VirtualClock();
  const emulator = await startEmulator({
    clock,
    seed: options.seed ?? 'demo',
    config: { preset: options.preset ?? 'fast', ...options.config },
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const endpoint = options.endpoint ? await options.endpoint(emulator.url) : emulator.url;
  const variables: Record<string, string> = { RIFLOW_HANDLER_LOG: 'off', ...(options.clientRetries ? {} : { RIFLOW_CLIENT_MAX_ATTEMPTS: '1' }) };
  const sYamlText = sYamlWith(variables, options.editFunction);
  let invocations: FcInvocation[] = [];
  const fc = createLocalFc({
    sYaml: new SYaml(sYamlText, { baseDir: ROOT }),
    // `${env('RIFLOW_VPC_ENDPOINT')}` in s.yaml comes from here; the emulator's key stands in for the function's role.
    variables: handlerEnvironment(endpoint, emulator.credentials, {}),
    credentials: emulator.credentials,
    log: () => undefined,
  });
  const invoker = createFcTaskInvoker(fc, { onInvoke: (invocation) => invocations.push(invocation) });
  const invokeTask = holdTimeDuringTasks(invoker, clock);
  return {
    emulator,
    clock,
    invokeTask,
    sYamlText,
    async run(workflow, input, name, subExecutions) {
      invocations = [];
      const flow = await loadFlowFile(join(ROOT, 'workflows', `${workflow}.yaml`));
      const events: HistoryEvent[] = [];
      const handle = startExecution(flow, input, {
        invokeTask,
        clock,
        onEvent: (event) => events.push(event),
        ...(name ? { name } : {}),
        ...(subExecutions ? { subExecutions } : {}),
      });
      const result = await handle.result;
      return { result, events, invocations };
    },
    stop: () => emulator.stop(),
  };
}
