/** Parallel: runs its branches at once; its raw $Output is `{Branch0: …, Branch1: …}`. */
import type { JsonObject } from '../json';
import type { ParallelState } from '../model';
import { runChildren } from './children';
import { emitStarted, flowOn, prepareFrame, type CompiledScope, type PrepareState } from './unit';

export const prepareParallel: PrepareState<ParallelState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  const branches = state.branches.map((branch) => compiler.scope(branch));
  return {
    sync: false,
    async attempt(rawInput, visit, run, runScope) {
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      const results = await runChildren(run, {
        state: state.name,
        kind: 'Branch',
        count: branches.length,
        limit: 0,
        label: (i) => `${state.name}.Branch${i}`,
        input: () => input,
        work: (i, branchInput, child) => runScope(branches[i] as CompiledScope, branchInput, child),
      });
      const output: JsonObject = {};
      results.forEach((result, i) => {
        output[`Branch${i}`] = result;
      });
      return flowOn(visit, frame.output(input, output, visit));
    },
  };
};
