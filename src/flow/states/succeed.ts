/** Succeed: ends its scope with its output. */
import type { SucceedState } from '../model';
import { emitStarted, prepareFrame, type PrepareState } from './unit';

export const prepareSucceed: PrepareState<SucceedState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  return {
    sync: true,
    attempt(rawInput, visit, run) {
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      return { output: frame.output(input, input, visit), next: undefined };
    },
  };
};
