/**
 * Load-time checks on what an expression's shape already tells: a call's argument count, the types of its arguments
 * (and the values of literal ones), the operand of the prefix `-` and the right side of `in`. The rules are the ones
 * the evaluator applies at run time (`argumentProblem`), so a load-time refusal and a run-time one read the same.
 */
import type { JsonObject, JsonValue } from '../json';
import type { ExpressionPolicy } from '../policy';
import type { Expr } from './ast';
import { ARTICLE, argumentProblem, arityProblem, FUNCTIONS, typeOf, type BuiltinFunction, type ValueType } from './functions';
import { ExpressionSyntaxError } from './tokenizer';

export function checkCall(name: string, fn: BuiltinFunction, args: readonly Expr[], offset: number, policy: ExpressionPolicy): void {
  const arity = arityProblem(name, fn, policy, args.length);
  if (arity) throw new ExpressionSyntaxError(arity, offset);
  args.forEach((arg, i) => {
    const value = literalValue(arg);
    const type = staticType(arg);
    const known = value !== undefined ? { value } : type !== undefined ? { type } : undefined;
    const problem = known && argumentProblem(name, fn, i, known, policy);
    if (problem) throw new ExpressionSyntaxError(problem, startOf(arg));
  });
}

/** The prefix `-` needs a number; `in` needs an array or an object on its right. */
export function checkOperand(operator: '-' | 'in', operand: Expr, offset: number): void {
  const type = staticType(operand);
  if (type === undefined) return;
  if (operator === '-' && type !== 'number') {
    throw new ExpressionSyntaxError(`the prefix - needs a number, got ${ARTICLE[type]}`, offset);
  }
  if (operator === 'in' && type !== 'array' && type !== 'object') {
    throw new ExpressionSyntaxError(`the right side of in must be an array or an object, got ${ARTICLE[type]}`, offset);
  }
}

/** Where an expression's text begins (a binary expression's own offset is its operator's). */
function startOf(expr: Expr): number {
  return expr.kind === 'binary' ? startOf(expr.left) : expr.offset;
}

/** The type an expression always has, or undefined when only the run can tell (paths, `get`, `stringToJson`). */
function staticType(expr: Expr): ValueType | undefined {
  switch (expr.kind) {
    case 'literal':
      return typeOf(expr.value) as ValueType;
    case 'array':
    case 'object':
      return expr.kind;
    case 'not':
    case 'binary':
      return 'boolean';
    case 'negate':
      return 'number';
    case 'call': {
      const returns = FUNCTIONS[expr.name]?.returns;
      return returns === 'any' ? undefined : returns;
    }
    default:
      return undefined;
  }
}

/** The value of an expression made of literals only. */
function literalValue(expr: Expr): JsonValue | undefined {
  if (expr.kind === 'literal') return expr.value;
  if (expr.kind === 'array') {
    const items = expr.items.map(literalValue);
    return items.every((item) => item !== undefined) ? (items as JsonValue[]) : undefined;
  }
  if (expr.kind === 'object') {
    const object: JsonObject = {};
    for (const [key, entry] of expr.entries) {
      const value = literalValue(entry);
      if (value === undefined) return undefined;
      object[key] = value;
    }
    return object;
  }
  return undefined;
}
