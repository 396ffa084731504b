import type { JsonObject, JsonValue } from '../json';
import type { EvalValue, FunctionEnv } from './functions';

/** Root variables an expression can read (`$Item` only in a distributed Map's ItemConstructor). `$Global` (global
 * variables) is not supported locally. */
export type VariableName = 'Input' | 'Output' | 'Context' | 'Item';

export type PathSegment = string | number;

export type Expr =
  | { kind: 'literal'; value: JsonValue; offset: number }
  | { kind: 'variable'; name: VariableName; offset: number }
  | { kind: 'member'; target: Expr; segments: PathSegment[]; offset: number }
  | { kind: 'call'; name: string; args: Expr[]; offset: number }
  | { kind: 'array'; items: Expr[]; offset: number }
  | { kind: 'object'; entries: Array<[string, Expr]>; offset: number }
  | { kind: 'not'; operand: Expr; offset: number }
  | { kind: 'negate'; operand: Expr; offset: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; offset: number };

/** `in`: whether an array holds a value, or an object a key (Choice page). */
export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '&&' | '||';

/** A parsed expression with what the loader needs to check where it may be used, and its compiled form. */
export interface CompiledExpression {
  source: string;
  ast: Expr;
  variables: ReadonlySet<VariableName>;
  /** Deepest nesting of function calls (limit `CLOUDFLOW_LIMITS.nestedFunctionCalls`). */
  callDepth: number;
  /** The expression compiled to a closure once, when it was parsed (evaluate.ts). */
  evaluate: Evaluator;
}

/** What an expression reads besides `$Input` and `$Output`. `context` may be a getter so it is only built when read. */
export interface EvalEnv extends FunctionEnv {
  readonly context: JsonObject;
  /** `$Item`: the item a distributed Map's ItemConstructor builds from (undefined elsewhere). */
  readonly item?: JsonValue;
  /** Error name for failures while evaluating (the policy's `errorNames.expression`). */
  readonly errorName: string;
}

/** A compiled expression: `$Input`, `$Output` and the rest of what it may read in, its value out. */
export type Evaluator = (input: JsonValue, output: JsonValue | undefined, env: EvalEnv) => EvalValue;
