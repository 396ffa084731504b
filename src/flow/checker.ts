/** Small typed readers over the source tree that record a problem (with its line:column) instead of throwing. */
import { undocumentedFieldMessage, type DocumentedFields } from './documented-fields';
import type { ValidationProblem } from './errors';
import type { CompiledExpression } from './expression/ast';
import { parseExpression } from './expression/parser';
import { CLOUDFLOW_POLICY, type ExpressionPolicy } from './policy';
import { simplifyTemplate, type Template } from './expression/template';
import { ExpressionSyntaxError } from './expression/tokenizer';
import { citeLimit, type DocumentedLimit } from './limits';
import { toJson, type Position, type SourceNode } from './source';

export type MapNode = Extract<SourceNode, { kind: 'map' }>;

/** Where a value sits: the path for messages and the state it belongs to. */
export interface Site {
  path: string;
  state?: string;
}

export interface IntegerRule {
  required: boolean;
  min: number | DocumentedLimit;
  max: number | DocumentedLimit;
  /** Also accepts "30" (the Task `Timeout` is a string of seconds in the docs). */
  asString?: boolean;
}

export class Checker {
  readonly problems: ValidationProblem[] = [];
  readonly warnings: ValidationProblem[] = [];

  constructor(private readonly expressionPolicy: ExpressionPolicy = CLOUDFLOW_POLICY.expressions) {}

  report(pos: Position, site: Site, field: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    const problem: ValidationProblem = {
      path: field ? `${site.path ? `${site.path}.` : ''}${field}` : site.path,
      line: pos.line,
      column: pos.column,
      field,
      message,
    };
    if (site.state !== undefined) problem.state = site.state;
    (severity === 'error' ? this.problems : this.warnings).push(problem);
  }

  node(map: MapNode, key: string): SourceNode | undefined {
    return map.entries.get(key)?.node;
  }

  asMap(node: SourceNode, site: Site, field: string): MapNode | undefined {
    if (node.kind === 'map') return node;
    this.report(node.pos, site, field, 'must be a mapping (an object)');
    return undefined;
  }

  asList(node: SourceNode, site: Site, field: string): SourceNode[] | undefined {
    if (node.kind === 'seq') return node.items;
    this.report(node.pos, site, field, 'must be a list');
    return undefined;
  }

  string(map: MapNode, key: string, site: Site, required: boolean): string | undefined {
    const node = this.node(map, key);
    if (!node) {
      if (required) this.report(map.pos, site, key, 'is required');
      return undefined;
    }
    if (node.kind === 'scalar' && typeof node.value === 'string' && node.value !== '') return node.value;
    this.report(node.pos, site, key, 'must be a non-empty string');
    return undefined;
  }

  /** Bounds of an integer field; a bound that is a documented limit is cited when the value crosses it. */
  integer(map: MapNode, key: string, site: Site, opts: IntegerRule): number | undefined {
    const node = this.node(map, key);
    if (!node) {
      if (opts.required) this.report(map.pos, site, key, 'is required');
      return undefined;
    }
    let value = node.kind === 'scalar' ? node.value : undefined;
    if (opts.asString && typeof value === 'string' && /^\d+$/.test(value)) value = Number(value);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.report(node.pos, site, key, 'must be an integer');
      return undefined;
    }
    const min = typeof opts.min === 'number' ? opts.min : opts.min.value;
    const max = typeof opts.max === 'number' ? opts.max : opts.max.value;
    if (value < min || value > max) {
      const crossed = value < min ? opts.min : opts.max;
      const cited = typeof crossed === 'number' ? '' : `: ${citeLimit(crossed)}`;
      this.report(node.pos, site, key, `must be between ${min} and ${max}, got ${value}${cited}`);
      return undefined;
    }
    return value;
  }

  number(map: MapNode, key: string, site: Site, min: number): number | undefined {
    const node = this.node(map, key);
    if (!node) return undefined;
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
      this.report(node.pos, site, key, 'must be a number');
      return undefined;
    }
    if (node.value < min) {
      this.report(node.pos, site, key, `must be at least ${min}, got ${node.value}`);
      return undefined;
    }
    return node.value;
  }

  /**
   * Warns about every key outside the documented `table` (CloudFlow may refuse what it does not document). `readAnyway`
   * says, per key, what the interpreter still does with it; keys in `reportedElsewhere` already have their own problem.
   */
  undocumentedKeys(map: MapNode, table: DocumentedFields, site: Site, readAnyway: Readonly<Record<string, string>> = {}, reportedElsewhere: readonly string[] = []): void {
    for (const [key, entry] of map.entries) {
      if (table.fields.includes(key) || reportedElsewhere.includes(key)) continue;
      this.report(entry.keyPos, site, key, undocumentedFieldMessage(table, readAnyway[key]), 'warning');
    }
  }

  /** Parses an expression, pointing errors at the character inside the YAML value. `$Item` only where `allowItem`. */
  expression(node: SourceNode, site: Site, field: string, allowOutput: boolean, allowItem = false): CompiledExpression | undefined {
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      this.report(node.pos, site, field, 'must be an expression string (e.g. $Input.status == "Active")');
      return undefined;
    }
    try {
      const compiled = parseExpression(node.value, this.expressionPolicy);
      if (!allowOutput && compiled.variables.has('Output')) {
        this.report(node.pos, site, field, '$Output can only be used in a state\'s OutputConstructor');
        return undefined;
      }
      if (!allowItem && compiled.variables.has('Item')) {
        this.report(node.pos, site, field, "$Item can only be used in a distributed Map's ItemConstructor");
        return undefined;
      }
      return compiled;
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      const singleLine = !node.value.includes('\n');
      const column = node.pos.column + (singleLine ? error.offset + (node.quoted ? 1 : 0) : 0);
      this.report(
        { line: node.pos.line, column },
        site,
        field,
        `invalid expression ${JSON.stringify(node.value)}: ${error.message} (at character ${error.offset + 1})`,
      );
      return undefined;
    }
  }

  /** A constructor: a mapping whose `key.$` entries are expressions and whose other values are literals. */
  template(node: SourceNode, site: Site, field: string, allowOutput: boolean, allowItem = false): Template | undefined {
    if (node.kind !== 'map') {
      this.report(node.pos, site, field, 'must be a mapping (the state data is always a JSON object)');
      return undefined;
    }
    return this.templateValue(node, site, field, allowOutput, allowItem);
  }

  private templateValue(node: SourceNode, site: Site, field: string, allowOutput: boolean, allowItem: boolean): Template | undefined {
    if (node.kind === 'scalar') return { kind: 'literal', value: node.value };
    if (node.kind === 'seq') {
      const items: Template[] = [];
      node.items.forEach((item, i) => {
        const compiled = this.templateValue(item, site, `${field}[${i}]`, allowOutput, allowItem);
        if (compiled) items.push(compiled);
      });
      return simplifyTemplate({ kind: 'array', items });
    }
    const entries: Array<[string, Template]> = [];
    for (const [key, entry] of node.entries) {
      const childField = `${field}.${key}`;
      if (key.endsWith('.$')) {
        const expression = this.expression(entry.node, site, childField, allowOutput, allowItem);
        if (expression) entries.push([key.slice(0, -2), { kind: 'expression', expression }]);
      } else {
        const compiled = this.templateValue(entry.node, site, childField, allowOutput, allowItem);
        if (compiled) entries.push([key, compiled]);
      }
    }
    return simplifyTemplate({ kind: 'object', entries });
  }

  literal(node: SourceNode): ReturnType<typeof toJson> {
    return toJson(node);
  }
}
