/** Small text helpers shared by the live view, the summary, history and plan. */

/** CloudFlow's published price for state transitions: USD 0.25 per 10,000. */
export const USD_PER_TRANSITION = 0.25 / 10_000;

export function transitionCost(transitions: number): string {
  const usd = transitions * USD_PER_TRANSITION;
  if (usd === 0) return 'USD 0';
  // Small runs cost fractions of a cent: show enough digits to be non-zero, never more than 6.
  return `USD ${usd.toFixed(usd >= 0.01 ? 4 : 6).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** 850 ms → "0.9s", 75 s → "1m15s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** ISO text or epoch ms → epoch ms (NaN when unreadable). */
export function toMillis(time: unknown): number {
  if (typeof time === 'number') return time;
  if (typeof time === 'string') return Date.parse(time);
  return Number.NaN;
}

export function prettyJson(value: unknown, indent = '  '): string {
  return (JSON.stringify(value, null, 2) ?? 'null')
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

/** One-line JSON, cut to `max` characters. */
export function compactJson(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Timestamp for default execution names: 2026-01-01T12:00:00.123Z → 20260101T120000123Z. */
export function nameTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}
