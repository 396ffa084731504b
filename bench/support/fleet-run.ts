/**
 * One night of riflow-fleet-modify-spec, measured: a fleet of connected pairs whose initiators carry the fleet's tag,
 * the emulator over loopback HTTP with random faults and the VPC API's quotas, the real handler bundles, and the
 * interpreter running the shipped workflow with every sub-workflow execution measured as it runs. All on one
 * VirtualClock: a five-minute spec change costs no real time. Used by the fleet benchmark and the fleet end-to-end
 * test (which asserts what the benchmark reports). Needs `node scripts/build.mjs` first.
 */
import { join } from 'node:path';
import { holdTimeDuringTasks, VirtualClock } from '../../src/flow/clock';
import { startExecution, type SubExecutionHost } from '../../src/flow/execution';
import type { HistoryEvent } from '../../src/flow/history';
import type { JsonValue } from '../../src/flow/json';
import { loadFlowFile } from '../../src/flow/loader';
import { connectedPairsSeed, DEMO_REGION, handlerEnvironment, startEmulator, type EmulatorConfigPatch, type FaultRule, type SeedDocument } from '../../src/emulator/index';
import { createLocalFc } from '../../src/local-fc/runtime';
import { createFcTaskInvoker } from '../../src/local-fc/task-invoker';

const ROOT = join(import.meta.dirname, '..', '..');
const FLEET_TAG = { key: 'riflow-fleet', value: 'office-links' } as const;

/** The handlers' own retries run on real timers: off, so every retry is the workflow's, on the virtual clock. */
const HANDLER_ENV = { RIFLOW_CLIENT_MAX_ATTEMPTS: '1', RIFLOW_HANDLER_LOG: 'off' } as const;

export interface FleetRunOptions {
  /** Interfaces to change: each the initiator of a connected pair, tagged with the fleet's tag. */
  interfaces: number;
  /** The acceptors carry the tag too: the selector matches them, and the fleet leaves them out (`excluded`). */
  tagAcceptors?: boolean;
  /** The first this many pairs connect to cn-shanghai (where the Mini specs are not offered). */
  crossRegion?: number;
  /** Share of every VPC call that fails: half answered 503 ServiceUnavailable, a quarter dropped before the action
   * runs, a quarter (of ModifyRouterInterfaceSpec) applied and then its answer lost. */
  faultRate: number;
  /** How long each spec change takes (Activating → Active), in virtual ms. */
  changeMs: number;
  spec: string;
  /** Seed of the emulator's random source (faults). */
  seed: number;
  /** Fault rules instead of `faultRate`'s. */
  faults?: FaultRule[];
  /** Emulator configuration besides the transitions (e.g. lower `rateLimits` to make throttling heavier). */
  config?: Omit<EmulatorConfigPatch, 'transitions' | 'preset'>;
  /** Sample the heap every few milliseconds of real time (the benchmark's memory per interface). */
  sampleHeap?: boolean;
}

export interface ExecutionMeasure {
  name: string;
  status: string;
  /** As GetExecutionHistory would count them (held against 5,000). */
  historyEvents: number;
  /** The largest state input, output or task parameters it recorded (bytes of JSON). */
  largestPayloadBytes: number;
}

export interface FleetRunResult {
  parent: ExecutionMeasure & { output?: Record<string, unknown>; error?: string; cause?: string };
  children: ExecutionMeasure[];
  /** Interfaces at the target spec and Active at the end. */
  atTarget: number;
  /** Spec changes the emulator applied, per interface (a ClientToken's repeat applies nothing). */
  applied: Record<string, number>;
  apiCalls: Record<string, number>;
  throttles: number;
  faultsInjected: number;
  simulatedMs: number;
  wallMs: number;
  /** Most heap in use while the fleet ran, above what it was before (sampled). */
  peakHeapBytes: number;
  initiators: string[];
}

/** `pairs` connected pairs at Small.1 whose initiators (and acceptors, with `tagAcceptors`) carry the fleet's tag;
 * the first `crossRegion` pairs reach cn-shanghai. */
export function fleetSeed(pairs: number, tagAcceptors = false, crossRegion = 0): { seed: SeedDocument; initiators: string[] } {
  const built = connectedPairsSeed(pairs);
  const interfaces = built.seed.interfaces ?? [];
  for (const ri of interfaces) {
    if (tagAcceptors || ri.role === 'InitiatingSide') ri.tags = { [FLEET_TAG.key]: FLEET_TAG.value };
  }
  for (const initiator of built.initiators.slice(0, crossRegion)) {
    const ri = interfaces.find((item) => item.routerInterfaceId === initiator);
    const acceptor = interfaces.find((item) => item.routerInterfaceId === ri?.oppositeInterfaceId);
    const router = built.seed.routers.find((item) => item.id === acceptor?.routerId);
    if (!ri || !acceptor || !router) continue;
    ri.oppositeRegionId = 'cn-shanghai';
    Object.assign(acceptor, { regionId: 'cn-shanghai', oppositeRegionId: DEMO_REGION });
    router.regionId = 'cn-shanghai';
  }
  return built;
}

