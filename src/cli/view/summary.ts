/** The end of a run: outcome, output, what it cost. Shared by `run` and `history NAME`. */
import type { HistoryEvent } from '../../flow/history';
import { styles } from '../terminal';
import { formatDuration, prettyJson, toMillis, transitionCost } from './format';

export type RunStatus = 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut';

export interface RunCounts {
  stateTransitions: number;
  taskCalls: number;
  retries: number;
}

/** The error a Catch routed into the state that failed the run: what the API answered, beyond the Fail's Detail. */
export interface CaughtError {
  /** The state that failed, and the Catch's target (the Fail state that ended the run). */
  state: string;
  scope?: string;
  error: string;
  cause: string;
}

export interface RunSummary {
  execution: string;
  status: RunStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  caught?: CaughtError;
  startedAt: string;
  stoppedAt: string;
  counts: RunCounts;
  /** VPC API calls by action, from the emulator's call log (embedded emulator only). */
  apiCalls?: Record<string, number>;
  /** Where a stopped or timed-out run was. */
  stoppedIn?: string[];
  historyPath?: string;
}

export function durationMs(summary: Pick<RunSummary, 'startedAt' | 'stoppedAt'>): number {
  return toMillis(summary.stoppedAt) - toMillis(summary.startedAt);
}

export function renderSummary(summary: RunSummary, color: boolean): string {
  const s = styles(color);
  const lines: string[] = [''];
  const took = formatDuration(durationMs(summary));
  if (summary.status === 'Succeeded') lines.push(`${s.green(s.bold('Succeeded'))} in ${took}`);
  else if (summary.status === 'Stopped') {
    lines.push(`${s.yellow(s.bold('Stopped'))} after ${took}${summary.stoppedIn?.length ? ` in ${summary.stoppedIn.join(', ')}` : ''}`);
  } else {
    const label = summary.status === 'TimedOut' ? 'Timed out' : 'Failed';
    lines.push(`${s.red(s.bold(label))} after ${took}: ${s.bold(summary.error ?? 'unknown error')}`);
    if (summary.cause) lines.push(`  ${summary.cause}`);
    if (summary.caught) {
      const where = summary.caught.scope ? `${summary.caught.scope} › ${summary.caught.state}` : summary.caught.state;
      lines.push(`  ${s.dim('caught in')} ${where}: ${s.bold(summary.caught.error)} — ${summary.caught.cause}`);
    }
  }
  if (summary.output !== undefined) lines.push(`${s.bold('Output')}`, prettyJson(summary.output, '  '));
  const rows: Array<[string, string]> = [];
  if (summary.apiCalls) {
    const total = Object.values(summary.apiCalls).reduce((sum, n) => sum + n, 0);
    const parts = Object.entries(summary.apiCalls).map(([action, n]) => `${action} ${n}`);
    rows.push(['API calls', `${total}${parts.length ? ` (${parts.join(', ')})` : ''}`]);
  } else {
    rows.push(['Task calls', String(summary.counts.taskCalls)]);
  }
  rows.push(['Retries', String(summary.counts.retries)]);
  rows.push([
    'Transitions',
    `${summary.counts.stateTransitions} — CloudFlow would bill ${transitionCost(summary.counts.stateTransitions)} (USD 0.25 per 10,000)`,
  ]);
  rows.push(['Duration', took]);
  if (summary.historyPath) rows.push(['History', summary.historyPath]);
  for (const [label, value] of rows) lines.push(`  ${s.dim(label.padEnd(12))} ${value}`);
  return lines.join('\n') + '\n';
}

/**
 * Follows the events to find, when a run fails in a state a Catch routed to (a Fail state), the error that Catch
 * caught: the last `StateFailed` with `caughtBy` naming that state in the same scope.
 */
export class CaughtErrorTracker {
  private readonly byTarget = new Map<string, CaughtError>();
  private lastFailed: string | undefined;

  onEvent(event: HistoryEvent): void {
    if (event.type !== 'StateFailed') return;
    const scope = event.scope ? `${event.scope}/` : '';
    if (event.caughtBy === undefined) {
      this.lastFailed = `${scope}${event.state}`;
      return;
    }
    const caught: CaughtError = { state: event.state, error: event.error, cause: event.cause };
    if (event.scope) caught.scope = event.scope;
    this.byTarget.set(`${scope}${event.caughtBy}`, caught);
  }

  /** The caught error behind the last state that failed without a Catch, if a Catch led there. */
  get caught(): CaughtError | undefined {
    return this.lastFailed === undefined ? undefined : this.byTarget.get(this.lastFailed);
  }
}

/** The summary a replay can rebuild from the events alone (no API call log). */
export function summaryFromEvents(events: HistoryEvent[]): RunSummary | undefined {
  const first = events[0];
  if (!first) return undefined;
  const last = events[events.length - 1] as HistoryEvent;
  const counts: RunCounts = { stateTransitions: 0, taskCalls: 0, retries: 0 };
  const open: string[] = [];
  const tracker = new CaughtErrorTracker();
  for (const event of events) {
    tracker.onEvent(event);
    if (event.type === 'StateEntered') {
      counts.stateTransitions += 1;
      open.push(event.state);
    }
    if (event.type === 'TaskScheduled') counts.taskCalls += 1;
    if (event.type === 'StateRetrying') counts.retries += 1;
    if (event.type === 'StateAborted') open.push(event.state);
  }
  const base = { execution: first.execution, startedAt: first.time, stoppedAt: last.time, counts };
  switch (last.type) {
    case 'ExecutionSucceeded':
      return { ...base, status: 'Succeeded', output: last.output };
    case 'ExecutionFailed': {
      const caught = tracker.caught;
      return { ...base, status: 'Failed', error: last.error, cause: last.cause, ...(caught ? { caught } : {}) };
    }
    case 'ExecutionTimedOut':
      return { ...base, status: 'TimedOut', error: last.error, cause: last.cause };
    case 'ExecutionStopped': {
      const aborted = events.filter((event) => event.type === 'StateAborted').map((event) => event.state);
      return { ...base, status: 'Stopped', stoppedIn: aborted };
    }
    default:
      return undefined;
  }
}
