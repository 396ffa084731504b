/**
 * The parts of s.yaml the CLI checks against: which flows are deployed (name and definition file) and which FC
 * functions exist. Values with `${…}` variables are kept as written; the names riflow uses are literal.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { CliError } from './errors';
import { isRecord } from './view/format';

export interface DeployedFlow {
  resource: string;
  name: string;
  definition?: string;
}

export interface ServerlessConfig {
  path: string;
  flows: DeployedFlow[];
  /** FC function names (fc3 `functionName`), e.g. `riflow-describe`. */
  functions: Map<string, { resource: string; code?: string }>;
}

export function readServerlessConfig(path: string): ServerlessConfig {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const config: ServerlessConfig = { path, flows: [], functions: new Map() };
  const resources = isRecord(doc) && isRecord(doc.resources) ? doc.resources : {};
  for (const [resource, value] of Object.entries(resources)) {
    if (!isRecord(value) || !isRecord(value.props)) continue;
    const props = value.props;
    if (value.component === 'fc3' && typeof props.functionName === 'string') {
      config.functions.set(props.functionName, { resource, ...(typeof props.code === 'string' ? { code: props.code } : {}) });
    }
    if ((value.component === 'flow' || value.component === 'fnf') && typeof props.name === 'string') {
      config.flows.push({ resource, name: props.name, ...(typeof props.definition === 'string' ? { definition: props.definition } : {}) });
    }
  }
  return config;
}

/** The flow whose definition is this workflow file (matched by file name: dist/workflows/x.yaml ↔ workflows/x.yaml). */
export function flowForWorkflow(config: ServerlessConfig, workflowPath: string): DeployedFlow | undefined {
  const file = basename(workflowPath);
  return config.flows.find((flow) => flow.definition !== undefined && basename(flow.definition) === file);
}

/** `describe` → `riflow-describe` when only the prefixed name is deployed. */
export function resolveFunctionName(config: ServerlessConfig, name: string): string | undefined {
  if (config.functions.has(name)) return name;
  const prefixed = `riflow-${name}`;
  if (config.functions.has(prefixed)) return prefixed;
  return [...config.functions.entries()].find(([, fn]) => fn.resource === name)?.[0];
}
