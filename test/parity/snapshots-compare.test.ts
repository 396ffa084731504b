/**
 * Reading snapshots (a broken one is refused with its file and where), comparing an observation with one (a doc
 * snapshot compares only what its page states; no snapshot is unconfirmed, never passed), and settling a snapshot
 * set into settings (a recording beats a doc page; two recordings that disagree are a conflict).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settleFromSnapshots } from '../../src/parity/apply';
import { fromTable, type ParityCase } from '../../src/parity/case';
import { PARITY_CASES } from '../../src/parity/cases/index';
import { compareCase } from '../../src/parity/compare';
import { parseSnapshot, readSnapshots, renderSnapshot, SnapshotError, type Snapshot } from '../../src/parity/snapshots';
import { ndjson, runCli } from '../cli/helpers';
import { ROOT, scratch } from './helpers';

const work = scratch();
afterAll(() => work.remove());

const CASE_IDS = new Set(PARITY_CASES.map((parityCase) => parityCase.id));

const lengthCase: ParityCase = {
  id: 'expr.string-length',
  title: 'length',
  settles: [fromTable('cloudflow.expressions.stringLength', 'cjk', { '2': 'code-points', '6': 'utf8-bytes' })],
  fixedIn: 'src/flow/expression',
  run: async () => ({}),
};

const recorded = (observation: Snapshot['observation'], caseId = 'expr.string-length'): Snapshot => ({
  caseId,
  source: { kind: 'recorded', account: 'masked', region: 'cn-hangzhou', date: '2026-12-01' },
  observation,
});
const doc = (observation: Snapshot['observation'], caseId = 'expr.string-length'): Snapshot => ({
  caseId,
  source: { kind: 'doc', page: 'https://example.com/page', quote: 'a quote' },
  observation,
});

function snapshotError(text: string, expected = 'fc.error-type'): SnapshotError {
  try {
    parseSnapshot(text, 'parity/snapshots/x.json', expected, CASE_IDS);
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('the snapshot reader', () => {
  const good = renderSnapshot(recorded({ errorType: 'X' }, 'fc.error-type'));

  it('reads what the writer writes', () => {
    expect(parseSnapshot(good, 'f.json', 'fc.error-type', CASE_IDS)).toMatchObject({ caseId: 'fc.error-type', observation: { errorType: 'X' } });
  });

  it('refuses a broken file, naming the file, the line and column, and the field', () => {
    expect(snapshotError('{\n  "format": "riflow-parity-snapshot",\n  "version": 1,\n}').message).toBe('parity/snapshots/x.json:4:1: not valid JSON (PropertyNameExpected)');
    expect(snapshotError(good.replace('"version": 1', '"version": 2')).message).toBe('parity/snapshots/x.json:3:3 version: must be 1');
    expect(snapshotError(good.replace('"fc.error-type"', '"fc.nope"')).message).toMatch(/^parity\/snapshots\/x\.json:4:3 case: must name a case of the suite/);
    expect(snapshotError(good, 'vpc.wrong-status').message).toBe('parity/snapshots/x.json:4:3 case: is "fc.error-type" but the file is named for "vpc.wrong-status"');
    expect(snapshotError(good.replace('"masked"', '"1468255470342387"')).message).toBe('parity/snapshots/x.json:7:5 source.account: must be "masked": a snapshot never holds an account id');
    expect(snapshotError(good.replace('"recorded"', '"guessed"')).message).toBe('parity/snapshots/x.json:6:5 source.kind: must be "recorded" or "doc"');
    expect(snapshotError(good.replace(/"observation": \{[^}]*\}/s, '"observation": {}')).message).toMatch(/observation: must be an object with at least one field$/);
  });

  it('refuses a file in the folder that is not <case>.json', () => {
    const dir = join(work.dir, 'stray');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(() => readSnapshots(dir, CASE_IDS)).toThrow(/notes\.txt:1:1: is not a snapshot/);
  });

  it('makes riflow parity exit 1 with the file and where it broke, before running anything', async () => {
    const dir = join(work.dir, 'corrupt');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fc.error-type.json'), '{"format": "riflow-parity-snapshot", "version": 1, "case": "fc.error-type", "source": ');
    const result = await runCli(['parity', '--snapshots', dir], { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`corrupt snapshot: ${join(dir, 'fc.error-type.json')}:1:87: not valid JSON (ValueExpected)`);
    expect(result.stdout).toBe('');
  });
});

describe('comparing an observation with a snapshot', () => {
  const inForce = (setting: string) => (setting === 'cloudflow.expressions.stringLength' ? 'code-points' : undefined);

  it('is unconfirmed without a snapshot, never passed', () => {
    expect(compareCase(lengthCase, undefined, { cjk: 2 }, inForce)).toMatchObject({ verdict: 'unconfirmed', differences: [] });
  });

  it('names the field and the setting that would make them agree', () => {
    expect(compareCase(lengthCase, recorded({ cjk: 6, status: 'Succeeded' }), { cjk: 2, status: 'Succeeded' }, inForce)).toMatchObject({
      verdict: 'differs',
      differences: [{ field: 'cjk', cloud: 6, twin: 2, suggestions: [{ setting: 'cloudflow.expressions.stringLength', value: 'utf8-bytes', inForce: 'code-points' }] }],
    });
  });

  it('points at the code when no setting explains the difference', () => {
    const result = compareCase(lengthCase, recorded({ cjk: 2, status: 'Failed' }), { cjk: 2, status: 'Succeeded' }, inForce);
    expect(result.differences).toEqual([{ field: 'status', cloud: 'Failed', twin: 'Succeeded', suggestions: [], fixedIn: 'src/flow/expression' }]);
    // The setting already has the value the snapshot implies: still a difference, and no suggestion to set it.
    const already = compareCase(lengthCase, recorded({ cjk: 6 }), { cjk: 2 }, () => 'utf8-bytes');
    expect(already.differences[0]).toMatchObject({ suggestions: [], fixedIn: 'src/flow/expression' });
  });

  it('compares only the fields a doc snapshot holds', () => {
    expect(compareCase(lengthCase, doc({ cjk: 2 }), { cjk: 2, emoji: 99, status: 'Failed' }, inForce)).toMatchObject({ verdict: 'agrees', fields: ['cjk'] });
  });

  it('fails a case whose twin run failed', () => {
    expect(compareCase(lengthCase, recorded({ cjk: 6 }), new Error('FlowNotExists'), inForce)).toMatchObject({ verdict: 'failed', error: 'FlowNotExists' });
  });
});

describe('settling a snapshot set', () => {
  const other: ParityCase = { ...lengthCase, id: 'other' };

  it('reads each rule from its snapshot, and leaves out what a snapshot implies nothing for', () => {
    const settled = settleFromSnapshots([lengthCase], new Map([['expr.string-length', recorded({ cjk: 6 })]]));
    expect([...settled.settled.values()]).toEqual([{ setting: 'cloudflow.expressions.stringLength', value: 'utf8-bytes', caseId: 'expr.string-length', source: recorded({}).source }]);
    expect(settleFromSnapshots([lengthCase], new Map([['expr.string-length', recorded({ cjk: 5 })]])).settled.size).toBe(0);
  });

  it('lets a recording win over a doc page, and refuses two recordings that disagree', () => {
    const mixed = settleFromSnapshots([lengthCase, other], new Map([['expr.string-length', doc({ cjk: 2 })], ['other', recorded({ cjk: 6 }, 'other')]]));
    expect(mixed.settled.get('cloudflow.expressions.stringLength')).toMatchObject({ value: 'utf8-bytes', caseId: 'other' });
    expect(mixed.overridden).toHaveLength(1);
    expect(mixed.conflicts).toEqual([]);
    const clash = settleFromSnapshots([lengthCase, other], new Map([['expr.string-length', recorded({ cjk: 2 })], ['other', recorded({ cjk: 6 }, 'other')]]));
    expect(clash.conflicts.map((conflict) => [conflict.setting, conflict.a.value, conflict.b.value])).toEqual([['cloudflow.expressions.stringLength', 'code-points', 'utf8-bytes']]);
  });
});

describe('the committed snapshots', () => {
  it('are all valid, and the twin agrees with every one (the doc-derived ones included)', async () => {
    const committed = readSnapshots(join(ROOT, 'parity', 'snapshots'), CASE_IDS);
    expect([...committed.values()].map((snapshot) => [snapshot.caseId, snapshot.source.kind])).toEqual([
      ['fc.error-type', 'doc'],
      ['vpc.wrong-status', 'doc'],
    ]);
    const result = await runCli(['parity', '--json', '--case', 'fc.error-type', '--case', 'vpc.wrong-status', '--case', 'expr.string-length'], { cwd: ROOT, env: { RIFLOW_POLICY: join(work.dir, 'none.json') } });
    // No such policy file: that is an error, not the built-in policy.
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read the policy file');
    writeFileSync(join(work.dir, 'none.json'), '{"format":"riflow-policy","version":1}');
    const compared = await runCli(['parity', '--json', '--case', 'fc.error-type', '--case', 'vpc.wrong-status', '--case', 'expr.string-length'], { cwd: ROOT, env: { RIFLOW_POLICY: join(work.dir, 'none.json') } });
    expect(compared.code).toBe(0);
    const lines = ndjson(compared.stdout);
    expect(lines.map((line) => [line.id ?? line.type, line.verdict ?? line.unconfirmed])).toEqual([
      ['fc.error-type', 'agrees'],
      ['vpc.wrong-status', 'agrees'],
      ['expr.string-length', 'unconfirmed'],
      ['parity.summary', 1],
    ]);
  }, 30_000);
});
