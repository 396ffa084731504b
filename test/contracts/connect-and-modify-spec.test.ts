/**
 * The contract of workflows/connect-and-modify-spec.yaml, one behaviour per test, through the real interpreter, the
 * real handler bundles and the emulator over HTTP on the virtual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deriveClientToken } from '../../src/vpc/client-token';
import { GONE, catalogueCases, transientCases } from './codes';
import {
  CONFLICT_WAITS,
  POLL_CAP,
  TRANSIENT_WAITS,
  callsOf,
  failState,
  pollWaitSeconds,
  retriedErrors,
  retryGaps,
  scheduledWaits,
  secondsBetweenDescribes,
} from './history';
import { activeSeed, crossRegionSeed, otherPairSeed } from './seeds';
import { startContractStack, type ContractStack, type ContractStackOptions } from './stack';
import { ACCEPTOR, INITIATOR, REGION, demoPairSeed, overdueSeed } from '../e2e/seeds';

let stack: ContractStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const WORKFLOW = 'connect-and-modify-spec';
const CONNECT = 'ConnectRouterInterface';
const MODIFY = 'ModifyRouterInterfaceSpec';
const DESCRIBE = 'DescribeRouterInterfaces';
const input = (overrides: Record<string, string> = {}) => ({ regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Middle.1', ...overrides });
const start = async (options: ContractStackOptions = {}) => (stack = await startContractStack(options));
const initiator = (s: ContractStack) => s.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR);
const held = (status: 'Connecting' | 'Activating', count: number): ContractStackOptions['config'] => ({
  transitions: status === 'Connecting' ? { Connecting: { mode: 'describes', count } } : { Activating: { mode: 'describes', count }, Modifying: { mode: 'describes', count } },
});

describe('connect-and-modify-spec: the poll loops', () => {
  it('waits what the poll schedule says before each describe of the connect phase, up to the cap', async () => {
    await start({ config: held('Connecting', POLL_CAP - 1) });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    // The connect loop runs to the cap; the modify loop sees Active at its first describe.
    expect(pollWaitSeconds(events)).toEqual([...scheduledWaits(POLL_CAP), ...scheduledWaits(1)]);
    expect(secondsBetweenDescribes(events, 'Connect').slice(0, POLL_CAP)).toEqual(scheduledWaits(POLL_CAP));
  });

  it('waits what the poll schedule says in the modify phase, its attempt counter started again', async () => {
    await start({ config: held('Activating', POLL_CAP - 1) });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Succeeded', output: { status: 'Active', spec: 'Middle.1', connectChanged: true, specChanged: true } });
    expect(pollWaitSeconds(events)).toEqual([...scheduledWaits(1), ...scheduledWaits(POLL_CAP)]);
    expect(secondsBetweenDescribes(events, 'ModifySpec')).toEqual(scheduledWaits(POLL_CAP));
  });

  it.each(['Connecting', 'Activating'] as const)('gives up with PollTimeout after exactly the cap of describes while %s', async (status) => {
    await start({ config: held(status, POLL_CAP) });
    const { result, events, invocations } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'PollTimeout' });
    expect(failState(events)).toBe('PollGaveUp');
    const describes = invocations.filter((call) => call.stateName === 'Describe').length;
    expect(describes).toBe(status === 'Connecting' ? POLL_CAP : POLL_CAP + 1);
  });

  it('skips the modify when the link comes up at the target spec', async () => {
    await start({ seed: demoPairSeed({ spec: 'Middle.1' }) });
    const { result } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Succeeded', output: { connectChanged: true, specChanged: false } });
    expect(callsOf(stack!.emulator.control.calls(), MODIFY)).toEqual([]);
  });
});

describe('connect-and-modify-spec: Connect retries every conflict code with the conflict backoff, to the second', () => {
  it.each(catalogueCases('conflict', CONNECT))('$code', async ({ effect }) => {
    await start({ faults: [{ action: CONNECT, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Connect')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiator(stack!)).toMatchObject({ status: 'Active', spec: 'Middle.1' });
  });

  it.each(['IncorrectRIStatus', 'IncorrectStatus'] as const)('retries the wrong-status code the emulator answers for real (%s dialect), then ConnectFailed', async (dialect) => {
    await start({ seed: demoPairSeed({ status: 'Inactive' }, { status: 'Inactive' }), config: { statusErrorDialect: dialect } });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(callsOf(stack!.emulator.control.calls(), CONNECT).map((call) => call.code)).toEqual(Array(CONFLICT_WAITS.length + 1).fill(dialect));
    expect(retryGaps(events, 'Connect')).toEqual(CONFLICT_WAITS);
    expect(result).toMatchObject({ status: 'Failed', error: 'ConnectFailed' });
  });

  it('retries a concurrent connect between the same routers (for real), and refuses once that pair is connected', async () => {
    await start({ config: { transitions: { Connecting: { mode: 'delay', ms: 10_000 } } } });
    await stack!.emulator.control.seed(otherPairSeed('Connecting', stack!.clock.now()));
    const { result, events } = await stack!.run(WORKFLOW, input());
    // Tries at 0, 2 and 6 s meet the other connect; at 14 s that pair is Active.
    expect(retriedErrors(events, 'Connect')).toEqual(['StatusConflict', 'StatusConflict', 'StatusConflict']);
    expect(retryGaps(events, 'Connect')).toEqual(CONFLICT_WAITS.slice(0, 3));
    expect(result).toMatchObject({ status: 'Failed', error: 'ConnectionRefused' });
  });
});

describe('connect-and-modify-spec: every task retries every transient code with the transient backoff, to the second', () => {
  it.each(transientCases(CONNECT))('Connect: $code', async ({ effect }) => {
    await start({ faults: [{ action: CONNECT, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Connect')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });

  it.each(transientCases(DESCRIBE))('Describe: $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Describe')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });

  it.each(transientCases(MODIFY))('ModifySpec: $code', async ({ effect }) => {
    await start({ faults: [{ action: MODIFY, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'ModifySpec')).toEqual(TRANSIENT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiator(stack!)).toMatchObject({ status: 'Active', spec: 'Middle.1' });
  });
});

describe('connect-and-modify-spec: Describe and ModifySpec retry their conflict codes with the conflict backoff', () => {
  it.each(catalogueCases('conflict', DESCRIBE))('Describe: $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'Describe')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });

  it.each(catalogueCases('conflict', MODIFY))('ModifySpec: $code', async ({ effect }) => {
    await start({ faults: [{ action: MODIFY, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(retryGaps(events, 'ModifySpec')).toEqual(CONFLICT_WAITS);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
  });
});

describe('connect-and-modify-spec: each Catch routes to its Fail code, produced by the emulator', () => {
  const locked = () => demoPairSeed({ businessStatus: 'FinancialLocked' });
  it.each([
    { what: 'a missing interface', seed: undefined, runInput: input({ routerInterfaceId: 'ri-doesnotexist0000000000' }), fail: 'NotFound', code: 'RouterInterfaceNotFound' },
    { what: 'the accepting side', seed: undefined, runInput: input({ routerInterfaceId: ACCEPTOR }), fail: 'WrongRole', code: 'WrongRole' },
    { what: 'routers that already have a connected pair', seed: () => otherPairSeed('Active'), runInput: input(), fail: 'ConnectionRefused', code: 'ConnectionRefused' },
    { what: 'an account with overdue bills', seed: overdueSeed, runInput: input(), fail: 'AccountLocked', code: 'AccountLocked' },
    { what: 'a financially locked interface', seed: locked, runInput: input(), fail: 'AccountLocked', code: 'AccountLocked' },
    { what: 'a malformed interface id', seed: undefined, runInput: input({ routerInterfaceId: 'RI-NOT-AN-ID' }), fail: 'InvalidInput', code: 'InvalidInput' },
    { what: 'a spec the region pair does not offer (Mini.* across regions)', seed: crossRegionSeed, runInput: input({ spec: 'Mini.2' }), fail: 'UnsupportedSpec', code: 'UnsupportedSpec' },
  ])('$what → $fail', async ({ seed, runInput, fail, code }) => {
    const chosen = seed?.();
    await start(chosen ? { seed: chosen } : {});
    const { result, events } = await stack!.run(WORKFLOW, runInput);
    expect(result).toMatchObject({ status: 'Failed', error: code });
    expect(failState(events)).toBe(fail);
  });

  it('the interface gone while polling → NotFound', async () => {
    await start({ faults: [{ action: DESCRIBE, ...GONE }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: 'RouterInterfaceNotFound' });
    expect(failState(events)).toBe('NotFound');
  });

  it.each([
    { task: 'Connect', action: CONNECT, fail: 'ConnectFailed' },
    { task: 'Describe', action: DESCRIBE, fail: 'DescribeFailed' },
    { task: 'ModifySpec', action: MODIFY, fail: 'ModifySpecFailed' },
  ])('a refusal the catalogue does not list on $task → $fail, at once', async ({ action, fail }) => {
    await start({ faults: [{ action, error: { code: 'Refused.Unlisted', status: 400, message: 'No.' } }] });
    const { result, events } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Failed', error: fail, counts: { retries: 0 } });
    expect(failState(events)).toBe(fail);
  });

  it('an interface already Active at another spec is not connected again, only modified', async () => {
    await start({ seed: activeSeed() });
    const { result } = await stack!.run(WORKFLOW, input());
    expect(result).toMatchObject({ status: 'Succeeded', output: { connectChanged: false, specChanged: true } });
    expect(callsOf(stack!.emulator.control.calls(), CONNECT).map((call) => call.code)).toEqual(['IncorrectRIStatus']);
  });
});

describe('connect-and-modify-spec: the execution name reaches the ClientToken', () => {
  it('sends the token derived from the execution name, on every retry of the modify', async () => {
    await start({ faults: [{ action: MODIFY, calls: '0-1', error: { code: 'Throttling.User', status: 400 } }] });
    const { result } = await stack!.run(WORKFLOW, input(), 'connect-run-1');
    expect(result.status).toBe('Succeeded');
    const tokens = callsOf(stack!.emulator.control.calls(), MODIFY).map((call) => call.params.ClientToken);
    expect(tokens).toEqual(Array(3).fill(deriveClientToken('connect-run-1', INITIATOR, 'Middle.1')));
  });
});
