/**
 * Execution history, named after CloudFlow's own execution events. One visit of a state produces:
 *
 *   StateEntered → StateStarted (after InputConstructor; a Wait carries waitSeconds)
 *     → [Task: TaskScheduled → TaskSucceeded | TaskFailed] → [StateRetrying → StateStarted (retryCount) → …]
 *     → [Map: IterationEntered → (the iteration's states) → IterationExited, per item; Parallel: BranchEntered → … →
 *        BranchExited, per branch; a distributed Map: MapRunStarted → MapRunEnded, its sub-workflow executions
 *        recording their own histories, framed by an ExecutionStarted that names the parent]
 *     → StateSucceeded (with next) | StateFailed (with caughtBy when a Catch rule routes on) | StateAborted
 *
 * framed by ExecutionStarted and one of ExecutionSucceeded / ExecutionFailed / ExecutionStopped / ExecutionTimedOut.
 * States inside a Parallel branch or Map iteration carry `scope` ("Fanout.Branch1", "ForEach.Items[3]"); the
 * Iteration/Branch events carry the scope of their Map or Parallel state and name the child scope in `childScope`.
 * Every event is versioned (`v: 1`), numbered (`seq` from 1) and stamped with the clock's time. Readers ignore types
 * they do not know. What CloudFlow's GetExecutionHistory would list for these events: `cloudflow-history.ts`.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject, JsonValue } from './json';

export const HISTORY_VERSION = 1;

export interface HistoryEventBase {
  v: 1;
  seq: number;
  /** ISO-8601 time from the execution's clock. */
  time: string;
  execution: string;
  state?: string;
  scope?: string;
}

export type HistoryEventBody =
  | {
      type: 'ExecutionStarted';
      flow: string;
      input: JsonObject;
      /** A distributed Map's sub-workflow execution: where it comes from. */
      parent?: { execution: string; flow: string; state: string; mapRunName: string; index: number; items: number };
      /** Present when not Standard (an Express sub-workflow execution). */
      mode?: 'Express';
    }
  | { type: 'StateEntered'; state: string; stateType: string; input: JsonObject }
  | {
      type: 'StateStarted';
      state: string;
      stateType: string;
      input: JsonObject;
      waitSeconds?: number;
      /** Present on the attempts after a retry (1 on the first retry). */
      retryCount?: number;
    }
  | { type: 'TaskScheduled'; state: string; action: string; parameters: JsonObject; retryCount: number }
  | { type: 'TaskSucceeded'; state: string; output: JsonValue; retryCount: number }
  | { type: 'TaskFailed'; state: string; error: string; cause: string; retryCount: number }
  | {
      type: 'StateRetrying';
      state: string;
      attempt: number;
      error: string;
      cause: string;
      waitSeconds: number;
      /** The Retry rule's index; absent when the event was rebuilt from a CloudFlow history, which does not say. */
      rule?: number;
    }
  | { type: 'StateSucceeded'; state: string; output: JsonObject; next?: string }
  | { type: 'StateFailed'; state: string; error: string; cause: string; caughtBy?: string }
  | { type: 'StateAborted'; state: string; reason: string }
  | { type: 'IterationEntered'; state: string; index: number; childScope: string; input: JsonObject }
  | { type: 'IterationExited'; state: string; index: number; childScope: string; output?: JsonObject }
  | {
      type: 'MapRunStarted';
      state: string;
      mapRunName: string;
      /** Items processed (after MaxItems) and the sub-executions they make (fewer with an ItemBatcher). */
      items: number;
      executions: number;
      maxConcurrency: number;
      toleratedFailureCount?: number;
      toleratedFailurePercentage?: number;
    }
  | {
      type: 'MapRunEnded';
      state: string;
      mapRunName: string;
      status: 'Succeeded' | 'Failed' | 'Aborted';
      /** Sub-executions by how they ended; `items` counts items the same way. */
      executions: MapRunCounts;
      items: MapRunCounts;
    }
  | { type: 'BranchEntered'; state: string; index: number; childScope: string; input: JsonObject }
  | { type: 'BranchExited'; state: string; index: number; childScope: string; output?: JsonObject }
  | { type: 'ExecutionSucceeded'; output: JsonObject }
  | { type: 'ExecutionFailed'; error: string; cause: string }
  | { type: 'ExecutionStopped'; reason: string }
  | { type: 'ExecutionTimedOut'; error: string; cause: string };

export interface MapRunCounts {
  total: number;
  succeeded: number;
  failed: number;
  /** Stopped before they ended, or never started, because the run failed or was stopped. */
  aborted: number;
}

/** One event as streamed to `onEvent` and written as one NDJSON line. */
export type HistoryEvent = HistoryEventBase & HistoryEventBody;
export type HistoryEventType = HistoryEvent['type'];

/** Appends events to `<dir>/<execution>.ndjson`; `close()` resolves once everything is on disk. */
export class HistoryFile {
  readonly path: string;
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(dir: string, executionName: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${executionName}.ndjson`);
    this.stream = createWriteStream(this.path, { flags: 'a' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  write(event: HistoryEvent): void {
    if (!this.failure) this.stream.write(`${JSON.stringify(event)}\n`);
  }

  /** Resolves with the write error, if any (history is best effort; the execution result does not depend on it). */
  close(): Promise<Error | undefined> {
    return new Promise((resolve) => {
      if (this.failure) return resolve(this.failure);
      this.stream.end(() => resolve(this.failure));
    });
  }
}

export class HistoryReadError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${path}:${line}: ${detail}`);
    this.name = 'HistoryReadError';
  }
}

/** Reads an NDJSON history; a line that is not a versioned event is reported with its line number. */
export async function readHistory(path: string): Promise<HistoryEvent[]> {
  const text = await readFile(path, 'utf8');
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new HistoryReadError(path, index + 1, `not valid JSON (${(error as Error).message})`);
    }
    const event = parsed as Partial<HistoryEvent> | null;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new HistoryReadError(path, index + 1, 'not a JSON object');
    }
    if (event.v !== HISTORY_VERSION) throw new HistoryReadError(path, index + 1, `unsupported version ${JSON.stringify(event.v)}`);
    if (typeof event.seq !== 'number' || typeof event.type !== 'string' || typeof event.time !== 'string') {
      throw new HistoryReadError(path, index + 1, 'missing seq, type or time');
    }
    events.push(event as HistoryEvent);
  });
  return events;
}
