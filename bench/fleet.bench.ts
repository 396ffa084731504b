/**
 * A night of riflow-fleet-modify-spec (bench/support/fleet-run.ts): 1,000 interfaces, each spec change taking five
 * minutes, 10% of VPC calls failing at random, the VPC API's quotas; then the same with quotas a fifth as large, so
 * throttling has to be absorbed; then the curve at 100, 1,000 and 10,000 interfaces. Everything runs the shipped
 * workflow, the real handler bundles and the emulator over HTTP on a virtual clock.
 */
import { runFleet, type FleetRunResult, type FleetRunOptions } from './support/fleet-run';
import { CLOUDFLOW_LIMITS } from '../src/flow/limits';
import { median, type Benchmark, type BenchTable } from './types';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const FIVE_MINUTES = 300_000;
const NIGHT: FleetRunOptions = { interfaces: 1_000, faultRate: 0.1, changeMs: FIVE_MINUTES, spec: 'Large.1', seed: 2026 };
const CURVE = [100, 1_000, 10_000];
/** Repetitions per size of the curve (the 10,000 run takes about half a minute on 2 cores). */
const REPETITIONS: Record<number, number> = { 100: 3, 1_000: 3, 10_000: 2 };

/** A full GC before each run, so one run's garbage is not counted in the next one's peak heap (as bench/emulator.bench.ts does). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Checked {
  converged: boolean;
  appliedOnce: boolean;
  withinLimits: boolean;
  largestEvents: number;
  largestPayload: number;
}

function check(run: FleetRunResult, interfaces: number): Checked {
  const executions = [run.parent, ...run.children];
  const largestEvents = Math.max(...run.children.map((child) => child.historyEvents));
  const largestPayload = Math.max(...executions.map((execution) => execution.largestPayloadBytes));
  const applied = Object.values(run.applied);
  return {
    converged: run.parent.status === 'Succeeded' && run.atTarget === interfaces && (run.parent.output?.failed ?? -1) === 0,
    appliedOnce: applied.length === interfaces && applied.every((count) => count === 1),
    withinLimits: executions.every((e) => e.historyEvents <= CLOUDFLOW_LIMITS.historyEvents.value && e.largestPayloadBytes < CLOUDFLOW_LIMITS.stateDataBytes.value),
    largestEvents,
    largestPayload,
  };
}

const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function nightRows(label: string, run: FleetRunResult, checked: Checked): Array<Array<string | number>> {
  return [
    [label, 'interfaces at the target spec and Active', `${run.atTarget} of ${run.initiators.length}`],
    [label, 'spec changes applied, per interface (emulator count)', checked.appliedOnce ? 'exactly 1 each' : 'NOT once each'],
    [label, 'sub-workflow executions (shards of 50)', `${run.children.length}, all ${run.children.every((c) => c.status === 'Succeeded') ? 'Succeeded' : 'NOT Succeeded'}`],
    [label, 'history events: parent / largest shard (limit 5,000 each)', `${run.parent.historyEvents} / ${checked.largestEvents}`],
    [label, 'largest state data: parent / any shard (limit 64 KiB)', `${kib(run.parent.largestPayloadBytes)} / ${kib(Math.max(...run.children.map((c) => c.largestPayloadBytes)))}`],
    [label, 'VPC API calls: Describe / Modify', `${run.apiCalls.DescribeRouterInterfaces ?? 0} / ${run.apiCalls.ModifyRouterInterfaceSpec ?? 0}`],
    [label, 'Throttling.User answers / faults injected', `${run.throttles} / ${run.faultsInjected}`],
    [label, 'simulated duration / local wall time', `${minutes(run.simulatedMs)} / ${seconds(run.wallMs)}`],
  ];
}

async function night(): Promise<BenchTable> {
  const documented = await runFleet(NIGHT);
  const tight = await runFleet({ ...NIGHT, config: { rateLimits: { DescribeRouterInterfaces: { capacity: 60 }, ModifyRouterInterfaceSpec: { capacity: 60 } } } });
  const checks = [check(documented, NIGHT.interfaces), check(tight, NIGHT.interfaces)];
  return {
    title: 'A 1,000-interface night (riflow-fleet-modify-spec)',
    method:
      'The shipped fleet workflow run by the interpreter with the real handler bundles against the emulator over HTTP, on a virtual clock: 1,000 connected pairs whose initiators carry the ' +
      'fleet tag, selected by it; every Small.1 → Large.1 change takes 5 minutes (Activating); 10% of VPC calls fail at random (half 503, a quarter dropped, a quarter of the modifies applied with the ' +
      'answer lost); quotas as documented (300 calls per 60 s per API), then at a fifth of that (60 per 60 s for Describe and Modify) so that throttling must be absorbed. One run each; the seed is fixed.',
    columns: ['run', 'what', 'figure'],
    rows: [...nightRows('quotas as documented', documented, checks[0] as Checked), ...nightRows('quotas at a fifth', tight, checks[1] as Checked)],
    target: 'every interface at its target spec, each change applied once, every execution (parent and each shard) within 5,000 events and 64 KiB, no interface failed by throttling',
    met: checks.every((c) => c.converged && c.appliedOnce && c.withinLimits),
    notes: [
      'Describe calls grow with shards and polls, not interfaces: a shard reads its 50 interfaces with one describe and polls them with one describe per poll; the first wave of shards starts 12 s apart.',
      'Modify calls above 1,000 are the faults’ retries; the ClientToken of each (derived from the shard’s execution name) makes the emulator apply each change once (its applied-change count, not the requests).',
    ],
  };
}

async function curve(): Promise<BenchTable> {
  const measured: Array<{ interfaces: number; wallMs: number; peakHeap: number; ok: boolean; simulatedMs: number }> = [];
  for (const interfaces of CURVE) {
    const walls: number[] = [];
    const heaps: number[] = [];
    let ok = true;
    let simulatedMs = 0;
    for (let rep = 0; rep < (REPETITIONS[interfaces] ?? 1); rep++) {
      collectGarbage();
      const run = await runFleet({ ...NIGHT, interfaces, sampleHeap: true });
      const checked = check(run, interfaces);
      ok &&= checked.converged && checked.appliedOnce && checked.withinLimits;
      walls.push(run.wallMs);
      heaps.push(run.peakHeapBytes);
      simulatedMs = run.simulatedMs;
    }
    measured.push({ interfaces, wallMs: median(walls), peakHeap: median(heaps), ok, simulatedMs });
  }
  const perWall = (m: (typeof measured)[number]) => m.wallMs / m.interfaces;
  const perHeap = (m: (typeof measured)[number]) => m.peakHeap / m.interfaces;
  // Growth from one size to the next (10 times the interfaces): linear is 10; fixed costs make it less.
  const growth = measured.map((m, i) => {
    const previous = measured[i - 1];
    return previous ? { wall: m.wallMs / previous.wallMs, heap: m.peakHeap / previous.peakHeap, size: m.interfaces / previous.interfaces } : undefined;
  });
  const linear = growth.every((g) => g === undefined || (g.wall <= 1.5 * g.size && g.heap <= 1.5 * g.size));
  const factor = (value: number | undefined) => (value === undefined ? '—' : `× ${value.toFixed(1)}`);
  return {
    title: 'Fleet size curve: 100, 1,000 and 10,000 interfaces',
    method:
      `The night above (10% faults, 5-minute changes, documented quotas) at each size; wall time (the execution) and peak heap (sampled every 5 ms above the heap after a GC, before the ` +
      `emulator is seeded: its state for the fleet is counted) are medians of ${CURVE.map((n) => `${REPETITIONS[n]} runs at ${n.toLocaleString('en-US')}`).join(', ')}. ` +
      'Growth is each total against the size before it, which has a tenth of the interfaces: linear growth is × 10.',
    columns: ['interfaces', 'shards', 'simulated', 'wall time', 'per interface', 'growth', 'peak heap', 'per interface', 'growth', 'all converged'],
    rows: measured.map((m, i) => [
      m.interfaces.toLocaleString('en-US'),
      Math.ceil(m.interfaces / 50),
      minutes(m.simulatedMs),
      seconds(m.wallMs),
      `${perWall(m).toFixed(2)} ms`,
      factor(growth[i]?.wall),
      `${(m.peakHeap / 2 ** 20).toFixed(1)} MiB`,
      kib(perHeap(m)),
      factor(growth[i]?.heap),
      m.ok ? 'yes' : 'NO',
    ]),
    target: 'wall time and memory grow linearly with the fleet (each tenfold step at most × 15, i.e. per interface at most 1.5 times the size before), every run converged',
    met: linear && measured.every((m) => m.ok),
    notes: [
      'Simulated time grows with waves of shards: 10 shards run at once, so 10,000 interfaces take 20 waves of a 5-minute change and its polls.',
      'Each run starts after a full GC; peak heap is sampled during the run (heapUsed, the whole process: emulator, interpreter and handlers).',
    ],
  };
}

const benchmark: Benchmark = {
  name: 'fleet: 1,000 interfaces in a night, and the size curve',
  async run() {
    return [await night(), await curve()];
  },
};

export default benchmark;
