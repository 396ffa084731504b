/** `riflow plan --input` for a batch, and `riflow run` of the fleet workflow with `riflow history` after it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetSeed } from '../../bench/support/fleet-run';
import { startEmulator, type RunningEmulator, type SeedDocument } from '../../src/emulator';
import { ndjson, ROOT, runCli, scratchDir } from './helpers';

const TAG = { key: 'riflow-fleet', value: 'office-links' };

/** 60 tagged pairs at Small.1 (the acceptors tagged too), one of them locked, one Idle, one at Large.1, one reaching
 * cn-shanghai. */
function planSeed(): SeedDocument {
  const { seed } = fleetSeed(60, true, 1);
  const set = (id: string, fields: object) => Object.assign(seed.interfaces?.find((ri) => ri.routerInterfaceId === id) ?? {}, fields);
  set('ri-pair1init00000000000000', { businessStatus: 'FinancialLocked' });
  set('ri-pair2init00000000000000', { status: 'Idle' });
  set('ri-pair3init00000000000000', { spec: 'Large.1' });
  return seed;
}

let emulator: RunningEmulator;
let env: Record<string, string>;
beforeAll(async () => {
  emulator = await startEmulator({ seed: planSeed(), config: { preset: 'fast' } });
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret };
});
afterAll(() => emulator.stop());

const plan = (input: object, ...extra: string[]) => runCli(['plan', '--input', JSON.stringify(input), '--endpoint', emulator.url, ...extra], { env });

interface JsonPlan {
  result: string;
  counts: Record<string, number>;
  items: Array<{ routerInterfaceId: string; outcome: string; code?: string }>;
  apiCalls: number;
  estimate: { shards: number; modifyCalls: number };
}

