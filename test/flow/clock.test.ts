import { describe, expect, it } from 'vitest';
import { holdTimeDuringTasks, VirtualClock, realClock } from '../../src/flow/clock';

const realDelay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('VirtualClock', () => {
  it('jumps straight to each sleeper, waking them in time order', async () => {
    const clock = new VirtualClock(0);
    const woke: Array<[string, number]> = [];
    await Promise.all([
      clock.sleep(3_600_000).then(() => woke.push(['hour', clock.now()])),
      clock.sleep(5_000).then(() => woke.push(['five', clock.now()])),
      clock.sleep(5_000).then(() => woke.push(['five-again', clock.now()])),
    ]);
    expect(woke).toEqual([
      ['five', 5_000],
      ['five-again', 5_000],
      ['hour', 3_600_000],
    ]);
  });

  it('stands still while real work runs inside during(), however long the work takes', async () => {
    const clock = new VirtualClock(0);
    let timedOut = false;
    void clock.sleep(3_600_000).then(() => (timedOut = true));
    await clock.during(() => realDelay(30));
    expect(timedOut).toBe(false);
    expect(clock.now()).toBe(0);
    // Released: the pending sleeper now wakes on its own.
    await clock.sleep(3_600_001);
    expect(timedOut).toBe(true);
  });

  it('without during(), a jump can happen while real I/O is pending (why the hold exists)', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    void clock.sleep(3_600_000).then(() => (fired = true));
    await realDelay(30);
    expect(fired).toBe(true);
  });

  it('rejects an aborted sleep with the reason and forgets the sleeper', async () => {
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
    expect(clock.pending).toBe(0);
  });

  it('advance() steps time by hand', async () => {
    const clock = new VirtualClock(0);
    let woke = false;
    void clock.sleep(10).then(() => (woke = true));
    clock.advance(10);
    await Promise.resolve();
    expect(woke).toBe(true);
    expect(clock.now()).toBe(10);
  });
});

describe('holdTimeDuringTasks', () => {
  it('holds a virtual clock for each task call and passes results through', async () => {
    const clock = new VirtualClock(0);
    let firedDuringCall = false;
    void clock.sleep(1_000).then(() => (firedDuringCall = true));
    const invoke = holdTimeDuringTasks(async () => {
      await realDelay(20);
      return { Body: firedDuringCall };
    }, clock);
    await expect(invoke({} as never)).resolves.toEqual({ Body: false });
  });

  it('leaves an invoker alone on a clock without during()', () => {
    const invoke = async () => 1;
    expect(holdTimeDuringTasks(invoke, realClock)).toBe(invoke);
  });
});
