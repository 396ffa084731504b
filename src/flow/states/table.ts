/** The one table from a state's type to its unit. */
import type { State, StateType } from '../model';
import { prepareChoice } from './choice';
import { prepareFail } from './fail';
import { prepareMap } from './map';
import { prepareParallel } from './parallel';
import { preparePass } from './pass';
import { prepareSucceed } from './succeed';
import { prepareTask } from './task';
import type { Compiler, PrepareState, StateExecutor } from './unit';
import { prepareWait } from './wait';

const UNITS: { readonly [T in StateType]: PrepareState<Extract<State, { type: T }>> } = {
  Pass: preparePass,
  Wait: prepareWait,
  Task: prepareTask,
  Choice: prepareChoice,
  Parallel: prepareParallel,
  Map: prepareMap,
  Succeed: prepareSucceed,
  Fail: prepareFail,
};

/** The executor of one state, compiled by its type's unit. */
export function prepareState(state: State, compiler: Compiler): StateExecutor {
  return (UNITS[state.type] as PrepareState<State>)(state, compiler);
}
