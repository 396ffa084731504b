/**
 * The whole loop, with no network: record every case on "the cloud" (an emulator that differs from the twin in
 * known places; deploy and remove injected), compare the twin with those snapshots through the real CLI (each
 * difference names the case, the field and the setting), apply them, and compare again: everything agrees.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_INITIATOR_ID } from '../../src/emulator/index';
import { PARITY_CASES } from '../../src/parity/cases/index';
import { runMask } from '../../src/parity/observe';
import { record, type RecordResult } from '../../src/parity/record';
import { ndjson, runCli } from '../cli/helpers';
import { fakeDeployer, ROOT, scratch, startFakeCloud, type FakeCloud } from './helpers';

let cloud: FakeCloud;
const work = scratch();
const snapshotsDir = join(work.dir, 'snapshots');
const policyFile = join(work.dir, 'riflow.policy.json');
let recorded: RecordResult;
const steps: string[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
  const fake = fakeDeployer();
  recorded = await record({
    cases: PARITY_CASES,
    context: cloud.context,
    deployer: fake.deployer,
    snapshotsDir,
    region: 'cn-hangzhou',
    date: '2026-12-01',
    mask: runMask(cloud.context.runId, [[DEMO_ACCOUNT_ID, '<account-id>'], [DEMO_INITIATOR_ID, '<test-pair>']]),
    onProgress: (line) => steps.push(line.startsWith('recording') ? 'case' : line),
  });
  steps.push(...fake.steps.map((step) => `deployer.${step}`));
}, 60_000);

afterAll(async () => {
  await cloud.stop();
  work.remove();
});

/** `riflow parity` through the built CLI, against these snapshots and this policy file. */
async function parity(args: string[]) {
  const result = await runCli(['parity', '--snapshots', snapshotsDir, '--policy', policyFile, '--json', ...args], { cwd: ROOT, timeoutMs: 60_000 });
  const lines = ndjson(result.stdout);
  const cases = new Map(lines.filter((line) => line.type === 'parity.case').map((line) => [line.id as string, line]));
  return { ...result, lines, cases };
}

function suggestionsOf(line: Record<string, unknown> | undefined): Array<{ field: string; setting: string; value: unknown }> {
  const differences = (line?.differences ?? []) as Array<{ field: string; suggestions: Array<{ setting: string; value: unknown }> }>;
  return differences.flatMap((difference) => difference.suggestions.map((suggestion) => ({ field: difference.field, setting: suggestion.setting, value: suggestion.value })));
}

describe('riflow parity: record, compare, apply', () => {
  it('records every case between one deploy and one removal, and writes one masked snapshot per case', () => {
    expect(recorded.deployError).toBeUndefined();
    expect(recorded.removeError).toBeUndefined();
    expect(recorded.cases.map((entry) => [entry.id, entry.outcome])).toEqual(PARITY_CASES.map((parityCase) => [parityCase.id, 'recorded']));
    // Deploy first, every case, removal last.
    expect(steps[0]).toBe('deploying the probes');
    expect(steps.at(-3)).toBe('removing the probes');
    expect(steps.slice(-2)).toEqual(['deployer.deploy', 'deployer.remove']);
    expect(readdirSync(snapshotsDir).sort()).toEqual(PARITY_CASES.map((parityCase) => `${parityCase.id}.json`).sort());
  });

  it('masks ids, times, request ids and the account, and keeps a stable key order', () => {
    for (const file of readdirSync(snapshotsDir)) {
      const text = readFileSync(join(snapshotsDir, file), 'utf8');
      expect(text, file).not.toContain(cloud.context.runId);
      expect(text, file).not.toContain(DEMO_ACCOUNT_ID);
      expect(text, file).not.toContain(DEMO_INITIATOR_ID);
      expect(text, file).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(text, file).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      const doc = JSON.parse(text) as { source: unknown; observation: Record<string, unknown> };
      expect(doc.source).toEqual({ kind: 'recorded', account: 'masked', region: 'cn-hangzhou', date: '2026-12-01' });
      expect(Object.keys(doc.observation)).toEqual(Object.keys(doc.observation).sort());
    }
    const already = JSON.parse(readFileSync(join(snapshotsDir, 'cloudflow.execution-already-exists.json'), 'utf8')) as { observation: Record<string, unknown> };
    expect(already.observation).toMatchObject({ code: 'ExecutionAlreadyExists', httpStatus: 400, message: "Execution 'parity-<run>-already-exists' already exists." });
  });

  it('compares the twin with the snapshots: each difference names the case, the field and the setting (exit 2)', async () => {
    writeFileSync(policyFile, '{"format": "riflow-policy", "version": 1}\n');
    const result = await parity([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(result.cases.get('expr.string-length')).toMatchObject({ verdict: 'differs' });
    expect(suggestionsOf(result.cases.get('expr.string-length'))).toEqual([
      { field: 'cjk', setting: 'cloudflow.expressions.stringLength', value: 'utf8-bytes' },
      { field: 'emoji', setting: 'cloudflow.expressions.stringLength', value: 'utf8-bytes' },
    ]);
    expect(suggestionsOf(result.cases.get('flow.state-history'))).toEqual([{ field: 'events', setting: 'cloudflow.history.taskStarted', value: false }]);
    expect(suggestionsOf(result.cases.get('flow.retry'))).toEqual([{ field: 'events', setting: 'cloudflow.history.taskStarted', value: false }]);
    expect(suggestionsOf(result.cases.get('vpc.wrong-status'))).toEqual([{ field: 'code', setting: 'emulator.statusErrorDialect', value: 'IncorrectStatus' }]);
    expect(suggestionsOf(result.cases.get('fc.error-type'))).toEqual([{ field: 'errorType', setting: 'localFc.errorType', value: 'name-property' }]);
    expect(suggestionsOf(result.cases.get('flow.task-error'))).toEqual([{ field: 'matched', setting: 'localFc.errorType', value: 'name-property' }]);
    expect(suggestionsOf(result.cases.get('cloudflow.execution-already-exists'))).toEqual([{ field: 'httpStatus', setting: 'emulator.executionAlreadyExistsStatus', value: 400 }]);
    // Where the two sides agree, they agree.
    expect(result.cases.get('expr.regex-argument-order')).toMatchObject({ verdict: 'agrees', differences: [] });
    expect(result.lines.at(-1)).toMatchObject({ type: 'parity.summary', differs: 7, failed: 0, unconfirmed: 0 });
  }, 60_000);

  it('applies the snapshots to the policy file, after which every case agrees (exit 0)', async () => {
    const applied = await runCli(['parity', '--apply', '--snapshots', snapshotsDir, '--policy', policyFile], { cwd: ROOT });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`written to ${policyFile}`);
    const file = JSON.parse(readFileSync(policyFile, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(file.cloudflow).toMatchObject({ expressions: { stringLength: 'utf8-bytes' }, history: { taskStarted: false } });
    expect(file.localFc).toMatchObject({ errorType: 'name-property' });
    expect(file.emulator).toEqual({ statusErrorDialect: 'IncorrectStatus', executionAlreadyExistsStatus: 400 });
    expect(file.sources?.['cloudflow.expressions.stringLength']).toBe('recorded in cn-hangzhou on 2026-12-01 (case expr.string-length)');

    const again = await parity([]);
    expect(again.code).toBe(0);
    expect([...again.cases.values()].filter((line) => line.verdict !== 'agrees').map((line) => [line.id, line.differences])).toEqual([]);
    expect(again.lines.at(-1)).toMatchObject({ type: 'parity.summary', agrees: PARITY_CASES.length, differs: 0 });
  }, 60_000);
});
