/**
 * Replays a journal into a re-run of its execution (src/flow/replay.ts). The recorded events are matched as the run
 * records them again: within one scope in order (a scope runs its states one after the other), and the frames of
 * Map iterations and Parallel branches by their child scope (siblings may end in another order than they first
 * did). A matched event is not written again; the first event a scope records past its recorded ones is new. An
 * event that differs from the one recorded at its place (another type or state: the definition or the input does not
 * fit the journal) stops the replay as damaged before anything was done for real: the journal layer holds every real
 * task call until the replay has caught up with all the recorded events (`caughtUp`).
 */
import type { HistoryEvent } from '../flow/history';
import type { ExecutionReplay, RecordedTask } from '../flow/replay';
import type { TaskRequest } from '../flow/runtime';
import { JournalDamagedError, type JournalLine } from './format';

interface ScopeQueue {
  readonly lines: JournalLine[];
  next: number;
  /** The scope has recorded an event of its own past its recorded ones. */
  live: boolean;
}

const FRAME_TYPES = new Set(['IterationEntered', 'IterationExited', 'BranchEntered', 'BranchExited']);

/** Turns of the event loop, and real milliseconds, without a replayed event while recorded ones remain, before the
 * replay is called stuck. */
const STUCK_TURNS = 50;
const STUCK_MS = 200;

export class JournalReplay implements ExecutionReplay {
  /** Resolves once every recorded event has been replayed; rejects when the replay diverges. */
  readonly caughtUp: Promise<void>;
  private readonly scopes = new Map<string, ScopeQueue>();
  private readonly frames = new Map<string, JournalLine[]>();
  private remaining: number;
  private nextSeq: number;
  private replayed = 0;
  private failure: JournalDamagedError | undefined;
  private settle!: { resolve: () => void; reject: (error: JournalDamagedError) => void };

  constructor(
    private readonly file: string,
    lines: JournalLine[],
    readonly startedAt: number,
    /** Called once when the replay diverges (the execution is then stopped, its journal left as it was). */
    private readonly onDiverged: (error: JournalDamagedError) => void,
  ) {
    this.caughtUp = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // A divergence is reported through onDiverged; a waiter that is gone must not make it unhandled.
    this.caughtUp.catch(() => undefined);
    let maxSeq = 0;
    for (const line of lines) {
      maxSeq = Math.max(maxSeq, line.event.seq);
      if (FRAME_TYPES.has(line.event.type)) {
        const key = frameKey(line.event);
        const list = this.frames.get(key);
        if (list) list.push(line);
        else this.frames.set(key, [line]);
      } else {
        const key = line.event.scope ?? '';
        const queue = this.scopes.get(key);
        if (queue) queue.lines.push(line);
        else this.scopes.set(key, { lines: [line], next: 0, live: false });
      }
    }
    this.nextSeq = maxSeq + 1;
    this.remaining = lines.length;
    if (this.remaining === 0) this.settle.resolve();
    else this.watchForStuck();
  }

  get diverged(): JournalDamagedError | undefined {
    return this.failure;
  }

  event(event: HistoryEvent): { event: HistoryEvent; fresh: boolean } {
    if (this.remaining > 0 && !this.failure) {
      const recorded = FRAME_TYPES.has(event.type) ? this.takeFrame(event) : this.takeInScope(event);
      if (recorded) {
        this.replayed += 1;
        this.remaining -= 1;
        if (this.remaining === 0) this.settle.resolve();
        return { event: recorded, fresh: false };
      }
    }
    if (!FRAME_TYPES.has(event.type)) {
      const queue = this.scopes.get(event.scope ?? '');
      if (queue) queue.live = true;
    }
    return { event: { ...event, seq: this.nextSeq++ }, fresh: true };
  }

  task(request: TaskRequest): RecordedTask | undefined {
    const queue = this.scopes.get(request.scope ?? '');
    if (!queue || queue.live || queue.next === 0) return undefined;
    const scheduled = queue.lines[queue.next - 1]?.event;
    const outcome = queue.lines[queue.next]?.event;
    if (scheduled?.type !== 'TaskScheduled' || scheduled.state !== request.stateName || !outcome || outcome.state !== request.stateName) return undefined;
    if (outcome.type === 'TaskSucceeded') return { ok: true, output: outcome.output };
    if (outcome.type === 'TaskFailed') return { ok: false, error: outcome.error, cause: outcome.cause };
    return undefined;
  }

  sleepLeft(ms: number, scope: string | undefined, now: number): number {
    const queue = this.scopes.get(scope ?? '');
    if (!queue || queue.live || queue.next === 0) return ms;
    // Events recorded after the sleep began: it had ended.
    if (queue.next < queue.lines.length) return 0;
    const began = Date.parse((queue.lines[queue.next - 1] as JournalLine).event.time);
    return Math.min(ms, Math.max(0, began + ms - now));
  }

  private takeInScope(event: HistoryEvent): HistoryEvent | undefined {
    const queue = this.scopes.get(event.scope ?? '');
    if (!queue || queue.next >= queue.lines.length) return undefined;
    const line = queue.lines[queue.next] as JournalLine;
    const recorded = line.event;
    if (recorded.type !== event.type || recorded.state !== event.state || retryOf(recorded) !== retryOf(event)) {
      const where = event.scope === undefined ? '' : ` in ${event.scope}`;
      this.diverge(line.line, `the journal records ${describe(recorded)}${where} here, the run records ${describe(event)}: the definition or the input does not fit this journal`);
      return undefined;
    }
    queue.next += 1;
    return recorded;
  }

  private takeFrame(event: HistoryEvent): HistoryEvent | undefined {
    const list = this.frames.get(frameKey(event));
    return list?.shift()?.event;
  }

  private diverge(line: number, detail: string): void {
    if (this.failure) return;
    this.failure = new JournalDamagedError(this.file, line, detail);
    this.settle.reject(this.failure);
    this.onDiverged(this.failure);
  }

  /** Replayed events arrive in promise reactions, without waiting on anything: when none arrives for many turns of
   * the event loop and recorded ones remain, the run no longer reaches them. */
  private watchForStuck(): void {
    let seen = -1;
    let quiet = 0;
    let since = Date.now();
    const turn = (): void => {
      if (this.remaining === 0 || this.failure) return;
      if (this.replayed !== seen) {
        seen = this.replayed;
        quiet = 0;
        since = Date.now();
      } else if (++quiet >= STUCK_TURNS && Date.now() - since >= STUCK_MS) {
        this.diverge(this.firstUnreplayed(), 'the run no longer reaches this event: the definition or the input does not fit this journal');
        return;
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  }

  private firstUnreplayed(): number {
    let first = Number.POSITIVE_INFINITY;
    for (const queue of this.scopes.values()) {
      const line = queue.lines[queue.next];
      if (line) first = Math.min(first, line.line);
    }
    for (const list of this.frames.values()) if (list[0]) first = Math.min(first, list[0].line);
    return first;
  }
}

function frameKey(event: HistoryEvent): string {
  return `${event.type} ${'childScope' in event ? event.childScope : ''}`;
}

function retryOf(event: HistoryEvent): number | undefined {
  return event.type === 'TaskScheduled' || event.type === 'StateStarted' ? (event.retryCount ?? 0) : undefined;
}

function describe(event: HistoryEvent): string {
  return event.state === undefined ? event.type : `${event.type} of ${event.state}`;
}
