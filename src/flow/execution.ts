/** `startExecution`: runs a loaded flow (compiled once, compile.ts) to its end, streaming history events, with stop,
 * timeout and counters. */
import { realClock, VirtualClock, type Clock } from './clock';
import { compileFlow } from './compile';
import { ExecutionAborted, FlowError, toFlowError } from './errors';
import { EXECUTION_NAME_RULE, isExecutionName } from './execution-name';
import { ExecutionRuntime } from './execution-runtime';
import { HistoryFile, type HistoryEvent } from './history';
import { toJsonValue, type JsonObject } from './json';
import type { ExecutionMode, Flow } from './model';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from './policy';
import {
  abortReason,
  checkStateData,
  type ExecutionCounts,
  type InvokeTask,
  type ParentExecution,
  type Runtime,
  type SubExecutionHandle,
  type SubExecutionRequest,
} from './runtime';
import type { CompiledScope } from './states/unit';
import { isoTime, secondStamp } from './time-text';
import { runScope } from './visit';

export interface StartExecutionOptions {
  /** Execution name, by CloudFlow's rule (execution-name.ts). Generated when absent. */
  name?: string;
  invokeTask: InvokeTask;
  clock?: Clock;
  onEvent?: (event: HistoryEvent) => void;
  signal?: AbortSignal;
  /** Appends the history as NDJSON to `<historyDir>/<name>.ndjson`. */
  historyDir?: string;
  policy?: CloudFlowPolicy;
  /** Uniform in [0, 1), for `uuid()`, `randomInt()` and generated names. */
  random?: () => number;
  /** Standard (default) or Express limits: a distributed Map's sub-executions run in its ProcessorConfig's mode. */
  mode?: ExecutionMode;
  /** Set for a distributed Map's sub-workflow execution; recorded in its ExecutionStarted. */
  parent?: ParentExecution;
  /** Where distributed Maps run their sub-workflow executions (default: in this process, with no listener). */
  subExecutions?: SubExecutionHost;
}

/** What a host may add to a sub-workflow execution it starts: a listener for its own events, its own history file. */
export interface SubExecutionListeners {
  onEvent?: (event: HistoryEvent) => void;
  historyDir?: string;
}

/**
 * Runs a distributed Map's sub-workflow executions: the emulator's CloudFlow API registers each as an execution of
 * its own, `riflow run` gives each a history file. `start` starts it with everything the parent passes down (the
 * task invoker, clock, policy, random source, mode and this host), plus the host's own listeners.
 */
export type SubExecutionHost = (request: SubExecutionRequest, start: (listeners: SubExecutionListeners) => ExecutionHandle) => ExecutionHandle;

const runHere: SubExecutionHost = (_request, start) => start({});

export type ExecutionStatus = 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut';

export interface ExecutionResult {
  name: string;
  status: ExecutionStatus;
  output?: JsonObject;
  /** CloudFlow error name (Failed, TimedOut). */
  error?: string;
  /** Error detail, or why it stopped. */
  cause?: string;
  /** ISO-8601, from the execution's clock. */
  startedAt: string;
  stoppedAt: string;
  counts: ExecutionCounts;
  /** The events CloudFlow's GetExecutionHistory would list for this run (held against the 5,000-event limit). */
  historyEvents: number;
  historyPath?: string;
  /** Set when the history file could not be written; the run itself is unaffected. */
  historyError?: string;
}

export interface ExecutionHandle {
  name: string;
  result: Promise<ExecutionResult>;
  /** Stops the run: pending waits are cancelled and running tasks see their signal abort. */
  stop(reason?: string): void;
}

export function startExecution(flow: Flow, input: unknown, options: StartExecutionOptions): ExecutionHandle {
  const clock = options.clock ?? realClock;
  const policy = options.policy ?? CLOUDFLOW_POLICY;
  // A generated name follows the rule by construction.
  if (options.name !== undefined && !isExecutionName(options.name)) {
    throw new Error(`invalid execution name "${options.name}": it must be ${EXECUTION_NAME_RULE}`);
  }
  const name = options.name ?? generateName(clock, options.random);
  const scope = compileFlow(flow, policy);
  const history = options.historyDir === undefined ? undefined : new HistoryFile(options.historyDir, name);
  const host = options.subExecutions ?? runHere;
  // A sub-execution gets what its parent was given (invoker, clock, policy, the same random source) and the same host.
  const startSubExecution = (request: SubExecutionRequest): SubExecutionHandle =>
    host(request, (listeners) =>
      startExecution(request.flow, request.input, {
        invokeTask: options.invokeTask,
        clock,
        policy,
        random: runtime.random,
        mode: request.mode,
        parent: request.parent,
        subExecutions: host,
        ...listeners,
        name: request.name,
      }),
    );
  const runtime = new ExecutionRuntime(flow, name, toJsonValue(input), { ...options, startSubExecution }, clock, policy, history);
  return new RunningExecution(runtime, runExecution(runtime, scope, history, options.signal));
}

