/** Choice: goes to the first branch whose Condition is `true`, else to Default. */
import { evaluate, isTrue } from '../expression/evaluate';
import type { JsonObject } from '../json';
import type { ChoiceState } from '../model';
import { evalScope, type CurrentState, type ScopeRun } from '../runtime';
import { constructInput, emitStarted, finish, type PrepareState } from './unit';

export const prepareChoice: PrepareState<ChoiceState> = (state) => ({
  sync: true,
  attempt(rawInput, current, run) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    return { output: finish(state, input, input, current, run), next: choose(state, input, current, run), end: false };
  },
});

function choose(state: ChoiceState, input: JsonObject, current: CurrentState, run: ScopeRun): string {
  const scope = evalScope(run.runtime, current, input);
  for (const branch of state.branches) {
    if (isTrue(evaluate(branch.condition, scope))) return branch.next;
  }
  return state.default;
}
