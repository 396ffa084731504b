/** One attempt at a state: InputConstructor → the state's own action → OutputConstructor. */
import { FlowError } from '../errors';
import { evaluate, isTrue } from '../expression/evaluate';
import type { JsonObject, JsonValue } from '../json';
import { citeLimit, CLOUDFLOW_LIMITS } from '../limits';
import type { ChoiceState, State, WaitState } from '../model';
import { checkDataSize, checkStateData, construct, emitIn, evalScope, type CurrentState, type ScopeRun } from '../runtime';
import { runMap, runParallel } from './branches';
import { runTask } from './task';

/** Where the visit leads: `end` when the state ends its scope (End: true, Succeed). */
export interface Outcome {
  output: JsonObject;
  next?: string;
  end: boolean;
}

/** States that never wait: Pass, Choice, Succeed and Fail run without a promise in between. */
export type SyncState = Extract<State, { type: 'Pass' | 'Choice' | 'Succeed' | 'Fail' }>;

export function isSyncState(state: State): state is SyncState {
  return state.type === 'Pass' || state.type === 'Choice' || state.type === 'Succeed' || state.type === 'Fail';
}

export function attemptSync(state: SyncState, rawInput: JsonObject, current: CurrentState, run: ScopeRun): Outcome {
  const input = constructInput(state, rawInput, current, run);
  emitStarted(state, input, current, run);
  switch (state.type) {
    case 'Fail':
      throw new FlowError(state.code ?? run.runtime.policy.errorNames.failWithoutCode, state.detail ?? '');
    case 'Choice':
      return { output: finish(state, input, input, current, run), next: choose(state, input, current, run), end: false };
    case 'Succeed':
      return { output: finish(state, input, input, current, run), end: true };
    default:
      return state.end
        ? { output: finish(state, input, input, current, run), end: true }
        : { output: finish(state, input, input, current, run), next: state.next as string, end: false };
  }
}

function emitStarted(state: State, input: JsonObject, current: CurrentState, run: ScopeRun, waitSeconds?: number): void {
  const retried = current.retryCount > 0 ? { retryCount: current.retryCount } : {};
  const body = { type: 'StateStarted', state: state.name, stateType: state.type, input } as const;
  emitIn(run, waitSeconds === undefined ? { ...body, ...retried } : { ...body, waitSeconds, ...retried });
}

function constructInput(state: State, rawInput: JsonObject, current: CurrentState, run: ScopeRun): JsonObject {
  if (!state.inputConstructor) return rawInput;
  const { runtime } = run;
  return construct(state.inputConstructor, evalScope(runtime, current, rawInput), runtime.policy, `${state.name}: InputConstructor result`);
}

export async function attemptState(state: State, rawInput: JsonObject, current: CurrentState, run: ScopeRun): Promise<Outcome> {
  if (isSyncState(state)) return attemptSync(state, rawInput, current, run);
  const { runtime } = run;
  const input = constructInput(state, rawInput, current, run);
  let output: JsonValue;
  switch (state.type) {
    case 'Wait': {
      const seconds = waitSeconds(state, input, current, run);
      emitStarted(state, input, current, run, seconds);
      await runtime.sleep(seconds * 1000, run.signal);
      output = input;
      break;
    }
    case 'Task':
      emitStarted(state, input, current, run);
      output = await runTask(state, input, current, run);
      break;
    case 'Parallel':
      emitStarted(state, input, current, run);
      output = await runParallel(state, input, run);
      break;
    default:
      emitStarted(state, input, current, run);
      output = await runMap(state, input, current, run);
  }
  const result = finish(state, input, output, current, run);
  if (state.end) return { output: result, end: true };
  return { output: result, next: state.next as string, end: false };
}

/** OutputConstructor over ($Input, $Output, $Context); without one, the state's $Output itself (checked). */
function finish(state: State, input: JsonObject, output: JsonValue, current: CurrentState, run: ScopeRun): JsonObject {
  const { runtime } = run;
  if (!state.outputConstructor) return checkStateData(output, runtime.policy, `${state.name}: output`);
  // A Task's, Parallel's or Map's own $Output is state data too, even when an OutputConstructor reshapes it.
  if (output !== input) checkDataSize(output, runtime.policy, `${state.name}: $Output`);
  current.output = output;
  const scope = evalScope(runtime, current, input, output);
  return construct(state.outputConstructor, scope, runtime.policy, `${state.name}: OutputConstructor result`);
}

/** The first branch whose Condition is `true`, else Default. */
function choose(state: ChoiceState, input: JsonObject, current: CurrentState, run: ScopeRun): string {
  const scope = evalScope(run.runtime, current, input);
  for (const branch of state.branches) {
    if (isTrue(evaluate(branch.condition, scope))) return branch.next;
  }
  return state.default;
}

/** A static Seconds was checked when loading; `Seconds.$` is checked here against the same limits (whole seconds). */
function waitSeconds(state: WaitState, input: JsonObject, current: CurrentState, run: ScopeRun): number {
  if (typeof state.seconds === 'number') return state.seconds;
  const value = evaluate(state.seconds, evalScope(run.runtime, current, input));
  const { waitSecondsMin: min, waitSecondsMax: max } = CLOUDFLOW_LIMITS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min.value || value > max.value) {
    const crossed = typeof value === 'number' && value < min.value ? min : max;
    throw new FlowError(
      run.runtime.policy.errorNames.invalidStateData,
      `${state.name}: Seconds.$ (${state.seconds.source}) gave ${JSON.stringify(value ?? null)}; it must be a whole number of seconds from ${min.value} to ${max.value}: ${citeLimit(crossed)}`,
    );
  }
  return value;
}
