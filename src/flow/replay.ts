/**
 * Resume by replay: a resumed execution runs again from its start, and what it had already decided is read back from
 * its recorded events instead of being done again. The interpreter consults a `ExecutionReplay` at the three places
 * where a run meets the world: each event it records, each task call, each sleep. Where those events come from (a
 * journal file) is the caller's business (src/journal): the interpreter reads no file.
 */
import type { HistoryEvent } from './history';
import type { JsonValue } from './json';
import type { TaskRequest } from './runtime';

/** A task call's recorded outcome: its raw $Output, or the error it failed with. */
export type RecordedTask = { ok: true; output: JsonValue } | { ok: false; error: string; cause: string };

export interface ExecutionReplay {
  /** When the execution first started (ms on its clock): its start time and flow Timeout count from it. */
  readonly startedAt: number;
  /**
   * Every event the execution records passes here: a replayed one comes back as it was first recorded (its seq and
   * time), with `fresh: false`; a new one comes back numbered after the recorded ones, with `fresh: true`, and only
   * those are written to the history.
   */
  event(event: HistoryEvent): { event: HistoryEvent; fresh: boolean };
  /** The outcome recorded for the task call just scheduled; undefined when it has none (it was in flight, or is new):
   * then the call is made for real. */
  task(request: TaskRequest): RecordedTask | undefined;
  /** How much of a sleep of `ms` that starts now in `scope` is left: 0 when it had ended, what remained of it when it
   * was under way (from its recorded start), `ms` when it is new. */
  sleepLeft(ms: number, scope: string | undefined, now: number): number;
}

/** The error a recorded failure is thrown as, so that Retry and Catch see the same name and message again. */
export function replayedError(recorded: { error: string; cause: string }): Error {
  const error = new Error(recorded.cause);
  error.name = recorded.error;
  return error;
}
