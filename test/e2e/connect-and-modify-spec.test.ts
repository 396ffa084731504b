import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness';
import { ACCEPTOR, INITIATOR, REGION, demoPairSeed, overdueSeed } from './seeds';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const input = (spec: string, routerInterfaceId = INITIATOR) => ({ regionId: REGION, routerInterfaceId, spec });
const writes = (s: Stack) =>
  s.emulator.control.calls().filter((call) => call.status === 200 && /^(Connect|Modify|Activate|Deactivate)/.test(call.action));

describe('connect-and-modify-spec, end to end (interpreter + handler bundles + emulator over HTTP)', () => {
  it('connects an Idle pair, waits until Active, changes the spec and waits again', async () => {
    stack = await startStack();
    const { result, invocations } = await stack.run('connect-and-modify-spec', input('Middle.1'));
    expect(result.status).toBe('Succeeded');
    expect(result.output).toMatchObject({ status: 'Active', spec: 'Middle.1', connectChanged: true, specChanged: true });
    expect(writes(stack).map((call) => call.action)).toEqual(['ConnectRouterInterface', 'ModifyRouterInterfaceSpec']);
    const [initiator, acceptor] = [INITIATOR, ACCEPTOR].map((id) => stack?.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === id));
    expect(initiator).toMatchObject({ status: 'Active', spec: 'Middle.1' });
    expect(acceptor).toMatchObject({ status: 'Active' });
    // Realistic timings: the connection takes seconds of (virtual) time, polled every 5 s.
    expect(invocations.filter((call) => call.functionName === 'riflow-describe').length).toBeGreaterThanOrEqual(2);
  });

  it('makes no API write when the interface is already Active at the target spec', async () => {
    stack = await startStack({ seed: demoPairSeed({ status: 'Active', spec: 'Middle.1' }, { status: 'Active' }) });
    const { result } = await stack.run('connect-and-modify-spec', input('Middle.1'));
    expect(result.status).toBe('Succeeded');
    expect(result.output).toMatchObject({ status: 'Active', spec: 'Middle.1', connectChanged: false, specChanged: false });
    expect(writes(stack)).toEqual([]);
  });

  it('skips the connect but changes the spec when already Active at another spec', async () => {
    stack = await startStack({ seed: demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' }) });
    const { result } = await stack.run('connect-and-modify-spec', input('Large.1'));
    expect(result.output).toMatchObject({ connectChanged: false, specChanged: true, spec: 'Large.1' });
    expect(writes(stack).map((call) => call.action)).toEqual(['ModifyRouterInterfaceSpec']);
  });

  it.each([
    { what: 'an interface that does not exist', seed: undefined, runInput: input('Middle.1', 'ri-doesnotexist0000000000'), code: 'RouterInterfaceNotFound' },
    { what: 'the accepting side', seed: undefined, runInput: input('Middle.1', ACCEPTOR), code: 'WrongRole' },
    { what: 'an account with overdue bills', seed: overdueSeed, runInput: input('Middle.1'), code: 'AccountLocked' },
    { what: 'a financially locked interface', seed: () => demoPairSeed({ businessStatus: 'FinancialLocked' }), runInput: input('Middle.1'), code: 'AccountLocked' },
    { what: 'a malformed interface id (refused before any call)', seed: undefined, runInput: input('Middle.1', 'RI-NOT-AN-ID'), code: 'InvalidInput' },
  ])('fails on $what with the Fail code $code', async ({ seed, runInput, code }) => {
    const chosen = seed?.();
    stack = await startStack(chosen ? { seed: chosen } : {});
    const { result } = await stack.run('connect-and-modify-spec', runInput);
    expect(result.status).toBe('Failed');
    expect(result.error).toBe(code);
    expect(writes(stack)).toEqual([]);
  });

  it('gives up polling with PollTimeout when the link never comes up', async () => {
    stack = await startStack();
    stack.emulator.control.updateConfig({ transitions: { ...stack.emulator.control.config().transitions, Connecting: { mode: 'delay', ms: 30 * 24 * 3600_000 } } });
    const started = stack.clock.now();
    const { result, invocations } = await stack.run('connect-and-modify-spec', input('Middle.1'));
    expect(result.status).toBe('Failed');
    expect(result.error).toBe('PollTimeout');
    expect(invocations.filter((call) => call.functionName === 'riflow-describe')).toHaveLength(40);
    // 40 polls on the schedule span tens of minutes of (virtual) time; the attempt cap, not a deadline, ends the loop.
    const minutes = (stack.clock.now() - started) / 60_000;
    expect(minutes).toBeGreaterThan(20);
    expect(minutes).toBeLessThan(120);
  });
});
