/**
 * Where a JSON text first breaks, as a character offset. Node 20's JSON.parse does not always say (e.g.
 * "Unexpected token '}'" has no position), so this small scanner walks the grammar and stops at the first error.
 * Returns undefined when the text is valid.
 */
export function jsonErrorPosition(text: string): number | undefined {
  let at = 0;
  class Broken extends Error {}
  const fail = (): never => {
    throw new Broken();
  };
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at += 1;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, at)) at += word.length;
    else fail();
  };
  const string = (): void => {
    at += 1; // opening quote
    while (at < text.length) {
      const ch = text[at] as string;
      if (ch === '"') {
        at += 1;
        return;
      }
      if (ch < ' ') fail();
      if (ch === '\\') {
        const next = text[at + 1] ?? '';
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail();
          at += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next) || next === '') fail();
        at += 2;
        continue;
      }
      at += 1;
    }
    fail();
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail();
    at += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const ch = text[at];
    if (ch === '{') {
      at += 1;
      space();
      if (text[at] === '}') {
        at += 1;
        return;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at += 1;
        value();
        space();
        if (text[at] === ',') at += 1;
        else if (text[at] === '}') return void (at += 1);
        else fail();
      }
    }
    if (ch === '[') {
      at += 1;
      space();
      if (text[at] === ']') {
        at += 1;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[at] === ',') at += 1;
        else if (text[at] === ']') return void (at += 1);
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    return at < text.length ? at : undefined;
  } catch (error) {
    if (error instanceof Broken) return at;
    throw error;
  }
}
