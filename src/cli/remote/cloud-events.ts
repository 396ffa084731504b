/**
 * CloudFlow GetExecutionHistory events → the interpreter's history events, for the live view and the NDJSON stream
 * of `riflow start --wait`. CloudFlow lists only its documented types (src/flow/cloudflow-history.ts): no retry event,
 * a StepExited after every step, TaskStarted beside TaskScheduled. So the reader keeps a little state per step:
 * a TaskFailed followed by more work in the same step (a new TaskScheduled or StepStarted) was a retry, and a
 * StepExited without a StepSucceeded or StepFailed before it means the step was stopped. The details are read as the
 * emulator writes them (the interpreter's fields beside the documented `input`/`output`); an event whose type is
 * unknown, or whose detail lacks what the view reads, is not rebuilt: the caller shows it as a plain line and
 * streams it as a `CloudFlowEvent`. Events are numbered here (`seq`), since one CloudFlow event may stand for two.
 */
import type { ExecutionHistoryEvent } from '../../cloudflow/client';
import type { HistoryEvent } from '../../flow/history';
import { isRecord } from '../view/format';

/** CloudFlow's `Type` → the interpreter's event type; `null`: nothing the view shows. */
const LOCAL_TYPES: Record<string, HistoryEvent['type'] | null> = {
  ExecutionStarted: 'ExecutionStarted',
  StepEntered: 'StateEntered',
  StepStarted: 'StateStarted',
  TaskScheduled: 'TaskScheduled',
  TaskStarted: null,
  TaskSucceeded: 'TaskSucceeded',
  TaskFailed: 'TaskFailed',
  TaskTimedOut: 'TaskFailed',
  StepSucceeded: 'StateSucceeded',
  StepFailed: 'StateFailed',
  StepExited: 'StateAborted',
  IterationEntered: 'IterationEntered',
  IterationExited: 'IterationExited',
  BranchEntered: 'BranchEntered',
  BranchExited: 'BranchExited',
  ExecutionSucceeded: 'ExecutionSucceeded',
  ExecutionFailed: 'ExecutionFailed',
  ExecutionStopped: 'ExecutionStopped',
  ExecutionTimedOut: 'ExecutionTimedOut',
};

type FieldKind = 'string' | 'number';

/** What the live view and the summary read from each type; an event without these is shown as a plain line. */
const REQUIRED: Partial<Record<HistoryEvent['type'], Record<string, FieldKind>>> = {
  StateEntered: { stateType: 'string' },
  TaskScheduled: { action: 'string' },
  TaskFailed: { error: 'string', cause: 'string' },
  StateFailed: { error: 'string', cause: 'string' },
  IterationEntered: { index: 'number', childScope: 'string' },
  IterationExited: { index: 'number', childScope: 'string' },
  BranchEntered: { index: 'number', childScope: 'string' },
  BranchExited: { index: 'number', childScope: 'string' },
  ExecutionFailed: { error: 'string', cause: 'string' },
  ExecutionTimedOut: { error: 'string', cause: 'string' },
  ExecutionStopped: { reason: 'string' },
};

/** A CloudFlow event the view cannot read, as one NDJSON record (readers ignore types they do not know). */
export interface OpaqueCloudFlowEvent {
  v: 1;
  type: 'CloudFlowEvent';
  seq: number;
  time: string;
  execution: string;
  state?: string;
  cloudflowType: string;
  detail?: unknown;
}

/** What one CloudFlow event becomes: history events (none, one, or a retry and the event after it), or an opaque
 * record when it cannot be read. */
export type ReadEvent = { events: HistoryEvent[] } | { opaque: OpaqueCloudFlowEvent };

interface StepTrack {
  /** The last TaskFailed, until the step goes on (a retry) or ends. */
  failed?: { error: string; cause: string; at: number };
  retries: number;
  /** StepSucceeded or StepFailed seen: the StepExited after it adds nothing. */
  ended: boolean;
}

