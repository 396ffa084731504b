/**
 * Time as the interpreter and the emulator see it. Everything that waits or reads the time takes a Clock, so a
 * test can swap the real one for a virtual one and a 30-minute poll loop finishes in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Runs real work (a task call doing real I/O) with this clock's time standing still until it settles. Only a
   * virtual clock needs it; the interpreter wraps every task call in it when the clock has it.
   */
  during?<T>(work: () => Promise<T>): Promise<T>;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      new RealSleep(ms, resolve, reject, signal);
    });
  },
};

/** One sleep on the real clock: its timer and, as the abort listener (`handleEvent`), what cancels it. An object
 * rather than two closures, because ten thousand parked executions each hold one. */
class RealSleep {
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    ms: number,
    private readonly resolve: () => void,
    private readonly reject: (reason: Error) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(wake, Math.max(0, ms), this);
    signal?.addEventListener('abort', this, { once: true });
  }

  handleEvent(): void {
    clearTimeout(this.timer);
    this.reject(abortReason(this.signal as AbortSignal));
  }

  wake(): void {
    this.signal?.removeEventListener('abort', this);
    this.resolve();
  }
}

function wake(sleep: RealSleep): void {
  sleep.wake();
}

interface Sleeper {
  wakeAt: number;
  order: number;
  resolve: () => void;
}

/**
 * A clock whose time only moves when something sleeps. When no new sleeper appeared for a few turns of the event
 * loop and no real work is held open with `during()`, time jumps to the earliest sleeper's wake-up and that sleeper
 * resumes. Real I/O does not show up as event-loop activity reliably, so whoever starts real work (the interpreter,
 * for each task call) holds time with `during()`: a one-hour flow Timeout can then never fire in the middle of a
 * 5 ms HTTP call. Sleepers that wake at the same instant resume in the order they went to sleep, so runs are
 * repeatable. `advance(ms)` moves time by hand for tests that want to step it.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  private order = 0;
  private pumping = false;
  private held = 0;

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const sleeper: Sleeper = { wakeAt: this.current + Math.max(0, ms), order: this.order++, resolve };
      const onAbort = (): void => {
        const index = this.sleepers.indexOf(sleeper);
        if (index >= 0) this.sleepers.splice(index, 1);
        reject(abortReason(signal as AbortSignal));
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.schedulePump();
    });
  }

  async during<T>(work: () => Promise<T>): Promise<T> {
    this.held += 1;
    try {
      return await work();
    } finally {
      this.held -= 1;
      if (this.sleepers.length > 0) this.schedulePump();
    }
  }

  /** Moves time forward by `ms`, waking every sleeper that is due, in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.earliest(); next && next.wakeAt <= target; next = this.earliest()) {
      this.wake(next);
    }
    this.current = Math.max(this.current, target);
  }

  /** Number of pending sleepers (useful in tests). */
  get pending(): number {
    return this.sleepers.length;
  }

  private earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (!best || s.wakeAt < best.wakeAt || (s.wakeAt === best.wakeAt && s.order < best.order)) best = s;
    }
    return best;
  }

  private wake(sleeper: Sleeper): void {
    this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
    this.current = Math.max(this.current, sleeper.wakeAt);
    sleeper.resolve();
  }

  /** Waits until the process looks idle (several macrotask turns with no new sleeper), then wakes the earliest one. */
  private schedulePump(): void {
    if (this.pumping) return;
    this.pumping = true;
    let seenOrder = this.order;
    let quietTurns = 0;
    const turn = (): void => {
      // Nothing to wake, or real work holds time: sleep() or the end of during() pumps again.
      if (this.sleepers.length === 0 || this.held > 0) {
        this.pumping = false;
        return;
      }
      if (this.order !== seenOrder) {
        seenOrder = this.order;
        quietTurns = 0;
      } else {
        quietTurns += 1;
      }
      if (quietTurns >= VirtualClock.QUIET_TURNS) {
        const next = this.earliest();
        if (next) this.wake(next);
        quietTurns = 0;
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  }

  /** Idle turns of the event loop before time jumps; enough for loopback HTTP round trips to make progress. */
  static QUIET_TURNS = 3;
}

/**
 * Wraps a task invoker whose tasks do real work (real handlers, real HTTP) so that a virtual clock stands still
 * while each call runs. Without it, a virtual clock may jump to its next sleeper (another branch's Wait, a retry
 * backoff) in the middle of a 5 ms HTTP call. Whoever pairs a clock with such an invoker wraps it; stub invokers
 * that sleep on the virtual clock themselves must not be wrapped.
 */
export function holdTimeDuringTasks<Request>(invokeTask: (request: Request) => Promise<unknown>, clock: Clock): (request: Request) => Promise<unknown> {
  const during = clock.during?.bind(clock);
  return during ? (request) => during(() => invokeTask(request)) : invokeTask;
}
