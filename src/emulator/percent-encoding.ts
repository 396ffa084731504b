/**
 * Percent-encoding as the POP signature needs it: RFC 3986 unreserved characters stay literal, everything else is
 * %XY upper-case (so `encodeURIComponent` plus `! ' ( ) *`), and parsing of query strings / form bodies.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A malformed escape is kept as sent; the signature check then decides.
    return spaced;
  }
}

/** Parses `a=1&b=2` (query string or form body) into `into`; later keys win. */
export function parseUrlEncoded(text: string, into: Record<string, string> = {}): Record<string, string> {
  if (!text) return into;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    into[name] = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
  }
  return into;
}
