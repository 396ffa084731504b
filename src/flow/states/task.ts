/** Task: evaluates Parameters, calls the injected invoker (with the Task's own Timeout); its raw $Output is its output. */
import { FlowError, toFlowError } from '../errors';
import { evaluate } from '../expression/evaluate';
import { evaluateTemplate } from '../expression/template';
import { isJsonObject, toJsonValue, type JsonObject, type JsonValue } from '../json';
import { citeLimit, CLOUDFLOW_LIMITS } from '../limits';
import type { TaskState } from '../model';
import { emitIn, evalScope, isAbort, raceAbort, type CurrentState, type ScopeRun } from '../runtime';
import { constructInput, emitStarted, finish, flowOn, type PrepareState } from './unit';

export const prepareTask: PrepareState<TaskState> = (state) => ({
  sync: false,
  async attempt(rawInput, current, run) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    return flowOn(state, finish(state, input, await runTask(state, input, current, run), current, run));
  },
});

async function runTask(state: TaskState, input: JsonObject, current: CurrentState, run: ScopeRun): Promise<JsonValue> {
  const { runtime } = run;
  const { policy } = runtime;
  const parameters = state.parameters ? evaluateTemplate(state.parameters, evalScope(runtime, current, input), policy.missingPath) : {};
  if (!isJsonObject(parameters)) {
    throw new FlowError(policy.errorNames.invalidStateData, `${state.name}: Parameters must evaluate to a JSON object`);
  }
  const timeoutSeconds = taskTimeoutSeconds(state, input, current, run);
  runtime.counts.taskCalls += 1;
  const retryCount = current.retryCount;
  emitIn(run, { type: 'TaskScheduled', state: state.name, action: state.action, parameters, retryCount });
  try {
    const output = toJsonValue(await callWithTimeout(state, parameters, retryCount, timeoutSeconds, run));
    emitIn(run, { type: 'TaskSucceeded', state: state.name, output, retryCount });
    return output;
  } catch (thrown) {
    if (isAbort(thrown, run.signal)) throw thrown;
    const error = toFlowError(thrown, policy.errorNames.fcUnknown);
    emitIn(run, { type: 'TaskFailed', state: state.name, error: error.name, cause: error.message, retryCount });
    throw error;
  }
}

/** The static Timeout, or `Timeout.$` evaluated for this call: a whole number of seconds, 0 (none) to 604,800. */
function taskTimeoutSeconds(state: TaskState, input: JsonObject, current: CurrentState, run: ScopeRun): number | undefined {
  if (state.timeoutSeconds === undefined || typeof state.timeoutSeconds === 'number') return state.timeoutSeconds;
  const value = evaluate(state.timeoutSeconds, evalScope(run.runtime, current, input));
  // The docs write Timeout as a string of seconds, so "30" counts as 30.
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  const limit = CLOUDFLOW_LIMITS.taskTimeoutSecondsMax;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > limit.value) {
    throw new FlowError(
      run.runtime.policy.errorNames.invalidStateData,
      `${state.name}: Timeout.$ (${state.timeoutSeconds.source}) gave ${JSON.stringify(value ?? null)}; it must be a whole number of seconds from 0 to ${limit.value}: ${citeLimit(limit)}`,
    );
  }
  return seconds === 0 ? undefined : seconds;
}

function callWithTimeout(state: TaskState, parameters: JsonObject, retryCount: number, seconds: number | undefined, run: ScopeRun): Promise<unknown> {
  const { runtime } = run;
  if (seconds === undefined) {
    const request = { action: state.action, parameters, stateName: state.name, executionName: runtime.executionName, retryCount, signal: run.signal };
    return raceAbort(invoke(runtime.invokeTask, request), run.signal);
  }
  const request = { action: state.action, parameters, stateName: state.name, executionName: runtime.executionName, retryCount };
  // The task gets its own signal: aborted by the execution, or by this Task's Timeout.
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
