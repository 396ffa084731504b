import { CLOUDFLOW_LIMITS } from '../flow/limits';
import { InvalidInputError } from '../input-error/invalid-input';
import { escapeText } from '../rpc/safe-text';
import { validateFleetTarget } from '../vpc/fleet-target';
import { validateRegionId, validateRouterInterfaceId, validateTargetSpec } from '../vpc/validate';

/**
 * The input each shipped workflow accepts, checked before anything starts: by the `start` function, by `riflow run`
 * and by the console. Unknown keys are dropped. A refusal is an `InvalidInput` naming the field (`changes[3].spec`)
 * and a stable rule id.
 *
 * The largest batch. An inline Map runs every item inside the parent execution, so all of a batch's events count
 * toward CloudFlow's limit of 5,000 history events per execution. In GetExecutionHistory events (as
 * src/flow/cloudflow-history.ts counts them with CLOUDFLOW_POLICY), one change of `riflow-batch-modify-spec` records
 * at worst 637: IterationEntered/Exited 2; ModifySpec 31 (StepEntered, StepStarted, 9 calls of TaskScheduled +
 * TaskStarted, 8 TaskFailed, TaskSucceeded, StepSucceeded, StepExited: its conflict rule's 8 retries in full); 40
 * polls, the cap, of Wait 4 + Describe 7 + IsActive 4; and the closing Pass 4. We budget no workflow-level retry of
 * a transient error: the handlers retry those themselves within one invocation (4 attempts). The execution itself
 * adds 6 (ExecutionStarted, the Map's four step events, ExecutionSucceeded). So 7 changes fit (4,465 events) and 8
 * would not (5,102). Every state's data stays far below 64 KiB at that size. test/e2e/largest-batch.test.ts runs
 * that worst case and pins these numbers. Larger fleets go to `riflow-fleet-modify-spec`.
 *
 * The fleet. `riflow-fleet-modify-spec` takes `{regionId, spec, select}` (a selector, resolved when the run starts, so
 * the input stays small whatever the fleet's size) or `{regionId, spec, routerInterfaceIds}` (at most
 * `FLEET_LIMITS.maxListedIds`, 2,000: about 28 bytes an id keep the input, and the shards built from it, within
 * CloudFlow's 64 KiB of state data). A selector may match at most `FLEET_LIMITS.maxInterfaces` (10,000); that is
 * checked when the run resolves it (src/vpc/fleet.ts), the only time the count is known. Each shard of 50 is a
 * sub-workflow execution of a distributed Map with its own 5,000 events (test/e2e/fleet.test.ts pins its worst case).
 */
export const BATCH_WORST_CASE_EVENTS = { perChange: 637, perExecution: 6 } as const;

export const MAX_BATCH_CHANGES = Math.floor(
  (CLOUDFLOW_LIMITS.historyEvents.value - BATCH_WORST_CASE_EVENTS.perExecution) / BATCH_WORST_CASE_EVENTS.perChange,
);

/** riflow's five flows (their s.yaml names) and the input each takes. */
export const RIFLOW_FLOWS = {
  'riflow-connect-and-modify-spec': 'single',
  'riflow-modify-spec': 'single',
  'riflow-deactivate': 'interface',
  'riflow-batch-modify-spec': 'batch',
  'riflow-fleet-modify-spec': 'fleet',
} as const;
export type RiflowFlowName = keyof typeof RIFLOW_FLOWS;

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRiflowFlow(name: string): name is RiflowFlowName {
  return Object.hasOwn(RIFLOW_FLOWS, name);
}

/** `prefix` is the change's own path ('' at the top of the input). */
function validateChange(value: unknown, prefix: string): Bag {
  const at = (name: string): string => (prefix === '' ? name : `${prefix}.${name}`);
  if (!isBag(value)) throw new InvalidInputError(prefix === '' ? 'input' : prefix, 'shape', 'must be an object {regionId, routerInterfaceId, spec}');
  return {
    regionId: validateRegionId(value.regionId, at('regionId')),
    routerInterfaceId: validateRouterInterfaceId(value.routerInterfaceId, at('routerInterfaceId')),
    spec: validateTargetSpec(value.spec, at('spec')),
  };
}

function validateChanges(value: unknown, field: string): Bag[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'type', 'must be a list of changes {regionId, routerInterfaceId, spec}');
  if (value.length === 0) throw new InvalidInputError(field, 'batch-size', 'must hold at least one change');
  if (value.length > MAX_BATCH_CHANGES) {
    const { perChange, perExecution } = BATCH_WORST_CASE_EVENTS;
    const limit = CLOUDFLOW_LIMITS.historyEvents;
    throw new InvalidInputError(
      field,
      'batch-size',
      `holds ${value.length} changes; riflow-batch-modify-spec runs at most ${MAX_BATCH_CHANGES} in one execution: CloudFlow allows ` +
        `${limit.value} ${limit.what} (${limit.page}), and in the worst case each change records ${perChange} of them ` +
        `(${MAX_BATCH_CHANGES} changes: ${perExecution} + ${MAX_BATCH_CHANGES} × ${perChange} = ${perExecution + MAX_BATCH_CHANGES * perChange}). ` +
        `Split the changes into batches of at most ${MAX_BATCH_CHANGES}.`,
    );
  }
  return value.map((change, index) => validateChange(change, `${field}[${index}]`));
}

/**
 * The checked input of `flowName` (one of RIFLOW_FLOWS). `path` prefixes every field named in a refusal, for inputs
 * nested in a larger document (the start function passes `event.input`).
 */
export function validateWorkflowInput(flowName: string, input: unknown, path = ''): Record<string, unknown> {
  const at = (name: string): string => (path === '' ? name : `${path}.${name}`);
  if (!isRiflowFlow(flowName)) {
    throw new InvalidInputError(
      at('flow'),
      'flow',
      `must be one of ${Object.keys(RIFLOW_FLOWS).join(', ')} (got ${JSON.stringify(escapeText(flowName, 80))})`,
    );
  }
  if (!isBag(input)) throw new InvalidInputError(path === '' ? 'input' : path, 'shape', 'must be a JSON object');
  switch (RIFLOW_FLOWS[flowName]) {
    case 'single':
      return validateChange(input, path);
    case 'interface':
      return {
        regionId: validateRegionId(input.regionId, at('regionId')),
        routerInterfaceId: validateRouterInterfaceId(input.routerInterfaceId, at('routerInterfaceId')),
      };
    case 'batch':
      return { changes: validateChanges(input.changes, at('changes')) };
    case 'fleet':
      return validateFleetInput(input, at);
  }
}

/** `{regionId, spec, select | routerInterfaceIds}`: one target spec for the whole fleet. */
function validateFleetInput(input: Bag, at: (name: string) => string): Record<string, unknown> {
  const regionId = validateRegionId(input.regionId, at('regionId'));
  const spec = validateTargetSpec(input.spec, at('spec'));
  const target = validateFleetTarget(input, at);
  return { regionId, spec, ...target };
}
