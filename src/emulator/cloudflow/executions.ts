import type { Clock } from '../../flow/clock';
import { CloudFlowHistory } from '../../flow/cloudflow-history';
import type { HistoryEvent } from '../../flow/history';
import { startExecution, type ExecutionHandle, type ExecutionResult, type SubExecutionHost, type SubExecutionListeners } from '../../flow/execution';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../flow/policy';
import type { InvokeTask, ParentExecution } from '../../flow/runtime';
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
  /** Set for a distributed Map's sub-workflow execution. */
  parent?: ParentExecution;
}

/** One distributed Map run, as DescribeMapRun reports it (built from the parent's MapRunStarted/MapRunEnded). */
export interface LocalMapRun {
  flowName: string;
  executionName: string;
  mapRunName: string;
  status: 'Running' | 'Succeeded' | 'Failed' | 'Aborted';
  startedTime: string;
  stoppedTime?: string;
  concurrency: number;
  items: number;
  toleratedFailedCount?: number;
  toleratedFailedPercentage?: number;
}

/** A live update: each history event as it happens, then one change without an event when the status settles. */
export interface ExecutionChange {
  flowName: string;
  name: string;
  status: CloudFlowStatus;
  event?: HistoryEvent;
  /** Set for a distributed Map's sub-execution: the execution and map run it belongs to. */
  parent?: ParentExecution;
}
export type ExecutionListener = (change: ExecutionChange) => void;

export interface ExecutionStoreOptions {
  invokeTask: InvokeTask;
  clock: Clock;
  historyDir?: string;
  /** Default CLOUDFLOW_POLICY. */
  policy?: CloudFlowPolicy;
}

function mapRunKey(flowName: string, executionName: string, mapRunName: string): string {
  return JSON.stringify([flowName, executionName, mapRunName]);
}

/** Executions by flow, in start order (ListExecutions pages through them in that order). */
export class ExecutionStore {
  private readonly byFlow = new Map<string, Map<string, LocalExecution>>();
  private readonly mapRuns = new Map<string, LocalMapRun>();
  private readonly listeners = new Set<ExecutionListener>();

  constructor(private readonly options: ExecutionStoreOptions) {}

  get(flowName: string, name: string): LocalExecution | undefined {
    return this.byFlow.get(flowName)?.get(name);
  }

  /** The executions started by StartExecution, in start order (sub-executions are listed by their map run). */
  list(flowName: string): LocalExecution[] {
    return [...(this.byFlow.get(flowName)?.values() ?? [])].filter((execution) => execution.parent === undefined);
  }

  /** The sub-workflow executions of one distributed Map run, in start order. */
  listMapRun(flowName: string, mapRunName: string): LocalExecution[] {
    return [...(this.byFlow.get(flowName)?.values() ?? [])].filter((execution) => execution.parent?.mapRunName === mapRunName);
  }

  mapRun(flowName: string, executionName: string, mapRunName: string): LocalMapRun | undefined {
    return this.mapRuns.get(mapRunKey(flowName, executionName, mapRunName));
  }

  /** Live updates of every execution (the console's feed); returns the unsubscribe function. */
  subscribe(listener: ExecutionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private get policy(): CloudFlowPolicy {
    return this.options.policy ?? CLOUDFLOW_POLICY;
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
    return this.track(flow.name, definition, name, input, undefined, (listeners) =>
      startExecution(flow, input, {
        name,
        invokeTask: this.options.invokeTask,
        clock: this.options.clock,
        policy: this.policy,
        subExecutions: this.subExecutionsOf(definition),
        ...listeners,
      }),
    );
  }

  /** A distributed Map's sub-executions are executions of the parent's flow (its definition), each with its own history. */
  private subExecutionsOf(definition: string): SubExecutionHost {
    return (request, start) => this.track(request.flow.name, definition, request.name, request.input, request.parent, start).handle;
  }

  private track(
    flowName: string,
    definition: string,
    name: string,
    input: Record<string, unknown>,
    parent: ParentExecution | undefined,
    launch: (listeners: SubExecutionListeners) => ExecutionHandle,
  ): LocalExecution {
    const history = new CloudFlowHistory(this.policy);
    const events: HistoryEvent[] = [];
    const handle = launch({
      onEvent: (event) => {
        events.push(event);
        history.add(event);
        this.recordMapRun(flowName, name, event);
        this.notify({ flowName, name, status: 'Running', event, ...(parent ? { parent } : {}) });
      },
      ...(this.options.historyDir ? { historyDir: this.options.historyDir } : {}),
    });
    const execution: LocalExecution = {
      flowName,
      name,
      input: JSON.stringify(input),
      definition,
      status: 'Running',
      startedTime: new Date(this.options.clock.now()).toISOString(),
      history,
      events,
      handle,
      ...(parent ? { parent } : {}),
    };
    let executions = this.byFlow.get(flowName);
    if (!executions) this.byFlow.set(flowName, (executions = new Map()));
    executions.set(name, execution);
    handle.result.then(
      (result) => {
        execution.result = result;
        execution.status = result.status;
        execution.stoppedTime = result.stoppedAt;
        this.notify({ flowName, name, status: execution.status, ...(parent ? { parent } : {}) });
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
        this.notify({ flowName, name, status: execution.status, ...(parent ? { parent } : {}) });
      },
    );
    return execution;
  }

  private recordMapRun(flowName: string, executionName: string, event: HistoryEvent): void {
    if (event.type === 'MapRunStarted') {
      this.mapRuns.set(mapRunKey(flowName, executionName, event.mapRunName), {
        flowName,
        executionName,
        mapRunName: event.mapRunName,
        status: 'Running',
        startedTime: event.time,
        concurrency: event.maxConcurrency,
        items: event.items,
        ...(event.toleratedFailureCount === undefined ? {} : { toleratedFailedCount: event.toleratedFailureCount }),
        ...(event.toleratedFailurePercentage === undefined ? {} : { toleratedFailedPercentage: event.toleratedFailurePercentage }),
      });
    } else if (event.type === 'MapRunEnded') {
      const run = this.mapRuns.get(mapRunKey(flowName, executionName, event.mapRunName));
      if (run) Object.assign(run, { status: event.status, stoppedTime: event.time });
    }
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
