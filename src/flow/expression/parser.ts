/**
 * A small recursive-descent parser for CloudFlow expressions:
 *
 *   or      := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | compare
 *   compare := operand (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in') operand)?
 *   operand := '-' operand | postfix
 *   postfix := primary ('.' name | '[' (integer | string) ']')*
 *   primary := $Input | $Output | $Context | $Item | literal | name '(' args ')' | '[' items ']' | '{' string ':' or, … '}'
 *            | '(' or ')'
 *
 * Operators and literals as the Choice page lists them (help.aliyun.com/document_detail/2412568.html): comparisons
 * on strings and numbers, `||` `&&`, the prefixes `!` and `-`, `in`, strings in "…" or `…`, numbers, booleans; JSON
 * literals of every type as the built-in function page's examples write them (help.aliyun.com/document_detail/2579872.html).
 *
 * Nothing is ever evaluated as code. Unknown functions, wrong argument counts, argument types that are known before
 * the run, unknown variables and unknown `$Context` fields are rejected here, with the offset of the offending token.
 */
import type { JsonValue } from '../json';
import { CLOUDFLOW_LIMITS } from '../limits';
import { CLOUDFLOW_POLICY, type ExpressionPolicy } from '../policy';
import type { BinaryOperator, CompiledExpression, Expr, PathSegment, VariableName } from './ast';
import { compileExpression } from './evaluate';
import { FUNCTIONS } from './functions';
import { checkCall, checkOperand } from './static-check';
import { ExpressionSyntaxError, tokenize, type Token } from './tokenizer';

const VARIABLES: Record<string, VariableName> = { Input: 'Input', Output: 'Output', Context: 'Context', Item: 'Item' };
const CONTEXT_FIELDS: Record<string, readonly string[]> = {
  Execution: ['Name', 'Input', 'RoleArn'],
  Current: ['Name', 'Input', 'Output', 'Error', 'RetryCount', 'TaskToken'],
};
const LITERALS: Record<string, JsonValue> = { true: true, false: false, null: null };
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function parseExpression(source: string, policy: ExpressionPolicy = CLOUDFLOW_POLICY.expressions): CompiledExpression {
  const parser = new Parser(source, policy);
  const ast = parser.parseAll();
  const variables = new Set<VariableName>();
  const callDepth = inspect(ast, variables);
  const limit = CLOUDFLOW_LIMITS.nestedFunctionCalls;
  if (callDepth > limit.value) {
    throw new ExpressionSyntaxError(
      `more than ${limit.value} nested function calls (${callDepth}); CloudFlow allows ${limit.value} ${limit.what} (${limit.page})`,
      0,
    );
  }
  return { source, ast, variables, callDepth, evaluate: compileExpression(source, ast) };
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
    case 'negate':
      return inspect(expr.operand, variables);
    case 'binary':
      return Math.max(inspect(expr.left, variables), inspect(expr.right, variables));
    case 'array':
      return Math.max(0, ...expr.items.map((item) => inspect(item, variables)));
    case 'object':
      return Math.max(0, ...expr.entries.map(([, value]) => inspect(value, variables)));
    case 'call':
      return 1 + Math.max(0, ...expr.args.map((arg) => inspect(arg, variables)));
  }
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(
    source: string,
    private readonly policy: ExpressionPolicy,
  ) {
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
    const left = this.parseOperand();
    const op = this.comparisonOperator();
    if (!op) return left;
    this.next();
    const right = this.parseOperand();
    const after = this.comparisonOperator();
    if (after) throw new ExpressionSyntaxError('comparisons cannot be chained; use && between them', this.peek().offset);
    if (op.text === 'in') checkOperand('in', right, op.offset);
    return { kind: 'binary', op: op.text as BinaryOperator, left, right, offset: op.offset };
  }

  /** The comparison operator at the current token (`in` is a name token), if any. */
  private comparisonOperator(): Token | undefined {
    const token = this.peek();
    if (token.kind === 'operator' && COMPARISONS.has(token.text)) return token;
    if (token.kind === 'identifier' && token.text === 'in') return token;
    return undefined;
  }

  /** The prefix minus binds tighter than comparisons: `-$Input.n < 0` is `(-$Input.n) < 0`. */
  private parseOperand(): Expr {
    if (!this.isOperator('-')) return this.parsePostfix();
    const op = this.next();
    const operand = this.parseOperand();
    checkOperand('-', operand, op.offset);
    if (operand.kind === 'literal' && typeof operand.value === 'number') return { kind: 'literal', value: -operand.value, offset: op.offset };
    return { kind: 'negate', operand, offset: op.offset };
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
      case 'variable':
        return { kind: 'variable', name: this.variable(token), offset: token.offset };
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
        if (token.text === '{') return this.parseObject(token);
        break;
      default:
        break;
    }
    throw new ExpressionSyntaxError(`unexpected ${describe(token)}`, token.offset);
  }

  private variable(token: Token): VariableName {
    const exact = VARIABLES[token.text];
    if (exact) return exact;
    const folded = Object.values(VARIABLES).find((name) => name.toLowerCase() === token.text.toLowerCase());
    if (folded && this.policy.variableNames === 'case-insensitive') return folded;
    const hint = folded
      ? ` (variable names are case-sensitive: did you mean $${folded}?)`
      : token.text === 'Global'
        ? ' (global variables are not supported locally)'
        : '';
    throw new ExpressionSyntaxError(`unknown variable $${token.text}${hint}; use $Input, $Output or $Context`, token.offset);
  }

  private parseCall(name: Token): Expr {
    const fn = FUNCTIONS[name.text];
    if (!fn) throw new ExpressionSyntaxError(`unknown function "${name.text}" (built-ins: ${Object.keys(FUNCTIONS).join(', ')})`, name.offset);
    this.expectPunct('(');
    const args = this.parseList(')');
    checkCall(name.text, fn, args, name.offset, this.policy);
    return { kind: 'call', name: name.text, args, offset: name.offset };
  }

  /** A JSON object literal; its keys are strings, its values any expression. */
  private parseObject(open: Token): Expr {
    const entries: Array<[string, Expr]> = [];
    if (this.isPunct('}')) {
      this.next();
      return { kind: 'object', entries, offset: open.offset };
    }
    for (;;) {
      const key = this.next();
      if (key.kind !== 'string') throw new ExpressionSyntaxError(`expected a quoted key in the object but found ${describe(key)}`, key.offset);
      if (entries.some(([existing]) => existing === key.text)) {
        throw new ExpressionSyntaxError(`the object has the key ${JSON.stringify(key.text)} twice`, key.offset);
      }
      this.expectPunct(':');
      entries.push([key.text, this.parseOr()]);
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expectPunct('}');
      return { kind: 'object', entries, offset: open.offset };
    }
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
