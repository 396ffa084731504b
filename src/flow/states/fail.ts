/** Fail: fails its scope with its Code and Detail (the policy's name when it has no Code). */
import { FlowError } from '../errors';
import type { FailState } from '../model';
import { emitStarted, prepareFrame, type PrepareState } from './unit';

export const prepareFail: PrepareState<FailState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  const code = state.code ?? compiler.policy.errorNames.failWithoutCode;
  const detail = state.detail ?? '';
  return {
    sync: true,
    attempt(rawInput, visit, run) {
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      throw new FlowError(code, detail);
    },
  };
};
