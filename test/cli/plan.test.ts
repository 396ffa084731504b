/** `riflow plan` against an emulator started here, in each situation, plus the pure decision table. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePlan } from '../../src/cli/plan/decide';
import { DEMO_ACCOUNT_ID, EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET, startEmulator, type RunningEmulator, type SeedDocument } from '../../src/emulator';
import { runCli } from './helpers';

const ROUTERS = [
  { id: 'vrt-a', regionId: 'cn-hangzhou', ownerId: DEMO_ACCOUNT_ID },
  { id: 'vrt-b', regionId: 'cn-hangzhou', ownerId: DEMO_ACCOUNT_ID },
];
const base = { regionId: 'cn-hangzhou', ownerId: DEMO_ACCOUNT_ID, routerId: 'vrt-a' } as const;
const SEED: SeedDocument = {
  accounts: [{ id: DEMO_ACCOUNT_ID, accessKeys: [{ accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET }] }],
  routers: ROUTERS,
  interfaces: [
    { ...base, routerInterfaceId: 'ri-idle', role: 'InitiatingSide', spec: 'Small.1', status: 'Idle' },
    { ...base, routerInterfaceId: 'ri-active', role: 'InitiatingSide', spec: 'Middle.1', status: 'Active' },
    { ...base, routerInterfaceId: 'ri-acceptor', role: 'AcceptingSide', spec: 'Negative', status: 'Idle', routerId: 'vrt-b' },
    { ...base, routerInterfaceId: 'ri-locked', role: 'InitiatingSide', spec: 'Small.1', status: 'Active', businessStatus: 'FinancialLocked' },
  ],
};

let emulator: RunningEmulator;
let env: Record<string, string>;
beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED, config: { preset: 'fast' } });
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret };
});
afterAll(() => emulator.stop());

const plan = (id: string, spec: string, ...extra: string[]) =>
  runCli(['plan', '--router-interface-id', id, '--spec', spec, '--endpoint', emulator.url, ...extra], { env });

describe('riflow plan (exit codes as terraform plan -detailed-exitcode)', () => {
  it('0: nothing to do when Active with the spec already', async () => {
    const result = await plan('ri-active', 'Middle.1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/= skip\s+ConnectRouterInterface\s+already Active/);
    expect(result.stdout).toMatch(/= skip\s+ModifyRouterInterfaceSpec\s+spec is already Middle\.1/);
    expect(result.stdout).toMatch(/No changes/);
  });

  it('2: changes for an Idle interface with another spec, as JSON too', async () => {
    const text = await plan('ri-idle', 'Large.1');
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/\+ run\s+ConnectRouterInterface/);
    expect(text.stdout).toMatch(/\+ run\s+ModifyRouterInterfaceSpec\s+Small\.1 \(10 Mbit\/s\) → Large\.1 \(1000 Mbit\/s\)/);
    const json = await plan('ri-idle', 'Large.1', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ v: 1, type: 'plan', result: 'changes', current: { status: 'Idle', spec: 'Small.1' } });
  });

  it.each([
    ['ri-acceptor', 'WrongRole'],
    ['ri-locked', 'AccountLocked'],
    ['ri-missing', 'RouterInterfaceNotFound'],
  ])('1: blocked (%s → %s)', async (id, code) => {
    const result = await plan(id, 'Large.1', '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { result: string; blockers: Array<{ code: string }>; steps: unknown[] };
    expect(parsed.result).toBe('blocked');
    expect(parsed.blockers.map((b) => b.code)).toContain(code);
    expect(parsed.steps).toEqual([]);
  });

  it('makes only describe calls, and none at all for invalid input', async () => {
    emulator.control.clearCalls();
    await plan('ri-idle', 'Large.1');
    expect(emulator.control.calls().map((call) => call.action)).toEqual(['DescribeRouterInterfaces']);
    emulator.control.clearCalls();
    const bad = await plan('ri-idle', 'large.1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/InvalidInput: --spec: must be one of .*did you mean "Large\.1"/);
    expect(bad.stderr).toMatch(/\[rule: enum\]/);
    const badId = await plan('RI-x', 'Large.1');
    expect(badId.stderr).toMatch(/InvalidInput: --router-interface-id: .*\[rule: format\]/);
    expect(emulator.control.calls()).toEqual([]);
  });

  it('needs credentials for an endpoint that is not an emulator', async () => {
    const result = await runCli(['plan', '--router-interface-id', 'ri-idle', '--spec', 'Large.1', '--endpoint', 'https://vpc.example.invalid']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no credentials for https:\/\/vpc\.example\.invalid/);
  });

  it("uses the emulator's keys automatically for a loopback emulator endpoint", async () => {
    const result = await runCli(['plan', '--router-interface-id', 'ri-active', '--spec', 'Middle.1', '--endpoint', emulator.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('riflow emulator, its local keys');
    expect(result.stdout).not.toContain(EMULATOR_ACCESS_KEY_SECRET);
  });
});

describe('decidePlan', () => {
  const ri = { routerInterfaceId: 'ri-x', role: 'InitiatingSide', businessStatus: 'Normal' };
  it('skips connect while a transition runs and changes the spec', () => {
    const plan = decidePlan('Large.1', { ...ri, status: 'Connecting', spec: 'Small.1' });
    expect(plan.result).toBe('changes');
    expect(plan.steps.map((s) => s.outcome)).toEqual(['skip', 'run']);
  });
  it('blocks an Inactive interface (Connect needs Idle)', () => {
    const plan = decidePlan('Large.1', { ...ri, status: 'Inactive', spec: 'Large.1' });
    expect(plan.result).toBe('blocked');
    expect(plan.blockers[0]?.message).toMatch(/activate it first/);
  });
});
