/**
 * Times as text. Formatting a Date per history event and per execution start and stop was a visible part of a short
 * execution, so the text of the last second formatted is remembered and only the milliseconds are written per call.
 */

/** The second last formatted: its ISO-8601 text up to the seconds, and its stamp. */
let lastSecond = { second: Number.NaN, iso: '', stamp: '' };

function formattedSecond(second: number): typeof lastSecond {
  if (second !== lastSecond.second) {
    const iso = new Date(second * 1000).toISOString().slice(0, -5);
    lastSecond = { second, iso, stamp: iso.replace(/[-:T]/g, '').slice(0, 14) };
  }
  return lastSecond;
}

/** Milliseconds since the epoch as ISO-8601, exactly as `Date.prototype.toISOString` writes them. */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  const millis = whole - second * 1000;
  return `${formattedSecond(second).iso}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** `yyyymmddhhmmss` (UTC) of the second `ms` falls in. */
export function secondStamp(ms: number): string {
  return formattedSecond(Math.floor(Math.floor(ms) / 1000)).stamp;
}
