/**
 * What every state unit shares. Each state type is one small unit (pass.ts, wait.ts, task.ts, choice.ts,
 * parallel.ts, map.ts, succeed.ts, fail.ts) that compiles one state, once per flow and policy (compile.ts), into an
 * executor: one attempt at the state, from its raw input to where the visit leads (InputConstructor → the state's own
 * action → OutputConstructor). Compiling turns the constructors into builders, finds each state it can lead to as a
 * direct reference and reads the policy's values; an attempt only runs closures. visit.ts holds the one loop around
 * the executors (entering, Retry, Catch); table.ts finds a state's unit.
 */
import type { FlowError } from '../errors';
import type { EvalEnv } from '../expression/ast';
import type { Builder, Template } from '../expression/template';
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import type { CatchRule, RetryRule, Scope, State, StateType } from '../model';
import type { CloudFlowPolicy, ExpressionPolicy } from '../policy';
import { catchOutputWithoutConstructor } from '../retry';
import { checkDataSize, checkStateData, type Runtime, type ScopeRun } from '../runtime';

/** How many documented history events each frequent event of a state stands for, computed once from the policy
 * (cloudflow-history.ts), so that counting them needs no event. */
export interface EventCounts {
  readonly entered: number;
  /** StateStarted on the first attempt, and on the attempts after a retry. */
  readonly started: number;
  readonly restarted: number;
  readonly taskScheduled: number;
  readonly taskSucceeded: number;
  readonly succeeded: number;
}

/** A Catch rule compiled: the state it leads to and its OutputConstructor. */
export interface CompiledCatch {
  readonly next: CompiledState;
  readonly output: Builder | undefined;
}

/** One state of a compiled flow. */
export interface CompiledState {
  readonly model: State;
  readonly name: string;
  readonly type: StateType;
  readonly executor: StateExecutor;
  /** The state `Next` leads to; undefined when the state ends its scope (or, for a Choice, chooses). */
  readonly next: CompiledState | undefined;
  readonly retry: readonly RetryRule[];
  readonly catchRules: readonly CatchRule[];
  /** `catchRules[i]`, compiled. */
  readonly catchers: readonly CompiledCatch[];
  readonly events: EventCounts;
}

/** A compiled scope: the flow itself, a Parallel branch, or a Map processor. */
export interface CompiledScope {
  readonly start: CompiledState;
  readonly states: ReadonlyMap<string, CompiledState>;
}

/** Where the visit leads: the next state, or undefined when the state ends its scope (End: true, Succeed). */
export interface Outcome {
  output: JsonObject;
  next: CompiledState | undefined;
}

/** Runs a child scope (a Parallel branch, a Map iteration) to its end: the visit loop, handed to the units that
 * have children so that no unit imports the loop. */
export type RunScope = (scope: CompiledScope, input: JsonObject, run: ScopeRun) => Promise<JsonObject>;

type Attempt<Result> = (rawInput: JsonObject, visit: Visit, run: ScopeRun, runScope: RunScope) => Result;

/** One state's attempt. `sync`: the state never waits, so the visit runs it without a promise in between. */
export type StateExecutor = { readonly sync: true; readonly attempt: Attempt<Outcome> } | { readonly sync: false; readonly attempt: Attempt<Promise<Outcome>> };

/** What a unit compiles its state with. */
export interface Compiler {
  readonly policy: CloudFlowPolicy;
  /** The compiled state `name` of the same scope: a reference, complete once the whole scope is compiled. */
  state(name: string): CompiledState;
  /** A child scope (a Parallel branch, a Map processor), compiled. */
  scope(scope: Scope): CompiledScope;
  /** A constructor as a builder, with the policy's missing-path rule. */
  template(template: Template): Builder;
}

/** What each unit exports: the executor of one state of its type. */
export type PrepareState<S extends State> = (state: S, compiler: Compiler) => StateExecutor;

/** One visit of one state: the environment its expressions run in, with `$Context` built only when one reads it. */
export class Visit implements EvalEnv {
  private built: JsonObject | undefined;
  private output: JsonValue | undefined;
  private error: { Code: string; Detail: string } | undefined;

