/**
 * The contract of workflows/modify-spec.yaml, one behaviour per test, through the real interpreter, the real handler
 * bundles and the emulator over HTTP on the virtual clock: the poll loop's waits and cap, each retry rule against
 * every code of its class, each Catch's Fail code, and the execution name in the ClientToken.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deriveClientToken } from '../../src/vpc/client-token';
import { GONE, catalogueCases, transientCases } from './codes';
import { CONFLICT_WAITS, POLL_CAP, TRANSIENT_WAITS, callsOf, failState, pollWaitSeconds, retryGaps, scheduledWaits, secondsBetweenDescribes } from './history';
import { startContractStack, type ContractStack, type ContractStackOptions } from './stack';
import { ACCEPTOR, INITIATOR, REGION, demoPairSeed, overdueSeed } from '../e2e/seeds';

let stack: ContractStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const WORKFLOW = 'modify-spec';
const MODIFY = 'ModifyRouterInterfaceSpec';
const DESCRIBE = 'DescribeRouterInterfaces';
const activeSeed = () => demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' });
const input = (overrides: Record<string, string> = {}) => ({ regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1', ...overrides });
const start = async (options: ContractStackOptions = {}) => (stack = await startContractStack({ seed: activeSeed(), ...options }));
const initiator = (s: ContractStack) => s.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR);
/** The spec change shows `count` in-progress describes: Activating (and Modifying) are held that long. */
const heldFor = (count: number): ContractStackOptions['config'] => ({
  transitions: { Activating: { mode: 'describes', count }, Modifying: { mode: 'describes', count } },
});

describe('modify-spec: the poll loop', () => {
  it('waits what the poll schedule says before each describe, up to the cap', async () => {
    await start({ config: heldFor(POLL_CAP - 1) });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(pollWaitSeconds(events)).toEqual(scheduledWaits(POLL_CAP));
    expect(secondsBetweenDescribes(events, 'ModifySpec')).toEqual(scheduledWaits(POLL_CAP));
  });

  it('still succeeds when the interface settles on the last poll the cap allows', async () => {
    await start({ config: heldFor(POLL_CAP - 1) });
    const { result, invocations } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Succeeded', output: { status: 'Active', spec: 'Large.1' } });
    expect(invocations.filter((call) => call.stateName === 'Describe')).toHaveLength(POLL_CAP);
  });

  it('gives up with PollTimeout after exactly the cap of describes', async () => {
    await start({ config: heldFor(POLL_CAP) });
    const { result, events, invocations } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'PollTimeout' });
    expect(failState(events)).toBe('PollGaveUp');
    expect(invocations.filter((call) => call.stateName === 'Describe')).toHaveLength(POLL_CAP);
  });

  it('ends in UnexpectedStatus when the interface settles somewhere else than Active (an Inactive one)', async () => {
    await start({ seed: demoPairSeed({ status: 'Inactive', spec: 'Small.1' }, { status: 'Inactive' }) });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'UnexpectedStatus' });
    expect(failState(events)).toBe('UnexpectedStatus');
  });
});

describe('modify-spec: ModifySpec retries every conflict code with the conflict backoff, to the second', () => {
  it.each(catalogueCases('conflict', MODIFY))('$code', async ({ effect }) => {
    await start({ faults: [{ action: MODIFY, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'ModifySpec')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiator(stack!)).toMatchObject({ status: 'Active', spec: 'Large.1' });
  });
});

describe('modify-spec: ModifySpec retries every transient code with the transient backoff, to the second', () => {
  it.each(transientCases(MODIFY))('$code', async ({ effect }) => {
    await start({ faults: [{ action: MODIFY, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'ModifySpec')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiator(stack!)).toMatchObject({ status: 'Active', spec: 'Large.1' });
  });
});

describe('modify-spec: Describe retries its conflict and transient codes', () => {
  // Call 0 of DescribeRouterInterfaces is the modify-spec handler's own read; the Describe task's start at 1.
  it.each(catalogueCases('conflict', DESCRIBE))('conflict $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `1-${CONFLICT_WAITS.length}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Describe')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });

  it.each(transientCases(DESCRIBE))('transient $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `1-${TRANSIENT_WAITS.length}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Describe')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });
});

