/**
 * The machine-readable stream (`--json`, or stdout not a terminal): NDJSON, schema 1.
 *   line 1   {"v":1,"type":"riflow.stream","schema":1,"command":…,…}   what follows and how to read it
 *   then     one history event per line, exactly as in .riflow/executions/<name>.ndjson
 *   last     {"v":1,"type":"result","status":…,…}
 * Readers must ignore fields they do not know; a new `schema` number means an incompatible change.
 */
import { durationMs, type RunSummary } from './summary';
import { USD_PER_TRANSITION } from './format';

const STREAM_SCHEMA = 1;

export interface StreamHeader {
  command: string;
  [field: string]: unknown;
}

export function headerLine(header: StreamHeader): string {
  return `${JSON.stringify({ v: 1, type: 'riflow.stream', schema: STREAM_SCHEMA, ...header })}\n`;
}

export function eventLine(event: object): string {
  return `${JSON.stringify(event)}\n`;
}

export function resultLine(summary: RunSummary): string {
  const transitions = summary.counts.stateTransitions;
  const record = {
    v: 1,
    type: 'result',
    status: summary.status,
    execution: summary.execution,
    ...(summary.output !== undefined ? { output: summary.output } : {}),
    ...(summary.error !== undefined ? { error: summary.error } : {}),
    ...(summary.cause !== undefined ? { cause: summary.cause } : {}),
    ...(summary.caught !== undefined ? { caught: summary.caught } : {}),
    ...(summary.stoppedIn ? { stoppedIn: summary.stoppedIn } : {}),
    startedAt: summary.startedAt,
    stoppedAt: summary.stoppedAt,
    durationMs: durationMs(summary),
    counts: summary.counts,
    ...(summary.apiCalls ? { apiCalls: summary.apiCalls } : {}),
    billing: { stateTransitions: transitions, usd: Number((transitions * USD_PER_TRANSITION).toFixed(8)) },
    ...(summary.historyPath ? { history: summary.historyPath } : {}),
  };
  return `${JSON.stringify(record)}\n`;
}
