import { InvalidInputError } from '../input-error/invalid-input';
import { escapeText } from '../rpc/safe-text';

/**
 * FC hands the event over as a Buffer. What is inside depends on who invoked the function:
 * - a direct invoke, CloudFlow or the local runner: the JSON object itself;
 * - a timer trigger: `{triggerTime, triggerName, payload}` where `payload` is the string configured on the trigger
 *   (JSON inside it stays a string) — the decoded payload is the event;
 * - EventBridge: a CloudEvent (`specversion` + `data`) — `data` is the event; with batching, an array of them,
 *   decoded item by item.
 */
export type DecodedEvent = Record<string, unknown> | DecodedEvent[];

const MAX_BATCH = 100;

/** JSON text → value; invalid JSON is `InvalidInput` naming `where` and where the text broke. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? escapeText(error.message, 120) : 'unreadable';
    throw new InvalidInputError(where, 'json', `is not valid JSON (${detail})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

export function isTimerEvent(event: Record<string, unknown>): boolean {
  return typeof event.triggerTime === 'string' && typeof event.triggerName === 'string' && 'payload' in event;
}

export function isCloudEvent(event: Record<string, unknown>): boolean {
  return typeof event.specversion === 'string' && 'data' in event;
}

function unwrap(value: unknown, where: string, depth: number): DecodedEvent {
  if (Array.isArray(value)) {
    if (depth > 0) throw new InvalidInputError(where, 'shape', 'must not nest arrays');
    if (value.length > MAX_BATCH) throw new InvalidInputError(where, 'batch-size', `must hold at most ${MAX_BATCH} events`);
    return value.map((item, index) => unwrap(item, `${where}[${index}]`, depth + 1));
  }
  if (!isRecord(value)) throw new InvalidInputError(where, 'shape', 'must be a JSON object');
  if (isTimerEvent(value)) {
    const payload = value.payload;
    if (typeof payload === 'string') return unwrap(parseJsonText(payload, `${where}.payload`), `${where}.payload`, depth + 1);
    return unwrap(payload, `${where}.payload`, depth + 1);
  }
  if (isCloudEvent(value)) {
    const data = value.data;
    if (typeof data === 'string') return unwrap(parseJsonText(data, `${where}.data`), `${where}.data`, depth + 1);
    return unwrap(data, `${where}.data`, depth + 1);
  }
  return value;
}

/** Buffer | string | object → the JSON value as delivered, envelope included (the start function reads it). */
export function readEventJson(event: unknown): unknown {
  if (Buffer.isBuffer(event) || event instanceof Uint8Array) return readEventJson(Buffer.from(event).toString('utf8'));
  if (typeof event !== 'string') return event;
  if (event.trim() === '') throw new InvalidInputError('event', 'empty', 'is empty; expected a JSON object');
  return parseJsonText(event, 'event');
}

/** Buffer | string | object → the event object (or array of them, for an EventBridge batch). */
export function decodeEvent(event: unknown): DecodedEvent {
  return unwrap(readEventJson(event), 'event', 0);
}

/**
 * The action handlers take one interface per invocation, so a batch of one is unwrapped and a larger batch is
 * refused (each item would need its own result and its own retries; let the workflow fan out instead).
 */
export function decodeSingleEvent(event: unknown): Record<string, unknown> {
  const decoded = decodeEvent(event);
  if (!Array.isArray(decoded)) return decoded;
  const [only] = decoded;
  if (decoded.length === 1 && only !== undefined && !Array.isArray(only)) return only;
  throw new InvalidInputError(
    'event',
    'single-event',
    `is a batch of ${decoded.length} events; this function takes one event per invocation (turn off EventBridge batching)`,
  );
}