describe('modify-spec: each Catch routes to its Fail code', () => {
  const lockedSeed = () => demoPairSeed({ status: 'Active', spec: 'Small.1', businessStatus: 'FinancialLocked' }, { status: 'Active' });
  it.each([
    { what: 'a missing interface', seed: activeSeed, runInput: input({ routerInterfaceId: 'ri-doesnotexist0000000000' }), fail: 'NotFound', code: 'RouterInterfaceNotFound' },
    { what: 'an acceptor (its spec cannot change)', seed: activeSeed, runInput: input({ routerInterfaceId: ACCEPTOR }), fail: 'UnsupportedSpec', code: 'UnsupportedSpec' },
    { what: 'an account with overdue bills', seed: overdueActive, runInput: input(), fail: 'AccountLocked', code: 'AccountLocked' },
    { what: 'a financially locked interface', seed: lockedSeed, runInput: input(), fail: 'AccountLocked', code: 'AccountLocked' },
    { what: 'a spec that does not exist (refused before any call)', seed: activeSeed, runInput: input({ spec: 'Huge.9' }), fail: 'InvalidInput', code: 'InvalidInput' },
  ])('$what → $fail', async ({ seed, runInput, fail, code }) => {
    await start({ seed: seed() });
    const { result, events } = await stack!.run(WORKFLOW, runInput);
    expect(result).toMatchObject({ status: 'Failed', error: code });
    expect(failState(events)).toBe(fail);
    expect(callsOf(stack!.emulator.control.calls(), MODIFY).filter((call) => call.status === 200)).toEqual([]);
  });

  it('a refusal the catalogue does not list → ModifySpecFailed, at once', async () => {
    await start({ faults: [{ action: MODIFY, error: { code: 'Refused.Unlisted', status: 400, message: 'No.' } }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'ModifySpecFailed', counts: { retries: 0 } });
    expect(failState(events)).toBe('ModifySpecFailed');
  });

  it('conflicts past the 8 retries → ModifySpecFailed after 9 tries', async () => {
    await start({ faults: [{ action: MODIFY, error: { code: 'InvalidInstance.StatusError', status: 400, message: 'busy' } }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'ModifySpecFailed' });
    expect(failState(events)).toBe('ModifySpecFailed');
    expect(callsOf(stack!.emulator.control.calls(), MODIFY)).toHaveLength(CONFLICT_WAITS.length + 1);
  });

  it('the interface gone while polling → NotFound', async () => {
    await start({ faults: [{ action: DESCRIBE, calls: '1-', ...GONE }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'RouterInterfaceNotFound' });
    expect(failState(events)).toBe('NotFound');
  });

  it('a describe refused in the poll loop → DescribeFailed', async () => {
    await start({ faults: [{ action: DESCRIBE, calls: '1-', error: { code: 'Refused.Unlisted', status: 400, message: 'No.' } }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'DescribeFailed' });
    expect(failState(events)).toBe('DescribeFailed');
  });
});

describe('modify-spec: the execution name reaches the ClientToken', () => {
  const tokens = (s: ContractStack) => callsOf(s.emulator.control.calls(), MODIFY).map((call) => call.params.ClientToken);

  it('sends the token derived from the execution name, the interface and the spec', async () => {
    await start();
    await stack!.run(WORKFLOW, input(), 'nightly-2026-12-01');
    expect(tokens(stack!)).toEqual([deriveClientToken('nightly-2026-12-01', INITIATOR, 'Large.1')]);
  });

  it('sends the same token on every retry of the step', async () => {
    await start({ faults: [{ action: MODIFY, calls: '0-2', error: { code: 'Throttling.User', status: 400 } }] });
    const { result } = await stack!.run(WORKFLOW, input(), 'retried-run');
    expect(result.status).toBe('Succeeded');
    expect(tokens(stack!)).toEqual(Array(4).fill(deriveClientToken('retried-run', INITIATOR, 'Large.1')));
  });

  it('a step delivered twice at once (CloudFlow runs a step at least once) is ordered once', async () => {
    // Both deliveries read the old spec before either write lands (the writes take 300 ms at the emulator); only the
    // shared token makes the second write a repeat of the first instead of a second order.
    await start({ faults: [{ action: MODIFY, latencyMs: 300 }] });
    const delivery = () =>
      stack!.invokeTask({
        action: 'FC:InvokeFunction',
        stateName: 'ModifySpec',
        executionName: 'delivered-twice',
        retryCount: 0,
        signal: new AbortController().signal,
        parameters: {
          resourceArn: 'acs:fc:cn-hangzhou:1468255470342387:functions/riflow-modify-spec/LATEST',
          body: { ...input(), executionName: 'delivered-twice' },
        },
      });
    await Promise.all([delivery(), delivery()]);
    expect(callsOf(stack!.emulator.control.calls(), MODIFY).filter((call) => call.status === 200)).toHaveLength(2);
    const orders = Object.keys(stack!.emulator.control.state().clientTokens).filter((key) => key.includes(`/${MODIFY}/`));
    expect(orders).toHaveLength(1);
  });

  it('sends a different token for a different execution name', async () => {
    await start();
    await stack!.run(WORKFLOW, input(), 'run-a');
    stack!.emulator.control.updateConfig({});
    await stack!.emulator.control.seed(activeSeed());
    await stack!.run(WORKFLOW, input(), 'run-b');
    const [first, second] = tokens(stack!);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first).not.toBe(second);
  });
});

function overdueActive() {
  const seed = overdueSeed();
  seed.interfaces = (seed.interfaces ?? []).map((ri) => ({ ...ri, status: 'Active' as const }));
  return seed;
}
