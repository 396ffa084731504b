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
      return keys.length > 0 && !keys.includes('__proto__') ? literalBuilder(keys, values, missing) : loopBuilder(keys, values, missing);
    }
  }
}

/** An object of these keys, a value left out (or null) where its expression finds nothing. */
function objectOf(keys: readonly string[], values: ReadonlyArray<JsonValue | undefined>, missing: MissingPathMode): JsonObject {
  const result: JsonObject = {};
  values.forEach((value, i) => {
    if (value !== undefined) result[keys[i] as string] = value;
    else if (missing === 'null') result[keys[i] as string] = null;
  });
  return result;
}

function loopBuilder(keys: readonly string[], values: readonly Builder[], missing: MissingPathMode): Builder {
  return (input, output, env) => objectOf(keys, values.map((value) => value(input, output, env)), missing);
}

/**
 * The object written out as a literal, `{"key": v0, …}`, in a function made once per constructor. A literal gets its
 * hidden class from its own allocation site; a loop storing `result[key]` shares one store site among the keys of
 * every constructor of every flow, which V8 then handles on its slowest path (about ten times slower per object,
 * measured on the poll-loop benchmark: docs/benchmarks.md). Only the keys enter the function's text, each as a JSON
 * string literal, so nothing from the definition is ever run as code; the values stay the compiled closures, passed
 * in. (`__proto__` is left to the loop: in a literal it would set the prototype.)
 */
function literalBuilder(keys: readonly string[], values: readonly Builder[], missing: MissingPathMode): Builder {
  const slots = keys.map((_, i) => `v${i}`);
  const computed = slots.map((slot, i) => `const ${slot} = values[${i}](input, output, env);`).join(' ');
  const entries = keys.map((key, i) => `${JSON.stringify(key)}: ${slots[i] as string}`).join(', ');
  const anyMissing = slots.map((slot) => `${slot} === undefined`).join(' || ');
  const text = `return (input, output, env) => { ${computed} return ${anyMissing} ? missing([${slots.join(', ')}]) : { ${entries} }; };`;
  const make = new Function('values', 'missing', text) as (values: readonly Builder[], missing: (found: Array<JsonValue | undefined>) => JsonObject) => Builder;
  return make(values, (found) => objectOf(keys, found, missing));
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
