/** A Task: evaluate Parameters, call the injected invoker (with the Task's own Timeout), return the raw $Output. */
import { FlowError, toFlowError } from '../errors';
import { evaluateTemplate } from '../expression/template';
import { isJsonObject, toJsonValue, type JsonObject, type JsonValue } from '../json';
import type { TaskState } from '../model';
import { emitIn, evalScope, isAbort, raceAbort, type CurrentState, type ScopeRun } from '../runtime';

export async function runTask(state: TaskState, input: JsonObject, current: CurrentState, run: ScopeRun): Promise<JsonValue> {
  const { runtime } = run;
  const { policy } = runtime;
  const parameters = state.parameters ? evaluateTemplate(state.parameters, evalScope(runtime, current, input), policy.missingPath) : {};
  if (!isJsonObject(parameters)) {
    throw new FlowError(policy.errorNames.invalidStateData, `${state.name}: Parameters must evaluate to a JSON object`);
  }
  runtime.counts.taskCalls += 1;
  const retryCount = current.retryCount;
  emitIn(run, { type: 'TaskScheduled', state: state.name, action: state.action, parameters, retryCount });
  try {
    const output = toJsonValue(await callWithTimeout(state, parameters, retryCount, run));
    emitIn(run, { type: 'TaskSucceeded', state: state.name, output, retryCount });
    return output;
  } catch (thrown) {
    if (isAbort(thrown, run.signal)) throw thrown;
    const error = toFlowError(thrown, policy.errorNames.fcUnknown);
    emitIn(run, { type: 'TaskFailed', state: state.name, error: error.name, cause: error.message, retryCount });
    throw error;
  }
}

function callWithTimeout(state: TaskState, parameters: JsonObject, retryCount: number, run: ScopeRun): Promise<unknown> {
  const { runtime } = run;
  if (state.timeoutSeconds === undefined) {
    const request = { action: state.action, parameters, stateName: state.name, executionName: runtime.executionName, retryCount, signal: run.signal };
    return raceAbort(invoke(runtime.invokeTask, request), run.signal);
  }
  const request = { action: state.action, parameters, stateName: state.name, executionName: runtime.executionName, retryCount };
  // The task gets its own signal: aborted by the execution, or by this Task's Timeout.
  const seconds = state.timeoutSeconds;
  const task = new AbortController();
  const timer = new AbortController();
  const onAbort = (): void => task.abort(run.signal.reason);
  run.signal.addEventListener('abort', onAbort, { once: true });
  const timeout = runtime.clock.sleep(seconds * 1000, timer.signal).then(
    () => {
      const error = new FlowError(runtime.policy.errorNames.taskTimeout, `${state.name} did not finish within its Timeout of ${seconds} s`);
      task.abort(error);
      throw error;
    },
    // Cancelled because the call finished first: never settle.
    () => new Promise<never>(() => undefined),
  );
  const call = raceAbort(invoke(runtime.invokeTask, { ...request, signal: task.signal }), run.signal);
  return Promise.race([call, timeout]).finally(() => {
    timer.abort();
    run.signal.removeEventListener('abort', onAbort);
  });
}

/** Calls the invoker so that a synchronous throw becomes a rejection like any other task error. */
function invoke<T>(fn: (request: T) => Promise<unknown>, request: T): Promise<unknown> {
  try {
    return Promise.resolve(fn(request));
  } catch (error) {
    return Promise.reject(error);
  }
}
