/**
 * Following an execution on CloudFlow: GetExecutionHistory (paging with NextToken) for new events, then
 * DescribeExecution for the status, until it is no longer running. Every call waits for its turn: at least
 * `minCallIntervalMs` (500 ms) after the previous one, StartExecution included, so a follower makes at most 2 calls
 * a second — CloudFlow allows 5 DescribeExecution/GetExecutionHistory calls per second per account, and other
 * followers or triggers may share them. Throttling and network errors are retried a few times with a longer wait.
 */
import type { CloudFlowClient, ExecutionDescription, ExecutionHistoryEvent } from '../../cloudflow/client';
import type { Clock } from '../../flow/clock';
import { TransientFailure } from '../../rpc/error-names';

export const MIN_CALL_INTERVAL_MS = 500;
const MAX_TRANSIENT_IN_A_ROW = 5;

export interface FollowOptions {
  client: Pick<CloudFlowClient, 'describeExecution' | 'getExecutionHistory'>;
  flowName: string;
  executionName: string;
  clock: Clock;
  /** Called once per event, in order, never twice for one eventId. */
  onEvent(event: ExecutionHistoryEvent): void;
  minCallIntervalMs?: number;
  /** Stops following (the promise rejects with the signal's reason); the execution itself is not touched. */
  signal?: AbortSignal;
}

const RUNNING = new Set(['Starting', 'Running']);

/** Resolves with the final description once the execution has ended and its last events were delivered. */
export async function followExecution(options: FollowOptions): Promise<ExecutionDescription> {
  const { client, flowName, executionName, clock, signal } = options;
  const interval = options.minCallIntervalMs ?? MIN_CALL_INTERVAL_MS;
  // The caller has just started the execution: that call counts.
  let lastCallAt = clock.now();
  let transientInARow = 0;

  async function paced<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      const wait = lastCallAt + interval * 2 ** Math.min(transientInARow, 4) - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      signal?.throwIfAborted();
      lastCallAt = clock.now();
      try {
        const result = await call();
        transientInARow = 0;
        return result;
      } catch (error) {
        if (!(error instanceof TransientFailure) || transientInARow >= MAX_TRANSIENT_IN_A_ROW) throw error;
        transientInARow += 1;
      }
    }
  }

  // The page to read from: it stays on the last page until that page gets a NextToken (new events can only be
  // appended there), so a long history is not read from the start on every poll.
  let cursor: string | undefined;
  let lastEventId = 0;
  async function readNewEvents(): Promise<void> {
    for (;;) {
      const page = await paced(() => client.getExecutionHistory(flowName, executionName, cursor));
      for (const event of page.events) {
        if (event.eventId <= lastEventId) continue;
        lastEventId = event.eventId;
        options.onEvent(event);
      }
      if (!page.nextToken) return;
      cursor = page.nextToken;
    }
  }

  for (;;) {
    await readNewEvents();
    const description = await paced(() => client.describeExecution(flowName, executionName));
    if (!RUNNING.has(description.status)) {
      await readNewEvents();
      return description;
    }
  }
}
