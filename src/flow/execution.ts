/** `startExecution`: runs a loaded flow to its end, streaming history events, with stop, timeout and counters. */
import { realClock, VirtualClock, type Clock } from './clock';
import { closesExecution, documentedEventTypes } from './cloudflow-history';
import { ExecutionAborted, FlowError, toFlowError } from './errors';
import { EXECUTION_NAME_RULE, isExecutionName } from './execution-name';
import { HistoryFile, HISTORY_VERSION, type HistoryEvent, type HistoryEventBody } from './history';
import { toJsonValue, type JsonObject } from './json';
import { citeLimit, CLOUDFLOW_LIMITS } from './limits';
import type { ExecutionMode, Flow } from './model';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from './policy';
import {
  abortReason,
  checkStateData,
  type ExecutionCounts,
  type InvokeTask,
  type ParentExecution,
  type Runtime,
  type SubExecutionRequest,
} from './runtime';
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
  const random = options.random ?? Math.random;
  const name = options.name ?? generateName(clock, options.random);
  if (!isExecutionName(name)) {
    throw new Error(`invalid execution name "${name}": it must be ${EXECUTION_NAME_RULE}`);
  }
  const history = options.historyDir === undefined ? undefined : new HistoryFile(options.historyDir, name);
  const onEvent = options.onEvent;
  const controller = new AbortController();
  const external = options.signal;
  const onExternalAbort = (): void => controller.abort(abortReason(external as AbortSignal));
  if (external?.aborted) onExternalAbort();
  else external?.addEventListener('abort', onExternalAbort, { once: true });

  // The flow Timeout (or an Express execution's 5 minutes, whichever comes first) is a deadline checked whenever a
  // state is entered or a wait begins. On a real clock a timer also interrupts a long task; a VirtualClock gets no
  // timer: its time may jump while a task's real I/O is in flight (unless the invoker holds it, see
  // holdTimeDuringTasks in clock.ts), and a jump must not time the run out mid-call.
  const mode = options.mode ?? 'Standard';
  const limit = executionLimit(flow, mode);
  const deadline = limit === undefined ? undefined : clock.now() + limit.seconds * 1000;
  const timeOut = (): never => {
    controller.abort(new ExecutionAborted('timedOut', limit?.reason ?? 'the execution ran past its deadline'));
    throw abortReason(controller.signal);
  };
  const host = options.subExecutions ?? runHere;
  let seq = 0;
  // Counted as GetExecutionHistory counts (cloudflow-history.ts), whether or not anyone listens. Past the limit the
  // execution fails; one place stays free for the event that closes it, and nothing else is recorded after that.
  const historyLimit = CLOUDFLOW_LIMITS.historyEvents;
  let historyEvents = 0;
  let historyFull = false;
  const refuseEvent = (body: HistoryEventBody, scope: string | undefined, count: number): never => {
    historyFull = true;
    const where = 'state' in body ? `state "${body.state}"${scope === undefined ? '' : ` (in ${scope})`}` : 'the execution';
    const reason = new ExecutionAborted(
      'failed',
      `${where} would record ${count} more history event${count === 1 ? '' : 's'} after ${historyEvents}: CloudFlow allows ` +
        `${historyLimit.value} ${historyLimit.what} (${historyLimit.page})`,
      policy.errorNames.historyLimitExceeded,
    );
    controller.abort(reason);
    throw reason;
  };
  const executionInput = toJsonValue(input);
  const runtime: Runtime = {
    flow,
    mode,
    policy,
    clock,
    invokeTask: options.invokeTask,
    random,
    executionName: name,
    executionInput: (executionInput ?? {}) as JsonObject,
    counts: { stateTransitions: 0, taskCalls: 0, retries: 0 },
    listening: onEvent !== undefined || history !== undefined,
    async sleep(ms: number, signal: AbortSignal) {
      if (deadline === undefined || clock.now() + ms < deadline) return clock.sleep(ms, signal);
      await clock.sleep(deadline - clock.now(), signal);
      timeOut();
    },
    checkDeadline() {
      if (deadline !== undefined && clock.now() >= deadline) timeOut();
    },
    startSubExecution(request) {
      const passedDown = { invokeTask: options.invokeTask, clock, policy, random, mode: request.mode, parent: request.parent, subExecutions: host };
      return host(request, (listeners) => startExecution(request.flow, request.input, { ...passedDown, ...listeners, name: request.name }));
    },
    mapRuns: { open: 0, started: new Map() },
    emit(body: HistoryEventBody, scope?: string) {
      const count = documentedEventTypes(body, policy).length;
      if (!closesExecution(body)) {
        if (historyFull) return;
        if (historyEvents + count > historyLimit.value - 1) refuseEvent(body, scope, count);
      }
      historyEvents += count;
      if (!this.listening) return;
      seq += 1;
      const time = new Date(clock.now()).toISOString();
      const event = (scope === undefined ? { v: HISTORY_VERSION, seq, time, execution: name, ...body } : { v: HISTORY_VERSION, seq, time, execution: name, ...body, scope }) as HistoryEvent;
      history?.write(event);
      if (onEvent) {
        try {
          onEvent(event);
        } catch {
          // A listener's failure must not change the execution.
        }
      }
    },
  };

  const startedAt = new Date(clock.now()).toISOString();
  const run = async (): Promise<ExecutionResult> => {
    const base = { name, startedAt, counts: runtime.counts };
    let outcome: Outcome;
    const timer = deadline !== undefined && !(clock instanceof VirtualClock) ? new AbortController() : undefined;
    const timeoutReason = limit?.reason ?? '';
    try {
      runtime.emit({
        type: 'ExecutionStarted',
        flow: flow.name,
        input: runtime.executionInput,
        ...(options.parent ? { parent: options.parent } : {}),
        ...(mode === 'Express' ? { mode } : {}),
      });
      const data = checkStateData(executionInput, policy, 'the execution input', policy.errorNames.invalidInput);
      if (deadline !== undefined && timer) {
        clock.sleep(deadline - clock.now(), timer.signal).then(
          () => controller.signal.aborted || controller.abort(new ExecutionAborted('timedOut', timeoutReason)),
          () => undefined,
        );
      }
      const output = await runScope(flow.scope, data, { runtime, signal: controller.signal });
      runtime.emit({ type: 'ExecutionSucceeded', output });
      outcome = { status: 'Succeeded', output };
    } catch (thrown) {
      outcome = finishWithError(thrown, controller.signal, runtime, policy);
    } finally {
      timer?.abort();
      external?.removeEventListener('abort', onExternalAbort);
    }
    const result: ExecutionResult = { ...base, ...outcome, stoppedAt: new Date(clock.now()).toISOString(), historyEvents };
    if (history) {
      result.historyPath = history.path;
      const error = await history.close();
      if (error) result.historyError = error.message;
    }
    return result;
  };

  return {
    name,
    result: run(),
    stop(reason?: string) {
      controller.abort(new ExecutionAborted('stopped', reason ?? 'stopped by the caller'));
    },
  };
}

type Outcome = Omit<ExecutionResult, 'name' | 'startedAt' | 'stoppedAt' | 'counts' | 'historyEvents'>;

/** The execution's deadline, if any: the flow Timeout, or for Express the documented 5 minutes when sooner. */
function executionLimit(flow: Flow, mode: ExecutionMode): { seconds: number; reason: string } | undefined {
  const express = CLOUDFLOW_LIMITS.expressExecutionSecondsMax;
  const timeout = flow.timeoutSeconds;
  if (mode === 'Express' && (timeout === undefined || express.value <= timeout)) {
    return { seconds: express.value, reason: `the Express execution ran past ${express.value} s: ${citeLimit(express)}` };
  }
  return timeout === undefined ? undefined : { seconds: timeout, reason: `the execution ran past the flow Timeout of ${timeout} s` };
}

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

function generateName(clock: Clock, random: (() => number) | undefined): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // Names only need to be unique, not secret: a random draw is enough (injected for repeatable tests).
  const suffix = Math.floor((random ?? Math.random)() * 2 ** 32).toString(16).padStart(8, '0');
  return `exec-${stamp}-${suffix}`;
}
