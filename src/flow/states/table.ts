/** The one table from a state's type to its unit, and each state's executor, prepared once per state of a flow. */
import type { State, StateType } from '../model';
import { prepareChoice } from './choice';
import { prepareFail } from './fail';
import { prepareMap } from './map';
import { prepareParallel } from './parallel';
import { preparePass } from './pass';
import { prepareSucceed } from './succeed';
import { prepareTask } from './task';
import type { PrepareState, StateExecutor } from './unit';
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

const prepared = new WeakMap<State, StateExecutor>();

export function executorFor(state: State): StateExecutor {
  let executor = prepared.get(state);
  if (!executor) {
    executor = (UNITS[state.type] as PrepareState<State>)(state);
    prepared.set(state, executor);
  }
  return executor;
}