describe('riflow plan --input (a batch)', () => {
  it('resolves a selector as the run does and says, per interface, what would change, be skipped or be refused', async () => {
    emulator.control.clearCalls();
    const result = await plan({ regionId: 'cn-hangzhou', spec: 'Large.1', select: { tag: TAG } }, '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as JsonPlan;
    expect(parsed).toMatchObject({ result: 'blocked', counts: { change: 57, skip: 1, refused: 2, excluded: 59 }, estimate: { shards: 3, modifyCalls: 57 } });
    const of = (id: string) => parsed.items.find((item) => item.routerInterfaceId === id);
    expect(of('ri-pair1init00000000000000')).toMatchObject({ outcome: 'refused', code: 'AccountLocked' });
    expect(of('ri-pair2init00000000000000')).toMatchObject({ outcome: 'refused', code: 'UnexpectedStatus' });
    expect(of('ri-pair3init00000000000000')).toMatchObject({ outcome: 'skip' });
    // The selector matched 120 tagged interfaces (the acceptors too): three pages, three reads, nothing else.
    expect(parsed.apiCalls).toBe(3);
    expect(emulator.control.calls().map((call) => call.action)).toEqual(['DescribeRouterInterfaces', 'DescribeRouterInterfaces', 'DescribeRouterInterfaces']);
  });

  it('plans a list of ids 5 a call, refusing what is missing, an acceptor, and a spec the region pair does not offer', async () => {
    const ids = ['ri-pair0init00000000000000', 'ri-pair4init00000000000000', 'ri-pair4acpt00000000000000', 'ri-nothere0000000000000000'];
    const result = await plan({ regionId: 'cn-hangzhou', spec: 'Mini.5', routerInterfaceIds: ids }, '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as JsonPlan;
    expect(parsed.items.map((item) => [item.outcome, item.code])).toEqual([
      ['refused', 'UnsupportedSpec'],
      ['change', undefined],
      ['refused', 'WrongRole'],
      ['refused', 'RouterInterfaceNotFound'],
    ]);
    expect(parsed.apiCalls).toBe(1);
    const text = await plan({ regionId: 'cn-hangzhou', spec: 'Mini.5', routerInterfaceIds: ids });
    expect(text.stdout).toMatch(/✗ refused\s+ri-pair0init00000000000000\s+UnsupportedSpec: Mini\.5 is not offered between cn-hangzhou and cn-shanghai/);
    expect(text.stdout).toMatch(/Blocked: a run would refuse 3 interfaces/);
  });

  it('exits 2 for changes and 0 when every interface is at its spec, for a batch-modify-spec input too', async () => {
    const changes = await plan({ regionId: 'cn-hangzhou', spec: 'Large.2', routerInterfaceIds: ['ri-pair5init00000000000000', 'ri-pair6init00000000000000'] });
    expect(changes.code).toBe(2);
    expect(changes.stdout).toMatch(/\+ change\s+ri-pair5init00000000000000\s+Small\.1 \(10 Mbit\/s\) → Large\.2 \(2000 Mbit\/s\)/);
    expect(changes.stdout).toMatch(/1 shard of up to 50 .*about 2 ModifyRouterInterfaceSpec/);
    const noop = await plan({ changes: [{ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-pair3init00000000000000', spec: 'Large.1' }] });
    expect(noop.code).toBe(0);
    expect(noop.stdout).toMatch(/No changes/);
  });

  it('refuses bad input before any call, naming the field and the rule', async () => {
    emulator.control.clearCalls();
    const empty = await plan({ regionId: 'cn-hangzhou', spec: 'Large.1', select: {} });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/InvalidInput: select: must name at least one of routerId, tag and namePattern.*\[rule: selector-empty\]/);
    const both = await runCli(['plan', '--input', '{}', '--spec', 'Large.1', '--endpoint', emulator.url], { env });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--spec goes with one interface/);
    expect(emulator.control.calls()).toEqual([]);
  });
});

describe('riflow run of the fleet workflow', () => {
  it('runs the shards as sub-executions, each with its own history, which riflow history lists with its parent', async () => {
    const scratch = scratchDir();
    try {
      const input = { regionId: 'cn-hangzhou', spec: 'Middle.1', select: { tag: TAG, namePattern: 'never-*' } };
      // No interface has a name: the pattern matches none, so the run plans 3 pages and changes nothing.
      const none = await runCli(['run', `${ROOT}/workflows/fleet-modify-spec.yaml`, '--fast', '--json', '--endpoint', emulator.url, '--input', JSON.stringify(input), '--name', 'fleet-none'], { cwd: scratch.dir, env, timeoutMs: 60_000 });
      expect(none.code).toBe(0);
      expect(ndjson(none.stdout).at(-1)).toMatchObject({ output: { total: 0, shards: 3 } });
      const ids = { regionId: 'cn-hangzhou', spec: 'Middle.1', routerInterfaceIds: ['ri-pair7init00000000000000', 'ri-pair8init00000000000000'] };
      const run = await runCli(['run', `${ROOT}/workflows/fleet-modify-spec.yaml`, '--fast', '--json', '--endpoint', emulator.url, '--input', JSON.stringify(ids), '--name', 'fleet-two'], { cwd: scratch.dir, env, timeoutMs: 60_000 });
      expect(run.code).toBe(0);
      const lines = ndjson(run.stdout);
      expect(lines.at(-1)).toMatchObject({ status: 'Succeeded', output: { total: 2, changed: 2, failed: 0, shards: 1 } });
      expect(lines.filter((line) => line.type === 'MapRunStarted')).toHaveLength(1);
      expect(lines.some((line) => line.state === 'ReadShard')).toBe(false);

      const listed = await runCli(['history', '--json'], { cwd: scratch.dir });
      const rows = ndjson(listed.stdout) as Array<{ name: string; status: string; parent?: string }>;
      const children = rows.filter((row) => row.parent === 'fleet-two');
      expect(children).toHaveLength(1);
      expect(children[0]?.name).toMatch(/^fleet-two-[0-9a-f]{8}-0$/);
      expect(children[0]?.status).toBe('Succeeded');
      const text = await runCli(['history'], { cwd: scratch.dir });
      expect(text.stdout).toMatch(new RegExp(`${children[0]?.name ?? ''}\\s+riflow-fleet-modify-spec\\s+Succeeded.*\\s+fleet-two\\n`));
      const replay = await runCli(['history', children[0]?.name ?? ''], { cwd: scratch.dir });
      expect(replay.stdout).toMatch(/sub-execution 0 of fleet-two \(ApplyShards\)/);
      expect(replay.stdout).toMatch(/ReadShard/);
    } finally {
      scratch.remove();
    }
  });
});
