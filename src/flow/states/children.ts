/** The child scopes of one Parallel (branches) or Map (iterations): they share an abort signal; the first failure
 * stops the rest. A Fail inside one fails the parent with its Code, which the parent's Retry/Catch can match. */
import { ExecutionAborted } from '../errors';
import type { JsonObject } from '../json';
import { abortReason, emitIn, Stopper, type ScopeRun } from '../runtime';

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
export async function runChildren(run: ScopeRun, children: Children): Promise<JsonObject[]> {
  const { count, state } = children;
  const events = EVENTS[children.kind];
  const results: JsonObject[] = new Array<JsonObject>(count);
  const parent = run.stopper.signal;
  const stopper = new Stopper();
  const onParentAbort = (): void => stopper.stop(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  let failure: { error: unknown } | undefined;
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < count && !stopper.stopped) {
      const index = nextIndex++;
      const label = children.label(index);
      const childScope = run.label === undefined ? label : `${run.label}/${label}`;
      try {
        const input = children.input(index);
        emitIn(run, { type: events.entered, state, index, childScope, input });
        const output = await children.work(index, input, { runtime: run.runtime, stopper, label: childScope });
        results[index] = output;
        emitIn(run, { type: events.exited, state, index, childScope, output });
      } catch (error) {
        if (!stopper.stopped) {
          failure = { error };
          const message = error instanceof Error ? error.message : String(error);
          stopper.stop(new ExecutionAborted('stopped', `${childScope} failed: ${message}`));
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
    parent.removeEventListener('abort', onParentAbort);
  }
  if (run.stopper.stopped) throw abortReason(parent);
  if (failure) throw failure.error;
  return results;
}
