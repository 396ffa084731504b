/**
 * Renders untrusted text (event values, server messages) so it can go into an error message or a log line
 * without smuggling control characters, terminal escapes or megabytes through: every character outside
 * printable ASCII is written as \uXXXX and long values are cut.
 */
export function escapeText(text: string, maxLength = 200): string {
  const cut = text.length > maxLength ? text.slice(0, maxLength) : text;
  let out = '';
  for (const unit of cut) {
    const code = unit.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) out += unit === '"' || unit === '\\' ? `\\${unit}` : unit;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return text.length > maxLength ? `${out}…(${text.length} chars)` : out;
}

/** A short, safe rendering of any value for "(got …)" in a validation message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `"${escapeText(value, 64)}"`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return escapeText(String(value), 64);
  }
  return typeof value;
}
