import { InvalidInputError } from '../vpc/errors';
import { escapeText } from '../vpc/safe-text';
import { validateRegionId, validateRouterInterfaceId, validateTargetSpec } from '../vpc/validate';
import { MAX_BATCH_CHANGES, RIFLOW_FLOWS, type RiflowFlowName } from './start-requests';

/**
 * The one check of a workflow's input, per flow, before an execution starts: fields are named by their path in
 * the input (`spec`, `changes[3].spec`). Browser-safe (the console bundles it for its input editor).
 */
type Bag = Record<string, unknown>;

const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null && !Array.isArray(value);

function isRiflowFlow(name: string): name is RiflowFlowName {
  return Object.hasOwn(RIFLOW_FLOWS, name);
}

/** One `{regionId, routerInterfaceId, spec}`; `at` is its path (`changes[2]`), empty for the input itself. */
function change(value: unknown, at: string): Bag {
  if (!isBag(value)) throw new InvalidInputError(at || 'input', 'shape', 'must be an object {regionId, routerInterfaceId, spec}');
  const field = (name: string): string => (at ? `${at}.${name}` : name);
  return {
    regionId: validateRegionId(value.regionId, field('regionId')),
    routerInterfaceId: validateRouterInterfaceId(value.routerInterfaceId, field('routerInterfaceId')),
    spec: validateTargetSpec(value.spec, field('spec')),
  };
}

/** The validated input of `flowName` (unknown keys dropped); throws InvalidInputError naming the field and the rule. */
export function validateWorkflowInput(flowName: string, input: unknown): Record<string, unknown> {
  if (!isRiflowFlow(flowName)) {
    throw new InvalidInputError('flow', 'flow', `must be one of ${Object.keys(RIFLOW_FLOWS).join(', ')} (got ${JSON.stringify(escapeText(flowName, 80))})`);
  }
  if (!isBag(input)) throw new InvalidInputError('input', 'shape', 'must be a JSON object');
  const kind = RIFLOW_FLOWS[flowName];
  if (kind === 'single') return change(input, '');
  if (kind === 'interface') {
    return { regionId: validateRegionId(input.regionId), routerInterfaceId: validateRouterInterfaceId(input.routerInterfaceId) };
  }
  const changes = input.changes;
  if (!Array.isArray(changes) || changes.length === 0 || changes.length > MAX_BATCH_CHANGES) {
    throw new InvalidInputError('changes', 'batch', `must be a list of 1 to ${MAX_BATCH_CHANGES} changes`);
  }
  return { changes: changes.map((item, index) => change(item, `changes[${index}]`)) };
}
