/** Wait: sleeps its Seconds (or `Seconds.$`) on the execution's clock; its input is its output. */
import { FlowError } from '../errors';
import { evaluate } from '../expression/evaluate';
import type { JsonObject } from '../json';
import { citeLimit, CLOUDFLOW_LIMITS } from '../limits';
import type { WaitState } from '../model';
import { evalScope, type CurrentState, type ScopeRun } from '../runtime';
import { constructInput, emitStarted, finish, flowOn, type PrepareState } from './unit';

export const prepareWait: PrepareState<WaitState> = (state) => ({
  sync: false,
  async attempt(rawInput, current, run) {
    const input = constructInput(state, rawInput, current, run);
    const seconds = waitSeconds(state, input, current, run);
    emitStarted(state, input, current, run, seconds);
    await run.runtime.sleep(seconds * 1000, run.signal);
    return flowOn(state, finish(state, input, input, current, run));
  },
});

/** A static Seconds was checked when loading; `Seconds.$` is checked here against the same limits (whole seconds),
 * the Express ones in an Express execution (a distributed Map's sub-execution). */
function waitSeconds(state: WaitState, input: JsonObject, current: CurrentState, run: ScopeRun): number {
  if (typeof state.seconds === 'number') return state.seconds;
  const value = evaluate(state.seconds, evalScope(run.runtime, current, input));
  const min = CLOUDFLOW_LIMITS.waitSecondsMin;
  const max = run.runtime.mode === 'Express' ? CLOUDFLOW_LIMITS.waitSecondsMaxExpress : CLOUDFLOW_LIMITS.waitSecondsMax;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min.value || value > max.value) {
    const crossed = typeof value === 'number' && value < min.value ? min : max;
    throw new FlowError(
      run.runtime.policy.errorNames.invalidStateData,
      `${state.name}: Seconds.$ (${state.seconds.source}) gave ${JSON.stringify(value ?? null)}; it must be a whole number of seconds from ${min.value} to ${max.value}: ${citeLimit(crossed)}`,
    );
  }
  return value;
}
