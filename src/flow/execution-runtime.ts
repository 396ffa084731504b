/** One execution's shared state (the `Runtime` every visit reads): clock, policy, invoker, counters, the stopper,
 * the documented-event count held against the 5,000-event limit, and the event sink. */
import { closesExecution, documentedEventTypes } from './cloudflow-history';
import type { Clock } from './clock';
import { ExecutionAborted } from './errors';
import { HISTORY_VERSION, type EventLog, type HistoryEvent, type HistoryEventBody } from './history';
import type { JsonObject, JsonValue } from './json';
import { citeLimit, CLOUDFLOW_LIMITS } from './limits';
import type { ExecutionMode, Flow } from './model';
import type { CloudFlowPolicy } from './policy';
import { replayedError, type ExecutionReplay } from './replay';
import {
  abortReason,
  Stopper,
  type ExecutionCounts,
  type InvokeTask,
  type ParentExecution,
  type Runtime,
  type MapRuns,
  type SubExecutionHandle,
  type SubExecutionRequest,
} from './runtime';
import { isoTime } from './time-text';

/** `Host`: how sub-executions are started (execution.ts's SubExecutionHost), held only to be handed on, so this file
 * need not import execution.ts. */
export class ExecutionRuntime<Host = unknown> implements Runtime {
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
  /** Where this execution's distributed Maps start their sub-executions (undefined: in this process). */
  readonly subExecutions: Host | undefined;
  private mapRunCounts: MapRuns | undefined;
  /** Counted as GetExecutionHistory counts (cloudflow-history.ts), whether or not anyone listens. */
  historyEvents = 0;
  // Past the limit the execution fails; one place stays free for the event that closes it, and nothing else is
  // recorded after that.
  private historyFull = false;
  private readonly historyRoom = CLOUDFLOW_LIMITS.historyEvents.value - 1;
  private seq = 0;
  private readonly onEvent: ((event: HistoryEvent) => void) | undefined;
  private readonly replay: ExecutionReplay | undefined;
  /** The invoker as given (a replay answers recorded calls in front of it): what sub-executions are handed. */
  readonly givenInvokeTask: InvokeTask;

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
      subExecutions?: Host;
      replay?: ExecutionReplay;
    },
    readonly clock: Clock,
    readonly policy: CloudFlowPolicy,
    private readonly history: EventLog | undefined,
    /** Shared by every execution (execution.ts), so that none holds a closure of its own for it. */
    private readonly launch: (parent: ExecutionRuntime<Host>, request: SubExecutionRequest) => SubExecutionHandle,
  ) {
    const { replay } = given;
    this.replay = replay;
    this.givenInvokeTask = given.invokeTask;
    this.invokeTask = replay ? replayingInvoker(replay, given.invokeTask) : given.invokeTask;
    this.random = given.random ?? Math.random;
    this.onEvent = given.onEvent;
    this.listening = given.onEvent !== undefined || history !== undefined;
    this.executionInput = (inputValue ?? {}) as JsonObject;
    this.mode = given.mode ?? 'Standard';
    this.parent = given.parent;
    this.subExecutions = given.subExecutions;
    // The deadline is checked whenever a state is entered or a wait begins (and by a timer on a real clock, see
    // runExecution). A resumed execution keeps its first start: the deadline counts from it.
    const start = replay?.startedAt ?? clock.now();
    const limit = executionLimit(flow, this.mode);
    this.deadline = limit === undefined ? undefined : start + limit.seconds * 1000;
    this.startedAt = isoTime(start);
  }

  /** Distributed Map runs, made on the first one: most executions have none. */
  get mapRuns(): MapRuns {
    return (this.mapRunCounts ??= { open: 0, started: new Map() });
  }

  startSubExecution(request: SubExecutionRequest): SubExecutionHandle {
    return this.launch(this, request);
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
    let event = (scope === undefined ? { v: HISTORY_VERSION, seq, time, execution, ...body } : { v: HISTORY_VERSION, seq, time, execution, ...body, scope }) as HistoryEvent;
    if (this.replay) {
      const replayed = this.replay.event(event);
      event = replayed.event;
      if (replayed.fresh) this.history?.write(event);
    } else {
      this.history?.write(event);
    }
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

  sleep(wanted: number, signal: AbortSignal, scope: string | undefined): Promise<void> {
    const { deadline, clock } = this;
    const ms = this.replay ? this.replay.sleepLeft(wanted, scope, clock.now()) : wanted;
    // A replayed sleep that had ended takes no turn of the event loop: a replay runs in promise reactions only.
    if (ms === 0 && wanted > 0) return signal.aborted ? Promise.reject(abortReason(signal)) : Promise.resolve();
    if (deadline === undefined || clock.now() + ms < deadline) return clock.sleep(ms, signal);
    return clock.sleep(deadline - clock.now(), signal).then(() => this.timeOut());
  }

  checkDeadline(): void {
    if (this.deadline !== undefined && this.clock.now() >= this.deadline) this.timeOut();
  }

  timedOut(): ExecutionAborted {
    return new ExecutionAborted('timedOut', executionLimit(this.flow, this.mode)?.reason ?? 'the execution ran past its deadline');
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

/** Task calls with a recorded outcome get it back; the others are made for real. */
function replayingInvoker(replay: ExecutionReplay, invokeTask: InvokeTask): InvokeTask {
  return (request) => {
    const recorded = replay.task(request);
    if (!recorded) return invokeTask(request);
    return recorded.ok ? Promise.resolve(recorded.output) : Promise.reject(replayedError(recorded));
  };
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
