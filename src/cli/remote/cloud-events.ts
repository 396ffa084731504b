/**
 * CloudFlow GetExecutionHistory events → the interpreter's history events, for the live view and the NDJSON
 * stream. The emulator's CloudFlow API puts the interpreter's event (minus v/seq/time/type/execution/state) in
 * EventDetail and maps the type names (StateEntered → StepEntered, …); the cloud uses the same type names with
 * other details. An event whose type is unknown, or whose detail lacks what the view reads, is not rebuilt: the
 * caller shows it as a plain line and streams it as a `CloudFlowEvent`.
 */
import type { ExecutionHistoryEvent } from '../../cloudflow/client';
import type { HistoryEvent } from '../../flow/history';
import { isRecord } from '../view/format';

/** CloudFlow's `Type` → the interpreter's event type (the inverse of the emulator's EVENT_TYPES). */
const LOCAL_TYPES: Record<string, HistoryEvent['type']> = {
  ExecutionStarted: 'ExecutionStarted',
  StepEntered: 'StateEntered',
  StepStarted: 'StateStarted',
  TaskScheduled: 'TaskScheduled',
  TaskSucceeded: 'TaskSucceeded',
  TaskFailed: 'TaskFailed',
  StepRetrying: 'StateRetrying',
  StepSucceeded: 'StateSucceeded',
  StepFailed: 'StateFailed',
  StepExited: 'StateAborted',
  ExecutionSucceeded: 'ExecutionSucceeded',
  ExecutionFailed: 'ExecutionFailed',
  ExecutionStopped: 'ExecutionStopped',
  ExecutionTimedOut: 'ExecutionTimedOut',
};

type FieldKind = 'string' | 'number';

/** What the live view and the summary read from each type; an event without these is shown as a plain line. */
const REQUIRED: Partial<Record<HistoryEvent['type'], Record<string, FieldKind>>> = {
  ExecutionStarted: { flow: 'string' },
  StateEntered: { stateType: 'string' },
  TaskScheduled: { action: 'string' },
  TaskFailed: { error: 'string', cause: 'string' },
  StateRetrying: { attempt: 'number', error: 'string', cause: 'string', waitSeconds: 'number' },
  StateFailed: { error: 'string', cause: 'string' },
  StateAborted: { reason: 'string' },
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

function parseDetail(text: string | undefined): unknown {
  if (text === undefined || text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toHistoryEvent(raw: ExecutionHistoryEvent, execution: string): HistoryEvent | undefined {
  const type = LOCAL_TYPES[raw.type];
  const detail = parseDetail(raw.eventDetail);
  if (!type || !isRecord(detail)) return undefined;
  for (const [field, kind] of Object.entries(REQUIRED[type] ?? {})) {
    if (typeof detail[field] !== kind) return undefined;
  }
  const isStateEvent = !type.startsWith('Execution');
  if (isStateEvent && raw.stepName === '') return undefined;
  const base = { v: 1, seq: raw.eventId, time: raw.time, execution, type, ...(isStateEvent ? { state: raw.stepName } : {}) };
  // The base fields first (as in a local history file), and they win over any same-named detail field.
  return { ...base, ...detail, ...base } as HistoryEvent;
}

export function opaqueEvent(raw: ExecutionHistoryEvent, execution: string): OpaqueCloudFlowEvent {
  return {
    v: 1,
    type: 'CloudFlowEvent',
    seq: raw.eventId,
    time: raw.time,
    execution,
    ...(raw.stepName ? { state: raw.stepName } : {}),
    cloudflowType: raw.type,
    ...(raw.eventDetail !== undefined ? { detail: parseDetail(raw.eventDetail) } : {}),
  };
}
