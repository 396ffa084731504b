/**
 * Loads a CloudFlow definition (current spec: `Type: StateMachine`, `SpecVersion: v1`) from YAML or JSON text and
 * validates everything the spec constrains, reporting every problem at once with its line:column.
 */
import { readFile } from 'node:fs/promises';
import { Checker, type MapNode, type Site } from './checker';
import { DOCUMENTED_FIELDS } from './documented-fields';
import { FlowValidationError } from './errors';
import { CLOUDFLOW_LIMITS } from './limits';
import type { Flow } from './model';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from './policy';
import { parseSource } from './source';
import { ScopeChecker } from './validate-states';

export interface LoadFlowOptions {
  /** Shown in messages and kept on the flow. */
  path?: string;
  /** The flow name it will be deployed as; the definition's `Name` must equal it. */
  expectedName?: string;
  policy?: CloudFlowPolicy;
}

/** The flow-level Timeout is not in the current spec; it is still read so that older definitions keep their deadline. */
const READ_ANYWAY = { Timeout: 'the interpreter honours it as the execution deadline (the old FDL had timeoutSeconds)' };
const LEGACY_FDL_MESSAGE =
  'this is the old FDL dialect (version / type: flow / steps), kept by CloudFlow only for compatibility; write the ' +
  'current spec instead: Type: StateMachine, SpecVersion: v1, Name, StartAt and States: [{Type, Name, …}]';

/** Parses and validates; throws `FlowValidationError` listing every problem. */
export function loadFlow(text: string, options: LoadFlowOptions = {}): Flow {
  const policy = options.policy ?? CLOUDFLOW_POLICY;
  const check = new Checker(policy.expressions);
  const parsed = parseSource(text);
  const root: Site = { path: '' };
  for (const error of parsed.errors) check.report(error.pos, root, '', `YAML syntax: ${error.message}`);
  const doc = parsed.root;
  if (!doc || parsed.errors.length > 0) {
    if (!doc && parsed.errors.length === 0) check.report({ line: 1, column: 1 }, root, '', 'the definition is empty');
    throw new FlowValidationError(check.problems, options.path);
  }
  if (doc.kind !== 'map') {
    check.report(doc.pos, root, '', 'the definition must be a mapping with Type, SpecVersion, Name, StartAt and States');
    throw new FlowValidationError(check.problems, options.path);
  }
  if (isLegacyFdl(doc)) {
    const pos = (doc.entries.get('steps') ?? doc.entries.get('version') ?? doc.entries.get('type'))?.keyPos ?? doc.pos;
    check.report(pos, root, 'steps', LEGACY_FDL_MESSAGE);
    throw new FlowValidationError(check.problems, options.path);
  }

  check.undocumentedKeys(doc, DOCUMENTED_FIELDS.flow, root, READ_ANYWAY);
  const type = check.string(doc, 'Type', root, true);
  if (type !== undefined && type !== 'StateMachine') check.report(check.node(doc, 'Type')?.pos ?? doc.pos, root, 'Type', `must be StateMachine, got "${type}"`);
  const version = check.string(doc, 'SpecVersion', root, true);
  if (version !== undefined && version !== 'v1') check.report(check.node(doc, 'SpecVersion')?.pos ?? doc.pos, root, 'SpecVersion', `must be v1, got "${version}"`);
  const name = check.string(doc, 'Name', root, true);
  if (name !== undefined && options.expectedName !== undefined && name !== options.expectedName) {
    check.report(
      check.node(doc, 'Name')?.pos ?? doc.pos,
      root,
      'Name',
      `is "${name}" but the flow is deployed as "${options.expectedName}"; CloudFlow requires them to be equal`,
    );
  }
  const description = check.string(doc, 'Description', root, false);
  const timeoutSeconds = check.integer(doc, 'Timeout', root, { required: false, min: 1, max: CLOUDFLOW_LIMITS.standardExecutionSecondsMax });
  const scope = new ScopeChecker(check, policy).scope(doc as MapNode, root);

  if (check.problems.length > 0) throw new FlowValidationError(sorted(check.problems), options.path, sorted(check.warnings));
  const flow: Flow = { name: name as string, scope, warnings: sorted(check.warnings) };
  if (description !== undefined) flow.description = description;
  if (timeoutSeconds !== undefined) flow.timeoutSeconds = timeoutSeconds;
  if (options.path !== undefined) flow.sourcePath = options.path;
  return flow;
}

export async function loadFlowFile(path: string, options: Omit<LoadFlowOptions, 'path'> = {}): Promise<Flow> {
  return loadFlow(await readFile(path, 'utf8'), { ...options, path });
}

function isLegacyFdl(doc: MapNode): boolean {
  if (doc.entries.has('steps')) return true;
  const type = doc.entries.get('type')?.node;
  if (type?.kind === 'scalar' && type.value === 'flow') return true;
  return doc.entries.has('version') && !doc.entries.has('Type');
}

function sorted<T extends { line: number; column: number }>(problems: T[]): T[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
