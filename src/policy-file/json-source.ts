/**
 * A JSON file read with its positions, so a reader can say where it broke: the line and column of a syntax error,
 * and of any value a later check refuses. Strict JSON (no comments, no trailing commas), parsed by jsonc-parser.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface Position {
  line: number;
  column: number;
}

export type JsonPath = ReadonlyArray<string | number>;

export interface JsonSource {
  value: unknown;
  /** Where the value at `path` starts (the nearest existing parent when it is absent). */
  positionOf(path: JsonPath): Position;
}

/** The text is not JSON: `position` is where it first breaks. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly position: Position,
  ) {
    super(message);
  }
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** Parses `text`; throws JsonSyntaxError at the first error (an empty text included). */
export function parseJsonSource(text: string): JsonSource {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) throw new JsonSyntaxError(`not valid JSON (${printParseErrorCode(first.error)})`, positionAt(text, first.offset));
  if (!root) throw new JsonSyntaxError('not valid JSON (the file is empty)', { line: 1, column: 1 });
  return {
    value: getNodeValue(root) as unknown,
    positionOf(path) {
      for (let depth = path.length; depth >= 0; depth -= 1) {
        const node = findNodeAtLocation(root, [...path.slice(0, depth)]);
        if (node) return positionAt(text, node.parent?.type === 'property' ? node.parent.offset : node.offset);
      }
      return { line: 1, column: 1 };
    },
  };
}
