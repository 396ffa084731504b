/**
 * Constructors (`InputConstructor`, `Parameters`, `OutputConstructor`, Catch `OutputConstructor`), read once at load
 * time: keys ending in `.$` hold expressions, all other values are literals (a `$Input…` string without the suffix
 * stays a string). A flow's compile step (compile.ts) turns each into a builder with the policy's missing-path rule.
 */
import type { JsonObject, JsonValue } from '../json';
import type { CompiledExpression, EvalEnv } from './ast';

export type Template =
  | { kind: 'literal'; value: JsonValue }
  | { kind: 'expression'; expression: CompiledExpression }
  | { kind: 'object'; entries: Array<[string, Template]> }
  | { kind: 'array'; items: Template[] };

/** How a constructor key whose expression finds nothing is written (policy `missingPath`). */
export type MissingPathMode = 'omit' | 'null';

/** A constructor compiled to a builder: its value for one `$Input`, `$Output` and environment, or undefined (a lone
 * expression that found nothing). */
export type Builder = (input: JsonValue, output: JsonValue | undefined, env: EvalEnv) => JsonValue | undefined;

/** Compiles a constructor once; a missing expression value is left out of its object or written as null. */
export function compileTemplate(template: Template, missing: MissingPathMode): Builder {
  switch (template.kind) {
    case 'literal': {
      const { value } = template;
      return () => value;
    }
    case 'expression':
      return template.expression.evaluate;
    case 'array': {
      const items = template.items.map((item) => compileTemplate(item, missing));
      return (input, output, env) => items.map((item) => item(input, output, env) ?? null);
    }
    case 'object': {
      const keys = template.entries.map(([key]) => key);
      const values = template.entries.map(([, value]) => compileTemplate(value, missing));
      const missingAsNull = missing === 'null';
      return (input, output, env) => {
        const result: JsonObject = {};
        for (let i = 0; i < keys.length; i += 1) {
          const value = (values[i] as Builder)(input, output, env);
          if (value !== undefined) result[keys[i] as string] = value;
          else if (missingAsNull) result[keys[i] as string] = null;
        }
        return result;
      };
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
