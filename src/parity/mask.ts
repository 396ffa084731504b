/**
 * What makes an observation comparable and shareable: everything that differs from one run or account to the next
 * is replaced by a placeholder, and keys are sorted so a snapshot's text changes only when a fact does. Applied to
 * both sides of a comparison alike.
 *
 * Masked: the run's own volatile strings (execution names, the account id, the test pair's id), ISO-8601 times,
 * request ids (UUIDs), router-interface ids, 16-digit account ids, anything under a `RequestId`/`requestId` key,
 * and stack traces (`stackTrace`: file paths and line numbers of the runtime).
 */
import type { JsonValue, Observation } from './case';

export interface MaskOptions {
  /** Exact strings to replace, with their placeholder (longest first wins). */
  volatile?: ReadonlyArray<readonly [value: string, placeholder: string]>;
}

const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<request-id>'],
  [/\bri-[0-9a-z]{8,}\b/g, '<router-interface-id>'],
  [/\b\d{16}\b/g, '<account-id>'],
];

const MASKED_KEYS: Readonly<Record<string, string>> = { RequestId: '<request-id>', requestId: '<request-id>', stackTrace: '<masked>' };

function maskString(text: string, options: MaskOptions): string {
  let out = text;
  const volatile = [...(options.volatile ?? [])].filter(([value]) => value !== '').sort((a, b) => b[0].length - a[0].length);
  for (const [value, placeholder] of volatile) out = out.split(value).join(placeholder);
  for (const [pattern, placeholder] of PATTERNS) out = out.replace(pattern, placeholder);
  return out;
}

function maskValue(value: JsonValue, options: MaskOptions = {}): JsonValue {
  if (typeof value === 'string') return maskString(value, options);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, options));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value).sort()) {
    const placeholder = MASKED_KEYS[key];
    out[key] = placeholder !== undefined ? placeholder : maskValue(value[key] as JsonValue, options);
  }
  return out;
}

export function maskObservation(observation: Observation, options: MaskOptions = {}): Observation {
  return maskValue(observation, options) as Observation;
}
