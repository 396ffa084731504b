/** YAML or JSON text → a tree that remembers where every key and value was written (1-based line:column). */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { JsonPrimitive, JsonValue } from './json';

export interface Position {
  line: number;
  column: number;
}

export type SourceNode =
  | { kind: 'map'; pos: Position; entries: Map<string, { keyPos: Position; node: SourceNode }> }
  | { kind: 'seq'; pos: Position; items: SourceNode[] }
  | { kind: 'scalar'; pos: Position; value: JsonPrimitive; quoted: boolean };

export interface ParsedSource {
  root?: SourceNode;
  /** YAML syntax errors (duplicate keys included), with positions. */
  errors: Array<{ pos: Position; message: string }>;
}

export function parseSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { pos: { line, column: col }, message: error.message.split('\n')[0] ?? error.message };
  });
  if (errors.length > 0 || doc.contents === null) return { errors };
  const at = (offset: number | undefined): Position => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  return { root: convert(doc.contents as YamlNode, doc, at), errors };
}

function convert(node: YamlNode, doc: Document, at: (offset: number | undefined) => Position): SourceNode {
  if (isAlias(node)) return convert(node.resolve(doc) as YamlNode, doc, at);
  const pos = at(node.range?.[0]);
  if (isMap(node)) {
    const entries = new Map<string, { keyPos: Position; node: SourceNode }>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const keyPos = at(keyNode?.range?.[0]);
      const value = pair.value as YamlNode | null;
      entries.set(key, {
        keyPos,
        node: value ? convert(value, doc, at) : { kind: 'scalar', pos: keyPos, value: null, quoted: false },
      });
    }
    return { kind: 'map', pos, entries };
  }
  if (isSeq(node)) {
    return { kind: 'seq', pos, items: node.items.map((item) => convert(item as YamlNode, doc, at)) };
  }
  if (isScalar(node)) {
    const raw = node.value;
    const value: JsonPrimitive =
      raw === null || raw === undefined || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
        ? (raw ?? null)
        : String(raw);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    return { kind: 'scalar', pos, value, quoted };
  }
  return { kind: 'scalar', pos, value: null, quoted: false };
}

/** The plain JSON value of a node (for literal constructor values). */
export function toJson(node: SourceNode): JsonValue {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toJson);
    case 'map': {
      const result: Record<string, JsonValue> = {};
      for (const [key, entry] of node.entries) result[key] = toJson(entry.node);
      return result;
    }
  }
}
