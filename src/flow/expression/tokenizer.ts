/** Splits an expression into tokens, each with its offset in the source so errors can point at the character. */
export type TokenKind = 'variable' | 'identifier' | 'number' | 'string' | 'operator' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** Variable name without `$`, identifier text, the string's decoded value, the operator or punctuation itself. */
  text: string;
  number?: number;
  offset: number;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the expression text. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

// `-` is the prefix minus; a `-` right before a digit starts a number instead.
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '-'];
const PUNCTUATION = '.[](),{}:';
const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_-]/u;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
    } else if (ch === '$') {
      const end = scanName(source, i + 1);
      if (end === i + 1) throw new ExpressionSyntaxError('expected a variable name after "$"', i);
      tokens.push({ kind: 'variable', text: source.slice(i + 1, end), offset: i });
      i = end;
    } else if (NAME_START.test(ch)) {
      const end = scanName(source, i);
      tokens.push({ kind: 'identifier', text: source.slice(i, end), offset: i });
      i = end;
    } else if (isDigit(ch) || (ch === '-' && isDigit(source[i + 1]))) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      const text = (match as RegExpExecArray)[0];
      tokens.push({ kind: 'number', text, number: Number(text), offset: i });
      i += text.length;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      const { value, end } = scanString(source, i);
      tokens.push({ kind: 'string', text: value, offset: i });
      i = end;
    } else {
      const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
      if (op) {
        tokens.push({ kind: 'operator', text: op, offset: i });
        i += op.length;
      } else if (PUNCTUATION.includes(ch)) {
        tokens.push({ kind: 'punct', text: ch, offset: i });
        i += 1;
      } else {
        throw new ExpressionSyntaxError(`unexpected character "${ch}"`, i);
      }
    }
  }
  tokens.push({ kind: 'end', text: '', offset: source.length });
  return tokens;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function scanName(source: string, start: number): number {
  let end = start;
  if (end < source.length && NAME_START.test(source[end] as string)) {
    end += 1;
    while (end < source.length && NAME_PART.test(source[end] as string)) end += 1;
  }
  return end;
}

/** Strings in "…" or `…` (Choice page) or '…' (built-in function page examples); backslash escapes as in JSON, plus
 * the escaped quote of the string's own kind. */
function scanString(source: string, start: number): { value: string; end: number } {
  const quote = source[start] as string;
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === quote) return { value, end: i + 1 };
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) break;
      if (next === 'u') {
        const hex = source.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ExpressionSyntaxError('bad \\u escape', i);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      // An escape JSON does not know keeps its backslash, so that a pattern such as "^\d+$" reaches regexMatchString
      // as written; "\\d" gives the same.
      value += next === quote ? quote : (ESCAPES[next] ?? `\\${next}`);
      i += 2;
      continue;
    }
    value += ch;
    i += 1;
  }
  throw new ExpressionSyntaxError('unterminated string', start);
}
