/** Map: inline, runs its Processor once per item of ItemsPath, at most MaxConcurrency at a time, inside this
 * execution; distributed (a ProcessorConfig), as sub-workflow executions (map-run.ts). Either way its raw $Output is
 * `{Items: […]}`. */
import { FlowError } from '../errors';
import { evaluate } from '../expression/evaluate';
import { isJsonObject, type JsonObject } from '../json';
import type { MapState } from '../model';
import { checkDataSize, evalScope, type CurrentState, type ScopeRun } from '../runtime';
import { runChildren } from './children';
import { isDistributed, runMapRun } from './map-run';
import { constructInput, emitStarted, finish, flowOn, type PrepareState } from './unit';

export const prepareMap: PrepareState<MapState> = (state) => ({
  sync: false,
  async attempt(rawInput, current, run, runScope) {
    const input = constructInput(state, rawInput, current, run);
    emitStarted(state, input, current, run);
    if (isDistributed(state)) return flowOn(state, finish(state, input, await runMapRun(state, input, current, run), current, run));
    const items = itemsOf(state, input, current, run);
    const results = await runChildren(run, {
      state: state.name,
      kind: 'Iteration',
      count: items.length,
      limit: state.maxConcurrency,
      label: (i) => `${state.name}.Items[${i}]`,
      input: (i) => items[i] as JsonObject,
      work: (_i, item, child) => runScope(state.processor, item, child),
    });
    return flowOn(state, finish(state, input, { Items: results }, current, run));
  },
});

/** ItemsPath's array, each item checked as an iteration's input. */
function itemsOf(state: MapState, input: JsonObject, current: CurrentState, run: ScopeRun): unknown[] {
  const { policy } = run.runtime;
  const items = evaluate(state.itemsPath, evalScope(run.runtime, current, input));
  if (!Array.isArray(items)) {
    throw new FlowError(policy.errorNames.invalidStateData, `${state.name}: ItemsPath (${state.itemsPath.source}) must give an array`);
  }
  items.forEach((item, i) => {
    if (policy.mapItemsMustBeObjects && !isJsonObject(item)) {
      throw new FlowError(policy.errorNames.invalidStateData, `${state.name}: item ${i} must be a JSON object (it becomes a state input)`);
    }
    checkDataSize(item, policy, `${state.name}: item ${i} (an iteration's input)`);
  });
  return items;
}
