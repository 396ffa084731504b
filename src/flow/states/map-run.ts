/**
 * A distributed Map's run (https://www.alibabacloud.com/help/en/serverless-workflow/latest/distributed-mode): the items
 * of ItemsPath (the first MaxItems), each built by ItemConstructor (`$Item`), grouped by ItemBatcher, each item or
 * batch a sub-workflow execution with its own lifecycle, history and limits, at most MaxConcurrency at once. A
 * failed sub-execution fails the Map unless ToleratedFailureCount/ToleratedFailurePercentage allow it; the raw
 * `$Output` is `{Items: [...]}`, one entry per sub-execution (choices: policy.ts `DistributedMapPolicy`).
 */
import { createHash } from 'node:crypto';
import { FlowError } from '../errors';
import type { EvalEnv } from '../expression/ast';
import type { Builder } from '../expression/template';
import type { MapRunCounts } from '../history';
import type { JsonObject, JsonValue } from '../json';
import { citeLimit, CLOUDFLOW_LIMITS } from '../limits';
import type { DistributedMap, Flow, ItemBatcher, MapState } from '../model';
import { abortReason, checkStateData, emitIn, type ScopeRun, type SubExecutionHandle, type SubExecutionResult } from '../runtime';
import type { Compiler, Visit } from './unit';

export type DistributedMapState = MapState & { distributed: DistributedMap };

/** One sub-execution to start: its input and how many items it carries. */
interface Unit {
  input: JsonObject;
  items: number;
}

const childFlows = new WeakMap<MapState, Flow>();

/** The distributed Map's constructors, compiled once with the state. */
interface MapRunBuilders {
  item: Builder | undefined;
  batchInput: Builder | undefined;
}

/** A map run: runs it to its end and returns the Map's raw `$Output`. */
export type MapRun = (input: JsonObject, visit: Visit, run: ScopeRun) => Promise<JsonObject>;

export function prepareMapRun(state: DistributedMapState, compiler: Compiler): MapRun {
  const { itemConstructor, itemBatcher } = state.distributed;
  const builders: MapRunBuilders = {
    item: itemConstructor && compiler.template(itemConstructor),
    batchInput: itemBatcher?.batchInput && compiler.template(itemBatcher.batchInput),
  };
  return (input, visit, run) => runMapRun(state, builders, input, visit, run);
}

async function runMapRun(state: DistributedMapState, builders: MapRunBuilders, input: JsonObject, visit: Visit, run: ScopeRun): Promise<JsonObject> {
  const { runtime } = run;
  const { policy } = runtime;
  const units = unitsOf(state, builders, input, visit, run);
  const openLimit = CLOUDFLOW_LIMITS.distributedMapOpenRuns;
  if (runtime.mapRuns.open + 1 > openLimit.value) {
    throw new FlowError(policy.distributedMap.errorNames.quotaExceeded, `${state.name}: ${runtime.mapRuns.open} map runs are open already: ${citeLimit(openLimit)}`);
  }
  const started = (runtime.mapRuns.started.get(state.name) ?? 0) + 1;
  runtime.mapRuns.started.set(state.name, started);
  const mapRunName = createHash('md5').update(JSON.stringify([runtime.executionName, state.name, started])).digest('hex');
  const { distributed } = state;
  const itemTotal = units.reduce((sum, unit) => sum + unit.items, 0);
  emitIn(run, {
    type: 'MapRunStarted',
    state: state.name,
    mapRunName,
    items: itemTotal,
    executions: units.length,
    maxConcurrency: state.maxConcurrency,
    ...(distributed.toleratedFailureCount === undefined ? {} : { toleratedFailureCount: distributed.toleratedFailureCount }),
    ...(distributed.toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage: distributed.toleratedFailurePercentage }),
  });
  runtime.mapRuns.open += 1;
  try {
    return await runUnits(state, units, mapRunName, itemTotal, run);
  } finally {
    runtime.mapRuns.open -= 1;
  }
}

