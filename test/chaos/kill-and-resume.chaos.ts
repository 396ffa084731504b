/**
 * Chaos: real workflows through the real bundles and a real emulator process (its own --state-file and --state-dir),
 * killed with SIGKILL at seeded random moments, restarted, and run to the end. Each round starts one run per seeded
 * pair of interfaces, at staggered seeded offsets, and kills the process twice: so every run is killed somewhere of
 * its own (before its first step, in a task call, during a wait). The first rounds run `riflow emulator` itself and
 * kill it after a seeded delay; the last rounds run the same emulator with a test hook (emulator-process.ts) that
 * kills it in the middle of a seeded journal write, so the restart finds a torn line, keeps it aside and resumes.
 * Then: every run converges to its target, each spec change is applied exactly once (the ClientToken records in the
 * emulator's saved state, one per change), and every journal is whole, ends its execution and records no step twice.
 * `npm run chaos` (not part of `npm test`: the waits are the workflows' real ones, several seconds each).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FnfClient from '@alicloud/fnf-2019-03-15';
import { afterAll, describe, expect, it } from 'vitest';
import { connectedPairsSeed, DEMO_REGION } from '../../src/emulator/index';
import type { HistoryEvent } from '../../src/flow/history';
import { seededRandom } from '../../src/emulator/seeded-random';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'riflow.cjs');
const ROUNDS = 5;
/** Rounds from this one on are killed in the middle of a journal write (the hook), then after a delay. */
const FIRST_MID_WRITE_ROUND = 3;
const RUNS_PER_ROUND = 10;
const KILLS_PER_ROUND = 2;
const HOOK = join(import.meta.dirname, 'emulator-process.ts');
const random = seededRandom(16);
const dir = mkdtempSync(join(tmpdir(), 'riflow-chaos-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  // The emulator also copies each execution's history to the project's .riflow/executions: ours go.
  const histories = join(ROOT, '.riflow', 'executions');
  if (existsSync(histories)) for (const name of readdirSync(histories).filter((file) => file.startsWith('chaos-'))) rmSync(join(histories, name), { force: true });
});

interface Emulator {
  child: ChildProcess;
  url: string;
  keys: { accessKeyId: string; accessKeySecret: string };
}

/** `killAtWrite`: the hook process, which kills itself in the middle of that journal write. */
function startEmulator(round: string, killAtWrite?: number): Promise<Emulator> {
  const files = [join(dir, `${round}.seed.json`), join(dir, `${round}.state.json`), join(dir, round)] as const;
  const args =
    killAtWrite === undefined
      ? [CLI, 'emulator', '--fast', '--seed', files[0], '--state-file', files[1], '--state-dir', files[2]]
      : ['--import', 'tsx', HOOK, ...files, String(killAtWrite)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RIFLOW_HANDLER_LOG: 'off', NO_COLOR: '1' },
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${out}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (\S+)/.exec(out)?.[1];
      const id = /ACCESS_KEY_ID=(\S+)/.exec(out)?.[1];
      const secret = /ACCESS_KEY_SECRET=(\S+)/.exec(out)?.[1];
      if (url && id && secret) {
        clearTimeout(timer);
        resolve({ child, url, keys: { accessKeyId: id, accessKeySecret: secret } });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code, signal) => reject(new Error(`the emulator exited (${code ?? signal}): ${out}`)));
  });
}

/** Resolves when the process has gone (killed by us, or by its own hook). */
function exited(emulator: Emulator): Promise<void> {
  return new Promise((resolve) => {
    if (emulator.child.exitCode !== null || emulator.child.signalCode !== null) return resolve();
    emulator.child.once('exit', () => resolve());
  });
}

function kill(emulator: Emulator): Promise<void> {
  const gone = exited(emulator);
  if (emulator.child.exitCode === null && emulator.child.signalCode === null) process.kill(emulator.child.pid as number, 'SIGKILL');
  return gone;
}

