/** One execution's shared state (the `Runtime` every visit reads): clock, policy, invoker, counters, the stopper,
 * the documented-event count held against the 5,000-event limit, and the event sink. */
import { closesExecution, documentedEventTypes } from './cloudflow-history';
import type { Clock } from './clock';
import { ExecutionAborted } from './errors';
import { HISTORY_VERSION, type HistoryEvent, type HistoryEventBody, type HistoryFile } from './history';
import type { JsonObject, JsonValue } from './json';
import { citeLimit, CLOUDFLOW_LIMITS } from './limits';
import type { ExecutionMode, Flow } from './model';
import type { CloudFlowPolicy } from './policy';
import {
  abortReason,
  Stopper,
  type ExecutionCounts,
  type InvokeTask,
  type ParentExecution,
  type Runtime,
  type SubExecutionHandle,
  type SubExecutionRequest,
} from './runtime';
import { isoTime } from './time-text';

export class ExecutionRuntime implements Runtime {
  readonly stopper = new Stopper();
  readonly invokeTask: InvokeTask;
  readonly random: () => number;
  readonly executionInput: JsonObject;
  readonly counts: ExecutionCounts = { stateTransitions: 0, taskCalls: 0, retries: 0 };
  readonly listening: boolean;
  readonly startedAt: string;
  /** The flow Timeout (or an Express execution's limit, when sooner) as a time on the clock. */
  readonly deadline: number | undefined;
  readonly mode: ExecutionMode;
  readonly parent: ParentExecution | undefined;
  readonly mapRuns = { open: 0, started: new Map<string, number>() };
  readonly startSubExecution: (request: SubExecutionRequest) => SubExecutionHandle;
  private readonly timeoutReason: string;
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
    given: {
      invokeTask: InvokeTask;
      random?: () => number;
      onEvent?: (event: HistoryEvent) => void;
      mode?: ExecutionMode;
      parent?: ParentExecution;
      startSubExecution: (request: SubExecutionRequest) => SubExecutionHandle;
    },
    readonly clock: Clock,
    readonly policy: CloudFlowPolicy,
    private readonly history: HistoryFile | undefined,
  ) {
    this.invokeTask = given.invokeTask;
    this.random = given.random ?? Math.random;
    this.onEvent = given.onEvent;
    this.listening = given.onEvent !== undefined || history !== undefined;
    this.executionInput = (inputValue ?? {}) as JsonObject;
    this.mode = given.mode ?? 'Standard';
    this.parent = given.parent;
    this.startSubExecution = given.startSubExecution;
    // The deadline is checked whenever a state is entered or a wait begins (and by a timer on a real clock, see
    // runExecution).
    const limit = executionLimit(flow, this.mode);
    this.deadline = limit === undefined ? undefined : clock.now() + limit.seconds * 1000;
    this.timeoutReason = limit?.reason ?? 'the execution ran past its deadline';
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
    return new ExecutionAborted('timedOut', this.timeoutReason);
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

/** The execution's deadline, if any: the flow Timeout, or for Express the documented 5 minutes when sooner. */
function executionLimit(flow: Flow, mode: ExecutionMode): { seconds: number; reason: string } | undefined {
  const express = CLOUDFLOW_LIMITS.expressExecutionSecondsMax;
  const timeout = flow.timeoutSeconds;
  if (mode === 'Express' && (timeout === undefined || express.value <= timeout)) {
    return { seconds: express.value, reason: `the Express execution ran past ${express.value} s: ${citeLimit(express)}` };
  }
  return timeout === undefined ? undefined : { seconds: timeout, reason: `the execution ran past the flow Timeout of ${timeout} s` };
}
