/** Pass: its input (after InputConstructor) is its output (before OutputConstructor). */
import type { PassState } from '../model';
import { emitStarted, flowOn, prepareFrame, type PrepareState } from './unit';

export const preparePass: PrepareState<PassState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  return {
    sync: true,
    attempt(rawInput, visit, run) {
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      return flowOn(visit, frame.output(input, input, visit));
    },
  };
};
