/**
 * The policy file in force, as every command that runs the twin reads it: riflow run, emulator, console and
 * parity. A value in the file changes what the twin does; a broken file stops the command before anything runs.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import RPCClient from '@alicloud/pop-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_INITIATOR_ID, EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET } from '../../src/emulator/index';
import { emulatorReady, ndjson, ROOT, runCli, scratchDir, spawnCli } from './helpers';

const work = scratchDir();
afterAll(() => work.remove());

function policyFile(name: string, body: object | string): string {
  const path = join(work.dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify({ format: 'riflow-policy', version: 1, ...body }));
  return path;
}

const BROKEN = '{"format": "riflow-policy", "version": 1, "cloudflow": {"missingPath": "maybe"}}';

describe('the policy file in force', () => {
  it('changes what riflow run does (length() counting UTF-8 bytes), and the run says which file is in force', async () => {
    const policy = policyFile('bytes.json', { cloudflow: { expressions: { stringLength: 'utf8-bytes' } } });
    const workflow = join(ROOT, 'parity', 'flows', 'string-length.yaml');
    const withPolicy = await runCli(['run', workflow, '--input', '{}', '--json', '--fast', '--policy', policy], { cwd: work.dir });
    expect(withPolicy.code).toBe(0);
    const lines = ndjson(withPolicy.stdout);
    expect(lines[0]).toMatchObject({ type: 'riflow.stream', policy: 'bytes.json' });
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'Succeeded', output: { cjk: 6, emoji: 4 } });
    // Named by RIFLOW_POLICY instead, and found as riflow.policy.json in a folder above the current one.
    const viaEnv = await runCli(['run', workflow, '--input', '{}', '--json', '--fast'], { cwd: work.dir, env: { RIFLOW_POLICY: policy } });
    expect(ndjson(viaEnv.stdout).at(-1)).toMatchObject({ output: { cjk: 6, emoji: 4 } });
    const project = join(work.dir, 'project');
    mkdirSync(join(project, 'deep'), { recursive: true });
    copyFileSync(policy, join(project, 'riflow.policy.json'));
    const found = await runCli(['run', workflow, '--input', '{}', '--json', '--fast'], { cwd: join(project, 'deep') });
    expect(ndjson(found.stdout)[0]).toMatchObject({ policy: join(project, 'riflow.policy.json') });
    expect(ndjson(found.stdout).at(-1)).toMatchObject({ output: { cjk: 6, emoji: 4 } });
    const withoutPolicy = await runCli(['run', workflow, '--input', '{}', '--json', '--fast'], { cwd: work.dir });
    expect(ndjson(withoutPolicy.stdout).at(-1)).toMatchObject({ output: { cjk: 2, emoji: 1 } });
    expect(ndjson(withoutPolicy.stdout)[0]).toMatchObject({ policy: null });
  });

  it('refuses a broken policy file in run, invoke, emulator, console and parity with the file, line, setting and rule, before anything runs', async () => {
    const broken = policyFile('broken.json', BROKEN);
    const expected = `invalid policy file: ${broken}:1:57 cloudflow.missingPath: must be one of "omit", "null" [rule: enum]`;
    for (const args of [['run', '--demo', '--fast'], ['invoke', 'describe'], ['emulator'], ['console'], ['parity'], ['parity', '--show-policy']]) {
      const result = await runCli([...args, '--policy', broken], { cwd: ROOT });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain(expected);
      expect(result.stdout, args.join(' ')).toBe('');
    }
    const missing = await runCli(['run', '--demo', '--policy', join(work.dir, 'absent.json')], { cwd: ROOT });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the policy file');
  });

  it('checks emulator values with the emulator\'s own rules', async () => {
    const policy = policyFile('status.json', { emulator: { executionAlreadyExistsStatus: 700 } });
    const result = await runCli(['parity', '--show-policy', '--policy', policy], { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('emulator.executionAlreadyExistsStatus: must be an HTTP error status, an integer from 400 to 599 [rule: range]');
  });

  it('is listed setting by setting by riflow parity --show-policy, marking what the file sets', async () => {
    const policy = policyFile('show.json', { emulator: { statusErrorDialect: 'IncorrectStatus' }, sources: { 'emulator.statusErrorDialect': 'recorded in cn-hangzhou on 2026-12-01 (case vpc.wrong-status)' } });
    const shown = await runCli(['parity', '--show-policy', '--json', '--policy', policy], { cwd: ROOT });
    expect(shown.code).toBe(0);
    const [line] = ndjson(shown.stdout) as Array<{ file: string; settings: Array<{ path: string; value: unknown; fromFile: boolean; source?: string }> }>;
    expect(line?.file).toBe(policy);
    const byPath = new Map(line?.settings.map((setting) => [setting.path, setting]));
    expect(byPath.get('emulator.statusErrorDialect')).toEqual({ path: 'emulator.statusErrorDialect', value: 'IncorrectStatus', fromFile: true, source: 'recorded in cn-hangzhou on 2026-12-01 (case vpc.wrong-status)' });
    expect(byPath.get('emulator.executionAlreadyExistsStatus')).toEqual({ path: 'emulator.executionAlreadyExistsStatus', value: 409, fromFile: false });
    expect(byPath.get('cloudflow.expressions.stringLength')).toEqual({ path: 'cloudflow.expressions.stringLength', value: 'code-points', fromFile: false });
    const text = await runCli(['parity', '--show-policy', '--policy', policy], { cwd: ROOT });
    expect(text.stdout).toMatch(/emulator\.statusErrorDialect\s+"IncorrectStatus"\s+policy file: recorded in cn-hangzhou/);
  });

  it('sets riflow emulator\'s wrong-status dialect', async () => {
    const policy = policyFile('dialect.json', { emulator: { statusErrorDialect: 'IncorrectStatus' } });
    const child = spawnCli(['emulator', '--fast', '--policy', policy], { cwd: ROOT });
    try {
      const { url, output } = await emulatorReady(child, 10_000);
      expect(output()).toContain(`policy: ${policy} (1 setting)`);
      const client = new RPCClient({ endpoint: url, apiVersion: '2016-04-28', accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET });
      const failure = await client.request('ActivateRouterInterface', { RegionId: 'cn-hangzhou', RouterInterfaceId: DEMO_INITIATOR_ID }, { method: 'POST' }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'IncorrectStatus' });
    } finally {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
