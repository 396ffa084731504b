/**
 * The contract of workflows/deactivate.yaml, one behaviour per test, through the real interpreter, the real handler
 * bundles and the emulator over HTTP on the virtual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GONE, catalogueCases, transientCases } from './codes';
import { CONFLICT_WAITS, POLL_CAP, TRANSIENT_WAITS, callsOf, failState, pollWaitSeconds, retryGaps, scheduledWaits, secondsBetweenDescribes } from './history';
import { activeSeed } from './seeds';
import { startContractStack, type ContractStack, type ContractStackOptions } from './stack';
import { INITIATOR, REGION, demoPairSeed } from '../e2e/seeds';

let stack: ContractStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const WORKFLOW = 'deactivate';
const DEACTIVATE = 'DeactivateRouterInterface';
const DESCRIBE = 'DescribeRouterInterfaces';
const input = (overrides: Record<string, string> = {}) => ({ regionId: REGION, routerInterfaceId: INITIATOR, ...overrides });
const start = async (options: ContractStackOptions = {}) => (stack = await startContractStack({ seed: activeSeed(), ...options }));
const initiator = (s: ContractStack) => s.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR);
const held = (count: number): ContractStackOptions['config'] => ({ transitions: { Deactivating: { mode: 'describes', count } } });

describe('deactivate: the poll loop', () => {
  it('waits what the poll schedule says before each describe, up to the cap', async () => {
    await start({ config: held(POLL_CAP - 1) });
    const { result, events, invocations } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Succeeded', output: { status: 'Inactive', deactivateChanged: true } });
    expect(pollWaitSeconds(events)).toEqual(scheduledWaits(POLL_CAP));
    expect(secondsBetweenDescribes(events, 'Deactivate')).toEqual(scheduledWaits(POLL_CAP));
    expect(invocations.filter((call) => call.stateName === 'Describe')).toHaveLength(POLL_CAP);
  });

  it('gives up with PollTimeout after exactly the cap of describes', async () => {
    await start({ config: held(POLL_CAP) });
    const { result, events, invocations } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'PollTimeout' });
    expect(failState(events)).toBe('PollGaveUp');
    expect(invocations.filter((call) => call.stateName === 'Describe')).toHaveLength(POLL_CAP);
  });

  it('makes no write when the interface is already Inactive', async () => {
    await start({ seed: demoPairSeed({ status: 'Inactive' }, { status: 'Inactive' }) });
    const { result } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Succeeded', output: { status: 'Inactive', deactivateChanged: false } });
    expect(callsOf(stack!.emulator.control.calls(), DEACTIVATE).filter((call) => call.status === 200)).toEqual([]);
  });
});

describe('deactivate: every task retries every code of its classes with the documented backoff, to the second', () => {
  it.each(catalogueCases('conflict', DEACTIVATE))('Deactivate, conflict: $code', async ({ effect }) => {
    await start({ faults: [{ action: DEACTIVATE, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Deactivate')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiator(stack!)).toMatchObject({ status: 'Inactive' });
  });

  it.each(transientCases(DEACTIVATE))('Deactivate, transient: $code', async ({ effect }) => {
    await start({ faults: [{ action: DEACTIVATE, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Deactivate')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiator(stack!)).toMatchObject({ status: 'Inactive' });
  });

  it.each(catalogueCases('conflict', DESCRIBE))('Describe, conflict: $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Describe')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });

  it.each(transientCases(DESCRIBE))('Describe, transient: $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Describe')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });

  it('retries the wrong status the emulator answers for real (an Idle interface), then DeactivateFailed', async () => {
    await start({ seed: 'demo' });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(callsOf(stack!.emulator.control.calls(), DEACTIVATE).map((call) => call.code)).toEqual(Array(CONFLICT_WAITS.length + 1).fill('IncorrectStatus'));
    expect(retryGaps(events, 'Deactivate')).toEqual(CONFLICT_WAITS);
    expect(result).toMatchObject({ status: 'Failed', error: 'DeactivateFailed' });
  });
});

describe('deactivate: each Catch routes to its Fail code', () => {
  it.each([
    { what: 'a missing interface', seed: activeSeed, runInput: input({ routerInterfaceId: 'ri-doesnotexist0000000000' }), fail: 'NotFound', code: 'RouterInterfaceNotFound' },
    { what: 'a financially locked interface', seed: () => demoPairSeed({ status: 'Active', businessStatus: 'FinancialLocked' }, { status: 'Active' }), runInput: input(), fail: 'AccountLocked', code: 'AccountLocked' },
    { what: 'a malformed interface id', seed: activeSeed, runInput: input({ routerInterfaceId: 'RI-NOT-AN-ID' }), fail: 'InvalidInput', code: 'InvalidInput' },
  ])('$what → $fail', async ({ seed, runInput, fail, code }) => {
    await start({ seed: seed() });
    const { result, events } = await stack!.run(WORKFLOW, runInput);
    expect(result).toMatchObject({ status: 'Failed', error: code });
    expect(failState(events)).toBe(fail);
    expect(callsOf(stack!.emulator.control.calls(), DEACTIVATE).filter((call) => call.status === 200)).toEqual([]);
  });

  it('the interface gone while polling → NotFound', async () => {
    await start({ faults: [{ action: DESCRIBE, ...GONE }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'RouterInterfaceNotFound' });
    expect(failState(events)).toBe('NotFound');
  });

  it.each([
    { task: 'Deactivate', action: DEACTIVATE, fail: 'DeactivateFailed' },
    { task: 'Describe', action: DESCRIBE, fail: 'DescribeFailed' },
  ])('a refusal the catalogue does not list on $task → $fail, at once', async ({ action, fail }) => {
    await start({ faults: [{ action, error: { code: 'Refused.Unlisted', status: 400, message: 'No.' } }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: fail, counts: { retries: 0 } });
    expect(failState(events)).toBe(fail);
  });
});