class RunningExecution implements ExecutionHandle {
  readonly name: string;

  constructor(
    private readonly runtime: ExecutionRuntime,
    readonly result: Promise<ExecutionResult>,
  ) {
    this.name = runtime.executionName;
  }

  stop(reason?: string): void {
    this.runtime.stopper.stop(new ExecutionAborted('stopped', reason ?? 'stopped by the caller'));
  }
}

async function runExecution(runtime: ExecutionRuntime, scope: CompiledScope, history: HistoryFile | undefined, external: AbortSignal | undefined): Promise<ExecutionResult> {
  const { clock, policy, deadline, stopper } = runtime;
  const { signal } = stopper;
  const onExternalAbort = external && ((): void => stopper.stop(abortReason(external)));
  if (external?.aborted) stopper.stop(abortReason(external));
  else if (onExternalAbort) external?.addEventListener('abort', onExternalAbort, { once: true });
  let outcome: Outcome;
  // On a real clock a timer also interrupts a long task at the deadline; a VirtualClock gets no timer: its time may
  // jump while a task's real I/O is in flight (unless the invoker holds it, see holdTimeDuringTasks in clock.ts), and
  // a jump must not time the run out mid-call.
  const timer = deadline !== undefined && !(clock instanceof VirtualClock) ? new AbortController() : undefined;
  try {
    runtime.emit({
      type: 'ExecutionStarted',
      flow: runtime.flow.name,
      input: runtime.executionInput,
      ...(runtime.parent ? { parent: runtime.parent } : {}),
      ...(runtime.mode === 'Express' ? { mode: runtime.mode } : {}),
    });
    const data = checkStateData(runtime.inputValue, policy, 'the execution input', policy.errorNames.invalidInput);
    if (deadline !== undefined && timer) {
      clock.sleep(deadline - clock.now(), timer.signal).then(
        () => stopper.stop(runtime.timedOut()),
        () => undefined,
      );
    }
    const output = await runScope(scope, data, { runtime, stopper });
    runtime.emit({ type: 'ExecutionSucceeded', output });
    outcome = { status: 'Succeeded', output };
  } catch (thrown) {
    outcome = finishWithError(thrown, signal, runtime, policy);
  } finally {
    timer?.abort();
    if (onExternalAbort) external?.removeEventListener('abort', onExternalAbort);
  }
  const result: ExecutionResult = {
    name: runtime.executionName,
    startedAt: runtime.startedAt,
    counts: runtime.counts,
    ...outcome,
    stoppedAt: isoTime(clock.now()),
    historyEvents: runtime.historyEvents,
  };
  if (history) {
    result.historyPath = history.path;
    const error = await history.close();
    if (error) result.historyError = error.message;
  }
  return result;
}

type Outcome = Omit<ExecutionResult, 'name' | 'startedAt' | 'stoppedAt' | 'counts' | 'historyEvents'>;

function finishWithError(thrown: unknown, signal: AbortSignal, runtime: Runtime, policy: CloudFlowPolicy): Outcome {
  if (thrown instanceof ExecutionAborted || signal.aborted) {
    const reason = signal.aborted ? abortReason(signal) : (thrown as ExecutionAborted);
    if (reason.kind === 'failed') {
      const error = reason.error ?? policy.errorNames.fcUnknown;
      runtime.emit({ type: 'ExecutionFailed', error, cause: reason.message });
      return { status: 'Failed', error, cause: reason.message };
    }
    if (reason.kind === 'timedOut') {
      runtime.emit({ type: 'ExecutionTimedOut', error: policy.errorNames.executionTimeout, cause: reason.message });
      return { status: 'TimedOut', error: policy.errorNames.executionTimeout, cause: reason.message };
    }
    runtime.emit({ type: 'ExecutionStopped', reason: reason.message });
    return { status: 'Stopped', cause: reason.message };
  }
  const error = thrown instanceof FlowError ? thrown : toFlowError(thrown, policy.errorNames.fcUnknown);
  runtime.emit({ type: 'ExecutionFailed', error: error.name, cause: error.message });
  return { status: 'Failed', error: error.name, cause: error.message };
}

/** `exec-<yyyymmddhhmmss>-<8 hex digits>`. */
function generateName(clock: Clock, random: (() => number) | undefined): string {
  const stamp = secondStamp(clock.now());
  // Names only need to be unique, not secret: a random draw is enough (injected for repeatable tests).
  const suffix = Math.floor((random ?? Math.random)() * 2 ** 32).toString(16).padStart(8, '0');
  return `exec-${stamp}-${suffix}`;
}
