/**
 * The one loop: one per scope and one visit per state entered, over a compiled scope (compile.ts), so that a visit
 * goes from a state to the next by reference. The state's executor makes the attempt, input → action → output; the
 * visit emits the state's events and applies Retry and Catch on failure. Retry counters live in the visit, so they
 * start from zero whenever the state is entered again (a fixed choice, listed in policy.ts). Units that run child
 * scopes get this loop handed to them (`runScope`), so none imports it.
 */
import { toFlowError, type FlowError } from './errors';
import type { JsonObject } from './json';
import { decideAfterError, type RetryDecision } from './retry';
import { abortReason, emitIn, isAbort, type ScopeRun } from './runtime';
import { catchOutput, Visit, type CompiledScope, type CompiledState, type Outcome } from './states/unit';

/** Runs a scope from its StartAt until a state ends it; resolves with the last state's output. */
export async function runScope(scope: CompiledScope, input: JsonObject, run: ScopeRun): Promise<JsonObject> {
  let state = scope.start;
  let data = input;
  for (;;) {
    const visit = enter(state, data, run);
    const { executor } = state;
    let outcome: Outcome;
    try {
      // A state that never waits (Pass, Choice, Succeed, Fail: none has Retry/Catch) runs without a promise.
      outcome = executor.sync ? executor.attempt(data, visit, run, runScope) : await executor.attempt(data, visit, run, runScope);
      emitSucceeded(state, outcome, run);
    } catch (thrown) {
      outcome = await recover(visit, thrown, run);
    }
    if (outcome.next === undefined) return outcome.output;
    data = outcome.output;
    state = outcome.next;
  }
}

/** Enters a state (unless the run has stopped or passed its deadline): counted, recorded, and its visit begun. */
function enter(state: CompiledState, input: JsonObject, run: ScopeRun): Visit {
  const { runtime, stopper } = run;
  if (stopper.stopped) throw abortReason(stopper.signal);
  runtime.checkDeadline();
  runtime.counts.stateTransitions += 1;
  if (runtime.count(state.events.entered, state.name, run.label)) {
    runtime.record({ type: 'StateEntered', state: state.name, stateType: state.type, input }, run.label);
  }
  return new Visit(runtime, state, input);
}

function emitSucceeded(state: CompiledState, outcome: Outcome, run: ScopeRun): void {
  const { runtime } = run;
  if (!runtime.count(state.events.succeeded, state.name, run.label)) return;
  const body = { type: 'StateSucceeded', state: state.name, output: outcome.output } as const;
  runtime.record(outcome.next === undefined ? body : { ...body, next: outcome.next.name }, run.label);
}

/** After a failed attempt: retries while a Retry rule allows (resolving with the attempt that succeeds), routes to a
 * Catch rule's Next, or fails the state. */
async function recover(visit: Visit, thrown: unknown, run: ScopeRun): Promise<Outcome> {
  const { runtime } = run;
  const { policy, counts } = runtime;
  const { state } = visit;
  const retriesByRule = state.retry.map(() => 0);
  let failure = thrown;
  for (;;) {
    if (isAbort(failure, run.stopper.signal)) {
      const reason = abortReason(run.stopper.signal);
      emitIn(run, { type: 'StateAborted', state: state.name, reason: reason.message });
      throw reason;
    }
    const error = toFlowError(failure, policy.errorNames.fcUnknown);
    const decision = decideAfterError(state.retry, state.catchRules, error.name, retriesByRule, policy);
    if (!decision.retry) return caught(visit, error, decision, run);
    retriesByRule[decision.rule] = decision.attempt;
    visit.retried();
    counts.retries += 1;
    if (policy.countRetriesAsTransitions) counts.stateTransitions += 1;
    emitIn(run, {
      type: 'StateRetrying',
      state: state.name,
      attempt: visit.retryCount,
      error: error.name,
      cause: error.message,
      waitSeconds: decision.waitSeconds,
      rule: decision.rule,
    });
    try {
      if (decision.waitSeconds > 0) await runtime.sleep(decision.waitSeconds * 1000, run.stopper.signal, run.label);
      const outcome = await state.executor.attempt(visit.input, visit, run, runScope);
      emitSucceeded(state, outcome, run);
      return outcome;
    } catch (next) {
      failure = next;
    }
  }
}

/** No retry left: a matching Catch rule routes on, else the error leaves the state. */
function caught(visit: Visit, error: FlowError, decision: Extract<RetryDecision, { retry: false }>, run: ScopeRun): Outcome {
  const { state } = visit;
  const { policy } = run.runtime;
  const catcher = decision.catchRule === undefined ? undefined : state.catchers[decision.catchRule];
  if (!catcher) {
    emitIn(run, { type: 'StateFailed', state: state.name, error: error.name, cause: error.message });
    throw error;
  }
  const output = catchOutput(visit, catcher, error, policy);
  emitIn(run, { type: 'StateFailed', state: state.name, error: error.name, cause: error.message, caughtBy: catcher.next.name });
  return { output, next: catcher.next };
}
