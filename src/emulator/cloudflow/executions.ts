import type { Clock } from '../../flow/clock';
import { CloudFlowHistory } from '../../flow/cloudflow-history';
import type { HistoryEvent } from '../../flow/history';
import { startExecution, type ExecutionHandle, type ExecutionResult } from '../../flow/execution';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../flow/policy';
import type { InvokeTask } from '../../flow/runtime';
import type { Flow } from '../../flow/model';

/** CloudFlow's execution statuses as DescribeExecution reports them. */
export type CloudFlowStatus = 'Running' | 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut';

/** One execution run by the local CloudFlow API: the interpreter's handle plus what the API reports. */
export interface LocalExecution {
  flowName: string;
  name: string;
  input: string;
  definition: string;
  status: CloudFlowStatus;
  startedTime: string;
  stoppedTime?: string;
  result?: ExecutionResult;
  /** What GetExecutionHistory lists, built as the interpreter's events arrive. */
  history: CloudFlowHistory;
  /** The interpreter's own events (richer than CloudFlow's: the console shows retries and waits from them). */
  events: HistoryEvent[];
  handle: ExecutionHandle;
}

/** A live update: each history event as it happens, then one change without an event when the status settles. */
export interface ExecutionChange {
  flowName: string;
  name: string;
  status: CloudFlowStatus;
  event?: HistoryEvent;
}
export type ExecutionListener = (change: ExecutionChange) => void;

export interface ExecutionStoreOptions {
  invokeTask: InvokeTask;
  clock: Clock;
  historyDir?: string;
  /** Default CLOUDFLOW_POLICY. */
  policy?: CloudFlowPolicy;
}

/** Executions by flow, in start order (ListExecutions pages through them in that order). */
export class ExecutionStore {
  private readonly byFlow = new Map<string, Map<string, LocalExecution>>();
  private readonly listeners = new Set<ExecutionListener>();

  constructor(private readonly options: ExecutionStoreOptions) {}

  get(flowName: string, name: string): LocalExecution | undefined {
    return this.byFlow.get(flowName)?.get(name);
  }

  list(flowName: string): LocalExecution[] {
    return [...(this.byFlow.get(flowName)?.values() ?? [])];
  }

  /** Live updates of every execution (the console's feed); returns the unsubscribe function. */
  subscribe(listener: ExecutionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(change: ExecutionChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not change the execution.
      }
    }
  }

  start(flow: Flow, definition: string, name: string, input: Record<string, unknown>): LocalExecution {
    const policy = this.options.policy ?? CLOUDFLOW_POLICY;
    const history = new CloudFlowHistory(policy);
    const events: HistoryEvent[] = [];
    const handle = startExecution(flow, input, {
      name,
      invokeTask: this.options.invokeTask,
      clock: this.options.clock,
      policy,
      onEvent: (event) => {
        events.push(event);
        history.add(event);
        this.notify({ flowName: flow.name, name, status: 'Running', event });
      },
      ...(this.options.historyDir ? { historyDir: this.options.historyDir } : {}),
    });
    const execution: LocalExecution = {
      flowName: flow.name,
      name,
      input: JSON.stringify(input),
      definition,
      status: 'Running',
      startedTime: new Date(this.options.clock.now()).toISOString(),
      history,
      events,
      handle,
    };
    let executions = this.byFlow.get(flow.name);
    if (!executions) this.byFlow.set(flow.name, (executions = new Map()));
    executions.set(name, execution);
    handle.result.then(
      (result) => {
        execution.result = result;
        execution.status = result.status;
        execution.stoppedTime = result.stoppedAt;
        this.notify({ flowName: flow.name, name, status: execution.status });
      },
      (error: unknown) => {
        execution.status = 'Failed';
        execution.stoppedTime = new Date(this.options.clock.now()).toISOString();
        execution.result = {
          name,
          status: 'Failed',
          error: 'FnF.InternalError',
          cause: error instanceof Error ? error.message : String(error),
          startedAt: execution.startedTime,
          stoppedAt: execution.stoppedTime,
          counts: { stateTransitions: 0, taskCalls: 0, retries: 0 },
          historyEvents: history.events.length,
        };
        this.notify({ flowName: flow.name, name, status: execution.status });
      },
    );
    return execution;
  }

  /** Resolves when every execution has ended (stop() them first to end quickly). */
  async settled(): Promise<void> {
    const all = [...this.byFlow.values()].flatMap((executions) => [...executions.values()]);
    await Promise.allSettled(all.map((execution) => execution.handle.result));
  }

  stopAll(reason: string): void {
    for (const executions of this.byFlow.values()) {
      for (const execution of executions.values()) if (execution.status === 'Running') execution.handle.stop(reason);
    }
  }
}
