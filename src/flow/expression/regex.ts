/**
 * Regular expressions for regexMatchString. JavaScript runs them; what Go's RE2 syntax lacks is refused first, since
 * the cloud's engine writes its types in Go notation and would refuse it.
 */
import type { JsonValue } from '../json';

/** What is wrong with the pattern, or undefined. */
export function patternProblem(value: JsonValue): string | undefined {
  const pattern = value as string;
  const unsupported = re2Unsupported(pattern);
  if (unsupported) return `uses ${unsupported}, which RE2 regular expressions (Go's syntax) do not support`;
  const compiled = compilePattern(pattern);
  return compiled instanceof Error ? `is not a valid regular expression: ${compiled.message}` : undefined;
}

export function compilePattern(pattern: string): RegExp | Error {
  try {
    return new RegExp(pattern, 'u'); // \p{…} classes and whole code points, as RE2 has them
  } catch {
    try {
      return new RegExp(pattern); // identity escapes such as \- that RE2 accepts and the u flag refuses
    } catch (error) {
      return error as Error;
    }
  }
}

function re2Unsupported(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `a backreference (\\${next})`;
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return 'a named backreference (\\k<…>)';
      i += 1;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(' && pattern[i + 1] === '?') {
      const after = pattern.slice(i + 2, i + 4);
      if (after.startsWith('=') || after.startsWith('!')) return 'a lookahead ((?=…) or (?!…))';
      if (after === '<=' || after === '<!') return 'a lookbehind ((?<=…) or (?<!…))';
    }
  }
  return undefined;
}
