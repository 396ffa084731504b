/**
 * `testState`: the decision for one visit of one state, without running the flow (like Step Functions' TestState).
 * Tasks (and Parallel/Map, whose branches are not run) take the raw `$Output` as `taskResult` or fail with
 * `taskError`; the Retry/Catch decision then follows the same rules as a real run.
 */
import { compileScope } from './compile';
import { toFlowError } from './errors';
import type { HistoryEventBody } from './history';
import type { JsonObject, JsonValue } from './json';
import type { Flow, Scope, State, TaskState } from './model';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from './policy';
import { decideAfterError } from './retry';
import { Stopper, type Runtime } from './runtime';
import { catchOutput, Visit, type CompiledState } from './states/unit';
import { runScope } from './visit';

export interface TestStateOptions {
  input: JsonObject;
  /** The raw `$Output` of the task (for FC:InvokeFunction: `{Body: …}`), or of a Parallel/Map (`{Branch0…}`/`{Items}`). */
  taskResult?: JsonValue;
  /** The task fails with this CloudFlow error instead. */
  taskError?: { name: string; message: string };
  /** Retries already made in this visit by the rule that matches (and `$Context.Current.RetryCount`). */
  retryCount?: number;
  context?: { executionName?: string; executionInput?: JsonObject };
  policy?: CloudFlowPolicy;
  random?: () => number;
}

export interface TestStateResult {
  /** Succeeded: goes on (or ends); Retrying: the call is made again after waitSeconds; Caught: a Catch routes to next;
   * Failed: the error leaves the state. */
  status: 'Succeeded' | 'Retrying' | 'Caught' | 'Failed';
  next?: string;
  end?: boolean;
  output?: JsonObject;
  /** A Wait's wait, or the delay before the retry. */
  waitSeconds?: number;
  retry?: { attempt: number; rule: number };
  error?: { name: string; message: string };
  /** The state's input after InputConstructor. */
  input?: JsonObject;
  /** A Task's evaluated Parameters. */
  parameters?: JsonObject;
}

export async function testState(flow: Flow, stateName: string, options: TestStateOptions): Promise<TestStateResult> {
  const policy = options.policy ?? CLOUDFLOW_POLICY;
  const found = findState(flow.scope, stateName);
  if (found.length === 0) throw new Error(`no state named "${stateName}" in flow ${flow.name}`);
  if (found.length > 1) throw new Error(`"${stateName}" names ${found.length} states (in different scopes); rename one to test it`);
  const { state, scope } = found[0] as Found;
  const needsResult = state.type === 'Task' || state.type === 'Parallel' || state.type === 'Map';
  if (needsResult && options.taskResult === undefined && options.taskError === undefined) {
    throw new Error(`testState on ${state.type} "${stateName}" needs taskResult or taskError`);
  }
  const retryCount = options.retryCount ?? 0;
  const observed: { input?: JsonObject; parameters?: JsonObject; waitSeconds?: number } = {};
  const observe = (event: HistoryEventBody): void => {
    if (event.type === 'StateStarted') {
      observed.input = event.input;
      if (event.waitSeconds !== undefined) observed.waitSeconds = event.waitSeconds;
    }
  };
  const runtime: Runtime = {
    flow,
    policy,
    clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
    invokeTask: async (request) => {
      observed.parameters = request.parameters;
      if (options.taskError) throw Object.assign(new Error(options.taskError.message), { name: options.taskError.name });
      return options.taskResult;
    },
    random: options.random ?? Math.random,
    executionName: options.context?.executionName ?? 'test-state',
    executionInput: options.context?.executionInput ?? options.input,
    counts: { stateTransitions: 0, taskCalls: 0, retries: 0 },
    listening: true,
    count: () => true,
    record: observe,
    emit: observe,
    sleep: () => Promise.resolve(),
    checkDeadline: () => undefined,
    mode: 'Standard',
    // A distributed Map is tested like a Task too: no sub-execution is ever started.
    startSubExecution: () => {
      throw new Error('testState runs no sub-executions');
    },
    mapRuns: { open: 0, started: new Map() },
  };
  // Parallel and Map are tested like a Task whose result is the given $Output: their branches are not run.
  const visited: State = state.type === 'Parallel' || state.type === 'Map' ? asTask(state) : state;
  const compiled = compileScope(replaced(scope, state, visited), policy).states.get(state.name) as CompiledState;
  const visit = new Visit(runtime, compiled, options.input, retryCount);
  const seen = (): Pick<TestStateResult, 'input' | 'parameters' | 'waitSeconds'> => ({ ...observed });
  try {
    const outcome = await compiled.executor.attempt(options.input, visit, { runtime, stopper: new Stopper() }, runScope);
    return { status: 'Succeeded', output: outcome.output, ...(outcome.next === undefined ? { end: true } : { next: outcome.next.name }), ...seen() };
  } catch (thrown) {
    const error = toFlowError(thrown, policy.errorNames.fcUnknown);
    const failure = { name: error.name, message: error.message };
    const decision = decideAfterError(compiled.retry, compiled.catchRules, error.name, compiled.retry.map(() => retryCount), policy);
    const base = { ...seen(), error: failure };
    if (decision.retry) {
      return { ...base, status: 'Retrying', waitSeconds: decision.waitSeconds, retry: { attempt: decision.attempt, rule: decision.rule } };
    }
    const catcher = decision.catchRule === undefined ? undefined : compiled.catchers[decision.catchRule];
    if (!catcher) return { ...base, status: 'Failed' };
    return { ...base, status: 'Caught', next: catcher.next.name, output: catchOutput(visit, catcher, error, policy) };
  }
}

function asTask(state: Extract<State, { type: 'Parallel' | 'Map' }>): TaskState {
  const task: TaskState = { ...state, type: 'Task', action: `testState:${state.type}`, taskMode: 'RequestComplete' };
  delete (task as Partial<TaskState>).parameters;
  return task;
}

interface Found {
  state: State;
  /** The scope that holds it. */
  scope: Scope;
}

function findState(scope: Scope, name: string): Found[] {
  const found: Found[] = [];
  for (const state of scope.states.values()) {
    if (state.name === name) found.push({ state, scope });
    if (state.type === 'Parallel') for (const branch of state.branches) found.push(...findState(branch, name));
    if (state.type === 'Map') found.push(...findState(state.processor, name));
  }
  return found;
}

/** The scope with one state swapped for another of the same name. */
function replaced(scope: Scope, state: State, by: State): Scope {
  if (state === by) return scope;
  return { startAt: scope.startAt, states: new Map([...scope.states].map(([name, each]) => [name, each === state ? by : each])) };
}
