/** Parallel branches and Map iterations: child scopes that share an abort signal; the first failure stops the rest. */
import { ExecutionAborted, FlowError } from '../errors';
import { evaluate } from '../expression/evaluate';
import { isJsonObject, type JsonObject } from '../json';
import type { MapState, ParallelState } from '../model';
import { abortReason, checkDataSize, emitIn, evalScope, type CurrentState, type ScopeRun } from '../runtime';
import { runScope } from '../visit';

export async function runParallel(state: ParallelState, input: JsonObject, run: ScopeRun): Promise<JsonObject> {
  const results = await runChildren(run, {
    state: state.name,
    kind: 'Branch',
    count: state.branches.length,
    limit: 0,
    label: (i) => `${state.name}.Branch${i}`,
    input: () => input,
    work: (i, branchInput, child) => runScope(state.branches[i] as ParallelState['branches'][number], branchInput, child),
  });
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
  const results = await runChildren(run, {
    state: state.name,
    kind: 'Iteration',
    count: items.length,
    limit: state.maxConcurrency,
    label: (i) => `${state.name}.Items[${i}]`,
    input: (i) => items[i] as JsonObject,
    work: (_i, item, child) => runScope(state.processor, item, child),
  });
  return { Items: results };
}

/** The child scopes of one Parallel (branches) or Map (iterations). */
interface Children {
  /** The Parallel's or Map's name. */
  state: string;
  kind: 'Branch' | 'Iteration';
  count: number;
  /** At most this many at a time; 0 = all at once. */
  limit: number;
  label: (index: number) => string;
  input: (index: number) => JsonObject;
  work: (index: number, input: JsonObject, child: ScopeRun) => Promise<JsonObject>;
}

const EVENTS = {
  Branch: { entered: 'BranchEntered', exited: 'BranchExited' },
  Iteration: { entered: 'IterationEntered', exited: 'IterationExited' },
} as const;

/**
 * Runs the child scopes, at most `limit` at a time, in index order, each framed by its Entered/Exited events. When
 * one fails, the others are aborted and the failure is rethrown once all have settled; when the parent is aborted,
 * its reason is.
 */
async function runChildren(run: ScopeRun, children: Children): Promise<JsonObject[]> {
  const { count, state } = children;
  const events = EVENTS[children.kind];
  const results: JsonObject[] = new Array<JsonObject>(count);
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(run.signal.reason);
  run.signal.addEventListener('abort', onParentAbort, { once: true });
  let failure: { error: unknown } | undefined;
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < count && !controller.signal.aborted) {
      const index = nextIndex++;
      const label = children.label(index);
      const childScope = run.label === undefined ? label : `${run.label}/${label}`;
      try {
        const input = children.input(index);
        emitIn(run, { type: events.entered, state, index, childScope, input });
        const output = await children.work(index, input, { runtime: run.runtime, signal: controller.signal, label: childScope });
        results[index] = output;
        emitIn(run, { type: events.exited, state, index, childScope, output });
      } catch (error) {
        if (!controller.signal.aborted) {
          failure = { error };
          const message = error instanceof Error ? error.message : String(error);
          controller.abort(new ExecutionAborted('stopped', `${childScope} failed: ${message}`));
        }
        try {
          if (results[index] === undefined) emitIn(run, { type: events.exited, state, index, childScope });
        } catch {
          // The history limit was reached just now: the execution is already failing with that reason.
        }
      }
    }
  };
  const workers = Math.min(children.limit > 0 ? children.limit : count, count);
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    run.signal.removeEventListener('abort', onParentAbort);
  }
  if (run.signal.aborted) throw abortReason(run.signal);
  if (failure) throw failure.error;
  return results;
}
