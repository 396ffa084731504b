import { describe, expect, it } from 'vitest';
import { deriveClientToken } from '../../src/vpc/client-token';
import { POLL_SCHEDULE, nextPollSeconds, pollIntervalAt } from '../../src/vpc/poll-schedule';
import { validateClientToken } from '../../src/vpc/validate';

/** Describe times (seconds from the first) for the schedule, up to `horizon`. */
function describeTimes(horizon: number): number[] {
  const times = [0];
  for (let made = 1; times[times.length - 1]! < horizon && made < 10_000; made++) {
    times.push(times[times.length - 1]! + nextPollSeconds(made));
  }
  return times;
}

describe('poll schedule', () => {
  it('polls every 5 s for the first minute, then grows with elapsed time up to 300 s', () => {
    expect([1, 2, 12, 13].map((n) => nextPollSeconds(n))).toEqual([5, 5, 5, 12]);
    expect(pollIntervalAt(59)).toBe(5);
    expect(pollIntervalAt(60)).toBe(12);
    expect(pollIntervalAt(1_000)).toBe(153);
    expect(pollIntervalAt(10_000)).toBe(300);
    expect(nextPollSeconds(100_000)).toBe(POLL_SCHEDULE.maxIntervalSeconds);
  });

  it('is defined for odd attempts (0, negative, fractional, NaN)', () => {
    for (const attempt of [0, -3, 1.7, Number.NaN, Infinity]) {
      const seconds = nextPollSeconds(attempt);
      expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 300).toBe(true);
    }
  });

  it('meets the detection-lag bound for transitions from 1 s to 2 h', () => {
    const times = describeTimes(7_300);
    for (let duration = 1; duration <= 7_200; duration += 1) {
      const seenAt = times.find((time) => time >= duration)!;
      const lag = seenAt - duration;
      const bound = duration < 60 ? 5 : 0.15 * duration + 3;
      expect(lag, `duration ${duration}`).toBeLessThanOrEqual(bound);
    }
  });

  it('uses far fewer describes than fixed 5 s polling on long transitions', () => {
    const thirtyMinutes = describeTimes(1_800).length;
    expect(thirtyMinutes).toBeLessThan(1_800 / 5 / 5);
  });
});

describe('deriveClientToken', () => {
  it('is deterministic, short, ASCII and valid for the API', () => {
    const token = deriveClientToken('exec-1', 'ri-a', 'Large.1');
    expect(token).toBe(deriveClientToken('exec-1', 'ri-a', 'Large.1'));
    expect(token).toMatch(/^rf-[0-9a-f]{32}$/);
    expect(validateClientToken(token)).toBe(token);
  });

  it('differs when any input differs, without separator collisions', () => {
    const tokens = new Set([
      deriveClientToken('exec-1', 'ri-a', 'Large.1'),
      deriveClientToken('exec-2', 'ri-a', 'Large.1'),
      deriveClientToken('exec-1', 'ri-b', 'Large.1'),
      deriveClientToken('exec-1', 'ri-a', 'Large.2'),
      deriveClientToken('a-b', 'c', 'Small.1'),
      deriveClientToken('a', 'b-c', 'Small.1'),
    ]);
    expect(tokens.size).toBe(6);
  });

  it('handles hostile execution names', () => {
    expect(deriveClientToken('\u0000'.repeat(10_000) + '😀', 'ri-a', 'Mini.2')).toMatch(/^rf-[0-9a-f]{32}$/);
  });
});
