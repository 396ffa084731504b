/**
 * Constructors (`InputConstructor`, `Parameters`, `OutputConstructor`, Catch `OutputConstructor`) compiled once at load
 * time: keys ending in `.$` hold expressions, all other values are literals (a `$Input…` string without the suffix
 * stays a string).
 */
import type { JsonObject, JsonValue } from '../json';
import type { CompiledExpression } from './ast';
import { evaluate, type EvalScope } from './evaluate';

export type Template =
  | { kind: 'literal'; value: JsonValue }
  | { kind: 'expression'; expression: CompiledExpression }
  | { kind: 'object'; entries: Array<[string, Template]> }
  | { kind: 'array'; items: Template[] };

/** How a constructor key whose expression finds nothing is written (policy `missingPath`). */
export type MissingPathMode = 'omit' | 'null';

export function evaluateTemplate(template: Template, scope: EvalScope, missing: MissingPathMode): JsonValue | undefined {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'expression':
      return evaluate(template.expression, scope);
    case 'array':
      return template.items.map((item) => evaluateTemplate(item, scope, missing) ?? null);
    case 'object': {
      const result: JsonObject = {};
      for (const [key, value] of template.entries) {
        const evaluated = evaluateTemplate(value, scope, missing);
        if (evaluated !== undefined) result[key] = evaluated;
        else if (missing === 'null') result[key] = null;
      }
      return result;
    }
  }
}

/** A template of literals only becomes one literal, so evaluating it costs nothing. */
export function simplifyTemplate(template: Template): Template {
  if (template.kind === 'object' && template.entries.every(([, value]) => value.kind === 'literal')) {
    const value: JsonObject = {};
    for (const [key, entry] of template.entries) value[key] = (entry as { value: JsonValue }).value;
    return { kind: 'literal', value };
  }
  if (template.kind === 'array' && template.items.every((item) => item.kind === 'literal')) {
    return { kind: 'literal', value: template.items.map((item) => (item as { value: JsonValue }).value) };
  }
  return template;
}
