/** Succeed: ends its scope with its output. */
import type { SucceedState } from '../model';
import { constructInput, emitStarted, finish, type PrepareState } from './unit';

export const prepareSucceed: PrepareState<SucceedState> = (state) => ({
  sync: true,
  attempt(rawInput, current, run) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    return { output: finish(state, input, input, current, run), end: true };
  },
});
