/** What every state visit of one execution shares: clock, policy, task invoker, counters and the event sink. */
import type { Clock } from './clock';
import { ExecutionAborted, FlowError } from './errors';
import type { HistoryEventBody } from './history';
import { isJsonObject, jsonByteSize, type JsonObject, type JsonValue } from './json';
import { citeLimit, CLOUDFLOW_LIMITS } from './limits';
import type { ExecutionMode, Flow } from './model';
import type { CloudFlowPolicy } from './policy';

/** One call of a Task's integration, with `Parameters` already evaluated. */
export interface TaskRequest {
  action: string;
  parameters: JsonObject;
  stateName: string;
  executionName: string;
  /** Retries already made in this state visit (0 on the first call). */
  retryCount: number;
  /** Aborted when the execution stops, times out, a sibling branch fails, or the Task's own Timeout passes. */
  signal: AbortSignal;
}

/** Returns the task's raw `$Output`, or throws an error whose `name` is the CloudFlow error name. */
export type InvokeTask = (request: TaskRequest) => Promise<unknown>;

export interface ExecutionCounts {
  /** States entered (including inside branches and iterations), plus retries when the policy counts them. */
  stateTransitions: number;
  taskCalls: number;
  retries: number;
}

/** Where a sub-workflow execution comes from: the parent execution and its distributed Map. */
export interface ParentExecution {
  execution: string;
  flow: string;
  /** The distributed Map state. */
  state: string;
  mapRunName: string;
  /** 0-based position of this sub-execution in the map run. */
  index: number;
  /** Items it processes: 1, or the size of its batch. */
  items: number;
}

/** One sub-workflow execution to start for a distributed Map. */
export interface SubExecutionRequest {
  /** The Map's Processor as a flow of its own, under the parent's flow name. */
  flow: Flow;
  name: string;
  input: JsonObject;
  parent: ParentExecution;
  mode: ExecutionMode;
}

export interface SubExecutionResult {
  status: 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut';
  output?: JsonObject;
  error?: string;
  cause?: string;
}

export interface SubExecutionHandle {
  name: string;
  result: Promise<SubExecutionResult>;
  stop(reason?: string): void;
}

export interface Runtime {
  readonly flow: Flow;
  /** Standard for a top-level execution; a distributed Map's ProcessorConfig.ExecutionMode for its sub-executions. */
  readonly mode: ExecutionMode;
  readonly policy: CloudFlowPolicy;
  readonly clock: Clock;
  readonly invokeTask: InvokeTask;
  readonly random: () => number;
  readonly executionName: string;
  readonly executionInput: JsonObject;
  readonly counts: ExecutionCounts;
  /** False when nobody listens: events are then only counted, never built. */
  readonly listening: boolean;
  /** Counts `events` documented events (the number one interpreter event stands for, computed once per state)
   * against the history limit, which may end the execution: then it throws the abort. Returns whether to build the
   * event and `record` it: someone listens and the history is not full. `state` and `scope` name it in that abort. */
  count(events: number, state: string | undefined, scope: string | undefined): boolean;
  /** Records an event that `count` admitted. */
  record(event: HistoryEventBody, scope: string | undefined): void;
  /** Counts and records an event built on the spot (the rarer ones: failures, retries, branches, the execution's own).
   * `scope` labels events inside a branch or an iteration. */
  emit(event: HistoryEventBody, scope?: string): void;
  /** Sleeps on the clock, but never past the execution deadline (then the execution times out). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Times the execution out if the clock has passed its deadline. */
  checkDeadline(): void;
  /** Starts one sub-workflow execution of a distributed Map (wherever the caller of startExecution runs them). */
  startSubExecution(request: SubExecutionRequest): SubExecutionHandle;
  /** Distributed Map runs of this execution: open right now, and how many each Map state has started. */
  readonly mapRuns: { open: number; readonly started: Map<string, number> };
}

/** A running scope: the flow itself, one Parallel branch, or one Map iteration. */
export interface ScopeRun {
  readonly runtime: Runtime;
  /** Shared by the children of one Parallel or Map, which stop together. */
  readonly stopper: Stopper;
  /** Label for events of nested states, e.g. "Fanout.Branch1"; undefined at the top. */
  readonly label?: string;
}

export function emitIn(run: ScopeRun, event: HistoryEventBody): void {
  run.runtime.emit(event, run.label);
}

