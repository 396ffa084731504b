/** Pass: its input (after InputConstructor) is its output (before OutputConstructor). */
import type { PassState } from '../model';
import { constructInput, emitStarted, finish, flowOn, type PrepareState } from './unit';

export const preparePass: PrepareState<PassState> = (state) => ({
  sync: true,
  attempt(rawInput, current, run) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    return flowOn(state, finish(state, input, input, current, run));
  },
});
