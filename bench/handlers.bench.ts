/**
 * FC handler bundles: size and cold start against the floor. Every shipped handler (dist/functions, as built by
 * scripts/build.mjs) is started in a fresh `node` process that requires it and answers one event against the
 * emulator served over TLS (a certificate made for the run, trusted through NODE_EXTRA_CA_CERTS), with its
 * signature checks on. Its floor is bench/handlers/https-floor-handler.cjs making the same signed requests with
 * node:https; the two run back to back in every round, their order alternating. Two more references: an empty
 * handler (Node's own start-up) and the connect handler written with the official Tea SDK. The emulator is reseeded
 * before every start, so each one takes the handler's usual path (one call; describe + modify for modify-spec).
 * Temp files live under os.tmpdir() only.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { DEMO_INITIATOR_ID, DEMO_REGION, DEMO_SEED, demoPairSeed, startEmulator } from '../src/emulator/index';
import type { RunningEmulator, SeedDocument } from '../src/emulator/index';
import { createThrowawayTls } from './support/throwaway-tls';
import { median } from './types';
import type { BenchTable, Benchmark } from './types';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);
/** Rounds; each starts every subject once. */
const ROUNDS = 41;
const SIZE_TARGET_BYTES = 50 * 1024;
const COLD_START_TARGET = 1.15;

const target = { regionId: DEMO_REGION, routerInterfaceId: DEMO_INITIATOR_ID };
/** The demo initiator's router (src/emulator/seed.ts). */
const DEMO_ROUTER_ID = 'vrt-bp1lhl0taikrteen8oxpw';
const activePair = () => demoPairSeed({ status: 'Active' }, { status: 'Active' });

interface Case {
  /** The handler's folder under functions/. */
  name: string;
  /** The emulator's state before each start: the handler's action must succeed on its usual path. */
  seed: () => SeedDocument;
  event: (round: number, side: string) => object;
  /** What the handler's answer must show (a bench that measured a failure would measure the wrong thing). */
  succeeded: (result: Record<string, unknown>) => boolean;
}

const changed = (result: Record<string, unknown>) => result.changed === true;
const CASES: Case[] = [
  { name: 'connect', seed: () => DEMO_SEED, event: () => target, succeeded: changed },
  { name: 'activate', seed: () => demoPairSeed({ status: 'Inactive' }, { status: 'Inactive' }), event: () => target, succeeded: changed },
  { name: 'deactivate', seed: activePair, event: () => target, succeeded: changed },
  { name: 'describe', seed: () => DEMO_SEED, event: () => target, succeeded: (result) => result.status === 'Idle' },
  {
    name: 'modify-spec',
    seed: activePair,
    event: () => ({ ...target, spec: 'Large.1', clientToken: 'rf-bench-cold-start' }),
    succeeded: (result) => result.changed === true && result.spec === 'Large.1',
  },
  {
    name: 'fleet',
    seed: () => DEMO_SEED,
    // A fleet run's first step: how many interfaces the selector matches (one DescribeRouterInterfaces).
    event: () => ({ op: 'shards', regionId: DEMO_REGION, spec: 'Large.1', select: { routerId: DEMO_ROUTER_ID }, concurrency: 10 }),
    succeeded: (result) => result.matched === 1,
  },
  {
    name: 'start',
    seed: () => DEMO_SEED,
    // A direct call; every start needs a name CloudFlow has not seen.
    event: (round, side) => ({ flow: 'riflow-deactivate', input: target, executionName: `bench-${side}-${round}` }),
    succeeded: (result) => (result.executions as Array<{ started?: unknown }> | undefined)?.[0]?.started === true,
  },
];

/**
 * The CloudFlow side of the start function's case: the emulator's real execution API (signatures, names,
 * duplicates), with a one-state flow behind the name it starts, so that no execution runs beside the measured
 * processes. What the start function does is the same whatever the flow holds.
 */
function standInFlow(dir: string): { sYamlPath: string; workflowsDir: string } {
  const workflowsDir = join(dir, 'workflows');
  mkdirSync(workflowsDir, { recursive: true });
  writeFileSync(join(workflowsDir, 'deactivate.yaml'), 'Type: StateMachine\nSpecVersion: v1\nName: riflow-deactivate\nStartAt: Done\nStates:\n  - Type: Pass\n    Name: Done\n    End: true\n');
  const sYamlPath = join(dir, 's.yaml');
  writeFileSync(sYamlPath, 'resources:\n  deactivate-flow:\n    component: flow\n    props:\n      name: riflow-deactivate\n      definition: ./workflows/deactivate.yaml\n');
  return { sYamlPath, workflowsDir };
}

interface Subject {
  label: string;
  file: string;
  bytes: number;
  event: (round: number) => object;
  seed: () => SeedDocument;
  succeeded: (result: Record<string, unknown>) => boolean;
}

