/** Task: evaluates Parameters, calls the injected invoker (with the Task's own Timeout); its raw $Output is its output. */
import { FlowError, toFlowError } from '../errors';
import type { Evaluator } from '../expression/ast';
import { isJsonObject, toJsonValue, type JsonObject, type JsonValue } from '../json';
import { citeLimit, CLOUDFLOW_LIMITS } from '../limits';
import type { TaskState } from '../model';
import { emitIn, isAbort, type Runtime, type ScopeRun, type TaskRequest } from '../runtime';
import { emitStarted, flowOn, prepareFrame, type PrepareState, type Visit } from './unit';

export const prepareTask: PrepareState<TaskState> = (state, compiler) => {
  const { policy } = compiler;
  const frame = prepareFrame(state, compiler);
  const parameters = state.parameters && compiler.template(state.parameters);
  const timeout = state.timeoutSeconds;
  const timeoutSeconds = typeof timeout === 'object' ? dynamicTimeout(state.name, timeout.source, timeout.evaluate, policy.errorNames.invalidStateData) : () => timeout;
  const { action, name } = state;
  return {
    sync: false,
    // Not an async function: the call's outcome is handled in the continuations the stopper runs, so a task call
    // allocates one promise and its reactions, not a suspended frame as well.
    attempt(rawInput, visit, run) {
      const { runtime, stopper } = run;
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      const evaluated = parameters ? parameters(input, undefined, visit) : {};
      if (!isJsonObject(evaluated)) throw new FlowError(policy.errorNames.invalidStateData, `${name}: Parameters must evaluate to a JSON object`);
      const seconds = timeoutSeconds(input, visit);
      runtime.counts.taskCalls += 1;
      const { retryCount } = visit;
      const { events } = visit.state;
      if (runtime.count(events.taskScheduled, name, run.label)) {
        runtime.record({ type: 'TaskScheduled', state: name, action, parameters: evaluated, retryCount }, run.label);
      }
      const { executionName } = runtime;
      const call =
        seconds === undefined
          ? invoke(runtime.invokeTask, { action, parameters: evaluated, stateName: name, scope: run.label, executionName, retryCount, signal: stopper.signal })
          : callWithTimeout({ action, parameters: evaluated, stateName: name, scope: run.label, executionName, retryCount }, seconds, run);
      return stopper.race(
        call,
        (raw) => {
          let output: JsonValue;
          try {
            output = toJsonValue(raw);
          } catch (thrown) {
            return failed(thrown, name, retryCount, run);
          }
          if (runtime.count(events.taskSucceeded, name, run.label)) runtime.record({ type: 'TaskSucceeded', state: name, output, retryCount }, run.label);
          return flowOn(visit, frame.output(input, output, visit));
        },
        (thrown) => failed(thrown, name, retryCount, run),
      );
    },
  };
};

/** The call failed: an abort goes on as it is, any other error is recorded as the task's and leaves the attempt. */
function failed(thrown: unknown, name: string, retryCount: number, run: ScopeRun): never {
  if (isAbort(thrown, run.stopper.signal)) throw thrown;
  const error = toFlowError(thrown, run.runtime.policy.errorNames.fcUnknown);
  emitIn(run, { type: 'TaskFailed', state: name, error: error.name, cause: error.message, retryCount });
  throw error;
}

/** `Timeout.$` evaluated for each call: a whole number of seconds, 0 (none) to 604,800. */
function dynamicTimeout(name: string, source: string, evaluate: Evaluator, errorName: string): (input: JsonObject, visit: Visit) => number | undefined {
  const limit = CLOUDFLOW_LIMITS.taskTimeoutSecondsMax;
  return (input, visit) => {
    const value = evaluate(input, undefined, visit);
    // The docs write Timeout as a string of seconds, so "30" counts as 30.
    const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > limit.value) {
      throw new FlowError(
        errorName,
        `${name}: Timeout.$ (${source}) gave ${JSON.stringify(value ?? null)}; it must be a whole number of seconds from 0 to ${limit.value}: ${citeLimit(limit)}`,
      );
    }
    return seconds === 0 ? undefined : seconds;
  };
}

function callWithTimeout(request: Omit<TaskRequest, 'signal'>, seconds: number, run: ScopeRun): Promise<unknown> {
  const { runtime, stopper } = run;
  const { signal } = stopper;
  // The task gets its own signal: aborted by the execution, or by this Task's Timeout.
  const task = new AbortController();
  const timer = new AbortController();
  const onAbort = (): void => task.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const timeout = runtime.clock.sleep(seconds * 1000, timer.signal).then(
    () => {
      const error = new FlowError(runtime.policy.errorNames.taskTimeout, `${request.stateName} did not finish within its Timeout of ${seconds} s`);
      task.abort(error);
      throw error;
    },
    // Cancelled because the call finished first: never settle.
    () => new Promise<never>(() => undefined),
  );
  const call = stopper.race(invoke(runtime.invokeTask, { ...request, signal: task.signal }));
  return Promise.race([call, timeout]).finally(() => {
    timer.abort();
    signal.removeEventListener('abort', onAbort);
  });
}

/** Calls the invoker so that a synchronous throw becomes a rejection like any other task error. */
function invoke(fn: Runtime['invokeTask'], request: TaskRequest): Promise<unknown> {
  try {
    return Promise.resolve(fn(request));
  } catch (error) {
    return Promise.reject(error);
  }
}
