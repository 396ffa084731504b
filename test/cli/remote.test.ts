/**
 * `riflow start --wait`, `invoke --remote` and `run --remote-functions`, run as a user runs them, against an
 * emulator started here that serves CloudFlow's API and FC's invocation paths (its clock is virtual, so the flows'
 * Wait states take no time; the CLI's own polling runs on the real clock).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { VirtualClock } from '../../src/flow/clock';
import { emulatorReady, ndjson, plain, ROOT, runCli, runInTerminal, scratchDir, spawnCli } from './helpers';

const INITIATOR = 'ri-bp1d2v6ebu8tl7ohx4kmq';
const CONNECT_AND_MODIFY = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: INITIATOR, spec: 'Middle.1' });
const BAD_SPEC = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: INITIATOR, spec: 'Huge.9' });

// The handlers run in this process (served by the emulator): no log lines, no in-handler retries.
const HANDLER_SETTINGS = { RIFLOW_HANDLER_LOG: 'off', RIFLOW_CLIENT_MAX_ATTEMPTS: '1' };

let emulator: RunningEmulator;
let scratch: ReturnType<typeof scratchDir>;
beforeAll(async () => {
  emulator = await startEmulator({
    functionEnvironment: HANDLER_SETTINGS,
    clock: new VirtualClock(),
    config: { preset: 'fast' },
    cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') },
    functions: { sYamlPath: join(ROOT, 's.yaml') },
  });
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  scratch = scratchDir();
  await emulator.control.reset();
});
afterEach(() => scratch.remove());

describe('riflow start', () => {
  it('--wait follows the execution with the live view and exits 0 when it succeeds', async () => {
    const args = ['start', 'riflow-connect-and-modify-spec', '--input', CONNECT_AND_MODIFY, '--name', 'follow-me', '--wait', '--endpoint', emulator.url];
    const { code, output } = await runInTerminal(args, scratch.dir, {});
    const text = plain(output);
    expect(code).toBe(0);
    expect(text).toMatch(/riflow start riflow-connect-and-modify-spec/);
    expect(text).toMatch(/execution\s+follow-me/);
    expect(text).toMatch(/✓ Connect\s.*changed/);
    expect(text).toMatch(/✓ Describe\s.*status Active/);
    expect(text).toMatch(/✓ ModifySpec/);
    expect(text).toMatch(/Succeeded in/);
    expect(emulator.cloudflow?.executions.get('riflow-connect-and-modify-spec', 'follow-me')?.status).toBe('Succeeded');
  });

  it('--wait --json streams the events and exits 2 when the execution fails; a workflow file names its flow', async () => {
    const args = ['start', join(ROOT, 'workflows', 'modify-spec.yaml'), '--input', BAD_SPEC, '--name', 'bad-spec', '--wait', '--json', '--endpoint', emulator.url];
    const result = await runCli(args, { cwd: scratch.dir });
    expect(result.code).toBe(2);
    const lines = ndjson(result.stdout);
    expect(lines[0]).toMatchObject({ type: 'riflow.stream', command: 'start', flow: 'riflow-modify-spec', execution: 'bad-spec' });
    expect(lines).toContainEqual(expect.objectContaining({ type: 'TaskFailed', state: 'ModifySpec', error: 'InvalidInput', v: 1 }));
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'Failed', execution: 'bad-spec', error: expect.any(String) });
    const seqs = lines.slice(1, -1).map((line) => line.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('without --wait prints the execution and exits 0; an unknown flow or missing credentials exit 1', async () => {
    const started = await runCli(['start', 'riflow-connect-and-modify-spec', '--input', CONNECT_AND_MODIFY, '--name', 'fire-and-forget', '--endpoint', emulator.url, '--json']);
    expect(started.code).toBe(0);
    expect(ndjson(started.stdout)).toEqual([expect.objectContaining({ type: 'execution', execution: 'fire-and-forget', flow: 'riflow-connect-and-modify-spec', status: 'Running' })]);
    expect(emulator.cloudflow?.executions.get('riflow-connect-and-modify-spec', 'fire-and-forget')).toBeDefined();
    await emulator.cloudflow?.executions.settled();
    // The same name with --wait starts nothing and replays that execution.
    const again = await runCli(['start', 'riflow-connect-and-modify-spec', '--name', 'fire-and-forget', '--wait', '--json', '--endpoint', emulator.url]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Not started: .* already has an execution named fire-and-forget \(Succeeded\)/);
    expect(ndjson(again.stdout).at(-1)).toMatchObject({ type: 'result', status: 'Succeeded', execution: 'fire-and-forget' });
    expect(emulator.cloudflow?.executions.list('riflow-connect-and-modify-spec').filter((execution) => execution.name === 'fire-and-forget')).toHaveLength(1);
    expect(emulator.control.calls().filter((call) => call.action === 'ConnectRouterInterface')).toHaveLength(1);

    const unknown = await runCli(['start', 'riflow-teleport', '--endpoint', emulator.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/FlowNotExists/);
    const cloud = await runCli(['start', 'riflow-modify-spec', '--region', 'cn-shanghai']);
    expect(cloud.code).toBe(1);
    expect(cloud.stderr).toMatch(/no credentials for https:\/\/cn-shanghai\.fnf\.aliyuncs\.com/);
  });
});

describe('riflow start --wait and Ctrl-C', () => {
  it('stops following, leaves the execution running, says how to follow or stop it, and exits 130', async () => {
    // Real time here: the flow's 5 s Wait keeps the execution running while the signal arrives.
    const live = await startEmulator({ functionEnvironment: HANDLER_SETTINGS, config: { preset: 'fast' }, cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') } });
    try {
      const child = spawnCli(['start', 'riflow-connect-and-modify-spec', '--input', CONNECT_AND_MODIFY, '--name', 'watched', '--wait', '--json', '--endpoint', live.url]);
      let stdout = '';
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        const first = stdout === '' || !stdout.includes('"StateEntered"');
        stdout += chunk.toString();
        if (first && stdout.includes('"StateEntered"')) child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((done, fail) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          fail(new Error(`no exit within 8 s; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, 8_000);
        child.on('exit', (exitCode) => {
          clearTimeout(timer);
          done(exitCode);
        });
      });
      expect(code).toBe(130);
      expect(stderr).toMatch(/Stopped following watched; it keeps running on CloudFlow/);
      expect(stderr).toMatch(/follow again: riflow start riflow-connect-and-modify-spec --name watched --wait/);
      expect(stderr).toMatch(/stop it: .*StopExecution --FlowName riflow-connect-and-modify-spec --ExecutionName watched/);
      expect(live.cloudflow?.executions.get('riflow-connect-and-modify-spec', 'watched')?.status).toBe('Running');
    } finally {
      await live.stop();
    }
  });
});

describe('riflow invoke --remote', () => {
  it('prints the deployed function\'s result, or its named error with exit 2', async () => {
    const event = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: INITIATOR });
    const ok = await runCli(['invoke', 'describe', '--remote', '--endpoint', emulator.url, '--event', event]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ routerInterfaceId: INITIATOR, status: 'Idle' });
    expect(emulator.control.calls().map((call) => call.action)).toEqual(['DescribeRouterInterfaces']);

    const failed = await runCli(['invoke', 'modify-spec', '--remote', '--endpoint', emulator.url, '--event', BAD_SPEC]);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^InvalidInput: spec: must be one of/);

    const missing = await runCli(['invoke', 'riflow-teleport', '--remote', '--endpoint', emulator.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/FC\.FunctionNotFound/);
  });
});

describe('riflow emulator with an s.yaml', () => {
  it('serves FC\'s invocation API for its functions: a local "s invoke" without Docker', async () => {
    const child = spawnCli(['emulator', '--fast'], { cwd: ROOT });
    try {
      const { url, output } = await emulatorReady(child);
      const out = output();
      expect(out).toMatch(/FC invocation API \(2023-03-30 and 2016-08-15 paths\) for its functions \(account \d+\)/);
      const event = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: INITIATOR });
      const invoked = await runCli(['invoke', 'describe', '--remote', '--endpoint', url, '--event', event]);
      expect(invoked.code).toBe(0);
      expect(JSON.parse(invoked.stdout)).toMatchObject({ routerInterfaceId: INITIATOR, status: 'Idle' });
    } finally {
      const exited = new Promise((done) => child.on('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('riflow run --remote-functions', () => {
  it('runs the workflow locally with its tasks calling the functions through FC\'s API (exit 0), or names their errors (exit 2)', async () => {
    const workflow = join(ROOT, 'workflows', 'connect-and-modify-spec.yaml');
    const ok = await runCli(['run', workflow, '--remote-functions', '--fast', '--fc-endpoint', emulator.url, '--input', CONNECT_AND_MODIFY, '--json'], { cwd: scratch.dir });
    expect(ok.code).toBe(0);
    const lines = ndjson(ok.stdout);
    expect(lines[0]).toMatchObject({ command: 'run', functions: 'remote', embeddedEmulator: false, endpoint: emulator.url });
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'Succeeded' });
    // The functions served by the emulator did the VPC calls.
    const actions = emulator.control.calls().map((call) => call.action);
    expect(actions).toContain('ConnectRouterInterface');
    expect(actions).toContain('ModifyRouterInterfaceSpec');

    const missing = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-doesnotexist0000', spec: 'Large.1' });
    const failed = await runCli(['run', join(ROOT, 'workflows', 'modify-spec.yaml'), '--remote-functions', '--fast', '--fc-endpoint', emulator.url, '--input', missing, '--json'], { cwd: scratch.dir });
    expect(failed.code).toBe(2);
    expect(ndjson(failed.stdout)).toContainEqual(expect.objectContaining({ type: 'TaskFailed', state: 'ModifySpec', error: 'RouterInterfaceNotFound' }));
  });

  it('refuses flags that do not apply', async () => {
    const both = await runCli(['run', '--demo', '--remote-functions', '--endpoint', emulator.url]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--endpoint does not apply with --remote-functions/);
    const stray = await runCli(['run', '--demo', '--fc-endpoint', emulator.url]);
    expect(stray.code).toBe(1);
    expect(stray.stderr).toMatch(/--fc-endpoint applies with --remote-functions only/);
  });
});

it('--help of start, invoke and run lists the new flags, with examples', async () => {
  const expectations: Array<[string, RegExp[]]> = [
    ['start', [/--wait/, /--endpoint URL/, /RIFLOW_FLOW_ENDPOINT/, /--region R/, /--json/, /Ctrl-C stops following, not the execution/, /riflow start riflow-modify-spec .*--wait/]],
    ['invoke', [/--remote /, /--account-id ID/, /--region R/, /--service NAME/, /riflow invoke describe --remote/]],
    ['run', [/--remote-functions/, /--fc-endpoint URL/, /--account-id ID/, /riflow run --demo .*--remote-functions/]],
  ];
  for (const [command, patterns] of expectations) {
    const help = await runCli([command, '--help']);
    expect(help.code).toBe(0);
    for (const pattern of patterns) expect(help.stdout).toMatch(pattern);
  }
});