  constructor(
    readonly runtime: Runtime,
    readonly state: CompiledState,
    /** The raw input of the visit (`$Context.Current.Input`). */
    readonly input: JsonObject,
    private retries = 0,
  ) {}

  /** Retries already made in this visit. */
  get retryCount(): number {
    return this.retries;
  }

  get random(): () => number {
    return this.runtime.random;
  }

  get policy(): ExpressionPolicy {
    return this.runtime.policy.expressions;
  }

  get errorName(): string {
    return this.runtime.policy.errorNames.expression;
  }

  retried(): void {
    this.retries += 1;
    this.built = undefined;
  }

  setOutput(output: JsonValue): void {
    this.output = output;
    this.built = undefined;
  }

  setError(error: { Code: string; Detail: string }): void {
    this.error = error;
    this.built = undefined;
  }

  get context(): JsonObject {
    if (!this.built) {
      const { runtime } = this;
      const current: JsonObject = { Name: this.state.name, Input: this.input, RetryCount: this.retries };
      if (this.output !== undefined) current.Output = this.output;
      if (this.error) current.Error = this.error;
      this.built = { Execution: { Name: runtime.executionName, Input: runtime.executionInput }, Current: current };
    }
    return this.built;
  }
}

/** A state's InputConstructor and OutputConstructor, compiled: every unit runs its own action between the two. */
export interface Frame {
  /** InputConstructor over the raw input; without one, the raw input itself. */
  input(rawInput: JsonObject, visit: Visit): JsonObject;
  /** OutputConstructor over ($Input, $Output, $Context); without one, the state's $Output itself (checked). */
  output(input: JsonObject, output: JsonValue, visit: Visit): JsonObject;
}

export function prepareFrame(state: State, compiler: Compiler): Frame {
  const { policy } = compiler;
  const inputBuilder = state.inputConstructor && compiler.template(state.inputConstructor);
  const outputBuilder = state.outputConstructor && compiler.template(state.outputConstructor);
  const inputWhat = `${state.name}: InputConstructor result`;
  const outputWhat = `${state.name}: OutputConstructor result`;
  const rawOutputWhat = `${state.name}: $Output`;
  const plainOutputWhat = `${state.name}: output`;
  return {
    input: inputBuilder ? (rawInput, visit) => checkStateData(inputBuilder(rawInput, undefined, visit), policy, inputWhat) : (rawInput) => rawInput,
    output: outputBuilder
      ? (input, output, visit) => {
          // A Task's, Parallel's or Map's own $Output is state data too, even when an OutputConstructor reshapes it.
          if (output !== input) checkDataSize(output, policy, rawOutputWhat);
          visit.setOutput(output);
          return checkStateData(outputBuilder(input, output, visit), policy, outputWhat);
        }
      : // The state's own input passed on unchanged was checked when it became state data.
        (input, output) => (output === input && isJsonObject(output) ? output : checkStateData(output, policy, plainOutputWhat)),
  };
}

export function emitStarted(visit: Visit, input: JsonObject, run: ScopeRun, waitSeconds?: number): void {
  const { state, retryCount } = visit;
  const { runtime } = run;
  if (!runtime.count(retryCount > 0 ? state.events.restarted : state.events.started, state.name, run.label)) return;
  const retried = retryCount > 0 ? { retryCount } : {};
  const body = { type: 'StateStarted', state: state.name, stateType: state.type, input } as const;
  runtime.record(waitSeconds === undefined ? { ...body, ...retried } : { ...body, waitSeconds, ...retried }, run.label);
}

/** A Catch rule's output: its OutputConstructor, which sees the failed state's input as $Input (a fixed choice, listed
 * in policy.ts) and the error as `$Context.Current.Error`; without one, that input itself. */
export function catchOutput(visit: Visit, catcher: CompiledCatch, error: FlowError, policy: CloudFlowPolicy): JsonObject {
  visit.setError({ Code: error.name, Detail: error.message });
  if (!catcher.output) return catchOutputWithoutConstructor(visit.input, error, policy);
  return checkStateData(catcher.output(visit.input, undefined, visit), policy, `${visit.state.name}: Catch OutputConstructor result`);
}

/** A state that goes on to its `Next`, or ends its scope. */
export function flowOn(visit: Visit, output: JsonObject): Outcome {
  return { output, next: visit.state.next };
}
