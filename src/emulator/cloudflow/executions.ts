import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../flow/clock';
import { CloudFlowHistory } from '../../flow/cloudflow-history';
import type { HistoryEvent } from '../../flow/history';
import { startExecution, type ExecutionHandle, type ExecutionResult, type SubExecutionHost, type SubExecutionListeners } from '../../flow/execution';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../flow/policy';
import type { InvokeTask, ParentExecution } from '../../flow/runtime';
import type { Flow } from '../../flow/model';
import { loadFlow } from '../../flow/loader';
import type { JsonObject } from '../../flow/json';
import { closingEvent, type ParsedJournal } from '../../journal/format';
import { readJournalFile } from '../../journal/file';
import { resumeJournal, startJournal, type JournaledExecution } from '../../journal/journaled';
import type { JournalWriterOptions } from '../../journal/writer';

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
  /** Its journal could not be read or replayed (file and line): it is left as it is, never run. */
  damaged?: string;
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
  /** Journals every execution in `<stateDir>/<flow>/<execution>.ndjson`; `resume()` carries them on. */
  stateDir?: string;
  journal?: JournalWriterOptions;
  log?: (line: string) => void;
}

/** What `resume()` found in the state dir. */
export interface ResumeReport {
  resumed: string[];
  finished: string[];
  damaged: string[];
  /** Torn lines set aside. */
  repaired: string[];
}

function mapRunKey(flowName: string, executionName: string, mapRunName: string): string {
  return JSON.stringify([flowName, executionName, mapRunName]);
}

const CLOSING_STATUS = { ExecutionSucceeded: 'Succeeded', ExecutionFailed: 'Failed', ExecutionStopped: 'Stopped', ExecutionTimedOut: 'TimedOut' } as const;

