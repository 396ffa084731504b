/**
 * The JSON input editor's checks, before anything is sent: the text must be JSON, then the same per-workflow check
 * the server runs (`validateWorkflowInput`). A problem is shown under the editor with its line, and the offending
 * text is selected in the editor, so the error sits at the field.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { validateWorkflowInput } from '../../cloudflow/workflow-input';
import { InvalidInputError } from '../../input-error/invalid-input';

export interface InputProblem {
  /** The field path (`changes[0].spec`), or `input` when the text is not JSON. */
  field: string;
  rule: string;
  message: string;
  /** Where in the text: selected in the editor. */
  offset: number;
  length: number;
  line: number;
}

export type InputCheck = { ok: true; input: Record<string, unknown> } | { ok: false; problem: InputProblem };

/** `changes[3].spec` → ['changes', 3, 'spec']. */
export function fieldPath(field: string): JSONPath {
  const path: JSONPath = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) path.push(Number(match[2]));
    else if (match[1] !== undefined) path.push(match[1]);
  }
  return path;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text[index] === '\n') line += 1;
  return line;
}

/** The node of the field, else of its nearest parent that exists (a required field that is missing). */
function locate(tree: Node, path: JSONPath): Node {
  for (let depth = path.length; depth > 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (node) return node;
  }
  return tree;
}

/** Where a field is in the editor's text (for errors the server reports as well as the page's own). */
export function locateField(text: string, field: string): { offset: number; length: number; line: number } {
  const tree = parseTree(text);
  if (!tree) return { offset: 0, length: 0, line: 1 };
  const node = field === 'input' ? tree : locate(tree, fieldPath(field));
  return { offset: node.offset, length: node.length, line: lineOf(text, node.offset) };
}

export function checkInput(flowName: string, text: string): InputCheck {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const syntax = errors[0];
  if (syntax || !tree) {
    const offset = syntax?.offset ?? 0;
    const what = syntax ? printParseErrorCode(syntax.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'empty';
    return {
      ok: false,
      problem: { field: 'input', rule: 'json', message: `input: not valid JSON (${what})`, offset, length: Math.max(1, syntax?.length ?? 0), line: lineOf(text, offset) },
    };
  }
  const value: unknown = JSON.parse(text);
  try {
    return { ok: true, input: validateWorkflowInput(flowName, value) };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { ok: false, problem: { field: error.field, rule: error.rule, message: error.message, ...locateField(text, error.field) } };
  }
}
