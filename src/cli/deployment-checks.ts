/**
 * Checks of a workflow against the s.yaml that deploys it: `Name` is a deployed flow name (the one whose definition
 * is this file, when there is one) and every FC:InvokeFunction ARN names an fc3 function. Positions come from the
 * YAML source so problems read like the loader's.
 */
import type { ValidationProblem } from '../flow/errors';
import { parseSource, type SourceNode } from '../flow/source';
import { parseFunctionArn } from '../local-fc/function-arn';
import type { SYaml } from '../serverless/s-yaml';

type MapNode = Extract<SourceNode, { kind: 'map' }>;

function entry(node: SourceNode | undefined, key: string) {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

function scalarText(node: SourceNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** Every state map in a scope, nested Parallel branches and Map processors included, with its path. */
function* statesOf(scope: SourceNode | undefined, path: string): Generator<{ state: MapNode; path: string }> {
  const states = entry(scope, 'States')?.node;
  if (states?.kind !== 'seq') return;
  for (const [index, state] of states.items.entries()) {
    if (state.kind !== 'map') continue;
    const statePath = `${path}States[${index}]`;
    yield { state, path: statePath };
    const branches = entry(state, 'Branches')?.node;
    if (scalarText(entry(state, 'Type')?.node) === 'Parallel' && branches?.kind === 'seq') {
      for (const [b, branch] of branches.items.entries()) yield* statesOf(branch, `${statePath}.Branches[${b}].`);
    }
    const processor = entry(state, 'Processor')?.node;
    if (processor) yield* statesOf(processor, `${statePath}.Processor.`);
  }
}

/** `deployment.display` names the s.yaml in messages. */
export function checkAgainstDeployment(text: string, workflowPath: string, deployment: { sYaml: SYaml; display: string }): ValidationProblem[] {
  const root = parseSource(text).root;
  if (!root) return [];
  const { sYaml, display } = deployment;
  const problems: ValidationProblem[] = [];
  const deployed = sYaml.flowForWorkflow(workflowPath);
  const nameEntry = entry(root, 'Name');
  const name = scalarText(nameEntry?.node);
  const flowNames = sYaml.flows.map((flow) => flow.name);
  if (nameEntry && name !== undefined) {
    const expected = deployed?.name;
    const where = { path: 'Name', line: nameEntry.node.pos.line, column: nameEntry.node.pos.column, field: 'Name' };
    if (expected !== undefined && name !== expected) {
      problems.push({ ...where, message: `is "${name}" but ${display} deploys this file as "${expected}" (resource ${deployed?.resource}); CloudFlow requires them to be equal` });
    } else if (expected === undefined && !flowNames.includes(name)) {
      problems.push({ ...where, message: `"${name}" is not a flow deployed by ${display} (deployed: ${flowNames.join(', ') || 'none'})` });
    }
  }
  for (const { state, path } of statesOf(root, '')) {
    if (scalarText(entry(state, 'Action')?.node) !== 'FC:InvokeFunction') continue;
    const arnEntry = entry(entry(state, 'Parameters')?.node, 'resourceArn');
    const arn = scalarText(arnEntry?.node);
    if (!arnEntry || arn === undefined) continue;
    const functionName = parseFunctionArn(arn)?.functionName;
    const stateName = scalarText(entry(state, 'Name')?.node);
    const base = {
      path: `${path}.Parameters.resourceArn`,
      line: arnEntry.node.pos.line,
      column: arnEntry.node.pos.column,
      field: 'Parameters.resourceArn',
      ...(stateName ? { state: stateName } : {}),
    };
    if (functionName === undefined) {
      problems.push({ ...base, message: `"${arn}" is not a function ARN (expected acs:fc:<region>:<account>:functions/<name>/<qualifier>)` });
    } else if (!sYaml.declaredFunction(functionName)) {
      const known = sYaml.functions.map((fn) => fn.functionName).join(', ') || 'none';
      problems.push({ ...base, message: `function "${functionName}" is not in ${display} (functions: ${known})` });
    }
  }
  return problems;
}