async function runUnits(state: DistributedMapState, units: Unit[], mapRunName: string, itemTotal: number, run: ScopeRun): Promise<JsonObject> {
  const { runtime } = run;
  const { policy } = runtime;
  const flow = childFlow(state, runtime.flow);
  const results: JsonValue[] = new Array<JsonValue>(units.length);
  const executions = emptyCounts(units.length);
  const items = emptyCounts(itemTotal);
  const running = new Set<SubExecutionHandle>();
  let exceeded: FlowError | undefined;
  let next = 0;
  const stopAll = (reason: string): void => {
    for (const handle of running) handle.stop(reason);
  };
  const onParentAbort = (): void => stopAll(abortReason(run.stopper.signal).message);
  run.stopper.signal.addEventListener('abort', onParentAbort, { once: true });

  const worker = async (): Promise<void> => {
    while (next < units.length && !exceeded && !run.stopper.signal.aborted) {
      const index = next++;
      const unit = units[index] as Unit;
      const handle = runtime.startSubExecution({
        flow,
        name: childName(runtime.executionName, mapRunName, index),
        input: unit.input,
        parent: { execution: runtime.executionName, flow: runtime.flow.name, state: state.name, mapRunName, index, items: unit.items },
        mode: state.distributed.executionMode,
      });
      running.add(handle);
      const result = await handle.result;
      running.delete(handle);
      results[index] = outcomeOf(result);
      const ended = result.status === 'Succeeded' ? 'succeeded' : exceeded || run.stopper.signal.aborted ? 'aborted' : 'failed';
      executions[ended] += 1;
      items[ended] += unit.items;
      if (ended === 'failed' && !exceeded && toleranceExceeded(state.distributed, policy.distributedMap.countFailures === 'items' ? items : executions)) {
        const counted = policy.distributedMap.countFailures === 'items' ? `${items.failed} of ${items.total} items` : `${executions.failed} of ${executions.total} sub-executions`;
        exceeded = new FlowError(
          policy.distributedMap.errorNames.toleranceExceeded,
          `${state.name}: ${counted} failed, more than ${tolerance(state.distributed)} allow; ${handle.name} ended ${result.status}` +
            `${result.error ? ` with ${result.error}` : ''}${result.cause ? `: ${result.cause}` : ''}`,
        );
        stopAll(`${state.name}: the map run failed (${counted} failed)`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(state.maxConcurrency, units.length) }, worker));
  } finally {
    run.stopper.signal.removeEventListener('abort', onParentAbort);
  }
  const notStarted = units.slice(next);
  executions.aborted += notStarted.length;
  items.aborted += notStarted.reduce((sum, unit) => sum + unit.items, 0);
  const status = run.stopper.signal.aborted ? 'Aborted' : exceeded ? 'Failed' : 'Succeeded';
  emitIn(run, { type: 'MapRunEnded', state: state.name, mapRunName, status, executions, items });
  if (run.stopper.signal.aborted) throw abortReason(run.stopper.signal);
  if (exceeded) throw exceeded;
  return { Items: results };
}

/** The items of ItemsPath, the first MaxItems, built and batched into the sub-executions' inputs (each checked). */
function unitsOf(state: DistributedMapState, builders: MapRunBuilders, input: JsonObject, visit: Visit, run: ScopeRun): Unit[] {
  const { runtime } = run;
  const { policy } = runtime;
  const { distributed } = state;
  const all = state.itemsPath.evaluate(input, undefined, visit);
  if (!Array.isArray(all)) {
    throw new FlowError(policy.errorNames.invalidStateData, `${state.name}: ItemsPath (${state.itemsPath.source}) must give an array`);
  }
  const items = distributed.maxItems === undefined ? all : all.slice(0, distributed.maxItems);
  const itemLimit = CLOUDFLOW_LIMITS.distributedMapMaxItems;
  if (items.length > itemLimit.value) {
    throw new FlowError(
      policy.distributedMap.errorNames.quotaExceeded,
      `${state.name}: ItemsPath (${state.itemsPath.source}) gives ${items.length} items: ${citeLimit(itemLimit)}; set MaxItems or split the items`,
    );
  }
  const constructor = builders.item;
  const built: JsonValue[] = constructor
    ? items.map((item, i) => checkStateData(constructor(input, undefined, new ItemEnv(visit, item)), policy, `${state.name}: ItemConstructor result for item ${i}`))
    : items;
  if (distributed.itemBatcher) return batches(state, distributed.itemBatcher, builders.batchInput, built, input, visit, run);
  return built.map((item, i) => ({
    input: checkStateData(item, policy, `${state.name}: item ${i} (a sub-execution's input)`, policy.errorNames.invalidStateData),
    items: 1,
  }));
}

