/**
 * What a run's events (up to the replay position) say about each state: the `riflow graph --execution` overlay
 * (visits, retries, uncaught failures, edges taken), plus what the console adds: the states running now, errors a
 * Catch routed on (the interesting error of a run that ends in a Fail state), and each visit's input and output.
 */
import { nodeKey, overlayRun } from '../../cli/graph/overlay';
import type { FlowGraph } from '../../cli/graph/model';
import type { HistoryEvent } from '../../flow/history';
import type { GraphJson } from '../protocol';

export interface Visit {
  scope?: string;
  enteredAt: string;
  input?: unknown;
  parameters?: unknown;
  waitSeconds?: number;
  retries: Array<{ attempt: number; error: string; cause: string; waitSeconds: number }>;
  taskErrors: Array<{ error: string; cause: string }>;
  output?: unknown;
  next?: string;
  error?: { error: string; cause: string; caughtBy?: string };
  abortedBecause?: string;
}

export interface RunPicture {
  graph: FlowGraph;
  /** Node ids of the states entered and not yet left. */
  current: Set<string>;
  /** Node id → the error a Catch routed on (the node is not "failed": the run went on). */
  caught: Map<string, { error: string; cause: string; caughtBy: string }>;
  /** Node ids of states a stop aborted. */
  aborted: Set<string>;
  /** Node id → its visits, oldest first. */
  visits: Map<string, Visit[]>;
  ended?: { type: string; error?: string; cause?: string; reason?: string };
  /** The caught error that sent the run to its Fail state, when it ended so. */
  caughtCause?: { state: string; error: string; cause: string };
}

export function graphFromJson(json: GraphJson): FlowGraph {
  return { ...json, index: new Map(Object.entries(json.index)) };
}

export function picture(graph: FlowGraph, events: HistoryEvent[]): RunPicture {
  const result: RunPicture = { graph: overlayRun(graph, events), current: new Set(), caught: new Map(), aborted: new Set(), visits: new Map() };
  /** Open visits by `scope/state` (Map iterations have their own scope but share a node). */
  const open = new Map<string, { visit: Visit; id: string }>();
  let lastCaught: RunPicture['caughtCause'];
  const leave = (visitKey: string, id: string): void => {
    open.delete(visitKey);
    if (![...open.values()].some((other) => other.id === id)) result.current.delete(id);
  };
  for (const event of events) {
    if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionStopped') {
      result.ended = { type: event.type, ...(event.type === 'ExecutionStopped' ? { reason: event.reason } : {}) };
      continue;
    }
    if (event.type === 'ExecutionFailed' || event.type === 'ExecutionTimedOut') {
      result.ended = { type: event.type, error: event.error, cause: event.cause };
      continue;
    }
    if (event.state === undefined) continue;
    const id = graph.index.get(nodeKey(event));
    if (!id) continue;
    const visitKey = `${event.scope ?? ''}/${event.state}`;
    if (event.type === 'StateEntered') {
      const visit: Visit = { enteredAt: event.time, input: event.input, retries: [], taskErrors: [], ...(event.scope ? { scope: event.scope } : {}) };
      open.set(visitKey, { visit, id });
      result.visits.set(id, [...(result.visits.get(id) ?? []), visit]);
      result.current.add(id);
      continue;
    }
    const visit = open.get(visitKey)?.visit;
    switch (event.type) {
      case 'StateStarted':
        if (visit && event.waitSeconds !== undefined) visit.waitSeconds = event.waitSeconds;
        break;
      case 'TaskScheduled':
        if (visit) visit.parameters = event.parameters;
        break;
      case 'TaskFailed':
        visit?.taskErrors.push({ error: event.error, cause: event.cause });
        break;
      case 'StateRetrying':
        visit?.retries.push({ attempt: event.attempt, error: event.error, cause: event.cause, waitSeconds: event.waitSeconds });
        break;
      case 'StateSucceeded':
        if (visit) Object.assign(visit, { output: event.output, ...(event.next ? { next: event.next } : {}) });
        leave(visitKey, id);
        break;
      case 'StateFailed':
        if (visit) visit.error = { error: event.error, cause: event.cause, ...(event.caughtBy ? { caughtBy: event.caughtBy } : {}) };
        if (event.caughtBy) {
          result.caught.set(id, { error: event.error, cause: event.cause, caughtBy: event.caughtBy });
          lastCaught = { state: event.state, error: event.error, cause: event.cause };
        }
        leave(visitKey, id);
        break;
      case 'StateAborted':
        if (visit) visit.abortedBecause = event.reason;
        result.aborted.add(id);
        leave(visitKey, id);
        break;
      default:
        break;
    }
  }
  if (result.ended?.type === 'ExecutionFailed' && lastCaught) result.caughtCause = lastCaught;
  return result;
}