/** Executions by flow, in start order (ListExecutions pages through them in that order). */
export class ExecutionStore {
  private readonly byFlow = new Map<string, Map<string, LocalExecution>>();
  private readonly mapRuns = new Map<string, LocalMapRun>();
  private readonly listeners = new Set<ExecutionListener>();
  /** The journals of the executions running now (suspended, not stopped, by stopAll). */
  private readonly journals = new Set<JournaledExecution>();
  /** Ends not reported yet (a journal being closed). */
  private readonly reporting = new Set<Promise<void>>();
  /** Sub-executions' journals found by resume(), picked up when their parent's replay starts them again. */
  private readonly childJournals = new Map<string, { path: string; journal: ParsedJournal }>();

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
    const { stateDir, clock } = this.options;
    const journal = stateDir
      ? startJournal({ path: journalPath(stateDir, flow.name, name), name, flow: flow.name, definition, input: input as JsonObject, startedAt: clock.now() }, this.wiring())
      : undefined;
    return this.launch(flow, definition, name, input, journal);
  }

  private launch(flow: Flow, definition: string, name: string, input: Record<string, unknown>, journal: JournaledExecution | undefined): LocalExecution {
    return this.track(
      flow.name,
      definition,
      name,
      input,
      undefined,
      (listeners) =>
        startExecution(flow, input, {
          name,
          invokeTask: this.options.invokeTask,
          clock: this.options.clock,
          policy: this.policy,
          subExecutions: this.subExecutionsOf(definition),
          ...listeners,
        }),
      journal,
    );
  }

  /**
   * A distributed Map's sub-executions are executions of the parent's flow (its definition), each with its own
   * history and, with a state dir, its own journal: a sub-execution that has one already (the parent is being
   * replayed) is replayed from it, to its end if it had ended.
   */
  private subExecutionsOf(definition: string): SubExecutionHost {
    return (request, start) => {
      const { stateDir, clock } = this.options;
      let journal: JournaledExecution | undefined;
      if (stateDir) {
        const path = journalPath(stateDir, request.flow.name, request.name);
        const found = this.childJournals.get(path);
        this.childJournals.delete(path);
        journal = found
          ? resumeJournal(path, found.journal, this.wiring())
          : startJournal(
              { path, name: request.name, flow: request.flow.name, definition, input: request.input, startedAt: clock.now(), parentExecution: request.parent.execution },
              this.wiring(),
            );
      }
      return this.track(request.flow.name, definition, request.name, request.input, request.parent, start, journal).handle;
    };
  }

  /**
   * Loads every journal in the state dir: an execution that had ended is listed again as it ended; one that had not
   * is resumed by replay (a sub-execution through its parent's replay); a damaged one is reported (the log, and
   * DescribeExecution: Status Failed, its Output naming the file and line) and left as it is. Call it once, with
   * the API served, before any StartExecution.
   */
  resume(): ResumeReport {
    const report: ResumeReport = { resumed: [], finished: [], damaged: [], repaired: [] };
    const { stateDir } = this.options;
    if (!stateDir) return report;
    const log = this.options.log ?? (() => undefined);
    const damaged = (flowName: string, name: string, message: string): void => {
      this.registerDamaged(flowName, name, message);
      report.damaged.push(message);
      log(`cloudflow: journal damaged, execution left as it is: ${message}`);
    };
    const journals: Array<{ path: string; journal: ParsedJournal }> = [];
    const children: Array<{ path: string; journal: ParsedJournal }> = [];
    for (const flowName of listDir(stateDir)) {
      for (const file of listDir(join(stateDir, flowName)).filter((name) => name.endsWith('.ndjson'))) {
        const path = join(stateDir, flowName, file);
        const read = readJournalFile(path);
        if (read.kind !== 'damaged' && read.repaired) {
          report.repaired.push(read.repaired);
          log(`cloudflow: ${read.repaired}`);
        }
        if (read.kind === 'never-started') continue;
        if (read.kind === 'damaged') damaged(flowName, file.slice(0, -'.ndjson'.length), read.error.message);
        else if (read.journal.header.parentExecution !== undefined) children.push({ path, journal: read.journal });
        else journals.push({ path, journal: read.journal });
      }
    }
    // In the order they first started, as ListExecutions lists them.
    journals.sort((a, b) => Date.parse(a.journal.header.time) - Date.parse(b.journal.header.time));
    // Executions of one flow share its recorded definition: each text is loaded (and checked) once.
    const loaded = new Map<string, Flow>();
    for (const { path, journal } of journals) {
      const { header } = journal;
      if (closingEvent(journal)) {
        this.registerFinished(journal);
        report.finished.push(header.execution);
        continue;
      }
      let flow: Flow;
      try {
        const key = `${header.flow}\n${header.definition}`;
        flow = loaded.get(key) ?? loadFlow(header.definition, { path: header.definitionPath ?? path, expectedName: header.flow, policy: this.policy });
        loaded.set(key, flow);
      } catch (error) {
        damaged(header.flow, header.execution, `${path}:1: the recorded definition does not load: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      // Its sub-executions' journals wait for its replay to start them again (see subExecutionsOf).
      for (const child of children) if (child.journal.header.parentExecution === header.execution && child.journal.header.flow === header.flow) this.childJournals.set(child.path, child);
      this.launch(flow, header.definition, header.execution, header.input, resumeJournal(path, journal, this.wiring()));
      report.resumed.push(header.execution);
    }
    // The sub-executions of an execution that had ended are listed as they ended.
    for (const child of children) {
      if (this.childJournals.has(child.path)) continue;
      if (closingEvent(child.journal)) this.registerFinished(child.journal);
      else damaged(child.journal.header.flow, child.journal.header.execution, `${child.path}: a sub-execution that had not ended, of an execution that had (or has no journal)`);
    }
    if (report.resumed.length) log(`cloudflow: resumed ${report.resumed.length} unfinished execution(s) from ${stateDir}`);
    return report;
  }

  private wiring(): { invokeTask: InvokeTask; clock: Clock; writer?: JournalWriterOptions } {
    return { invokeTask: this.options.invokeTask, clock: this.options.clock, ...(this.options.journal ? { writer: this.options.journal } : {}) };
  }

  private track(
    flowName: string,
    definition: string,
    name: string,
    input: Record<string, unknown>,
    parent: ParentExecution | undefined,
    launch: (listeners: SubExecutionListeners) => ExecutionHandle,
    journal: JournaledExecution | undefined,
  ): LocalExecution {
    const history = new CloudFlowHistory(this.policy);
    const events: HistoryEvent[] = [];
    // Known before the run starts: a stop during its first steps suspends it too.
    if (journal) this.journals.add(journal);
    const handle = launch({
      onEvent: (event) => {
        events.push(event);
        history.add(event);
        this.recordMapRun(flowName, name, event);
        this.notify({ flowName, name, status: 'Running', event, ...(parent ? { parent } : {}) });
      },
      ...(this.options.historyDir ? { historyDir: this.options.historyDir } : {}),
      ...(journal ? journal.options : {}),
    });
    journal?.attach(handle);
    const execution: LocalExecution = {
      flowName,
      name,
      input: JSON.stringify(input),
      definition,
      status: 'Running',
      startedTime: journal ? journal.header.time : new Date(this.options.clock.now()).toISOString(),
      history,
      events,
      handle,
      ...(parent ? { parent } : {}),
    };
    this.add(execution);
    // With a journal, the end is on the disk before DescribeExecution reports it.
    const ended = journal ? handle.result.then(async (result) => (await journal.writer.close(), result)) : handle.result;
    const reported = ended.then(
      (result) => {
        if (journal) this.journals.delete(journal);
        const diverged = journal?.replay?.diverged;
        if (diverged) {
          execution.damaged = diverged.message;
          execution.status = 'Failed';
          this.options.log?.(`cloudflow: journal damaged, execution left as it is: ${diverged.message}`);
        } else {
          execution.result = result;
          execution.status = result.status;
          execution.stoppedTime = result.stoppedAt;
        }
        this.notify({ flowName, name, status: execution.status, ...(parent ? { parent } : {}) });
      },
      (error: unknown) => {
        if (journal) this.journals.delete(journal);
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
    this.reporting.add(reported);
    void reported.finally(() => this.reporting.delete(reported));
    return execution;
  }

  private add(execution: LocalExecution): void {
    let executions = this.byFlow.get(execution.flowName);
    if (!executions) this.byFlow.set(execution.flowName, (executions = new Map()));
    executions.set(execution.name, execution);
  }

  /** An execution that had ended, listed again from its journal. */
  private registerFinished(journal: ParsedJournal): void {
    const { header } = journal;
    const history = new CloudFlowHistory(this.policy);
    const events = journal.events.map(({ event }) => event);
    for (const event of events) {
      history.add(event);
      this.recordMapRun(header.flow, header.execution, event);
    }
    const end = closingEvent(journal) as HistoryEvent;
    const status = CLOSING_STATUS[end.type as keyof typeof CLOSING_STATUS];
    const result: ExecutionResult = {
      name: header.execution,
      status,
      ...(end.type === 'ExecutionSucceeded' ? { output: end.output } : {}),
      ...(end.type === 'ExecutionFailed' || end.type === 'ExecutionTimedOut' ? { error: end.error, cause: end.cause } : {}),
      ...(end.type === 'ExecutionStopped' ? { cause: end.reason } : {}),
      startedAt: header.time,
      stoppedAt: end.time,
      counts: { stateTransitions: 0, taskCalls: 0, retries: 0 },
      historyEvents: history.events.length,
    };
    const started = events[0]?.type === 'ExecutionStarted' ? events[0] : undefined;
    this.add({
      flowName: header.flow,
      name: header.execution,
      input: JSON.stringify(header.input),
      definition: header.definition,
      status,
      startedTime: header.time,
      stoppedTime: end.time,
      result,
      history,
      events,
      handle: { name: header.execution, result: Promise.resolve(result), stop: () => undefined },
      ...(started?.parent ? { parent: started.parent } : {}),
    });
  }

  private registerDamaged(flowName: string, name: string, message: string): void {
    const started = new Date(this.options.clock.now()).toISOString();
    const ended: ExecutionResult = { name, status: 'Failed', error: 'JournalDamaged', cause: message, startedAt: started, stoppedAt: started, counts: { stateTransitions: 0, taskCalls: 0, retries: 0 }, historyEvents: 0 };
    this.add({
      flowName,
      name,
      input: '{}',
      definition: '',
      status: 'Failed',
      startedTime: started,
      history: new CloudFlowHistory(this.policy),
      events: [],
      handle: { name, result: Promise.resolve(ended), stop: () => undefined },
      damaged: message,
    });
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
    await Promise.allSettled([...this.reporting]);
  }

  stopAll(reason: string): void {
    // A journaled execution is suspended, not stopped: its journal records no end, so the next start resumes it.
    for (const journal of this.journals) journal.suspend();
    this.journals.clear();
    for (const executions of this.byFlow.values()) {
      for (const execution of executions.values()) if (execution.status === 'Running') execution.handle.stop(reason);
    }
  }
}

/** `<stateDir>/<flow>/<execution>.ndjson`: execution names are unique per flow. */
function journalPath(stateDir: string, flowName: string, name: string): string {
  return join(stateDir, flowName, `${name}.ndjson`);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
