/**
 * How long a workflow waits between two DescribeRouterInterfaces calls while a transition runs.
 *
 * The workflows wait `firstPollSeconds` after the action before the first describe: right after an asynchronous
 * action the status is still in progress, so an immediate describe is a call (and two billed transitions) wasted.
 * Then, with `elapsed` = seconds since the first describe:
 * - every 5 s while elapsed < 60 s — most transitions finish within a minute, so they are seen within 5 s;
 * - then `min(300, floor(0.15 × elapsed + 3))` — the interval grows with the time already spent, so a transition
 *   of duration d is seen at most 0.15·d + 3 s late, and a 30-minute one costs ~35 describes instead of 360.
 * Never more than 300 s (the CloudFlow Wait limit), always a whole number of seconds ≥ 1.
 */
export const POLL_SCHEDULE = {
  firstPollSeconds: 5,
  fastIntervalSeconds: 5,
  fastPhaseSeconds: 60,
  growthRate: 0.15,
  growthOffsetSeconds: 3,
  maxIntervalSeconds: 300,
} as const;

export type PollSchedule = { readonly [K in keyof typeof POLL_SCHEDULE]: number };

/** The wait after a describe made `elapsedSeconds` after the first one. */
export function pollIntervalAt(elapsedSeconds: number, schedule: PollSchedule = POLL_SCHEDULE): number {
  const interval =
    elapsedSeconds < schedule.fastPhaseSeconds
      ? schedule.fastIntervalSeconds
      : Math.floor(schedule.growthRate * elapsedSeconds + schedule.growthOffsetSeconds);
  return Math.max(1, Math.min(schedule.maxIntervalSeconds, interval));
}

/**
 * The wait before the next describe, given `attempt` = the number of describes already made. The first describe
 * happens at elapsed 0; the n-th at the sum of the waits before it, so the elapsed time follows from `attempt`
 * alone and the workflow only has to carry a counter.
 */
export function nextPollSeconds(attempt: number, schedule: PollSchedule = POLL_SCHEDULE): number {
  const describesMade = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  let elapsed = 0;
  for (let made = 1; made < describesMade; made++) {
    const interval = pollIntervalAt(elapsed, schedule);
    // Once the cap is reached every later interval is the cap: no need to walk further.
    if (interval >= schedule.maxIntervalSeconds) return schedule.maxIntervalSeconds;
    elapsed += interval;
  }
  return pollIntervalAt(elapsed, schedule);
}
