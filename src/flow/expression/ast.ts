import type { JsonValue } from '../json';

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

/** A parsed expression with what the loader needs to check where it may be used. */
export interface CompiledExpression {
  source: string;
  ast: Expr;
  variables: ReadonlySet<VariableName>;
  /** Deepest nesting of function calls (limit `CLOUDFLOW_LIMITS.nestedFunctionCalls`). */
  callDepth: number;
}
