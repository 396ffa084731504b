/**
 * riflow parity's refusals, all before anything runs or is deployed: a recording without credentials or with a bad
 * account, flags that do not go together, snapshots that disagree, a policy file --apply would replace while broken.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSnapshot } from '../../src/parity/snapshots';
import { runCli } from '../cli/helpers';
import { ROOT, scratch } from './helpers';

const work = scratch();
afterAll(() => work.remove());

const source = { kind: 'recorded', account: 'masked', region: 'cn-hangzhou', date: '2026-12-01' } as const;

describe('riflow parity refuses', () => {
  it('to record without credentials, or with an account id that is not one, deploying nothing', async () => {
    const none = await runCli(['parity', '--record'], { cwd: ROOT });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('riflow parity --record needs credentials for your account');
    expect(none.stderr).toContain('Nothing was deployed.');
    const bad = await runCli(['parity', '--record', '--region', 'eu-central-1'], {
      cwd: ROOT,
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret', ALIBABA_CLOUD_ACCOUNT_ID: '12345' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ALIBABA_CLOUD_ACCOUNT_ID must be the 16-digit account id');
    expect(bad.stderr).toContain('RIFLOW_REGION is "eu-central-1"');
    expect(bad.stderr).not.toContain('deploy -y');
  });

  it('flags that do not go together, and a case it does not have', async () => {
    const both = await runCli(['parity', '--record', '--apply'], { cwd: ROOT });
    expect([both.code, both.stderr]).toEqual([1, expect.stringContaining('--record and --apply cannot be combined')]);
    const pair = await runCli(['parity', '--test-pair', 'ri-abc'], { cwd: ROOT });
    expect([pair.code, pair.stderr]).toEqual([1, expect.stringContaining('--test-pair applies with --record only')]);
    const unknown = await runCli(['parity', '--case', 'fc.nope'], { cwd: ROOT });
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('--case fc.nope is not a case (cases: fc.error-type, ')]);
    const applyOne = await runCli(['parity', '--apply', '--case', 'fc.error-type'], { cwd: ROOT });
    expect([applyOne.code, applyOne.stderr]).toEqual([1, expect.stringContaining('--case does not apply with --apply')]);
    const outside = await runCli(['parity'], { cwd: work.dir });
    expect([outside.code, outside.stderr]).toEqual([1, expect.stringContaining('no parity/s.yaml found in this folder or above')]);
  });

  it('to apply snapshots that disagree, writing nothing', async () => {
    const dir = join(work.dir, 'disagree');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fc.error-type.json'), renderSnapshot({ caseId: 'fc.error-type', source, observation: { errorType: 'ParityClassName' } }));
    writeFileSync(join(dir, 'flow.task-error.json'), renderSnapshot({ caseId: 'flow.task-error', source, observation: { matched: 'name-property' } }));
    const policy = join(work.dir, 'disagree.policy.json');
    const result = await runCli(['parity', '--apply', '--snapshots', dir, '--policy', policy], { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the snapshots disagree, nothing was written');
    expect(result.stderr).toContain('localFc.errorType: "class-name" (recorded in cn-hangzhou on 2026-12-01 (case fc.error-type)) vs "name-property"');
    expect(() => readFileSync(policy)).toThrow();
  });

  it('to replace a policy file that is broken', async () => {
    const dir = join(work.dir, 'fine');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'expr.string-length.json'), renderSnapshot({ caseId: 'expr.string-length', source, observation: { cjk: 6, emoji: 4 } }));
    const policy = join(work.dir, 'broken.policy.json');
    writeFileSync(policy, '{"format": "riflow-policy", "version": 1, ');
    const result = await runCli(['parity', '--apply', '--snapshots', dir, '--policy', policy], { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`invalid policy file: ${policy}:1:43`);
    expect(readFileSync(policy, 'utf8')).toBe('{"format": "riflow-policy", "version": 1, ');
  });
});