/** State data: a JSON object within the documented size. `what` names the state, e.g. `Describe: output`. */
export function checkStateData(
  value: JsonValue | undefined,
  policy: CloudFlowPolicy,
  what: string,
  notObjectError = policy.errorNames.invalidOutput,
): JsonObject {
  if (!isJsonObject(value)) {
    const kind = value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    throw new FlowError(notObjectError, `${what} must be a JSON object, got ${kind}`);
  }
  return checkDataSize(value, policy, what);
}

/** Any state input or output, the raw `$Output` of a Task, Parallel or Map included, is at most 64 KiB of JSON. */
export function checkDataSize<T extends JsonValue>(value: T, policy: CloudFlowPolicy, what: string): T {
  const limit = CLOUDFLOW_LIMITS.stateDataBytes;
  const size = jsonByteSize(value, limit.value);
  if (size > limit.value) throw new FlowError(policy.errorNames.dataSizeExceeded, `${what} is ${size} bytes: ${citeLimit(limit)}`);
  return value;
}

export function isAbort(error: unknown, signal: AbortSignal): boolean {
  return error instanceof ExecutionAborted || signal.aborted;
}

/** The abort reason as an ExecutionAborted, whatever the caller's signal carried. */
export function abortReason(signal: AbortSignal): ExecutionAborted {
  const reason: unknown = signal.reason;
  if (reason instanceof ExecutionAborted) return reason;
  return new ExecutionAborted('stopped', reason instanceof Error ? reason.message : String(reason ?? 'stopped'));
}

/**
 * Stops a running scope: aborts its signal (which task invokers and the clock see) and rejects at once every call
 * racing it. The racing calls are kept here for the stop to reject, not as an abort listener each, and each call
 * leaves when it settles: nothing per call stays behind while the scope runs on.
 */
export class Stopper {
  private hasStopped = false;
  private readonly controller = new AbortController();
  private cachedSignal: AbortSignal | undefined;
  /** The calls racing the stop: one in a scope that runs its states in turn, more when a Parallel's or a Map's
   * children share the stopper. */
  private racer: ((reason: ExecutionAborted) => void) | undefined;
  private moreRacers: Set<(reason: ExecutionAborted) => void> | undefined;

  /** The signal's `aborted`, without asking the signal (which is slow to ask, and asked before every visit). */
  get stopped(): boolean {
    return this.hasStopped;
  }

  get signal(): AbortSignal {
    this.cachedSignal ??= this.controller.signal;
    return this.cachedSignal;
  }

  stop(reason: unknown): void {
    if (this.hasStopped) return;
    this.hasStopped = true;
    this.controller.abort(reason);
    const aborted = abortReason(this.signal);
    this.racer?.(aborted);
    for (const reject of this.moreRacers ?? []) reject(aborted);
    this.racer = undefined;
    this.moreRacers = undefined;
  }

  /**
   * `promise.then(onValue, onError)`, unless the scope stops first: then the result rejects at once with the stop's
   * reason, and neither is called when `promise` settles later (a task that ignores its signal is left behind).
   */
  race<T>(promise: Promise<T>): Promise<T>;
  race<T, R>(promise: Promise<T>, onValue: (value: T) => R, onError: (error: unknown) => R): Promise<R>;
  race<T, R>(promise: Promise<T>, onValue: (value: T) => R | T = same, onError: (error: unknown) => R = rethrow): Promise<R | T> {
    if (this.hasStopped) {
      // The task is abandoned; a later failure of it is of no interest any more.
      promise.catch(() => undefined);
      return Promise.reject(abortReason(this.signal));
    }
    return new Promise<R | T>((resolve, reject) => {
      this.enter(reject);
      // Subscribing handles a rejection after a stop too.
      promise.then(
        (value) => {
          if (this.leave(reject)) settle(onValue, value, resolve, reject);
        },
        (error: unknown) => {
          if (this.leave(reject)) settle(onError, error, resolve, reject);
        },
      );
    });
  }

  private enter(reject: (reason: ExecutionAborted) => void): void {
    if (this.racer === undefined) this.racer = reject;
    else (this.moreRacers ??= new Set()).add(reject);
  }

  /** Whether the call was still racing (the stop has not rejected it). */
  private leave(reject: (reason: ExecutionAborted) => void): boolean {
    if (this.racer === reject) {
      this.racer = undefined;
      return true;
    }
    return this.moreRacers?.delete(reject) ?? false;
  }
}

function same<T>(value: T): T {
  return value;
}

function rethrow(error: unknown): never {
  throw error;
}

function settle<T, R>(then: (value: T) => R, value: T, resolve: (result: R) => void, reject: (error: unknown) => void): void {
  try {
    resolve(then(value));
  } catch (error) {
    reject(error);
  }
}