interface Run {
  flow: string;
  name: string;
  input: Record<string, unknown>;
  /** What the run must leave behind: a spec (and Active), or the Inactive status. */
  interfaceId: string;
  spec?: string;
  inactive?: boolean;
}

function runsFor(round: number, initiators: string[]): Run[] {
  return initiators.map((interfaceId, i) => {
    const name = `chaos-${round}-${i}`;
    const kind = (round * RUNS_PER_ROUND + i) % 4;
    if (kind === 3) return { flow: 'riflow-connect-and-modify-spec', name, interfaceId, spec: 'Large.2', input: { regionId: DEMO_REGION, routerInterfaceId: interfaceId, spec: 'Large.2' } };
    if (kind === 0) return { flow: 'riflow-modify-spec', name, interfaceId, spec: 'Large.1', input: { regionId: DEMO_REGION, routerInterfaceId: interfaceId, spec: 'Large.1' } };
    if (kind === 1) return { flow: 'riflow-deactivate', name, interfaceId, inactive: true, input: { regionId: DEMO_REGION, routerInterfaceId: interfaceId } };
    return {
      flow: 'riflow-batch-modify-spec',
      name,
      interfaceId,
      spec: 'Middle.2',
      input: { changes: [{ regionId: DEMO_REGION, routerInterfaceId: interfaceId, spec: 'Middle.2' }] },
    };
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function statusOf(client: FnfClient, run: Run): Promise<string | undefined> {
  try {
    const described = (await client.describeExecution({ FlowName: run.flow, ExecutionName: run.name })) as { Status: string };
    return described.Status;
  } catch {
    return undefined;
  }
}

describe('kill the emulator with SIGKILL mid-run, start it again: every run finishes, nothing applied twice', () => {
  it(`${ROUNDS * RUNS_PER_ROUND} seeded runs of the real workflows, ${KILLS_PER_ROUND} kills per round`, { timeout: 240_000 }, async () => {
    let killedRunning = 0;
    let tornLines = 0;
    /** Runs a kill found started and not ended. */
    const interrupted = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const label = `round${round}`;
      const { seed, initiators } = connectedPairsSeed(RUNS_PER_ROUND);
      const runs = runsFor(round, initiators);
      // The connect runs start from a pair that is not connected.
      const toConnect = new Set(runs.filter((run) => run.flow === 'riflow-connect-and-modify-spec').map((run) => run.interfaceId));
      seed.interfaces = seed.interfaces?.map((ri) =>
        toConnect.has(ri.routerInterfaceId) || toConnect.has(ri.oppositeInterfaceId ?? '') ? { ...ri, status: 'Idle' } : ri,
      );
      writeFileSync(join(dir, `${label}.seed.json`), JSON.stringify(seed));
      const midWrite = round >= FIRST_MID_WRITE_ROUND;
      let emulator = await startEmulator(label, midWrite ? 10 + Math.floor(random() * 120) : undefined);
      let client = new FnfClient({ endpoint: emulator.url, ...emulator.keys });
      // Staggered starts: each run is at another point of its own when the kill comes.
      const starts = runs.map(async (run) => {
        await sleep(Math.floor(random() * 3000));
        await client.startExecution({ FlowName: run.flow, ExecutionName: run.name, Input: JSON.stringify(run.input) }).catch(() => undefined);
      });
      for (let k = 0; k < KILLS_PER_ROUND; k++) {
        const delay = 300 + Math.floor(random() * 4000);
        if (midWrite && k === 0) {
          // The hook kills the process at its seeded journal write (bounded: a kill after a while otherwise).
          await Promise.race([exited(emulator), sleep(8000)]);
          await kill(emulator);
        } else {
          await sleep(delay);
          await kill(emulator);
        }
        for (const run of runs) if (unfinishedJournal(join(dir, label, run.flow, `${run.name}.ndjson`))) interrupted.add(run.name);
        emulator = await startEmulator(label);
        client = new FnfClient({ endpoint: emulator.url, ...emulator.keys });
      }
      await Promise.all(starts);
      // A start the kill cut short is sent again, as a client would (a name still running returns that execution).
      for (const run of runs) {
        if ((await statusOf(client, run)) === undefined) await client.startExecution({ FlowName: run.flow, ExecutionName: run.name, Input: JSON.stringify(run.input) });
      }
      const deadline = Date.now() + 60_000;
      for (const run of runs) {
        let status = await statusOf(client, run);
        while (status === 'Running' && Date.now() < deadline) {
          await sleep(250);
          status = await statusOf(client, run);
        }
        expect({ run: run.name, status }).toEqual({ run: run.name, status: 'Succeeded' });
      }
      await kill(emulator);
      const state = JSON.parse(readFileSync(join(dir, `${label}.state.json`), 'utf8')) as {
        state: { interfaces: Array<{ routerInterfaceId: string; spec: string; status: string }>; clientTokens: Record<string, { fingerprint: string }> };
      };
      for (const run of runs) {
        const record = state.state.interfaces.find((ri) => ri.routerInterfaceId === run.interfaceId);
        const changes = Object.entries(state.state.clientTokens).filter(([key, token]) => key.includes('/ModifyRouterInterfaceSpec/') && token.fingerprint.includes(run.interfaceId));
        if (run.spec) {
          expect({ run: run.name, spec: record?.spec, status: record?.status, changes: changes.length }).toEqual({ run: run.name, spec: run.spec, status: 'Active', changes: 1 });
        } else {
          expect({ run: run.name, status: record?.status, changes: changes.length }).toEqual({ run: run.name, status: 'Inactive', changes: 0 });
        }
        const lines = readFileSync(join(dir, label, run.flow, `${run.name}.ndjson`), 'utf8').trimEnd().split('\n');
        const events = lines.slice(1).map((line) => JSON.parse(line) as HistoryEvent);
        expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
        expect(new Set(events.map((event) => event.seq)).size).toBe(events.length);
        // No step recorded twice: one TaskScheduled per state visit and attempt.
        const scheduled = events.filter((event) => event.type === 'TaskScheduled').map((event) => `${event.scope ?? ''}/${event.state}/${event.retryCount}/${countBefore(events, event)}`);
        expect(new Set(scheduled).size).toBe(scheduled.length);
      }
      killedRunning += runs.length;
      // A kill in the middle of a write leaves a torn line: kept aside, never lost.
      const torn = runs.filter((run) => existsSync(join(dir, label, run.flow, `${run.name}.ndjson.torn`)));
      if (midWrite) expect(torn.length).toBeGreaterThan(0);
      tornLines += torn.length;
    }
    expect(killedRunning).toBe(ROUNDS * RUNS_PER_ROUND);
    expect(tornLines).toBeGreaterThan(0);
    console.log(`chaos: ${interrupted.size} of ${killedRunning} runs killed mid-run at least once, ${tornLines} torn lines kept aside`);
    // The seeded kill times catch most runs in the middle (the others were killed before they started, or after).
    expect(interrupted.size).toBeGreaterThanOrEqual((ROUNDS * RUNS_PER_ROUND * 3) / 4);
  });
});

/** Whether a journal exists and records no end (a torn last line counts as unfinished). */
function unfinishedJournal(path: string): boolean {
  if (!existsSync(path)) return false;
  const last = readFileSync(path, 'utf8').trimEnd().split('\n').at(-1) ?? '';
  return !/"type":"Execution(Succeeded|Failed|Stopped|TimedOut)"/.test(last);
}

/** Which visit of its state (in its scope) a TaskScheduled belongs to: the StateEntered events of that state before it. */
function countBefore(events: HistoryEvent[], scheduled: HistoryEvent): number {
  return events.filter((event) => event.seq < scheduled.seq && event.type === 'StateEntered' && event.state === scheduled.state && event.scope === scheduled.scope).length;
}
