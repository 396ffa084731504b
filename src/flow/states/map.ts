/** Map: inline, runs its Processor once per item of ItemsPath, at most MaxConcurrency at a time, inside this
 * execution; distributed (a ProcessorConfig), as sub-workflow executions (map-run.ts). Either way its raw $Output is
 * `{Items: […]}`. */
import { FlowError } from '../errors';
import { isJsonObject, type JsonObject } from '../json';
import type { MapState } from '../model';
import { checkDataSize, type ScopeRun } from '../runtime';
import { runChildren } from './children';
import { isDistributed, prepareMapRun } from './map-run';
import { emitStarted, flowOn, prepareFrame, type PrepareState, type Visit } from './unit';

export const prepareMap: PrepareState<MapState> = (state, compiler) => {
  const frame = prepareFrame(state, compiler);
  if (isDistributed(state)) {
    const mapRun = prepareMapRun(state, compiler);
    return {
      sync: false,
      async attempt(rawInput, visit, run) {
        const input = frame.input(rawInput, visit);
        emitStarted(visit, input, run);
        return flowOn(visit, frame.output(input, await mapRun(input, visit, run), visit));
      },
    };
  }
  const processor = compiler.scope(state.processor);
  return {
    sync: false,
    async attempt(rawInput, visit, run, runScope) {
      const input = frame.input(rawInput, visit);
      emitStarted(visit, input, run);
      const items = itemsOf(state, input, visit, run);
      const results = await runChildren(run, {
        state: state.name,
        kind: 'Iteration',
        count: items.length,
        limit: state.maxConcurrency,
        label: (i) => `${state.name}.Items[${i}]`,
        input: (i) => items[i] as JsonObject,
        work: (_i, item, child) => runScope(processor, item, child),
      });
      return flowOn(visit, frame.output(input, { Items: results }, visit));
    },
  };
};

/** ItemsPath's array, each item checked as an iteration's input. */
function itemsOf(state: MapState, input: JsonObject, visit: Visit, run: ScopeRun): unknown[] {
  const { policy } = run.runtime;
  const items = state.itemsPath.evaluate(input, undefined, visit);
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
