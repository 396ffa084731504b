/**
 * Reading a run's history for the contract suites: the waits a poll loop made and the gaps a retry left, measured
 * from the events' times on the virtual clock (tasks take no virtual time: the clock is held while they run).
 */
import type { HistoryEvent } from '../../src/flow/history';
import type { CallRecord } from '../../src/emulator/index';
import { POLL_SCHEDULE, nextPollSeconds } from '../../src/vpc/poll-schedule';

/**
 * The documented retry rules (README, "Retry rules"): a StatusConflict backs off from 2 s, doubling, capped at 60 s,
 * 8 times; a TransientFailure from 1 s, doubling, capped at 30 s, 6 times. Retry n waits these seconds.
 */
export const CONFLICT_WAITS = [2, 4, 8, 16, 32, 60, 60, 60];
export const TRANSIENT_WAITS = [1, 2, 4, 8, 16, 30];
/** The poll loops' documented cap (README: "a poll loop gives up after 40 polls"). */
export const POLL_CAP = 40;

const seconds = (event: HistoryEvent): number => Date.parse(event.time) / 1000;

function inScope(event: HistoryEvent, scope: string | undefined): boolean {
  return scope === undefined || event.scope === scope;
}

/** The seconds of each poll Wait, in order, read from the Wait states' StateStarted events. */
export function pollWaitSeconds(events: HistoryEvent[], scope?: string): number[] {
  return events
    .filter((event) => event.type === 'StateStarted' && event.state === 'WaitBeforePoll' && inScope(event, scope))
    .map((event) => (event.type === 'StateStarted' ? (event.waitSeconds ?? -1) : -1));
}

/** The seconds between one describe and the next (and between the action and the first describe), from their times. */
export function secondsBetweenDescribes(events: HistoryEvent[], actionState: string, scope?: string): number[] {
  const scheduled = events.filter(
    (event) => event.type === 'TaskScheduled' && (event.state === 'Describe' || event.state === actionState) && inScope(event, scope),
  );
  // From the last try of the action on: the poll loop that follows it.
  const start = scheduled.map((event) => event.state).lastIndexOf(actionState);
  const loop = scheduled.slice(start);
  return loop.slice(1).map((event, index) => seconds(event) - seconds(loop[index] as HistoryEvent));
}

/** What the poll schedule says the waits of a loop of `describes` describes are: the first, then nextPollSeconds. */
export function scheduledWaits(describes: number): number[] {
  return Array.from({ length: describes }, (_, index) => (index === 0 ? POLL_SCHEDULE.firstPollSeconds : nextPollSeconds(index)));
}

/** Seconds from each failed try of `state` to its next try: the retry waits, as the clock saw them. */
export function retryGaps(events: HistoryEvent[], state: string, scope?: string): number[] {
  const gaps: number[] = [];
  let failedAt: number | undefined;
  for (const event of events) {
    if (event.state !== state || !inScope(event, scope)) continue;
    if (event.type === 'TaskFailed') failedAt = seconds(event);
    if (event.type === 'TaskScheduled' && failedAt !== undefined) {
      gaps.push(seconds(event) - failedAt);
      failedAt = undefined;
    }
  }
  return gaps;
}

/** The names the Retry rules saw, one per retry of `state`. */
export function retriedErrors(events: HistoryEvent[], state: string): string[] {
  return events.flatMap((event) => (event.type === 'StateRetrying' && event.state === state ? [event.error] : []));
}

/** The Fail state a run ended in (its Code is the execution's error). */
export function failState(events: HistoryEvent[]): string | undefined {
  return events.findLast((event) => event.type === 'StateEntered' && event.stateType === 'Fail')?.state;
}

export function callsOf(calls: CallRecord[], action: string): CallRecord[] {
  return calls.filter((call) => call.action === action);
}
