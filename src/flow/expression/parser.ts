/**
 * A small recursive-descent parser for CloudFlow expressions:
 *
 *   or      := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | compare
 *   compare := postfix (('==' | '!=' | '<' | '<=' | '>' | '>=') postfix)?
 *   postfix := primary ('.' name | '[' (integer | string) ']')*
 *   primary := $Input | $Output | $Context | literal | name '(' args ')' | '[' items ']' | '(' or ')'
 *
 * Nothing is ever evaluated as code. Unknown functions, wrong argument counts, unknown variables and unknown
 * `$Context` fields are rejected here, with the offset of the offending token.
 */
import type { JsonValue } from '../json';
import type { BinaryOperator, CompiledExpression, Expr, PathSegment, VariableName } from './ast';
import { FUNCTIONS } from './functions';
import { ExpressionSyntaxError, tokenize, type Token } from './tokenizer';

export const MAX_CALL_DEPTH = 10;

const VARIABLES: Record<string, VariableName> = { Input: 'Input', Output: 'Output', Context: 'Context' };
const CONTEXT_FIELDS: Record<string, readonly string[]> = {
  Execution: ['Name', 'Input', 'RoleArn'],
  Current: ['Name', 'Input', 'Output', 'Error', 'RetryCount', 'TaskToken'],
};
const LITERALS: Record<string, JsonValue> = { true: true, false: false, null: null };
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function parseExpression(source: string): CompiledExpression {
  const parser = new Parser(source);
  const ast = parser.parseAll();
  const variables = new Set<VariableName>();
  const callDepth = inspect(ast, variables);
  if (callDepth > MAX_CALL_DEPTH) {
    throw new ExpressionSyntaxError(`more than ${MAX_CALL_DEPTH} nested function calls (${callDepth})`, 0);
  }
  return { source, ast, variables, callDepth };
}

/** Collects the variables used and returns the deepest call nesting. */
function inspect(expr: Expr, variables: Set<VariableName>): number {
  switch (expr.kind) {
    case 'literal':
      return 0;
    case 'variable':
      variables.add(expr.name);
      return 0;
    case 'member':
      return inspect(expr.target, variables);
    case 'not':
      return inspect(expr.operand, variables);
    case 'binary':
      return Math.max(inspect(expr.left, variables), inspect(expr.right, variables));
    case 'array':
      return Math.max(0, ...expr.items.map((item) => inspect(item, variables)));
    case 'call':
      return 1 + Math.max(0, ...expr.args.map((arg) => inspect(arg, variables)));
  }
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Expr {
    if (this.peek().kind === 'end') throw new ExpressionSyntaxError('empty expression', 0);
    const expr = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new ExpressionSyntaxError(`unexpected ${describe(rest)}`, rest.offset);
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private isOperator(text: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.text === text;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): Token {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) {
      throw new ExpressionSyntaxError(`expected "${text}" but found ${describe(token)}`, token.offset);
    }
    return this.next();
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isOperator('||')) {
      const op = this.next();
      left = { kind: 'binary', op: '||', left, right: this.parseAnd(), offset: op.offset };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.isOperator('&&')) {
      const op = this.next();
      left = { kind: 'binary', op: '&&', left, right: this.parseUnary(), offset: op.offset };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOperator('!')) {
      const op = this.next();
      return { kind: 'not', operand: this.parseUnary(), offset: op.offset };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parsePostfix();
    const token = this.peek();
    if (token.kind === 'operator' && COMPARISONS.has(token.text)) {
      this.next();
      const right = this.parsePostfix();
      const after = this.peek();
      if (after.kind === 'operator' && COMPARISONS.has(after.text)) {
        throw new ExpressionSyntaxError('comparisons cannot be chained; use && between them', after.offset);
      }
      return { kind: 'binary', op: token.text as BinaryOperator, left, right, offset: token.offset };
    }
    return left;
  }

  private parsePostfix(): Expr {
    const target = this.parsePrimary();
    const segments: PathSegment[] = [];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'identifier') {
          throw new ExpressionSyntaxError(`expected a field name after "." but found ${describe(name)}`, name.offset);
        }
        segments.push(name.text);
      } else if (this.isPunct('[')) {
        this.next();
        const key = this.next();
        if (key.kind === 'number' && Number.isInteger(key.number) && (key.number as number) >= 0) {
          segments.push(key.number as number);
        } else if (key.kind === 'string') {
          segments.push(key.text);
        } else {
          throw new ExpressionSyntaxError(`expected an index or a quoted key but found ${describe(key)}`, key.offset);
        }
        this.expectPunct(']');
      } else {
        break;
      }
    }
    if (segments.length === 0) return target;
    if (target.kind === 'variable' && target.name === 'Context') checkContextPath(segments, target.offset);
    return { kind: 'member', target, segments, offset: target.offset };
  }

  private parsePrimary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'variable': {
        const name = VARIABLES[token.text];
        if (!name) {
          const hint = token.text === 'Global' ? ' (global variables are not supported locally)' : '';
          throw new ExpressionSyntaxError(`unknown variable $${token.text}${hint}; use $Input, $Output or $Context`, token.offset);
        }
        return { kind: 'variable', name, offset: token.offset };
      }
      case 'number':
        return { kind: 'literal', value: token.number as number, offset: token.offset };
      case 'string':
        return { kind: 'literal', value: token.text, offset: token.offset };
      case 'identifier':
        if (this.isPunct('(')) return this.parseCall(token);
        if (Object.hasOwn(LITERALS, token.text)) {
          return { kind: 'literal', value: LITERALS[token.text] as JsonValue, offset: token.offset };
        }
        throw new ExpressionSyntaxError(
          `unexpected name "${token.text}" (strings need quotes; paths start with $Input, $Output or $Context)`,
          token.offset,
        );
      case 'punct':
        if (token.text === '(') {
          const inner = this.parseOr();
          this.expectPunct(')');
          return inner;
        }
        if (token.text === '[') return { kind: 'array', items: this.parseList(']'), offset: token.offset };
        break;
      default:
        break;
    }
    throw new ExpressionSyntaxError(`unexpected ${describe(token)}`, token.offset);
  }

  private parseCall(name: Token): Expr {
    const fn = FUNCTIONS[name.text];
    if (!fn) throw new ExpressionSyntaxError(`unknown function "${name.text}"`, name.offset);
    this.expectPunct('(');
    const args = this.parseList(')');
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs === Infinity ? 'any' : fn.maxArgs}`;
      throw new ExpressionSyntaxError(`${name.text}() takes ${expected} argument(s), got ${args.length}`, name.offset);
    }
    return { kind: 'call', name: name.text, args, offset: name.offset };
  }

  /** Comma-separated expressions up to the closing punctuation (already past the opening one). */
  private parseList(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.isPunct(close)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.parseOr());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expectPunct(close);
      return items;
    }
  }
}

function checkContextPath(segments: PathSegment[], offset: number): void {
  const [group, field] = segments;
  const fields = typeof group === 'string' ? CONTEXT_FIELDS[group] : undefined;
  if (!fields) {
    throw new ExpressionSyntaxError(`$Context has only Execution and Current, not ${JSON.stringify(group)}`, offset);
  }
  if (field !== undefined && (typeof field !== 'string' || !fields.includes(field))) {
    throw new ExpressionSyntaxError(
      `$Context.${String(group)} has no field ${JSON.stringify(field)} (known: ${fields.join(', ')})`,
      offset,
    );
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `string ${JSON.stringify(token.text)}`;
    case 'variable':
      return `$${token.text}`;
    default:
      return `"${token.text}"`;
  }
}
