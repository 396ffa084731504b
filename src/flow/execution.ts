/** `startExecution`: runs a loaded flow (compiled once, compile.ts) to its end, streaming history events, with stop,
 * timeout and counters. */
import { closesExecution, documentedEventTypes } from './cloudflow-history';
import { realClock, VirtualClock, type Clock } from './clock';
import { compileFlow } from './compile';
import { ExecutionAborted, FlowError, toFlowError } from './errors';
import { EXECUTION_NAME_RULE, isExecutionName } from './execution-name';
import { HistoryFile, HISTORY_VERSION, type HistoryEvent, type HistoryEventBody } from './history';
import { toJsonValue, type JsonObject, type JsonValue } from './json';
import { CLOUDFLOW_LIMITS } from './limits';
import type { Flow } from './model';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from './policy';
import { abortReason, checkStateData, Stopper, type ExecutionCounts, type InvokeTask, type Runtime } from './runtime';
import type { CompiledScope } from './states/unit';
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
}

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
  const runtime = new ExecutionRuntime(flow, name, toJsonValue(input), options, clock, policy, history);
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

/** One execution's shared state: what every visit reads (runtime.ts), the history count and the event sink. */
class ExecutionRuntime implements Runtime {
  readonly stopper = new Stopper();
  readonly invokeTask: InvokeTask;
  readonly random: () => number;
  readonly executionInput: JsonObject;
  readonly counts: ExecutionCounts = { stateTransitions: 0, taskCalls: 0, retries: 0 };
  readonly listening: boolean;
  readonly startedAt: string;
  /** The flow Timeout as a time on the clock. */
  readonly deadline: number | undefined;
  /** Counted as GetExecutionHistory counts (cloudflow-history.ts), whether or not anyone listens. */
  historyEvents = 0;
  // Past the limit the execution fails; one place stays free for the event that closes it, and nothing else is
  // recorded after that.
  private historyFull = false;
  private readonly historyRoom = CLOUDFLOW_LIMITS.historyEvents.value - 1;
  private seq = 0;
  private readonly onEvent: ((event: HistoryEvent) => void) | undefined;

  constructor(
    readonly flow: Flow,
    readonly executionName: string,
    /** The input as JSON (it is checked as state data once the run starts). */
    readonly inputValue: JsonValue,
    options: StartExecutionOptions,
    readonly clock: Clock,
    readonly policy: CloudFlowPolicy,
    private readonly history: HistoryFile | undefined,
  ) {
    this.invokeTask = options.invokeTask;
    this.random = options.random ?? Math.random;
    this.onEvent = options.onEvent;
    this.listening = options.onEvent !== undefined || history !== undefined;
    this.executionInput = (inputValue ?? {}) as JsonObject;
    // The flow Timeout is a deadline checked whenever a state is entered or a wait begins (and by a timer on a real
    // clock, see runExecution).
    this.deadline = flow.timeoutSeconds === undefined ? undefined : clock.now() + flow.timeoutSeconds * 1000;
    this.startedAt = isoTime(clock.now());
  }

  count(events: number, state: string | undefined, scope: string | undefined): boolean {
    if (this.historyFull) return false;
    if (this.historyEvents + events > this.historyRoom) this.refuseEvents(events, state, scope);
    this.historyEvents += events;
    return this.listening;
  }

  record(body: HistoryEventBody, scope: string | undefined): void {
    this.seq += 1;
    const { seq, executionName: execution } = this;
    const time = isoTime(this.clock.now());
    const event = (scope === undefined ? { v: HISTORY_VERSION, seq, time, execution, ...body } : { v: HISTORY_VERSION, seq, time, execution, ...body, scope }) as HistoryEvent;
    this.history?.write(event);
    if (this.onEvent) {
      try {
        this.onEvent(event);
      } catch {
        // A listener's failure must not change the execution.
      }
    }
  }

  emit(body: HistoryEventBody, scope?: string): void {
    const events = documentedEventTypes(body, this.policy).length;
    const state = 'state' in body ? body.state : undefined;
    if (closesExecution(body)) {
      this.historyEvents += events;
      if (this.listening) this.record(body, scope);
    } else if (this.count(events, state, scope)) {
      this.record(body, scope);
    }
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    const { deadline, clock } = this;
    if (deadline === undefined || clock.now() + ms < deadline) return clock.sleep(ms, signal);
    return clock.sleep(deadline - clock.now(), signal).then(() => this.timeOut());
  }

  checkDeadline(): void {
    if (this.deadline !== undefined && this.clock.now() >= this.deadline) this.timeOut();
  }

  timedOut(): ExecutionAborted {
    return new ExecutionAborted('timedOut', `the execution ran past the flow Timeout of ${this.flow.timeoutSeconds} s`);
  }

  private timeOut(): never {
    this.stopper.stop(this.timedOut());
    throw abortReason(this.stopper.signal);
  }

  private refuseEvents(count: number, state: string | undefined, scope: string | undefined): never {
    this.historyFull = true;
    const limit = CLOUDFLOW_LIMITS.historyEvents;
    const where = state === undefined ? 'the execution' : `state "${state}"${scope === undefined ? '' : ` (in ${scope})`}`;
    const reason = new ExecutionAborted(
      'failed',
      `${where} would record ${count} more history event${count === 1 ? '' : 's'} after ${this.historyEvents}: CloudFlow allows ` +
        `${limit.value} ${limit.what} (${limit.page})`,
      this.policy.errorNames.historyLimitExceeded,
    );
    this.stopper.stop(reason);
    throw reason;
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
    runtime.emit({ type: 'ExecutionStarted', flow: runtime.flow.name, input: runtime.executionInput });
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

/** The second last formatted: its ISO-8601 text up to the seconds, and as the stamp of generated names. */
let lastSecond = { second: Number.NaN, iso: '', stamp: '' };

function formattedSecond(second: number): typeof lastSecond {
  if (second !== lastSecond.second) {
    const iso = new Date(second * 1000).toISOString().slice(0, -5);
    lastSecond = { second, iso, stamp: iso.replace(/[-:T]/g, '').slice(0, 14) };
  }
  return lastSecond;
}

/** The clock's time as ISO-8601, as `Date.prototype.toISOString` writes it; only the milliseconds are formatted per
 * call (a Date per event and per start and stop is the slow part). */
function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  const millis = whole - second * 1000;
  return `${formattedSecond(second).iso}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** `exec-<yyyymmddhhmmss>-<8 hex digits>`. */
function generateName(clock: Clock, random: (() => number) | undefined): string {
  const { stamp } = formattedSecond(Math.floor(clock.now() / 1000));
  // Names only need to be unique, not secret: a random draw is enough (injected for repeatable tests).
  const suffix = Math.floor((random ?? Math.random)() * 2 ** 32).toString(16).padStart(8, '0');
  return `exec-${stamp}-${suffix}`;
}
