/**
 * Expressions compiled to closures: the parser hands each AST to `compileExpression` once, at load time, and every
 * evaluation afterwards is a call of the closure it returned (no walk over the AST, no lookup by operator or name).
 */
import { FlowError } from '../errors';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json';
import type { BinaryOperator, CompiledExpression, EvalEnv, Evaluator, Expr, PathSegment } from './ast';
import { callBuiltin, EvaluationError, FUNCTIONS, typeOf, type EvalValue } from './functions';

/** Everything an expression can see while it runs, in one object (for `evaluate`). */
export interface EvalScope extends EvalEnv {
  readonly input: JsonValue;
  readonly output?: JsonValue;
}

export function evaluate(expression: CompiledExpression, scope: EvalScope): EvalValue {
  return expression.evaluate(scope.input, scope.output, scope);
}

/** Conditions and logical operands count as true only when they are boolean `true` (a fixed choice, listed in policy.ts). */
export function isTrue(value: EvalValue): boolean {
  return value === true;
}

/** The closure for one parsed expression. Only a call and the prefix `-` can fail; an expression without either
 * needs no handler that names the failing expression. */
export function compileExpression(source: string, ast: Expr): Evaluator {
  const run = compileNode(ast);
  if (!canFail(ast)) return run;
  return (input, output, env) => {
    try {
      return run(input, output, env);
    } catch (error) {
      if (error instanceof EvaluationError) {
        throw new FlowError(env.errorName, `${error.message} in expression ${JSON.stringify(source)}`);
      }
      throw error;
    }
  };
}

function canFail(expr: Expr): boolean {
  switch (expr.kind) {
    case 'literal':
    case 'variable':
      return false;
    case 'call':
    case 'negate':
      return true;
    case 'member':
      return canFail(expr.target);
    case 'not':
      return canFail(expr.operand);
    case 'binary':
      return canFail(expr.left) || canFail(expr.right);
    case 'array':
      return expr.items.some(canFail);
    case 'object':
      return expr.entries.some(([, value]) => canFail(value));
  }
}

function compileNode(expr: Expr): Evaluator {
  switch (expr.kind) {
    case 'literal': {
      const { value } = expr;
      return () => value;
    }
    case 'variable':
      if (expr.name === 'Input') return (input) => input;
      if (expr.name === 'Output') return (_input, output) => output;
      if (expr.name === 'Item') return (_input, _output, env) => env.item;
      return (_input, _output, env) => env.context;
    case 'member':
      return compileMember(compileNode(expr.target), expr.segments);
    case 'array': {
      const items = expr.items.map(compileNode);
      return (input, output, env) => items.map((item) => item(input, output, env) ?? null);
    }
    case 'object': {
      // A missing value inside a literal becomes null, as it does inside an array literal.
      const keys = expr.entries.map(([key]) => key);
      const values = expr.entries.map(([, value]) => compileNode(value));
      return (input, output, env) => {
        const object: JsonObject = {};
        for (let i = 0; i < keys.length; i += 1) object[keys[i] as string] = (values[i] as Evaluator)(input, output, env) ?? null;
        return object;
      };
    }
    case 'not': {
      const operand = compileNode(expr.operand);
      return (input, output, env) => !isTrue(operand(input, output, env));
    }
    case 'negate': {
      const operand = compileNode(expr.operand);
      return (input, output, env) => {
        const value = operand(input, output, env);
        if (typeof value !== 'number') throw new EvaluationError(`the prefix - needs a number, got ${typeOf(value)}`);
        return -value;
      };
    }
    case 'call': {
      const { name } = expr;
      const fn = FUNCTIONS[name];
      if (!fn) {
        return () => {
          throw new EvaluationError(`unknown function ${name}`);
        };
      }
      const args = expr.args.map(compileNode);
      return (input, output, env) =>
        callBuiltin(
          name,
          fn,
          args.map((arg) => arg(input, output, env)),
          env,
        );
    }
    case 'binary':
      return compileBinary(expr.op, compileNode(expr.left), compileNode(expr.right));
  }
}

/** Follows `.key` and `[index]`; anything absent or of the wrong shape is missing (`undefined`). */
function compileMember(target: Evaluator, segments: readonly PathSegment[]): Evaluator {
  if (segments.length === 1) {
    const segment = segments[0] as PathSegment;
    return (input, output, env) => step(target(input, output, env), segment);
  }
  return (input, output, env) => {
    let current = target(input, output, env);
    for (let i = 0; i < segments.length && current !== undefined; i += 1) current = step(current, segments[i] as PathSegment);
    return current;
  };
}

function step(value: EvalValue, segment: PathSegment): EvalValue {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return typeof segment === 'number' ? value[segment] : undefined;
  return typeof segment === 'string' && Object.hasOwn(value, segment) ? value[segment] : undefined;
}

function compileBinary(op: BinaryOperator, left: Evaluator, right: Evaluator): Evaluator {
  switch (op) {
    case '&&':
      return (input, output, env) => isTrue(left(input, output, env)) && isTrue(right(input, output, env));
    case '||':
      return (input, output, env) => isTrue(left(input, output, env)) || isTrue(right(input, output, env));
    case '==':
      return (input, output, env) => jsonEqual(left(input, output, env), right(input, output, env));
    case '!=':
      return (input, output, env) => !jsonEqual(left(input, output, env), right(input, output, env));
    case 'in':
      return (input, output, env) => {
        const value = left(input, output, env);
        return contains(right(input, output, env), value);
      };
    default: {
      const order = ORDER[op];
      return (input, output, env) => ordered(left(input, output, env), right(input, output, env), order);
    }
  }
}

type Order = (left: number | string, right: number | string) => boolean;

const ORDER: Readonly<Record<'<' | '<=' | '>' | '>=', Order>> = {
  '<': (l, r) => l < r,
  '<=': (l, r) => l <= r,
  '>': (l, r) => l > r,
  '>=': (l, r) => l >= r,
};

/** Ordering needs two numbers or two strings; anything else is false (a fixed choice, listed in policy.ts). */
function ordered(left: EvalValue, right: EvalValue, order: Order): boolean {
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  return comparable && order(left, right);
}

/** `value in container`: an array element by deep equality, or an object's own key. Any other container, or a
 * non-string key for an object, is false (like ordering on mixed types). */
function contains(container: EvalValue, value: EvalValue): boolean {
  if (Array.isArray(container)) return container.some((item) => jsonEqual(item, value));
  if (isJsonObject(container)) return typeof value === 'string' && Object.hasOwn(container, value);
  return false;
}
