import { FlowError } from '../errors';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json';
import type { CompiledExpression, Expr, PathSegment } from './ast';
import { callBuiltin, EvaluationError, FUNCTIONS, typeOf, type EvalValue, type FunctionEnv } from './functions';

/** What an expression can see while it runs. `context` may be a getter so it is only built when read. */
export interface EvalScope extends FunctionEnv {
  readonly input: JsonValue;
  readonly output?: JsonValue;
  /** `$Item`: the item a distributed Map's ItemConstructor builds from. */
  readonly item?: JsonValue;
  readonly context: JsonObject;
  /** Error name for failures while evaluating (the policy's `errorNames.expression`). */
  readonly errorName: string;
}

export function evaluate(expression: CompiledExpression, scope: EvalScope): EvalValue {
  try {
    return evaluateNode(expression.ast, scope);
  } catch (error) {
    if (error instanceof EvaluationError) {
      throw new FlowError(scope.errorName, `${error.message} in expression ${JSON.stringify(expression.source)}`);
    }
    throw error;
  }
}

/** Conditions and logical operands count as true only when they are boolean `true` (a fixed choice, listed in policy.ts). */
export function isTrue(value: EvalValue): boolean {
  return value === true;
}

function evaluateNode(expr: Expr, scope: EvalScope): EvalValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'variable':
      return expr.name === 'Input' ? scope.input : expr.name === 'Output' ? scope.output : expr.name === 'Item' ? scope.item : scope.context;
    case 'member':
      return walk(evaluateNode(expr.target, scope), expr.segments);
    case 'array':
      return expr.items.map((item) => evaluateNode(item, scope) ?? null);
    case 'object': {
      // A missing value inside a literal becomes null, as it does inside an array literal.
      const object: JsonObject = {};
      for (const [key, value] of expr.entries) object[key] = evaluateNode(value, scope) ?? null;
      return object;
    }
    case 'not':
      return !isTrue(evaluateNode(expr.operand, scope));
    case 'negate': {
      const value = evaluateNode(expr.operand, scope);
      if (typeof value !== 'number') throw new EvaluationError(`the prefix - needs a number, got ${typeOf(value)}`);
      return -value;
    }
    case 'call': {
      const fn = FUNCTIONS[expr.name];
      if (!fn) throw new EvaluationError(`unknown function ${expr.name}`);
      return callBuiltin(
        expr.name,
        fn,
        expr.args.map((arg) => evaluateNode(arg, scope)),
        scope,
      );
    }
    case 'binary':
      return binary(expr, scope);
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, scope: EvalScope): boolean {
  if (expr.op === '&&') return isTrue(evaluateNode(expr.left, scope)) && isTrue(evaluateNode(expr.right, scope));
  if (expr.op === '||') return isTrue(evaluateNode(expr.left, scope)) || isTrue(evaluateNode(expr.right, scope));
  const left = evaluateNode(expr.left, scope);
  const right = evaluateNode(expr.right, scope);
  if (expr.op === '==') return jsonEqual(left, right);
  if (expr.op === '!=') return !jsonEqual(left, right);
  if (expr.op === 'in') return contains(right, left);
  // Ordering needs two numbers or two strings; anything else is false (a fixed choice, listed in policy.ts).
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const l = left as number | string;
  const r = right as number | string;
  switch (expr.op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

/** `value in container`: an array element by deep equality, or an object's own key. Any other container, or a
 * non-string key for an object, is false (like ordering on mixed types). */
function contains(container: EvalValue, value: EvalValue): boolean {
  if (Array.isArray(container)) return container.some((item) => jsonEqual(item, value));
  if (isJsonObject(container)) return typeof value === 'string' && Object.hasOwn(container, value);
  return false;
}

/** Follows `.key` and `[index]`; anything absent or of the wrong shape is missing (`undefined`). */
function walk(value: EvalValue, segments: PathSegment[]): EvalValue {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (typeof segment !== 'number') return undefined;
      current = current[segment];
    } else {
      if (typeof segment !== 'string' || !Object.hasOwn(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}
