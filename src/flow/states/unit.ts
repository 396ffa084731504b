/**
 * What every state unit shares. Each state type is one small unit (pass.ts, wait.ts, task.ts, choice.ts,
 * parallel.ts, map.ts, succeed.ts, fail.ts) that prepares an executor for one state: one attempt at it, from its raw
 * input to where the visit leads (InputConstructor → the state's own action → OutputConstructor). visit.ts holds the
 * one loop around them (entering, Retry, Catch); table.ts finds a state's unit.
 */
import type { JsonObject, JsonValue } from '../json';
import type { Scope, State } from '../model';
import { checkDataSize, checkStateData, construct, emitIn, evalScope, type CurrentState, type ScopeRun } from '../runtime';

/** Where the visit leads: `end` when the state ends its scope (End: true, Succeed). */
export interface Outcome {
  output: JsonObject;
  next?: string;
  end: boolean;
}

/** Runs a child scope (a Parallel branch, a Map iteration) to its end: the visit loop, handed to the units that
 * have children so that no unit imports the loop. */
export type RunScope = (scope: Scope, input: JsonObject, run: ScopeRun) => Promise<JsonObject>;

type Attempt<Result> = (rawInput: JsonObject, current: CurrentState, run: ScopeRun, runScope: RunScope) => Result;

/** One state's attempt. `sync`: the state never waits, so the visit runs it without a promise in between. */
export type StateExecutor = { readonly sync: true; readonly attempt: Attempt<Outcome> } | { readonly sync: false; readonly attempt: Attempt<Promise<Outcome>> };

/** What each unit exports: the executor of one state of its type, prepared once per state of a loaded flow. */
export type PrepareState<S extends State> = (state: S) => StateExecutor;

export function constructInput(state: State, rawInput: JsonObject, current: CurrentState, run: ScopeRun): JsonObject {
  if (!state.inputConstructor) return rawInput;
  const { runtime } = run;
  return construct(state.inputConstructor, evalScope(runtime, current, rawInput), runtime.policy, `${state.name}: InputConstructor result`);
}

export function emitStarted(state: State, input: JsonObject, current: CurrentState, run: ScopeRun, waitSeconds?: number): void {
  const retried = current.retryCount > 0 ? { retryCount: current.retryCount } : {};
  const body = { type: 'StateStarted', state: state.name, stateType: state.type, input } as const;
  emitIn(run, waitSeconds === undefined ? { ...body, ...retried } : { ...body, waitSeconds, ...retried });
}

/** OutputConstructor over ($Input, $Output, $Context); without one, the state's $Output itself (checked). */
export function finish(state: State, input: JsonObject, output: JsonValue, current: CurrentState, run: ScopeRun): JsonObject {
  const { runtime } = run;
  if (!state.outputConstructor) return checkStateData(output, runtime.policy, `${state.name}: output`);
  // A Task's, Parallel's or Map's own $Output is state data too, even when an OutputConstructor reshapes it.
  if (output !== input) checkDataSize(output, runtime.policy, `${state.name}: $Output`);
  current.output = output;
  const scope = evalScope(runtime, current, input, output);
  return construct(state.outputConstructor, scope, runtime.policy, `${state.name}: OutputConstructor result`);
}

/** A state that goes on to `Next` or ends its scope (`End: true`). */
export function flowOn(state: { end: boolean; next?: string }, output: JsonObject): Outcome {
  return state.end ? { output, end: true } : { output, next: state.next as string, end: false };
}
