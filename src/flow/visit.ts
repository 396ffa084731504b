/**
 * The one loop: one per scope and one visit per state entered. The state's unit (states/table.ts) makes the attempt,
 * input → action → output; the visit emits the state's events and applies Retry and Catch on failure. Retry counters
 * live in the visit, so they start from zero whenever the state is entered again (a fixed choice, listed in
 * policy.ts). Units that run child scopes get this loop handed to them (`runScope`), so none imports it.
 */
import { toFlowError } from './errors';
import type { JsonObject } from './json';
import type { CatchRule, RetryRule, Scope, State } from './model';
import { catchOutputWithoutConstructor, decideAfterError } from './retry';
import { abortReason, construct, emitIn, evalScope, isAbort, type CurrentState, type ScopeRun } from './runtime';
import { executorFor } from './states/table';
import type { Outcome, StateExecutor } from './states/unit';

const NO_RETRY: readonly RetryRule[] = [];
const NO_CATCH: readonly CatchRule[] = [];

/** Runs a scope from its StartAt until a state ends it; resolves with the last state's output. */
export async function runScope(scope: Scope, input: JsonObject, run: ScopeRun): Promise<JsonObject> {
  let state = scope.states.get(scope.startAt) as State;
  let data = input;
  for (;;) {
    if (run.signal.aborted) throw abortReason(run.signal);
    const executor = executorFor(state);
    const outcome = executor.sync ? visitSync(state, executor, data, run) : await visitState(state, executor, data, run);
    if (outcome.end) return outcome.output;
    data = outcome.output;
    state = scope.states.get(outcome.next as string) as State;
  }
}

type SyncExecutor = Extract<StateExecutor, { sync: true }>;

/** A visit of a state that never waits (Pass, Choice, Succeed, Fail: none has Retry/Catch): same events, no promise. */
function visitSync(state: State, executor: SyncExecutor, rawInput: JsonObject, run: ScopeRun): Outcome {
  const { runtime } = run;
  runtime.checkDeadline();
  runtime.counts.stateTransitions += 1;
  emitIn(run, { type: 'StateEntered', state: state.name, stateType: state.type, input: rawInput });
  try {
    const outcome = executor.attempt(rawInput, { name: state.name, input: rawInput, retryCount: 0 }, run, runScope);
    emitSucceeded(state, outcome, run);
    return outcome;
  } catch (thrown) {
    const error = toFlowError(thrown, runtime.policy.errorNames.fcUnknown);
    emitIn(run, { type: 'StateFailed', state: state.name, error: error.name, cause: error.message });
    throw error;
  }
}

function emitSucceeded(state: State, outcome: Outcome, run: ScopeRun): void {
  const body = { type: 'StateSucceeded', state: state.name, output: outcome.output } as const;
  emitIn(run, outcome.end ? body : { ...body, next: outcome.next as string });
}

async function visitState(state: State, executor: StateExecutor, rawInput: JsonObject, run: ScopeRun): Promise<Outcome> {
  const { runtime } = run;
  const { policy, counts } = runtime;
  runtime.checkDeadline();
  counts.stateTransitions += 1;
  emitIn(run, { type: 'StateEntered', state: state.name, stateType: state.type, input: rawInput });
  const retry = 'retry' in state ? state.retry : NO_RETRY;
  const catchRules = 'catch' in state ? state.catch : NO_CATCH;
  const retriesByRule = retry.length > 0 ? retry.map(() => 0) : [];
  const current: CurrentState = { name: state.name, input: rawInput, retryCount: 0 };
  let delaySeconds = 0;
  for (;;) {
    try {
      if (delaySeconds > 0) await runtime.sleep(delaySeconds * 1000, run.signal);
      const outcome = await executor.attempt(rawInput, current, run, runScope);
      emitSucceeded(state, outcome, run);
      return outcome;
    } catch (thrown) {
      if (isAbort(thrown, run.signal)) {
        const reason = abortReason(run.signal);
        emitIn(run, { type: 'StateAborted', state: state.name, reason: reason.message });
        throw reason;
      }
      const error = toFlowError(thrown, policy.errorNames.fcUnknown);
      const decision = decideAfterError(retry, catchRules, error.name, retriesByRule, policy);
      if (decision.retry) {
        retriesByRule[decision.rule] = decision.attempt;
        current.retryCount += 1;
        counts.retries += 1;
        if (policy.countRetriesAsTransitions) counts.stateTransitions += 1;
        delaySeconds = decision.waitSeconds;
        emitIn(run, {
          type: 'StateRetrying',
          state: state.name,
          attempt: current.retryCount,
          error: error.name,
          cause: error.message,
          waitSeconds: decision.waitSeconds,
          rule: decision.rule,
        });
        continue;
      }
      const rule = decision.catchRule === undefined ? undefined : catchRules[decision.catchRule];
      if (!rule) {
        emitIn(run, { type: 'StateFailed', state: state.name, error: error.name, cause: error.message });
        throw error;
      }
      current.error = { Code: error.name, Detail: error.message };
      // Catch.OutputConstructor sees the failed state's input as $Input (a fixed choice, listed in policy.ts).
      const output = rule.outputConstructor
        ? construct(rule.outputConstructor, evalScope(runtime, current, rawInput), policy, `${state.name}: Catch OutputConstructor result`)
        : catchOutputWithoutConstructor(rawInput, error, policy);
      emitIn(run, { type: 'StateFailed', state: state.name, error: error.name, cause: error.message, caughtBy: rule.next });
      return { output, next: rule.next, end: false };
    }
  }
}
