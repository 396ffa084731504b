/** Wait: sleeps its Seconds (or `Seconds.$`) on the execution's clock; its input is its output. */
import { FlowError } from '../errors';
import type { Evaluator } from '../expression/ast';
import type { JsonObject } from '../json';
import { citeLimit, CLOUDFLOW_LIMITS } from '../limits';
import type { WaitState } from '../model';
import { emitStarted, flowOn, prepareFrame, type PrepareState, type Visit } from './unit';

export const prepareWait: PrepareState<WaitState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  const { seconds } = state;
  const waitSeconds = typeof seconds === 'number' ? () => seconds : dynamicSeconds(state.name, seconds.source, seconds.evaluate, compiler.policy.errorNames.invalidStateData);
  return {
    sync: false,
    // Not an async function: a parked execution keeps one promise reaction here instead of a suspended frame.
    attempt(rawInput, visit, run) {
      const input = frame.input(rawInput, visit);
      const wait = waitSeconds(input, visit);
      emitStarted(visit, input, run, wait);
      return run.runtime.sleep(wait * 1000, run.stopper.signal).then(() => flowOn(visit, frame.output(input, input, visit)));
    },
  };
};

/** A static Seconds was checked when loading; `Seconds.$` is checked here against the same limits (whole seconds),
 * the Express ones in an Express execution (a distributed Map's sub-execution). */
function dynamicSeconds(name: string, source: string, evaluate: Evaluator, errorName: string): (input: JsonObject, visit: Visit) => number {
  const { waitSecondsMin: min, waitSecondsMax: standardMax, waitSecondsMaxExpress: expressMax } = CLOUDFLOW_LIMITS;
  return (input, visit) => {
    const value = evaluate(input, undefined, visit);
    const max = visit.runtime.mode === 'Express' ? expressMax : standardMax;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min.value || value > max.value) {
      const crossed = typeof value === 'number' && value < min.value ? min : max;
      throw new FlowError(
        errorName,
        `${name}: Seconds.$ (${source}) gave ${JSON.stringify(value ?? null)}; it must be a whole number of seconds from ${min.value} to ${max.value}: ${citeLimit(crossed)}`,
      );
    }
    return value;
  };
}
