/**
 * The distributed-mode fields of a Map (https://www.alibabacloud.com/help/en/serverless-workflow/latest/distributed-mode):
 * `ProcessorConfig.ExecutionMode`, `ItemConstructor` (with `$Item`), `ItemBatcher`, `MaxItems` and the tolerated
 * failures, each checked against its documented limits. `ItemReader` and `ResultWriter` read and write OSS, which the
 * local twin does not have: they are refused, naming the field, so a definition that depends on them never runs
 * locally as if it did not.
 */
import type { Checker, MapNode, Site } from './checker';
import { DOCUMENTED_FIELDS } from './documented-fields';
import { citeLimit, CLOUDFLOW_LIMITS } from './limits';
import type { DistributedMap, ExecutionMode, ItemBatcher, Scope, State } from './model';

const EXECUTION_MODES: readonly ExecutionMode[] = ['Standard', 'Express'];

/** Why ItemReader and ResultWriter are refused (docs/distributed-map.md). */
const NEEDS_OSS = {
  ItemReader: 'reads the items from OSS, which the local twin does not have; give the items with ItemsPath instead',
  ResultWriter: 'writes the sub-executions\' results to OSS, which the local twin does not have; read them from the Map\'s output instead',
} as const;

export function checkDistributedMap(check: Checker, map: MapNode, site: Site, processor: Scope, processorPath: string): DistributedMap {
  for (const [field, why] of Object.entries(NEEDS_OSS)) {
    const entry = map.entries.get(field);
    if (entry) check.report(entry.keyPos, site, field, `is not supported locally: it ${why}`);
  }
  const distributed: DistributedMap = { executionMode: executionMode(check, map, site) };
  const constructorNode = check.node(map, 'ItemConstructor');
  const itemConstructor = constructorNode && check.template(constructorNode, site, 'ItemConstructor', false, true);
  if (itemConstructor) distributed.itemConstructor = itemConstructor;
  const batcher = itemBatcher(check, map, site);
  if (batcher) distributed.itemBatcher = batcher;
  const maxItems = check.integer(map, 'MaxItems', site, { required: false, min: 1, max: CLOUDFLOW_LIMITS.distributedMapMaxItems });
  if (maxItems !== undefined) distributed.maxItems = maxItems;
  const percentage = check.number(map, 'ToleratedFailurePercentage', site, 0);
  if (percentage !== undefined) {
    if (percentage > 100) check.report(check.node(map, 'ToleratedFailurePercentage')?.pos ?? map.pos, site, 'ToleratedFailurePercentage', `must be between 0 and 100, got ${percentage}`);
    else distributed.toleratedFailurePercentage = percentage;
  }
  const count = check.integer(map, 'ToleratedFailureCount', site, { required: false, min: 0, max: Number.MAX_SAFE_INTEGER });
  if (count !== undefined) distributed.toleratedFailureCount = count;
  if (distributed.executionMode === 'Express') checkExpressProcessor(check, processor, processorPath);
  return distributed;
}

function executionMode(check: Checker, map: MapNode, site: Site): ExecutionMode {
  const node = check.node(map, 'ProcessorConfig');
  const config = node && check.asMap(node, site, 'ProcessorConfig');
  if (!config) return 'Standard';
  const configSite = { ...site, path: `${site.path}.ProcessorConfig` };
  check.undocumentedKeys(config, DOCUMENTED_FIELDS.processorConfig, configSite);
  const mode = check.string(config, 'ExecutionMode', configSite, true);
  if (mode === undefined) return 'Standard';
  if (!(EXECUTION_MODES as readonly string[]).includes(mode)) {
    check.report(check.node(config, 'ExecutionMode')?.pos ?? config.pos, configSite, 'ExecutionMode', `must be Standard or Express, got "${mode}"`);
    return 'Standard';
  }
  return mode as ExecutionMode;
}

function itemBatcher(check: Checker, map: MapNode, site: Site): ItemBatcher | undefined {
  const node = check.node(map, 'ItemBatcher');
  const batcherMap = node && check.asMap(node, site, 'ItemBatcher');
  if (!batcherMap) return undefined;
  const batcherSite = { ...site, path: `${site.path}.ItemBatcher` };
  check.undocumentedKeys(batcherMap, DOCUMENTED_FIELDS.itemBatcher, batcherSite);
  const batcher: ItemBatcher = {};
  const maxItems = check.integer(batcherMap, 'MaxItemsPerBatch', batcherSite, { required: false, min: 1, max: CLOUDFLOW_LIMITS.distributedMapMaxItems });
  if (maxItems !== undefined) batcher.maxItemsPerBatch = maxItems;
  // A batch is a sub-execution's input, and no state input may pass 64 KiB.
  const maxBytes = check.integer(batcherMap, 'MaxInputBytesPerBatch', batcherSite, { required: false, min: 1, max: CLOUDFLOW_LIMITS.stateDataBytes });
  if (maxBytes !== undefined) batcher.maxInputBytesPerBatch = maxBytes;
  const inputNode = check.node(batcherMap, 'BatchInput');
  const batchInput = inputNode && check.template(inputNode, batcherSite, 'BatchInput', false);
  if (batchInput) batcher.batchInput = batchInput;
  if (!batcherMap.entries.has('MaxItemsPerBatch') && !batcherMap.entries.has('MaxInputBytesPerBatch')) {
    check.report(batcherMap.pos, batcherSite, 'MaxItemsPerBatch', 'or MaxInputBytesPerBatch is required: an ItemBatcher without either does not say how to batch');
  }
  return batcher;
}

/** Express sub-executions: a Wait of at most 20 s and RequestComplete tasks only, in every nested scope too. */
function checkExpressProcessor(check: Checker, scope: Scope, path: string): void {
  const waitMax = CLOUDFLOW_LIMITS.waitSecondsMaxExpress;
  const visit = (state: State): void => {
    const site = { path: state.path, state: state.name };
    const pos = { line: state.line, column: state.column };
    if (state.type === 'Wait' && typeof state.seconds === 'number' && state.seconds > waitMax.value) {
      check.report(pos, site, 'Seconds', `is ${state.seconds} in an Express sub-workflow (ProcessorConfig.ExecutionMode at ${path}): ${citeLimit(waitMax)}`);
    }
    if (state.type === 'Task' && state.taskMode !== 'RequestComplete') {
      check.report(pos, site, 'TaskMode', `is ${state.taskMode} in an Express sub-workflow (${path}): Express executions run RequestComplete tasks only (${CLOUDFLOW_LIMITS.expressExecutionSecondsMax.page})`);
    }
    if (state.type === 'Parallel') state.branches.forEach((branch) => branch.states.forEach(visit));
    if (state.type === 'Map' && !state.distributed) state.processor.states.forEach(visit);
  };
  scope.states.forEach(visit);
}
