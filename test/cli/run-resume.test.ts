/** riflow run --resume: a run killed with SIGKILL while its spec change is in flight, carried on from its history file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoPairSeed, startEmulator, type RunningEmulator } from '../../src/emulator';
import { DEMO_INITIATOR_ID, DEMO_REGION } from '../../src/emulator/seed-builders';
import { ndjson, ROOT, runCli, scratchDir, spawnCli } from './helpers';

const MODIFY = join(ROOT, 'workflows', 'modify-spec.yaml');
let scratch: ReturnType<typeof scratchDir>;
let emulator: RunningEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  scratch = scratchDir();
  emulator = await startEmulator({
    seed: demoPairSeed({ status: 'Active', spec: 'Mini.2' }, { status: 'Active' }),
    config: { preset: 'fast' },
    // The first spec change takes 3 s to answer: the kill comes while it is in flight.
    faults: [{ action: 'ModifyRouterInterfaceSpec', calls: '0', latencyMs: 3_000 }],
  });
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret };
});
afterEach(async () => {
  await emulator.stop();
  scratch.remove();
});

const input = JSON.stringify({ regionId: DEMO_REGION, routerInterfaceId: DEMO_INITIATOR_ID, spec: 'Large.1' });

/** Runs the workflow and SIGKILLs the process once its NDJSON shows the spec change scheduled. */
async function runAndKill(name: string): Promise<void> {
  const child = spawnCli(['run', MODIFY, '--input', input, '--name', name, '--endpoint', emulator.url, '--fast', '--json'], { cwd: scratch.dir, env });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no TaskScheduled: ${out}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"type":"TaskScheduled","state":"ModifySpec"')) {
        clearTimeout(timer);
        child.once('exit', () => resolve());
        process.kill(child.pid as number, 'SIGKILL');
      }
    });
  });
}

function history(name: string): Array<Record<string, unknown>> {
  return ndjson(readFileSync(join(scratch.dir, '.riflow', 'executions', `${name}.ndjson`), 'utf8'));
}

function modifyTokens(): number {
  return Object.keys(emulator.control.state().clientTokens).filter((key) => key.includes('/ModifyRouterInterfaceSpec/')).length;
}

describe('riflow run --resume', () => {
  it('carries on a killed run from its history file: the change applied once, the recorded part not done again', async () => {
    await runAndKill('killed-1');
    const before = history('killed-1');
    expect(before.at(-1)).toMatchObject({ type: 'TaskScheduled', state: 'ModifySpec' });

    const resumed = await runCli(['run', '--resume', 'killed-1', '--endpoint', emulator.url, '--fast', '--json'], { cwd: scratch.dir, env, timeoutMs: 30_000 });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    const lines = ndjson(resumed.stdout);
    expect(lines[0]).toMatchObject({ type: 'riflow.stream', execution: 'killed-1', resumed: before.length - 1 });
    // The stream shows the replayed events first, as recorded, then the rest live.
    expect(lines.slice(1, before.length)).toEqual(before.slice(1));
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'Succeeded' });

    const after = history('killed-1');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(after.filter((event) => event.type === 'TaskScheduled' && event.state === 'ModifySpec')).toHaveLength(1);
    expect(new Set(after.map((event) => event.seq)).size).toBe(after.length);
    expect(modifyTokens()).toBe(1);
    expect(emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === DEMO_INITIATOR_ID)?.spec).toBe('Large.1');
  });

  it('refuses to resume what has ended, what does not exist, and a damaged history (left as it is)', async () => {
    const done = await runCli(['run', MODIFY, '--input', input, '--name', 'done-1', '--endpoint', emulator.url, '--fast', '--json'], { cwd: scratch.dir, env, timeoutMs: 30_000 });
    expect(done.code).toBe(0);
    const ended = await runCli(['run', '--resume', 'done-1', '--endpoint', emulator.url], { cwd: scratch.dir, env });
    expect(ended).toMatchObject({ code: 1, stderr: expect.stringContaining('done-1 has already ended (Succeeded)') });
    const missing = await runCli(['run', '--resume', 'nobody', '--endpoint', emulator.url], { cwd: scratch.dir, env });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no execution named nobody to resume') });
    const both = await runCli(['run', '--resume', 'done-1', '--input', input], { cwd: scratch.dir, env });
    expect(both).toMatchObject({ code: 1, stderr: expect.stringContaining('--input does not apply with --resume') });

    await runAndKill('broken-1');
    const path = join(scratch.dir, '.riflow', 'executions', 'broken-1.ndjson');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = '{"v":2,"seq":2}';
    writeFileSync(path, lines.join('\n'));
    const text = readFileSync(path, 'utf8');
    const broken = await runCli(['run', '--resume', 'broken-1', '--endpoint', emulator.url], { cwd: scratch.dir, env });
    expect(broken).toMatchObject({ code: 1, stderr: expect.stringContaining('broken-1.ndjson:3: unsupported version 2') });
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
