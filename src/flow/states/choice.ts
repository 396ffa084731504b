/** Choice: goes to the first branch whose Condition is `true`, else to Default. */
import { isTrue } from '../expression/evaluate';
import type { ChoiceState } from '../model';
import { emitStarted, prepareFrame, type PrepareState } from './unit';

export const prepareChoice: PrepareState<ChoiceState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  const branches = state.branches.map((branch) => ({ condition: branch.condition.evaluate, next: compiler.state(branch.next) }));
  const fallback = compiler.state(state.default);
  return {
    sync: true,
    attempt(rawInput, visit, run) {
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      const output = frame.output(input, input, visit);
      for (const branch of branches) {
        if (isTrue(branch.condition(input, undefined, visit))) return { output, next: branch.next };
      }
      return { output, next: fallback };
    },
  };
};