/** Rules that fail `rate` of the calls of every action (each rule draws in turn; the first hit applies). */
function randomFaults(rate: number): FaultRule[] {
  if (rate <= 0) return [];
  // The i-th rule draws only for calls the rules before it let through: p_i = share_i × rate / (1 − rate taken so far).
  const chained = (shares: Array<[number, Omit<FaultRule, 'probability' | 'action'>]>, action: string): FaultRule[] => {
    let taken = 0;
    return shares.map(([share, rule]) => {
      const probability = (share * rate) / (1 - taken);
      taken += share * rate;
      return { ...rule, action, probability };
    });
  };
  const unavailable = { error: { code: 'ServiceUnavailable', status: 503, message: 'The request has failed due to a temporary failure of the server.' } };
  return [
    ...chained([[0.25, { afterApply: 'drop' }], [0.5, unavailable], [0.25, { drop: true }]], 'ModifyRouterInterfaceSpec'),
    ...chained([[0.5 / 0.75, unavailable], [0.25 / 0.75, { drop: true }]], '*'),
  ];
}

function payloadBytes(value: JsonValue | undefined): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function largestPayloadOf(event: HistoryEvent): number {
  let largest = 0;
  if ('input' in event) largest = Math.max(largest, payloadBytes(event.input));
  if ('output' in event) largest = Math.max(largest, payloadBytes(event.output));
  if (event.type === 'TaskScheduled') largest = Math.max(largest, payloadBytes(event.parameters));
  return largest;
}

export async function runFleet(options: FleetRunOptions): Promise<FleetRunResult> {
  // The heap counted includes the emulator's state for the fleet (seeded below) as well as the run's own.
  const heap = sampleHeap(options.sampleHeap === true);
  const { seed, initiators } = fleetSeed(options.interfaces, options.tagAcceptors, options.crossRegion);
  const clock = new VirtualClock();
  const emulator = await startEmulator({
    clock,
    seed,
    random: mulberry32(options.seed),
    faults: options.faults ?? randomFaults(options.faultRate),
    config: { preset: 'fast', transitions: { Activating: { mode: 'delay', ms: options.changeMs } }, callLogLimit: options.interfaces * 20 + 10_000, ...options.config },
  });
  try {
    const invoker = createFcTaskInvoker(
      createLocalFc({
        sYamlPath: join(ROOT, 's.yaml'),
        variables: handlerEnvironment(emulator.url, emulator.credentials),
        credentials: emulator.credentials,
        environment: HANDLER_ENV,
        log: () => undefined,
      }),
    );
    const flow = await loadFlowFile(join(ROOT, 'workflows', 'fleet-modify-spec.yaml'));
    const children: ExecutionMeasure[] = [];
    const host: SubExecutionHost = (request, start) => {
      let largest = 0;
      const handle = start({ onEvent: (event) => (largest = Math.max(largest, largestPayloadOf(event))) });
      void handle.result.then((result) => children.push({ name: result.name, status: result.status, historyEvents: result.historyEvents, largestPayloadBytes: largest }));
      return handle;
    };
    let parentLargest = 0;
    const wallStart = performance.now();
    const simulatedStart = clock.now();
    const handle = startExecution(flow, { regionId: DEMO_REGION, spec: options.spec, select: { tag: FLEET_TAG } }, {
      name: 'nightly-downgrade-2026-11-24T14-00-00Z',
      invokeTask: holdTimeDuringTasks(invoker, clock),
      clock,
      subExecutions: host,
      onEvent: (event) => (parentLargest = Math.max(parentLargest, largestPayloadOf(event))),
    });
    const result = await handle.result;
    const wallMs = performance.now() - wallStart;
    const peakHeapBytes = heap.stop();
    const calls = emulator.control.calls();
    const apiCalls: Record<string, number> = {};
    for (const call of calls) apiCalls[call.action] = (apiCalls[call.action] ?? 0) + 1;
    const byId = new Map(emulator.control.state().interfaces.map((ri) => [ri.routerInterfaceId, ri]));
    return {
      parent: {
        name: result.name,
        status: result.status,
        historyEvents: result.historyEvents,
        largestPayloadBytes: parentLargest,
        ...(result.output ? { output: result.output } : {}),
        ...(result.error ? { error: result.error } : {}),
        ...(result.cause ? { cause: result.cause } : {}),
      },
      children: children.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
      atTarget: initiators.filter((id) => byId.get(id)?.spec === options.spec && byId.get(id)?.status === 'Active').length,
      applied: emulator.control.appliedSpecChanges(),
      apiCalls,
      throttles: calls.filter((call) => call.code?.startsWith('Throttling')).length,
      faultsInjected: calls.filter((call) => call.faultId !== undefined).length,
      simulatedMs: clock.now() - simulatedStart,
      wallMs,
      peakHeapBytes,
      initiators,
    };
  } finally {
    heap.stop();
    await emulator.stop();
  }
}

/** Heap in use above the starting point, sampled every 5 ms of real time. */
function sampleHeap(enabled: boolean): { stop(): number } {
  if (!enabled) return { stop: () => 0 };
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed - base)), 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().heapUsed - base);
    },
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
