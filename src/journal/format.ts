/**
 * The journal of one execution: NDJSON, one file per execution. Its first line is a header holding what a resume
 * needs (the flow, its definition, the input, the random seed, the start time); every line after it is one of the
 * interpreter's own history events (src/flow/history.ts), unchanged. So a journal is also a history file: `riflow
 * history` and the console read it, skipping the header.
 */
import { HISTORY_VERSION, JOURNAL_HEADER_TYPE, type HistoryEvent } from '../flow/history';
import type { JsonObject } from '../flow/json';

export interface JournalHeader {
  v: typeof HISTORY_VERSION;
  seq: 0;
  type: typeof JOURNAL_HEADER_TYPE;
  /** ISO-8601: when the execution started (its flow Timeout counts from it). */
  time: string;
  execution: string;
  flow: string;
  /** The definition the execution started with (a resume runs it, whatever the file says now). */
  definition: string;
  /** Where the definition was read from, for messages. */
  definitionPath?: string;
  input: JsonObject;
  /** Seeds `uuid()` and `randomInt()`, so a replay draws the same values. */
  seed: number;
  /** Set for a distributed Map's sub-workflow execution: the parent's name. */
  parentExecution?: string;
}

/** An event and the line of the journal it was read from. */
export interface JournalLine {
  line: number;
  event: HistoryEvent;
}

/** A journal that cannot be used as it is: reported with its file and line, and never rewritten. */
export class JournalDamagedError extends Error {
  override readonly name = 'JournalDamagedError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/** What a journal holds once read. `torn`: the last line was cut short by a crash mid-write (its bytes and line). */
export interface ParsedJournal {
  header: JournalHeader;
  events: JournalLine[];
  /** The end of the last whole line, in bytes. */
  wholeBytes: number;
  torn?: { line: number; bytes: Buffer };
}

const CLOSING_TYPES = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStopped', 'ExecutionTimedOut']);

/** The event that ended the execution, if it has ended. */
export function closingEvent(journal: ParsedJournal): HistoryEvent | undefined {
  const last = journal.events.at(-1)?.event;
  return last && last.scope === undefined && CLOSING_TYPES.has(last.type) ? last : undefined;
}

/**
 * Reads a journal's bytes. A last line without its newline that is not a whole record is torn (returned apart, not
 * an error); one that is whole is kept. Anything else that is wrong is a JournalDamagedError naming the line.
 */
export function parseJournal(file: string, bytes: Buffer): ParsedJournal | { tornHeader: Buffer } {
  const records: Array<{ line: number; value: Record<string, unknown> }> = [];
  let offset = 0;
  let wholeBytes = 0;
  let torn: ParsedJournal['torn'];
  for (let line = 1; offset < bytes.length; line += 1) {
    const end = bytes.indexOf(0x0a, offset);
    const last = end < 0;
    const text = bytes.subarray(offset, last ? bytes.length : end).toString('utf8');
    const value = parseRecord(text);
    if (last && typeof value === 'string') {
      torn = { line, bytes: Buffer.from(bytes.subarray(offset)) };
      break;
    }
    if (typeof value === 'string') throw new JournalDamagedError(file, line, value);
    records.push({ line, value });
    offset = last ? bytes.length : end + 1;
    wholeBytes = offset;
  }
  const first = records[0];
  if (!first) {
    if (torn) return { tornHeader: torn.bytes };
    throw new JournalDamagedError(file, 1, 'the journal is empty');
  }
  const header = checkHeader(file, first.line, first.value);
  const events = records.slice(1).map(({ line, value }) => ({ line, event: checkEvent(file, line, value, header.execution) }));
  return { header, events, wholeBytes, ...(torn ? { torn } : {}) };
}

/** The record on one line, or why it is not one. */
function parseRecord(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (record.v !== HISTORY_VERSION) return `unsupported version ${JSON.stringify(record.v)} (this riflow reads version ${HISTORY_VERSION})`;
  if (typeof record.seq !== 'number' || typeof record.type !== 'string' || typeof record.time !== 'string') return 'missing seq, type or time';
  return record;
}

function checkHeader(file: string, line: number, record: Record<string, unknown>): JournalHeader {
  if (record.type !== JOURNAL_HEADER_TYPE) {
    throw new JournalDamagedError(file, line, `the first line must be the journal header (type ${JOURNAL_HEADER_TYPE}), not ${String(record.type)}: was this history written before journals?`);
  }
  for (const field of ['execution', 'flow', 'definition'] as const) {
    if (typeof record[field] !== 'string') throw new JournalDamagedError(file, line, `the header's ${field} must be a string`);
  }
  if (typeof record.seed !== 'number' || !Number.isInteger(record.seed)) throw new JournalDamagedError(file, line, "the header's seed must be an integer");
  if (typeof record.input !== 'object' || record.input === null || Array.isArray(record.input)) {
    throw new JournalDamagedError(file, line, "the header's input must be a JSON object");
  }
  if (Number.isNaN(Date.parse(record.time as string))) throw new JournalDamagedError(file, line, "the header's time must be an ISO-8601 time");
  return record as unknown as JournalHeader;
}

function checkEvent(file: string, line: number, record: Record<string, unknown>, execution: string): HistoryEvent {
  if (record.execution !== execution) throw new JournalDamagedError(file, line, `the event belongs to execution ${String(record.execution)}, the journal to ${execution}`);
  if (Number.isNaN(Date.parse(record.time as string))) throw new JournalDamagedError(file, line, 'time must be an ISO-8601 time');
  return record as unknown as HistoryEvent;
}
