/** Parallel: runs its branches at once; its raw $Output is `{Branch0: …, Branch1: …}`. */
import type { JsonObject } from '../json';
import type { ParallelState, Scope } from '../model';
import { runChildren } from './children';
import { constructInput, emitStarted, finish, flowOn, type PrepareState } from './unit';

export const prepareParallel: PrepareState<ParallelState> = (state) => ({
  sync: false,
  async attempt(rawInput, current, run, runScope) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    const results = await runChildren(run, {
      state: state.name,
      kind: 'Branch',
      count: state.branches.length,
      limit: 0,
      label: (i) => `${state.name}.Branch${i}`,
      input: () => input,
      work: (i, branchInput, child) => runScope(state.branches[i] as Scope, branchInput, child),
    });
    const output: JsonObject = {};
    results.forEach((result, i) => {
      output[`Branch${i}`] = result;
    });
    return flowOn(state, finish(state, input, output, current, run));
  },
});
