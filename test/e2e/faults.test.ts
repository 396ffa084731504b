import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/emulator/index';
import { seededRandom } from '../../src/emulator/seeded-random';
import { startStack, type Stack } from './harness';
import { INITIATOR, REGION, demoPairSeed } from './seeds';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>';

/** Scripted faults: each hits the first calls of an action, then the cloud behaves. */
const scripted: Array<{ name: string; fault: Omit<FaultRule, 'action'> }> = [
  { name: 'throttling', fault: { calls: '0-2', error: { code: 'Throttling.User', status: 400, message: 'Request was denied due to user flow control.' } } },
  { name: 'a 503', fault: { calls: '0-1', error: { code: 'ServiceUnavailable', status: 503 } } },
  { name: 'dropped connections', fault: { calls: '0-1', drop: true } },
  { name: 'an HTML 502 page', fault: { calls: '0-1', body: HTML_502, status: 502, contentType: 'text/html' } },
  // Codes the catalogue does not list, retried by the open rules (any Throttling*, any 5xx).
  { name: 'Throttling.Concurrent (unlisted)', fault: { calls: '0-2', error: { code: 'Throttling.Concurrent', status: 400, message: 'Request was denied due to concurrent flow control.' } } },
  { name: 'ServiceUnavailable.Busy (unlisted 503)', fault: { calls: '0-1', error: { code: 'ServiceUnavailable.Busy', status: 503, message: 'The service is busy, try again later.' } } },
];

const workflows = [
  { workflow: 'connect-and-modify-spec', seed: undefined, input: { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Middle.1' }, actions: ['ConnectRouterInterface', 'ModifyRouterInterfaceSpec', 'DescribeRouterInterfaces'], expected: { status: 'Active', spec: 'Middle.1' }, writeFailed: 'ConnectFailed' },
  { workflow: 'modify-spec', seed: 'active', input: { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1' }, actions: ['ModifyRouterInterfaceSpec', 'DescribeRouterInterfaces'], expected: { status: 'Active', spec: 'Large.1' }, writeFailed: 'ModifySpecFailed' },
  { workflow: 'deactivate', seed: 'active', input: { regionId: REGION, routerInterfaceId: INITIATOR }, actions: ['DeactivateRouterInterface', 'DescribeRouterInterfaces'], expected: { status: 'Inactive' }, writeFailed: 'DeactivateFailed' },
] as const;

const activeSeed = () => demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' });
const initiatorState = (s: Stack) => s.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === INITIATOR);

describe.each(workflows)('$workflow under faults', ({ workflow, seed, input, actions, expected, writeFailed }) => {
  it.each(scripted)('converges through $name on every action it calls', async ({ fault }) => {
    stack = await startStack({
      ...(seed ? { seed: activeSeed() } : {}),
      faults: actions.map((action) => ({ action, ...fault })),
    });
    const { result } = await stack.run(workflow, input);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(result.counts.retries).toBeGreaterThan(0);
    expect(initiatorState(stack)).toMatchObject(expected);
    expect(stack.emulator.control.calls().some((call) => call.faultId !== undefined)).toBe(true);
  });

  it('converges when the first writes meet a wrong status (another change still settling)', async () => {
    const write = actions[0];
    const code = write === 'ModifyRouterInterfaceSpec' ? 'InvalidInstance.StatusError' : 'IncorrectStatus';
    stack = await startStack({
      ...(seed ? { seed: activeSeed() } : {}),
      faults: [{ action: write, calls: '0-2', error: { code, status: 400, message: 'RouterInterface is busy.' } }],
    });
    const { result } = await stack.run(workflow, input);
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    expect(initiatorState(stack)).toMatchObject(expected);
  });

  it(`ends an unlisted 4xx on its first write in ${writeFailed} at once, the API code and message in the caught error`, async () => {
    const write = actions[0];
    const message = 'The request was refused for a reason this catalogue does not know.';
    stack = await startStack({
      ...(seed ? { seed: activeSeed() } : {}),
      faults: [{ action: write, error: { code: 'Refused.Unlisted', status: 400, message } }],
    });
    const { result, events } = await stack.run(workflow, input);
    expect(result).toMatchObject({ status: 'Failed', error: writeFailed, counts: { retries: 0 } });
    expect(stack.emulator.control.calls().filter((call) => call.action === write)).toHaveLength(1);
    const detail = expect.stringMatching(/^Refused\.Unlisted \(HTTP 400\): The request was refused for a reason this catalogue does not know\. RequestId: \S+$/);
    expect(events.find((event) => event.type === 'StateFailed' && event.caughtBy === writeFailed)).toMatchObject({ error: 'RequestRefused', cause: detail });
    expect(events.find((event) => event.type === 'StateEntered' && event.state === writeFailed)).toMatchObject({
      input: { error: { Code: 'RequestRefused', Detail: detail } },
    });
  });
});

describe('random transient faults', () => {
  it('200 seeded runs with 26% faults, lost answers included, all converge, and each spec change is applied exactly once', async () => {
    const random = seededRandom(20261124);
    stack = await startStack({
      seed: activeSeed(),
      random,
      faults: [
        { action: '*', probability: 0.08, error: { code: 'Throttling.User', status: 400 } },
        { action: '*', probability: 0.04, error: { code: 'ServiceUnavailable', status: 503 } },
        { action: '*', probability: 0.04, drop: true },
        { action: '*', probability: 0.04, body: HTML_502, status: 502 },
        // The call is carried out, then its answer is lost or garbled: the retried step must find it done.
        { action: '*', probability: 0.03, afterApply: 'drop' },
        { action: '*', probability: 0.03, afterApply: 'corrupt' },
      ],
      preset: 'fast',
    });
    const specs = ['Large.1', 'Middle.2', 'Small.5', 'Large.2'];
    const outcomes: string[] = [];
    for (let run = 0; run < 200; run++) {
      const spec = specs[run % specs.length] as string;
      const { result } = await stack.run('modify-spec', { regionId: REGION, routerInterfaceId: INITIATOR, spec }, `run-${run}`);
      outcomes.push(result.status);
      expect(initiatorState(stack), `run ${run}: ${JSON.stringify(result)}`).toMatchObject({ status: 'Active', spec });
    }
    expect(outcomes.filter((status) => status !== 'Succeeded')).toEqual([]);
    const calls = stack.emulator.control.calls();
    expect(calls.filter((call) => call.faultId !== undefined).length).toBeGreaterThan(100);
    const modifies = calls.filter((call) => call.action === 'ModifyRouterInterfaceSpec');
    // Some modifies were applied and their answers lost, so the runs really met the fault the ClientToken exists for.
    expect(modifies.filter((call) => call.code === 'Dropped' || call.code === 'Corrupted').length).toBeGreaterThan(0);
    // Applied changes, counted in the emulator's state, not in requests: every order the emulator carried out is one
    // ClientToken record (a repeat of a token is answered from it and adds none). One per run: each run's change
    // (consecutive specs differ) was applied once, under the token derived from its execution name.
    const orders = Object.keys(stack.emulator.control.state().clientTokens).filter((key) => key.includes('/ModifyRouterInterfaceSpec/'));
    expect(orders).toHaveLength(200);
    const tokens = new Set(modifies.map((call) => call.params.ClientToken));
    expect(tokens.size).toBe(200);
  });
});
