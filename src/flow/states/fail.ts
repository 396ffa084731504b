/** Fail: fails its scope with its Code and Detail (the policy's name when it has no Code). */
import { FlowError } from '../errors';
import type { FailState } from '../model';
import { constructInput, emitStarted, type PrepareState } from './unit';

export const prepareFail: PrepareState<FailState> = (state) => ({
  sync: true,
  attempt(rawInput, current, run) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    throw new FlowError(state.code ?? run.runtime.policy.errorNames.failWithoutCode, state.detail ?? '');
  },
});
