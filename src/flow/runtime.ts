/** What every state visit of one execution shares: clock, policy, task invoker, counters and the event sink. */
import type { Clock } from './clock';
import { ExecutionAborted, FlowError } from './errors';
import type { EvalScope } from './expression/evaluate';
import { evaluateTemplate, type Template } from './expression/template';
import type { HistoryEventBody } from './history';
import { isJsonObject, jsonByteSize, type JsonObject, type JsonValue } from './json';
import { citeLimit, CLOUDFLOW_LIMITS } from './limits';
import type { ExecutionMode, Flow } from './model';
import type { CloudFlowPolicy, ExpressionPolicy } from './policy';

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
  /** Counts the event against the history limit (which may end the execution: then it throws the abort), and
   * records it when someone listens. `scope` labels events inside a branch or an iteration. */
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
  readonly signal: AbortSignal;
  /** Label for events of nested states, e.g. "Fanout.Branch1"; undefined at the top. */
  readonly label?: string;
}

export function emitIn(run: ScopeRun, event: HistoryEventBody): void {
  run.runtime.emit(event, run.label);
}

/** What `$Context` holds during one visit; built only when an expression reads it. */
export interface CurrentState {
  name: string;
  input: JsonObject;
  retryCount: number;
  output?: JsonValue;
  error?: { Code: string; Detail: string };
}

class VisitScope implements EvalScope {
  private built: JsonObject | undefined;
  readonly random: () => number;
  readonly errorName: string;
  readonly policy: ExpressionPolicy;

  constructor(
    private readonly runtime: Runtime,
    private readonly current: CurrentState,
    readonly input: JsonValue,
    readonly output: JsonValue | undefined,
    readonly item: JsonValue | undefined,
  ) {
    this.random = runtime.random;
    this.errorName = runtime.policy.errorNames.expression;
    this.policy = runtime.policy.expressions;
  }

  get context(): JsonObject {
    if (!this.built) {
      const { current, runtime } = this;
      const currentObject: JsonObject = { Name: current.name, Input: current.input, RetryCount: current.retryCount };
      if (current.output !== undefined) currentObject.Output = current.output;
      if (current.error) currentObject.Error = current.error;
      this.built = { Execution: { Name: runtime.executionName, Input: runtime.executionInput }, Current: currentObject };
    }
    return this.built;
  }
}

/** `item`: `$Item`, in a distributed Map's ItemConstructor only. */
export function evalScope(runtime: Runtime, current: CurrentState, input: JsonValue, output?: JsonValue, item?: JsonValue): EvalScope {
  return new VisitScope(runtime, current, input, output, item);
}

/** Evaluates a constructor into the next state data, which must be a JSON object within the size limit. */
export function construct(template: Template, scope: EvalScope, policy: CloudFlowPolicy, what: string): JsonObject {
  return checkStateData(evaluateTemplate(template, scope, policy.missingPath), policy, what);
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

/** One promise per signal that rejects when it aborts: racing against it costs no listener per call. */
const abortPromises = new WeakMap<AbortSignal, Promise<never>>();

function whenAborted(signal: AbortSignal): Promise<never> {
  let promise = abortPromises.get(signal);
  if (!promise) {
    promise = new Promise<never>((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
    });
    promise.catch(() => undefined);
    abortPromises.set(signal, promise);
  }
  return promise;
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (a task that ignores its signal is left behind). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The task is abandoned; a later failure of it is of no interest any more.
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  // Promise.race subscribes to `promise`, so a rejection after an abort is handled too.
  return Promise.race([promise, whenAborted(signal)]);
}
