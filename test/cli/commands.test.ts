/** invoke, history, emulator, graph, help and version, as a user runs them. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { emulatorReady, ndjson, ROOT, runCli, scratchDir, spawnCli, WORKFLOW } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

describe('riflow invoke', () => {
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emulator = await startEmulator({ config: { preset: 'fast' } });
    env = { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret };
  });
  afterAll(() => emulator.stop());

  it('prints the handler result (exit 0), by short or s.yaml name', async () => {
    const event = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq' });
    for (const name of ['describe', 'riflow-describe']) {
      const result = await runCli(['invoke', name, '--event', event, '--endpoint', emulator.url], { env });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq', status: 'Idle', role: 'InitiatingSide', attempt: 1 });
    }
  });

  it('prints the named error and exits 2 when the handler throws', async () => {
    const event = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq', spec: 'Huge.9' });
    emulator.control.clearCalls();
    const result = await runCli(['invoke', 'modify-spec', '--event', event, '--endpoint', emulator.url], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^InvalidInput: spec: must be one of/);
    expect(result.stdout).toBe('');
    expect(emulator.control.calls()).toEqual([]); // refused before any API call
  });

  it("passes the documented handler settings on to the function's own environment", async () => {
    const event = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq' });
    const logged = await runCli(['invoke', 'describe', '--event', event, '--endpoint', emulator.url], { env: { ...env, RIFLOW_HANDLER_LOG: 'stderr' } });
    expect(logged.code).toBe(0);
    expect(JSON.parse(logged.stderr.trim())).toMatchObject({ function: 'riflow-describe', outcome: 'succeeded' });
    const quiet = await runCli(['invoke', 'describe', '--event', event, '--endpoint', emulator.url], { env });
    expect(quiet.stderr).toBe('');
  });

  it('exits 1 for an unknown function or an unreadable event, before running anything', async () => {
    const unknown = await runCli(['invoke', 'teleport'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown function "teleport"/);
    expect(unknown.stderr).toMatch(/riflow-describe/);
    const badEvent = await runCli(['invoke', 'describe', '--event', '{'], { env });
    expect(badEvent.code).toBe(1);
    expect(badEvent.stderr).toMatch(/--event is not valid JSON/);
  });
});

describe('riflow history', () => {
  it('lists runs, replays one as NDJSON, and reports a corrupt file with its line', async () => {
    expect((await runCli(['run', WORKFLOW, '--demo', '--fast', '--name', 'h1'], { cwd: scratch.dir })).code).toBe(0);
    const listed = await runCli(['history'], { cwd: scratch.dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^h1\s+riflow-connect-and-modify-spec\s+Succeeded\s+\d{4}-\d\d-\d\dT/m);

    const replay = await runCli(['history', 'h1', '--json'], { cwd: scratch.dir });
    const lines = ndjson(replay.stdout);
    expect(lines[0]).toMatchObject({ type: 'riflow.stream', schema: 1, command: 'history', execution: 'h1' });
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'Succeeded', execution: 'h1' });
    const file = join(scratch.dir, '.riflow', 'executions', 'h1.ndjson');
    // The history file is a journal: its header (what --resume needs) is not replayed as an event.
    expect(lines.slice(1, -1)).toEqual(ndjson(readFileSync(file, 'utf8')).slice(1));

    const view = await runCli(['history', 'h1'], { cwd: scratch.dir });
    expect(view.stdout).toMatch(/✓ ModifySpec/);
    expect(view.stdout).toMatch(/Succeeded in/);

    const text = readFileSync(file, 'utf8').split('\n');
    text.splice(2, 0, '{"v":1,"seq":oops');
    writeFileSync(file, text.join('\n'));
    const corrupt = await runCli(['history', 'h1'], { cwd: scratch.dir });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/h1\.ndjson is corrupt at line 3: not valid JSON/);
    expect((await runCli(['history'], { cwd: scratch.dir })).stdout).toMatch(/h1\s+\?\s+corrupt at line 3/);
  });

  it('says so when an execution does not exist', async () => {
    const result = await runCli(['history', 'nothing-here'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no execution named nothing-here/);
  });
});

describe('riflow emulator', () => {
  it('prints its URL and local keys, serves until SIGTERM, then stops cleanly', async () => {
    const child = spawnCli(['emulator', '--fast'], { cwd: scratch.dir });
    const { url, output } = await emulatorReady(child);
    const out = output();
    expect(out).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID=riflow-local');
    const health = (await (await fetch(`${url}/_emulator/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('stopped (SIGTERM)');
  });

  it('refuses a bad port (exit 1)', async () => {
    const result = await runCli(['emulator', '--port', 'http']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--port must be 0-65535/);
  });
});

describe('riflow graph', () => {
  it('draws Mermaid with labelled Choice branches and dashed Catch edges, and highlights a run', async () => {
    expect((await runCli(['run', WORKFLOW, '--demo', '--fast', '--name', 'g1'], { cwd: scratch.dir })).code).toBe(0);
    const result = await runCli(['graph', WORKFLOW, '--execution', 'g1'], { cwd: scratch.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^flowchart TD/);
    expect(result.stdout).toMatch(/-->\|"\$Input\.currentSpec == \$Input\.spec"\|/);
    expect(result.stdout).toMatch(/-\.->\|"RouterInterfaceNotFound"\|/);
    expect(result.stdout).toMatch(/class [\w,]+ visited/);
    expect(result.stdout).toMatch(/linkStyle [\d,]+ stroke:#28a745/);
    expect(result.stdout).not.toMatch(/^\s+end\b/m); // `end` is a Mermaid keyword, never a node id
  });

  it('draws DOT with a cluster per Parallel/Map', async () => {
    const result = await runCli(['graph', join(ROOT, 'workflows', 'batch-modify-spec.yaml'), '--format', 'dot']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digraph "riflow-batch-modify-spec" \{/);
    expect(result.stdout).toMatch(/subgraph cluster_c\d+ \{\n\s+label="Map /);
    expect(result.stdout).toMatch(/style=dashed/);
  });

  it('rejects an unknown format', async () => {
    const result = await runCli(['graph', WORKFLOW, '--format', 'svg']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--format must be mermaid or dot/);
  });
});

describe('help, version, usage errors', () => {
  it('prints help with every command and examples, and per-command help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['run', 'validate', 'graph', 'plan', 'invoke', 'history', 'emulator']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    const runHelp = await runCli(['run', '--help']);
    expect(runHelp.stdout).toMatch(/Examples:\n\s+riflow run --demo/);
    expect(runHelp.stdout).toMatch(/130 stopped with Ctrl-C/);
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command is one clear line, exit 1, with a suggestion', async () => {
    const result = await runCli(['rnu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: unknown command "rnu"\nDid you mean `riflow run`\?/);
  });
});
