import { VirtualClock } from '../../src/flow/clock';
import { startExecution, type ExecutionResult, type StartExecutionOptions } from '../../src/flow/execution';
import type { HistoryEvent } from '../../src/flow/history';
import { loadFlow } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/model';
import type { InvokeTask, TaskRequest } from '../../src/flow/runtime';

/** A flow from the states part only: `states` is YAML for the `States:` list (indented by two spaces). */
export function flowOf(states: string, extra = ''): Flow {
  return loadFlow(`Type: StateMachine\nSpecVersion: v1\nName: test\n${extra}StartAt: ${firstName(states)}\nStates:\n${states}`);
}

function firstName(states: string): string {
  const match = /Name:\s*(\S+)/.exec(states);
  if (!match) throw new Error('no state name');
  return match[1] as string;
}

/** Tasks keyed by the Task's state name; each gets the request and returns the raw $Output or throws. */
export type TaskTable = Record<string, (request: TaskRequest) => unknown>;

export function taskError(name: string, message = `${name} happened`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function tableInvoker(tasks: TaskTable, calls: TaskRequest[] = []): InvokeTask {
  return async (request) => {
    calls.push(request);
    const task = tasks[request.stateName];
    if (!task) throw new Error(`no stub for ${request.stateName}`);
    return task(request);
  };
}

export interface RunOutcome {
  result: ExecutionResult;
  events: HistoryEvent[];
  calls: TaskRequest[];
  clock: VirtualClock;
  /** Seconds since the start at which each task call happened. */
  callTimes: number[];
}

export async function runFlow(
  flow: Flow,
  input: unknown,
  tasks: TaskTable = {},
  options: Partial<StartExecutionOptions> = {},
): Promise<RunOutcome> {
  const clock = (options.clock as VirtualClock | undefined) ?? new VirtualClock();
  const start = clock.now();
  const events: HistoryEvent[] = [];
  const calls: TaskRequest[] = [];
  const callTimes: number[] = [];
  const invoke = options.invokeTask ?? tableInvoker(tasks, calls);
  const handle = startExecution(flow, input, {
    name: 'test-run',
    clock,
    onEvent: (event) => events.push(event),
    ...options,
    invokeTask: async (request) => {
      callTimes.push((clock.now() - start) / 1000);
      if (options.invokeTask) calls.push(request);
      return invoke(request);
    },
  });
  return { result: await handle.result, events, calls, clock, callTimes };
}

/** `Type:State` pairs of the events that belong to a state, for order assertions. */
export function trace(events: HistoryEvent[], types: ReadonlySet<string> = new Set(['StateEntered'])): string[] {
  return events.filter((event) => types.has(event.type)).map((event) => event.state ?? event.type);
}
