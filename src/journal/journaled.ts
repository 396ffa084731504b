/**
 * An execution with a journal: what startExecution gets (the journal as its history log, the seeded random, the task
 * invoker behind the journal's barrier, and for a resume the replay), for a new execution or for one read back.
 * The barrier: a real task call waits until the replay (if any) has caught up with every recorded event, then until
 * the journal is on the disk; only then is the handler invoked.
 */
import { holdTimeDuringTasks, type Clock } from '../flow/clock';
import type { ExecutionHandle } from '../flow/execution';
import { HISTORY_VERSION, JOURNAL_HEADER_TYPE } from '../flow/history';
import type { JsonObject } from '../flow/json';
import type { InvokeTask, SubExecutionRequest } from '../flow/runtime';
import { existsSync } from 'node:fs';
import { readJournalFile } from './file';
import { isoTime } from '../flow/time-text';
import type { JournalDamagedError, JournalHeader, ParsedJournal } from './format';
import { JournalReplay } from './replay';
import { newSeed, seededRandom } from './seeded-random';
import { JournalWriter, type JournalWriterOptions } from './writer';

export interface JournaledExecution {
  readonly name: string;
  readonly header: JournalHeader;
  readonly writer: JournalWriter;
  readonly replay: JournalReplay | undefined;
  /** Options for startExecution. */
  readonly options: { name: string; log: JournalWriter; random: () => number; invokeTask: InvokeTask; replay?: JournalReplay };
  /** Hands over the started execution, so that a diverging replay can stop it. */
  attach(handle: ExecutionHandle): void;
  /** Stops writing (everything written so far on the disk) without recording an end: the next start resumes it. */
  suspend(): void;
}

export interface NewJournal {
  path: string;
  name: string;
  flow: string;
  definition: string;
  definitionPath?: string;
  input: JsonObject;
  /** ms on the execution's clock. */
  startedAt: number;
  parentExecution?: string;
  /** Default: a random one. */
  seed?: number;
}

interface Wiring {
  invokeTask: InvokeTask;
  clock: Clock;
  writer?: JournalWriterOptions;
}

export function startJournal(spec: NewJournal, wiring: Wiring): JournaledExecution {
  const header: JournalHeader = {
    v: HISTORY_VERSION,
    seq: 0,
    type: JOURNAL_HEADER_TYPE,
    time: isoTime(spec.startedAt),
    execution: spec.name,
    flow: spec.flow,
    definition: spec.definition,
    ...(spec.definitionPath === undefined ? {} : { definitionPath: spec.definitionPath }),
    input: spec.input,
    seed: spec.seed ?? newSeed(),
    ...(spec.parentExecution === undefined ? {} : { parentExecution: spec.parentExecution }),
  };
  return journaled(header, new JournalWriter(spec.path, header, wiring.writer), undefined, wiring);
}

/** Resumes from a journal read back (file.ts): the journal is appended to, after its recorded events. */
export function resumeJournal(path: string, journal: ParsedJournal, wiring: Wiring): JournaledExecution {
  const writer = new JournalWriter(path, undefined, wiring.writer);
  // The replay reports a divergence to the execution built around it.
  const built: { execution?: ReturnType<typeof journaled> } = {};
  const replay = new JournalReplay(path, journal.events, Date.parse(journal.header.time), (error) => built.execution?.diverged(error));
  built.execution = journaled(journal.header, writer, replay, wiring);
  return built.execution;
}

/** A distributed Map's sub-execution: replayed from its journal at `path` when it has one (its parent is being
 * replayed), else journaled there from its start. A journal that cannot be read fails the start, with its file and line. */
export function subExecutionJournal(path: string, request: SubExecutionRequest, definition: string, wiring: Wiring): JournaledExecution {
  if (existsSync(path)) {
    const read = readJournalFile(path);
    if (read.kind === 'damaged') throw read.error;
    if (read.kind === 'journal') return resumeJournal(path, read.journal, wiring);
  }
  return startJournal(
    { path, name: request.name, flow: request.flow.name, definition, input: request.input, startedAt: wiring.clock.now(), parentExecution: request.parent.execution },
    wiring,
  );
}

function journaled(header: JournalHeader, writer: JournalWriter, replay: JournalReplay | undefined, wiring: Wiring): JournaledExecution & { diverged(error: JournalDamagedError): void } {
  let handle: ExecutionHandle | undefined;
  let stopWith: string | undefined;
  if (replay) {
    writer.hold();
    replay.caughtUp.then(
      () => writer.release(),
      () => undefined,
    );
  }
  const caughtUp = replay ? replay.caughtUp : Promise.resolve();
  const inner = wiring.invokeTask;
  // Time stands still on a virtual clock while the barrier is awaited (the call itself is the invoker's business:
  // a real one holds time during its call, see holdTimeDuringTasks).
  const barrier = holdTimeDuringTasks(() => caughtUp.then(() => writer.sync()), wiring.clock);
  const invokeTask: InvokeTask = (request) => barrier(undefined).then(() => inner(request));
  return {
    name: header.execution,
    header,
    writer,
    replay,
    options: { name: header.execution, log: writer, random: seededRandom(header.seed), invokeTask, ...(replay ? { replay } : {}) },
    attach(started) {
      handle = started;
      if (stopWith !== undefined) started.stop(stopWith);
    },
    suspend() {
      writer.suspend();
      stopWith = 'suspended: the journal resumes it on the next start';
      handle?.stop(stopWith);
    },
    diverged(error) {
      // Nothing was done for real yet (task calls wait for the replay to catch up): drop what the replay held.
      writer.discard();
      stopWith = `the journal does not fit: ${error.message}`;
      const reason = stopWith;
      queueMicrotask(() => handle?.stop(reason));
    },
  };
}