interface Sample {
  wallMs: number;
  /** CPU time (user + system) the process spent up to the answer: what it did, whatever else ran on the machine. */
  cpuMs: number;
}

// The handlers write their log line to stdout first; the probe's figures are the last line.
const PROBE = `
const bundle = require(process.argv[1]);
const ctx = { requestId: 'bench', function: { name: 'bench', timeout: 10 } };
Promise.resolve(bundle.handler(Buffer.from(process.argv[2]), ctx)).then(
  (result) => { const cpu = process.cpuUsage(); console.log(JSON.stringify({ result, cpuMs: (cpu.user + cpu.system) / 1000 })); process.exit(0); },
  (error) => { console.error(error); process.exit(1); },
);`;

async function coldStart(subject: Subject, round: number, env: Record<string, string>): Promise<Sample> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, ['-e', PROBE, subject.file, JSON.stringify(subject.event(round))], { cwd: tmpdir(), timeout: 30_000, env });
  const wallMs = performance.now() - started;
  const { result, cpuMs } = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { result: Record<string, unknown>; cpuMs: number };
  if (!subject.succeeded(result)) throw new Error(`${subject.label} did not succeed: ${JSON.stringify(result)}`);
  return { wallMs, cpuMs };
}

/** Bundled as scripts/build.mjs bundles the handlers (CJS, minified), into `dir`. */
async function bundleReference(entry: string, outfile: string): Promise<number> {
  await build({ entryPoints: [entry], outfile, absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'error' });
  return statSync(outfile).size;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

const round1 = (value: number) => (Math.round(value * 10) / 10).toFixed(1);
const round2 = (value: number) => value.toFixed(2);
/** "median (p25–p75)" */
const spread = (values: number[], format: (value: number) => string) => `${format(median(values))} (${format(quantile(values, 0.25))}–${format(quantile(values, 0.75))})`;

const benchmark: Benchmark = {
  name: 'handlers',
  async run(): Promise<BenchTable[]> {
    const loadBefore = loadavg()[0]!;
    const outDir = mkdtempSync(join(tmpdir(), 'riflow-bench-handlers-'));
    const tls = createThrowawayTls();
    let emulator: RunningEmulator | undefined;
    try {
      emulator = await startEmulator({
        tls: { key: tls.key, cert: tls.cert },
        cloudflow: standInFlow(join(outDir, 'cloudflow')),
      });
      const shippedNames = readdirSync(join(root, 'dist', 'functions')).sort();
      const missing = shippedNames.filter((name) => !CASES.some((c) => c.name === name));
      if (missing.length) throw new Error(`no cold-start case for the shipped handler(s) ${missing.join(', ')}`);

      const floorBytes = await bundleReference(join(root, 'bench', 'handlers', 'https-floor-handler.cjs'), join(outDir, 'floor', 'index.js'));
      const pairs = CASES.map((c) => {
        const file = join(outDir, c.name, 'index.js');
        // Copied next to the others, so every subject starts from a folder with no package.json around it.
        mkdirSync(dirname(file), { recursive: true });
        copyFileSync(join(root, 'dist', 'functions', c.name, 'index.js'), file);
        const handler: Subject = { label: c.name, file, bytes: statSync(file).size, event: (r) => c.event(r, 'handler'), seed: c.seed, succeeded: c.succeeded };
        const floor: Subject = {
          label: `${c.name} floor`,
          file: join(outDir, 'floor', 'index.js'),
          bytes: floorBytes,
          event: (r) => ({ floor: c.name, ...c.event(r, 'floor') }),
          seed: c.seed,
          succeeded: (result) => typeof result.requestId === 'string' && result.requestId !== '',
        };
        return { handler, floor };
      });
      const empty: Subject = {
        label: 'empty handler',
        file: join(outDir, 'empty', 'index.js'),
        bytes: await bundleReference(join(root, 'bench', 'handlers', 'empty-handler.cjs'), join(outDir, 'empty', 'index.js')),
        event: () => target,
        seed: () => DEMO_SEED,
        succeeded: (result) => result.ok === true,
      };
      const tea: Subject = {
        label: 'connect, Tea SDK',
        file: join(outDir, 'tea', 'index.js'),
        bytes: await bundleReference(join(root, 'bench', 'handlers', 'tea-connect-handler.cjs'), join(outDir, 'tea', 'index.js')),
        event: () => target,
        seed: () => DEMO_SEED,
        succeeded: changed,
      };

      const env = {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: tls.certPath,
        RIFLOW_VPC_ENDPOINT: emulator.url,
        RIFLOW_FLOW_ENDPOINT: emulator.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
      };
      const samples = new Map<Subject, Sample[]>();
      const live = emulator;
      const measure = async (subject: Subject, round: number) => {
        await live.control.seed(subject.seed());
        const sample = await coldStart(subject, round, env);
        await live.cloudflow?.executions.settled();
        samples.set(subject, [...(samples.get(subject) ?? []), sample]);
      };
      // Interleaved: every round starts each handler right before or right after its floor (alternating), and walks
      // the cases forwards or backwards (alternating), so drift on the shared machine hits both sides alike.
      for (let round = 0; round < ROUNDS; round++) {
        const forwards = round % 2 === 0;
        await measure(empty, round);
        for (const { handler, floor } of forwards ? pairs : [...pairs].reverse()) {
          for (const subject of forwards ? [floor, handler] : [handler, floor]) await measure(subject, round);
        }
        await measure(tea, round);
      }

      const wall = (subject: Subject) => (samples.get(subject) ?? []).map((s) => s.wallMs);
      const cpu = (subject: Subject) => (samples.get(subject) ?? []).map((s) => s.cpuMs);
      const perRound = (subject: Subject, floor: Subject) => wall(subject).map((value, i) => value / (wall(floor)[i] as number));
      /** The target's figure: the handler's median cold start over its floor's. */
      const ratio = (subject: Subject, floor: Subject) => median(wall(subject)) / median(wall(floor));
      const row = (label: string, subject: Subject, floor: Subject) => [
        label,
        round1(subject.bytes / 1024),
        spread(wall(subject), round1),
        spread(wall(floor), round1),
        round2(ratio(subject, floor)),
        spread(perRound(subject, floor), round2),
        `${round1(median(cpu(subject)))} / ${round1(median(cpu(floor)))}`,
        round2(median(cpu(subject)) / median(cpu(floor))),
      ];
      const connectFloor = pairs[0]!.floor;
      const rows = [
        ...pairs.map(({ handler, floor }) => row(handler.label, handler, floor)),
        row(`${empty.label} (Node start-up, no request)`, empty, connectFloor),
        row(tea.label, tea, connectFloor),
      ];
      const ratios = pairs.map(({ handler, floor }) => ({ name: handler.label, ratio: ratio(handler, floor), high: quantile(perRound(handler, floor), 0.75) }));
      const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
      const largest = pairs.map((p) => p.handler).reduce((a, b) => (b.bytes > a.bytes ? b : a));
      const sizeMet = pairs.every(({ handler }) => handler.bytes <= SIZE_TARGET_BYTES);
      const connect = pairs[0]!.handler;
      return [
        {
          title: 'FC handler bundles and cold start against the floor',
          method:
            `Each shipped handler (dist/functions) and its floor — the same signed requests made with node:https (bench/handlers/https-floor-handler.cjs) — started ${ROUNDS} times each in a fresh node process that requires the bundle and answers one event, against the emulator over TLS with its signature checks on, reseeded before every start; each round runs a handler and its floor back to back, order alternating. ` +
            'Times are medians with the interquartile range in brackets. "Process wall" is spawn to exit, Node\'s own start-up included; "× floor" is the median cold start over the floor\'s, beside the per-round ratios handler / floor (median and interquartile range). "CPU" is the user + system time of the process up to its answer (handler / floor), which other load on the machine does not stretch.',
          columns: ['handler', 'bundle KB', 'cold start ms (process wall)', 'floor ms (process wall)', '× floor', 'per-round × floor', 'CPU ms', '× floor (CPU)'],
          rows,
          target: `every handler bundle ≤ ${SIZE_TARGET_BYTES / 1024} KB; every handler's cold start ≤ ${COLD_START_TARGET}× its floor (process wall), with @alicloud/pop-core as the client`,
          met: sizeMet && ratios.every((r) => r.ratio <= COLD_START_TARGET),
          notes: [
            `Largest handler bundle: ${largest.label}, ${round1(largest.bytes / 1024)} KB; the floor is ${round1(floorBytes / 1024)} KB, the Tea SDK connect handler ${round1(tea.bytes / 1024)} KB.`,
            `Worst cold start against its floor: ${worst.name}, ${round2(worst.ratio)}× (75th percentile of its per-round ratios ${round2(worst.high)}×).`,
            `Load on the machine during the run (1-minute average, ${cpus().length} cores): ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end; wall times stretch with it, CPU times do not.`,
            `The last two rows are references measured in the same rounds, set against the connect floor: Node's start-up with no request at all, and the connect handler written with the Tea SDK (${round1(median(wall(tea)) / median(wall(connect)))}× riflow's connect).`,
            'The floor makes no retries, validates nothing and writes no log line; riflow\'s handlers do all three (one JSON line per invocation).',
            `Node ${process.version}; emulator on 127.0.0.1 over TLS (P-256 certificate made for the run).`,
          ],
        },
      ];
    } finally {
      await emulator?.stop();
      tls.remove();
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