/** `{Items: [...], BatchInput?}` batches, each within MaxItemsPerBatch items and MaxInputBytesPerBatch bytes. */
function batches(
  state: DistributedMapState,
  batcher: ItemBatcher,
  batchInputBuilder: Builder | undefined,
  items: JsonValue[],
  input: JsonObject,
  visit: Visit,
  run: ScopeRun,
): Unit[] {
  const { policy } = run.runtime;
  const batchInput = batchInputBuilder?.(input, undefined, visit);
  const maxItems = batcher.maxItemsPerBatch ?? Number.POSITIVE_INFINITY;
  const maxBytes = Math.min(batcher.maxInputBytesPerBatch ?? Number.POSITIVE_INFINITY, CLOUDFLOW_LIMITS.stateDataBytes.value);
  const empty: JsonObject = batchInput === undefined ? { Items: [] } : { Items: [], BatchInput: batchInput };
  const emptyBytes = exactBytes(empty);
  const units: Unit[] = [];
  let batch: JsonValue[] = [];
  let bytes = emptyBytes;
  const close = (): void => {
    if (batch.length === 0) return;
    const unit: JsonObject = batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput };
    units.push({ input: checkStateData(unit, policy, `${state.name}: batch ${units.length} (a sub-execution's input)`), items: batch.length });
    batch = [];
    bytes = emptyBytes;
  };
  items.forEach((item, i) => {
    const itemBytes = exactBytes(item);
    if (emptyBytes + itemBytes > maxBytes) {
      const bound = batcher.maxInputBytesPerBatch === undefined ? citeLimit(CLOUDFLOW_LIMITS.stateDataBytes) : `MaxInputBytesPerBatch (${batcher.maxInputBytesPerBatch})`;
      throw new FlowError(policy.errorNames.dataSizeExceeded, `${state.name}: item ${i} makes a batch of ${emptyBytes + itemBytes} bytes on its own, above ${bound}`);
    }
    // A comma before every item but the first.
    if (batch.length >= maxItems || (batch.length > 0 && bytes + 1 + itemBytes > maxBytes)) close();
    bytes += itemBytes + (batch.length > 0 ? 1 : 0);
    batch.push(item);
  });
  close();
  return units;
}

/** The visit's environment with `$Item` set: what an ItemConstructor sees. */
class ItemEnv implements EvalEnv {
  constructor(
    private readonly visit: Visit,
    readonly item: JsonValue,
  ) {}

  get context(): JsonObject {
    return this.visit.context;
  }

  get random(): () => number {
    return this.visit.random;
  }

  get policy(): EvalEnv['policy'] {
    return this.visit.policy;
  }

  get errorName(): string {
    return this.visit.errorName;
  }
}

/** UTF-8 bytes of the value's JSON text (batches are cut to the byte). */
function exactBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** The Processor as a flow of its own, under the parent's flow name (built once per Map state). */
function childFlow(state: MapState, parent: Flow): Flow {
  let flow = childFlows.get(state);
  if (!flow) {
    flow = { name: parent.name, scope: state.processor, warnings: [], ...(parent.sourcePath === undefined ? {} : { sourcePath: parent.sourcePath }) };
    childFlows.set(state, flow);
  }
  return flow;
}

const NAME_MAX = 128;

/** `<parent>-<first 8 of MapRunName>-<index>`, the parent part shortened so the whole stays a valid execution name. */
export function childName(parent: string, mapRunName: string, index: number): string {
  const suffix = `-${mapRunName.slice(0, 8)}-${index}`;
  return `${parent.slice(0, NAME_MAX - suffix.length)}${suffix}`;
}

function outcomeOf(result: SubExecutionResult): JsonValue {
  if (result.status === 'Succeeded') return result.output ?? {};
  return { Error: { Code: result.error ?? result.status, Detail: result.cause ?? '' } };
}

function emptyCounts(total: number): MapRunCounts {
  return { total, succeeded: 0, failed: 0, aborted: 0 };
}

/** Neither field: no failure is tolerated. Either or both: the run fails once one of them is passed. */
function toleranceExceeded(distributed: DistributedMap, counts: MapRunCounts): boolean {
  const { toleratedFailureCount: count, toleratedFailurePercentage: percentage } = distributed;
  if (count === undefined && percentage === undefined) return counts.failed > 0;
  return (count !== undefined && counts.failed > count) || (percentage !== undefined && counts.failed * 100 > percentage * counts.total);
}

function tolerance(distributed: DistributedMap): string {
  const { toleratedFailureCount: count, toleratedFailurePercentage: percentage } = distributed;
  const parts = [count === undefined ? undefined : `ToleratedFailureCount ${count}`, percentage === undefined ? undefined : `ToleratedFailurePercentage ${percentage}`];
  const given = parts.filter((part): part is string => part !== undefined);
  return given.length === 0 ? 'no ToleratedFailureCount or ToleratedFailurePercentage' : given.join(' and ');
}

/** Whether a Map runs in distributed mode. */
export function isDistributed(state: MapState): state is DistributedMapState {
  return state.distributed !== undefined;
}
