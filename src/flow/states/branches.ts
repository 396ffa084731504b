/** Parallel branches and Map iterations: child scopes that share an abort signal; the first failure stops the rest. */
import { ExecutionAborted, FlowError } from '../errors';
import { evaluate } from '../expression/evaluate';
import { isJsonObject, type JsonObject } from '../json';
import type { MapState, ParallelState } from '../model';
import { abortReason, checkDataSize, evalScope, type CurrentState, type ScopeRun } from '../runtime';
import { runScope } from '../visit';

export async function runParallel(state: ParallelState, input: JsonObject, run: ScopeRun): Promise<JsonObject> {
  const results = await runChildren(run, state.branches.length, 0, (i) => `${state.name}.Branch${i}`, (i, child) =>
    runScope(state.branches[i] as ParallelState['branches'][number], input, child),
  );
  const output: JsonObject = {};
  results.forEach((result, i) => {
    output[`Branch${i}`] = result;
  });
  return output;
}

export async function runMap(state: MapState, input: JsonObject, current: CurrentState, run: ScopeRun): Promise<JsonObject> {
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
  const results = await runChildren(run, items.length, state.maxConcurrency, (i) => `${state.name}.Items[${i}]`, (i, child) =>
    runScope(state.processor, items[i] as JsonObject, child),
  );
  return { Items: results };
}

/**
 * Runs `count` child scopes, at most `limit` at a time (0 = all at once), in index order. When one fails, the others
 * are aborted and the failure is rethrown once all have settled; when the parent is aborted, its reason is.
 */
async function runChildren(
  run: ScopeRun,
  count: number,
  limit: number,
  label: (index: number) => string,
  work: (index: number, child: ScopeRun) => Promise<JsonObject>,
): Promise<JsonObject[]> {
  const results: JsonObject[] = new Array<JsonObject>(count);
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(run.signal.reason);
  run.signal.addEventListener('abort', onParentAbort, { once: true });
  let failure: { error: unknown } | undefined;
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < count && !controller.signal.aborted) {
      const index = nextIndex++;
      const childLabel = run.label === undefined ? label(index) : `${run.label}/${label(index)}`;
      try {
        results[index] = await work(index, { runtime: run.runtime, signal: controller.signal, label: childLabel });
      } catch (error) {
        if (!controller.signal.aborted) {
          failure = { error };
          const message = error instanceof Error ? error.message : String(error);
          controller.abort(new ExecutionAborted('stopped', `${childLabel} failed: ${message}`));
        }
      }
    }
  };
  const workers = Math.min(limit > 0 ? limit : count, count);
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    run.signal.removeEventListener('abort', onParentAbort);
  }
  if (run.signal.aborted) throw abortReason(run.signal);
  if (failure) throw failure.error;
  return results;
}
