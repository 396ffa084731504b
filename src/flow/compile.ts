/**
 * A validated flow compiled once per policy, before its first execution: every state's executor prepared by its unit
 * (constructors to builders; expressions were compiled to closures when they were parsed), every `Next`, Choice
 * branch, `Default` and Catch `Next` resolved to the compiled state it names, and the policy's values read: the
 * missing-path rule, error names, and how many documented history events each frequent event stands for. A visit
 * then looks nothing up.
 */
import { documentedEventTypes, type CountedEvent } from './cloudflow-history';
import { compileTemplate } from './expression/template';
import type { CatchRule, Flow, RetryRule, Scope, State, StateType } from './model';
import type { CloudFlowPolicy } from './policy';
import { prepareState } from './states/table';
import type { CompiledCatch, CompiledScope, CompiledState, Compiler, EventCounts, StateExecutor } from './states/unit';

const compiled = new WeakMap<Flow, WeakMap<CloudFlowPolicy, CompiledScope>>();

/** The flow's top scope compiled for `policy`: compiled on the first call, the same object on every later one. */
export function compileFlow(flow: Flow, policy: CloudFlowPolicy): CompiledScope {
  let byPolicy = compiled.get(flow);
  if (!byPolicy) {
    byPolicy = new WeakMap();
    compiled.set(flow, byPolicy);
  }
  let scope = byPolicy.get(policy);
  if (!scope) {
    scope = compileScope(flow.scope, policy);
    byPolicy.set(policy, scope);
  }
  return scope;
}

/** Compiles each state of a scope, then links them: a state's references are to the compiled states of its scope. */
export function compileScope(scope: Scope, policy: CloudFlowPolicy): CompiledScope {
  const states = new Map<string, LinkedState>();
  for (const state of scope.states.values()) states.set(state.name, new LinkedState(state, eventCounts(state, policy)));
  const compiler: Compiler = {
    policy,
    state(name) {
      const found = states.get(name);
      // The loader refuses a reference to a state outside the scope, so this is a bug, not a user error.
      if (!found) throw new Error(`no state "${name}" in this scope (states: ${[...states.keys()].join(', ')})`);
      return found;
    },
    scope: (child) => compileScope(child, policy),
    template: (template) => compileTemplate(template, policy.missingPath),
  };
  for (const state of states.values()) state.link(compiler);
  return { start: compiler.state(scope.startAt), states };
}

/** Stands in for an executor until its scope is linked; never runs. */
const UNLINKED: StateExecutor = {
  sync: true,
  attempt() {
    throw new Error('the state was run before its scope was compiled');
  },
};

/** A compiled state, created before its neighbours so that they can refer to it, and linked once they all exist. */
class LinkedState implements CompiledState {
  readonly name: string;
  readonly type: StateType;
  readonly retry: readonly RetryRule[];
  readonly catchRules: readonly CatchRule[];
  executor: StateExecutor = UNLINKED;
  next: CompiledState | undefined;
  catchers: readonly CompiledCatch[] = [];

  constructor(
    readonly model: State,
    readonly events: EventCounts,
  ) {
    this.name = model.name;
    this.type = model.type;
    this.retry = 'retry' in model ? model.retry : [];
    this.catchRules = 'catch' in model ? model.catch : [];
  }

  link(compiler: Compiler): void {
    this.executor = prepareState(this.model, compiler);
    const next = 'next' in this.model ? this.model.next : undefined;
    this.next = next === undefined ? undefined : compiler.state(next);
    this.catchers = this.catchRules.map((rule) => ({
      next: compiler.state(rule.next),
      output: rule.outputConstructor && compiler.template(rule.outputConstructor),
    }));
  }
}

/** The documented events (cloudflow-history.ts) of the events every visit of this state records. */
function eventCounts(state: State, policy: CloudFlowPolicy): EventCounts {
  const count = (event: CountedEvent): number => documentedEventTypes(event, policy).length;
  return {
    entered: count({ type: 'StateEntered' }),
    started: count({ type: 'StateStarted', stateType: state.type }),
    restarted: count({ type: 'StateStarted', stateType: state.type, retryCount: 1 }),
    taskScheduled: count({ type: 'TaskScheduled' }),
    taskSucceeded: count({ type: 'TaskSucceeded' }),
    succeeded: count({ type: 'StateSucceeded' }),
  };
}