function parseDetail(text: string | undefined): unknown {
  if (text === undefined || text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class CloudFlowEventReader {
  private seq = 0;
  private readonly steps = new Map<string, StepTrack>();

  constructor(
    private readonly execution: string,
    /** Stands in for ExecutionStarted's `flow` when CloudFlow's detail does not carry it. */
    private readonly flowName: string,
  ) {}

  read(raw: ExecutionHistoryEvent): ReadEvent {
    const type = LOCAL_TYPES[raw.type];
    const detail = parseDetail(raw.eventDetail);
    if (type === undefined || !isRecord(detail)) return { opaque: this.opaque(raw, detail) };
    if (type === null) return { events: [] };
    for (const [field, kind] of Object.entries(REQUIRED[type] ?? {})) {
      if (typeof detail[field] !== kind) return { opaque: this.opaque(raw, detail) };
    }
    const isStateEvent = !type.startsWith('Execution');
    if (isStateEvent && raw.stepName === '') return { opaque: this.opaque(raw, detail) };
    const key = `${typeof detail.scope === 'string' ? detail.scope : ''}/${raw.stepName}`;
    const events: HistoryEvent[] = [];
    const track = this.steps.get(key);
    switch (type) {
      case 'StateEntered':
        this.steps.set(key, { retries: 0, ended: false });
        break;
      case 'StateStarted':
      case 'TaskScheduled':
        if (track?.failed) events.push(this.retry(raw, detail, track));
        break;
      case 'TaskFailed': {
        const failing = track ?? { retries: 0, ended: false };
        failing.failed = { error: detail.error as string, cause: detail.cause as string, at: Date.parse(raw.time) };
        this.steps.set(key, failing);
        break;
      }
      case 'StateSucceeded':
      case 'StateFailed':
        if (track) Object.assign(track, { ended: true, failed: undefined });
        break;
      case 'StateAborted':
        this.steps.delete(key);
        if (track?.ended) return { events: [] };
        break;
      default:
        break;
    }
    events.push(this.event(raw, type, type === 'StateAborted' ? { reason: 'stopped', ...detail } : detail));
    return { events };
  }

  private retry(raw: ExecutionHistoryEvent, detail: Record<string, unknown>, track: StepTrack): HistoryEvent {
    const failed = track.failed as NonNullable<StepTrack['failed']>;
    track.failed = undefined;
    track.retries += 1;
    const waited = Math.max(0, Math.round((Date.parse(raw.time) - failed.at) / 1000));
    const scope = typeof detail.scope === 'string' ? { scope: detail.scope } : {};
    return this.event(raw, 'StateRetrying', { attempt: track.retries, error: failed.error, cause: failed.cause, waitSeconds: waited, ...scope });
  }

  private event(raw: ExecutionHistoryEvent, type: HistoryEvent['type'], detail: Record<string, unknown>): HistoryEvent {
    this.seq += 1;
    const isStateEvent = !type.startsWith('Execution');
    const base = { v: 1, seq: this.seq, time: raw.time, execution: this.execution, type, ...(isStateEvent ? { state: raw.stepName } : {}) };
    const flow = type === 'ExecutionStarted' && typeof detail.flow !== 'string' ? { flow: this.flowName } : {};
    // The base fields first (as in a local history file), and they win over any same-named detail field.
    return { ...base, ...flow, ...detail, ...base } as HistoryEvent;
  }

  private opaque(raw: ExecutionHistoryEvent, detail: unknown): OpaqueCloudFlowEvent {
    this.seq += 1;
    return {
      v: 1,
      type: 'CloudFlowEvent',
      seq: this.seq,
      time: raw.time,
      execution: this.execution,
      ...(raw.stepName ? { state: raw.stepName } : {}),
      cloudflowType: raw.type,
      ...(raw.eventDetail !== undefined ? { detail } : {}),
    };
  }
}
