import type { CallRecord } from './types';

const SECRET_PARAMS = new Set(['Signature', 'SecurityToken', 'AccessKeySecret']);

/** Request parameters fit for the log: no signature, token or secret. */
export function loggableParams(params: Record<string, string>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (!SECRET_PARAMS.has(name)) safe[name] = value;
  return safe;
}

/** The newest `limit` calls, oldest first; a ring buffer so a full log costs nothing extra per request. */
export class CallLog {
  private records: CallRecord[] = [];
  private start = 0;

  constructor(private readonly limit: () => number) {}

  add(record: CallRecord): void {
    const limit = Math.max(0, this.limit());
    if (this.records.length > limit) this.compact(limit);
    if (limit === 0) return;
    if (this.records.length < limit) {
      this.records.push(record);
      return;
    }
    this.records[this.start] = record;
    this.start = (this.start + 1) % limit;
  }

  list(): CallRecord[] {
    return [...this.records.slice(this.start), ...this.records.slice(0, this.start)];
  }

  clear(): void {
    this.records = [];
    this.start = 0;
  }

  /** The limit shrank: keep the newest entries in order. */
  private compact(limit: number): void {
    this.records = limit === 0 ? [] : this.list().slice(-limit);
    this.start = 0;
  }
}
