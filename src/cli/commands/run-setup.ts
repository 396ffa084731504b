/** Everything `riflow run` decides before anything runs: the workflow, the input, the execution name. */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { isRiflowFlow, validateWorkflowInput } from '../../cloudflow/workflow-input';
import { FlowValidationError } from '../../flow/errors';
import { EXECUTION_NAME_RULE, isExecutionName } from '../../flow/execution-name';
import { loadFlowFile } from '../../flow/loader';
import type { Flow } from '../../flow/model';
import type { CloudFlowPolicy } from '../../flow/policy';
import { readJsonObjectArgument } from '../args';
import { demoInput } from '../demo';
import { CliError, UsageError } from '../errors';
import { InvalidInputError } from '../../input-error/invalid-input';
import { displayPath, findServerlessYaml, historyFile, readServerlessYaml } from '../project';
import { nameTimestamp } from '../view/format';

export async function loadWorkflow(path: string, cwd: string, policy?: CloudFlowPolicy): Promise<Flow> {
  const absolute = resolve(cwd, path);
  const display = displayPath(cwd, path);
  if (!existsSync(absolute)) throw new CliError(`workflow ${display} not found`, 1, 'Give the path of a workflow file, e.g. workflows/connect-and-modify-spec.yaml.');
  try {
    return await loadFlowFile(absolute, policy ? { policy } : {});
  } catch (error) {
    if (error instanceof FlowValidationError) {
      const lines = error.problems.map((p) => `  ${display}:${p.line}:${p.column}${p.state ? ` state "${p.state}"` : ''} ${p.field}: ${p.message}`);
      throw new CliError(`${display} is not a valid workflow:\n${lines.join('\n')}`, 1, `Fix it and check with \`riflow validate ${display}\`.`);
    }
    throw error;
  }
}

export interface InputOptions {
  input?: string;
  demo?: boolean;
  region?: string;
}

export function executionInput(options: InputOptions, cwd: string): Record<string, unknown> {
  let input: Record<string, unknown>;
  if (options.input !== undefined) input = readJsonObjectArgument(options.input, '--input', cwd);
  else if (options.demo) input = { ...demoInput() };
  else throw new UsageError('riflow run: no input; pass --input JSON (or --input @file.json), or --demo for the demo input', 'run');
  if (options.region !== undefined && input.regionId === undefined) input.regionId = options.region;
  if (options.demo && options.region !== undefined && options.input === undefined) input.regionId = options.region;
  return input;
}

/**
 * The input of a shipped workflow (s.yaml names its flow) checked as the start function checks it, so what CloudFlow
 * would refuse, or could not finish within its limits, is refused before anything runs. Other workflows run as given.
 */
export function checkWorkflowInput(workflowPath: string, input: Record<string, unknown>, cwd: string): Record<string, unknown> {
  const sYamlPath = findServerlessYaml(workflowPath, cwd);
  const flow = sYamlPath === undefined ? undefined : readServerlessYaml(sYamlPath).flowForWorkflow(workflowPath);
  if (!flow || !isRiflowFlow(flow.name)) return input;
  try {
    return validateWorkflowInput(flow.name, input);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new CliError(`InvalidInput: ${error.message} [rule: ${error.rule}]`, 1, `Nothing was started: fix the input of ${flow.name}.`);
  }
}

export function executionName(requested: string | undefined, flow: Flow, cwd: string, now: number): string {
  const name = requested ?? `${flow.name}-${nameTimestamp(now)}`;
  if (!isExecutionName(name)) {
    throw new CliError(`--name "${name}" is not a valid execution name`, 1, `Use ${EXECUTION_NAME_RULE}.`);
  }
  if (existsSync(historyFile(cwd, name))) {
    throw new CliError(`an execution named ${name} already exists (${relative(cwd, historyFile(cwd, name))})`, 1, 'Execution names are unique, as in CloudFlow: pick another --name.');
  }
  return name;
}
