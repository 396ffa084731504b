import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness';
import { ACCEPTOR, INITIATOR, REGION, connectedPairsSeed, demoPairSeed } from './seeds';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const active = () => demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' });
const successfulWrites = (s: Stack, action: string) => s.emulator.control.calls().filter((call) => call.action === action && call.status === 200);
const statusOf = (s: Stack, id: string) => s.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === id);

describe('modify-spec workflow', () => {
  it('changes the spec of an Active interface and waits until it is Active again', async () => {
    stack = await startStack({ seed: active() });
    const { result } = await stack.run('modify-spec', { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.2' });
    expect(result.status).toBe('Succeeded');
    expect(result.output).toMatchObject({ status: 'Active', spec: 'Large.2', specChanged: true });
    expect(statusOf(stack, INITIATOR)).toMatchObject({ status: 'Active', spec: 'Large.2' });
  });

  it('replaying the same execution name applies the change once (ClientToken from the execution name)', async () => {
    stack = await startStack({ seed: active() });
    const runInput = { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.2' };
    await stack.run('modify-spec', runInput, 'nightly-2026-11-24');
    await stack.run('modify-spec', runInput, 'nightly-2026-11-24');
    const tokens = new Set(successfulWrites(stack, 'ModifyRouterInterfaceSpec').map((call) => call.params.ClientToken));
    expect(tokens.size).toBe(1);
  });

  it.each([
    { what: 'an unsupported spec', runInput: { spec: 'Huge.9' }, code: 'InvalidInput' },
    { what: 'the accepting side', runInput: { routerInterfaceId: ACCEPTOR }, code: 'UnsupportedSpec' },
    { what: 'an interface that does not exist', runInput: { routerInterfaceId: 'ri-doesnotexist0000000000' }, code: 'RouterInterfaceNotFound' },
  ])('fails on $what with $code and changes nothing', async ({ runInput, code }) => {
    stack = await startStack({ seed: active() });
    const { result } = await stack.run('modify-spec', { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.2', ...runInput });
    expect(result.status).toBe('Failed');
    expect(result.error).toBe(code);
    expect(successfulWrites(stack, 'ModifyRouterInterfaceSpec')).toEqual([]);
  });
});

describe('deactivate workflow', () => {
  it('deactivates an Active interface and waits until it is Inactive', async () => {
    stack = await startStack({ seed: active() });
    const { result } = await stack.run('deactivate', { regionId: REGION, routerInterfaceId: INITIATOR });
    expect(result.status).toBe('Succeeded');
    expect(result.output).toMatchObject({ status: 'Inactive', deactivateChanged: true });
    expect(statusOf(stack, INITIATOR)).toMatchObject({ status: 'Inactive' });
  });

  it('makes no API write when the interface is already Inactive', async () => {
    stack = await startStack({ seed: demoPairSeed({ status: 'Inactive' }, { status: 'Inactive' }) });
    const { result } = await stack.run('deactivate', { regionId: REGION, routerInterfaceId: INITIATOR });
    expect(result.output).toMatchObject({ status: 'Inactive', deactivateChanged: false });
    expect(successfulWrites(stack, 'DeactivateRouterInterface')).toEqual([]);
  });

  it('fails with DeactivateFailed on an Idle interface (never connected) once the retries run out', async () => {
    stack = await startStack();
    const { result } = await stack.run('deactivate', { regionId: REGION, routerInterfaceId: INITIATOR });
    expect(result.status).toBe('Failed');
    expect(result.error).toBe('DeactivateFailed');
    expect(result.counts.retries).toBe(8);
  });
});

describe('batch-modify-spec workflow', () => {
  it('applies every change, reporting each outcome, and one bad item never aborts the rest', async () => {
    const { seed, initiators } = connectedPairsSeed(3);
    stack = await startStack({ seed });
    const changes = [
      { regionId: REGION, routerInterfaceId: initiators[0], spec: 'Large.1' },
      { regionId: REGION, routerInterfaceId: 'ri-doesnotexist0000000000', spec: 'Large.1' },
      { regionId: REGION, routerInterfaceId: initiators[1], spec: 'Small.1' },
      { regionId: REGION, routerInterfaceId: initiators[2], spec: 'Huge.9' },
    ];
    const { result } = await stack.run('batch-modify-spec', { changes });
    expect(result.status).toBe('Succeeded');
    const results = (result.output as { results: Array<{ outcome: string; routerInterfaceId: string; specChanged?: boolean; error?: { Code: string; Detail: string } }> }).results;
    expect(results.map((item) => item.outcome)).toEqual(['succeeded', 'failed', 'succeeded', 'failed']);
    expect(results[1]?.error).toMatchObject({ Code: 'RouterInterfaceNotFound', Detail: expect.stringMatching(/^InvalidRouterInterfaceId\.NotFound \(HTTP 404\): /) });
    expect(results[2]?.specChanged).toBe(false);
    expect(results[3]?.error?.Code).toBe('InvalidInput');
    expect(statusOf(stack, initiators[0] as string)).toMatchObject({ status: 'Active', spec: 'Large.1' });
    expect(statusOf(stack, initiators[2] as string)).toMatchObject({ status: 'Active', spec: 'Small.1' });
  });
});
