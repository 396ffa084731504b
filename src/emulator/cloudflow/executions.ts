import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../flow/clock';
import { CloudFlowHistory } from '../../flow/cloudflow-history';
import type { HistoryEvent } from '../../flow/history';
import { startExecution, type ExecutionHandle, type ExecutionResult } from '../../flow/execution';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../flow/policy';
import type { InvokeTask } from '../../flow/runtime';
import type { Flow } from '../../flow/model';
import { loadFlow } from '../../flow/loader';
import type { JsonObject } from '../../flow/json';
import { closingEvent, type JournalDamagedError, type ParsedJournal } from '../../journal/format';
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

/** Executions by flow, in start order (ListExecutions pages through them in that order). */
export class ExecutionStore {
  private readonly byFlow = new Map<string, Map<string, LocalExecution>>();
  private readonly listeners = new Set<ExecutionListener>();
  private readonly journals = new Set<JournaledExecution>();
  /** Ends not reported yet (a journal being closed). */
  private readonly reporting = new Set<Promise<void>>();

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
    const { stateDir, clock } = this.options;
    const journal = stateDir
      ? startJournal(
          { path: journalPath(stateDir, flow.name, name), name, flow: flow.name, definition, input: input as JsonObject, startedAt: clock.now() },
          this.wiring(),
        )
      : undefined;
    return this.track(flow, definition, name, input, journal);
  }

  /**
   * Loads every journal in the state dir: an execution that had ended is listed again as it ended; one that had not
   * is resumed by replay; a damaged one is reported (the log, and DescribeExecution: Status Failed, its Output naming
   * the file and line) and left as it is. Call it once, before serving requests.
   */
  resume(): ResumeReport {
    const report: ResumeReport = { resumed: [], finished: [], damaged: [], repaired: [] };
    const { stateDir } = this.options;
    if (!stateDir) return report;
    const log = this.options.log ?? (() => undefined);
    for (const flowName of listDir(stateDir)) {
      for (const file of listDir(join(stateDir, flowName)).filter((name) => name.endsWith('.ndjson'))) {
        const path = join(stateDir, flowName, file);
        const read = readJournalFile(path);
        if ('repaired' in read && read.repaired) {
          report.repaired.push(read.repaired);
          log(`cloudflow: ${read.repaired}`);
        }
        if (read.kind === 'never-started') continue;
        if (read.kind === 'damaged') {
          this.registerDamaged(flowName, file.slice(0, -'.ndjson'.length), read.error);
          report.damaged.push(read.error.message);
          log(`cloudflow: journal damaged, execution left as it is: ${read.error.message}`);
          continue;
        }
        const { journal } = read;
        const name = journal.header.execution;
        if (closingEvent(journal)) {
          this.registerFinished(journal);
          report.finished.push(name);
          continue;
        }
        let flow: Flow;
        try {
          flow = loadFlow(journal.header.definition, { path: journal.header.definitionPath ?? path, expectedName: journal.header.flow, ...(this.options.policy ? { policy: this.options.policy } : {}) });
        } catch (error) {
          const message = `${path}:1: the recorded definition does not load: ${error instanceof Error ? error.message : String(error)}`;
          this.registerDamaged(journal.header.flow, name, { message } as JournalDamagedError);
          report.damaged.push(message);
          log(`cloudflow: journal damaged, execution left as it is: ${message}`);
          continue;
        }
        const execution = this.track(flow, journal.header.definition, name, journal.header.input, resumeJournal(path, journal, this.wiring()));
        execution.startedTime = journal.header.time;
        report.resumed.push(name);
      }
    }
    if (report.resumed.length) log(`cloudflow: resumed ${report.resumed.length} unfinished execution(s) from ${stateDir}`);
    return report;
  }

  private wiring(): { invokeTask: InvokeTask; clock: Clock; writer?: JournalWriterOptions } {
    return { invokeTask: this.options.invokeTask, clock: this.options.clock, ...(this.options.journal ? { writer: this.options.journal } : {}) };
  }

  private track(flow: Flow, definition: string, name: string, input: Record<string, unknown>, journal: JournaledExecution | undefined): LocalExecution {
    const policy = this.options.policy ?? CLOUDFLOW_POLICY;
    const history = new CloudFlowHistory(policy);
    const events: HistoryEvent[] = [];
    // Known before the run starts: a stop during its first steps suspends it too.
    if (journal) this.journals.add(journal);
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
      ...(journal ? journal.options : {}),
    });
    journal?.attach(handle);
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
        this.notify({ flowName: flow.name, name, status: execution.status });
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
        this.notify({ flowName: flow.name, name, status: execution.status });
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
    const history = new CloudFlowHistory(this.options.policy ?? CLOUDFLOW_POLICY);
    const events = journal.events.map(({ event }) => event);
    for (const event of events) history.add(event);
    const end = closingEvent(journal) as HistoryEvent;
    const status = ({ ExecutionSucceeded: 'Succeeded', ExecutionFailed: 'Failed', ExecutionStopped: 'Stopped', ExecutionTimedOut: 'TimedOut' } as const)[end.type as 'ExecutionSucceeded'];
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
    });
  }

  private registerDamaged(flowName: string, name: string, error: { message: string }): void {
    const started = new Date(this.options.clock.now()).toISOString();
    const ended: ExecutionResult = { name, status: 'Failed', error: 'JournalDamaged', cause: error.message, startedAt: started, stoppedAt: started, counts: { stateTransitions: 0, taskCalls: 0, retries: 0 }, historyEvents: 0 };
    this.add({
      flowName,
      name,
      input: '{}',
      definition: '',
      status: 'Failed',
      startedTime: started,
      history: new CloudFlowHistory(this.options.policy ?? CLOUDFLOW_POLICY),
      events: [],
      handle: { name, result: Promise.resolve(ended), stop: () => undefined },
      damaged: error.message,
    });
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
