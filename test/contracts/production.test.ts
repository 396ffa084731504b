/**
 * The production configuration end to end: s.yaml's functions as deployed, the handlers' own retries of transient
 * errors on (no RIFLOW_CLIENT_MAX_ATTEMPTS), under the workflow's own Retry rules. The handlers back off on real
 * timers (full jitter, windows of 200, 400, 800 ms), so each test keeps its faults few: about 4 s of real time in all,
 * most of it the deadline test's injected latency.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { safetyMarginMs } from '../../src/fc/handler';
import { DEFAULT_RETRY } from '../../src/rpc/retry';
import { SYaml } from '../../src/serverless/s-yaml';
import { LOCAL_FC_POLICY } from '../../src/local-fc/policy';
import { TRANSIENT_WAITS, callsOf, retryGaps } from './history';
import { activeSeed } from './seeds';
import { ROOT, startContractStack, type ContractStack, type ContractStackOptions } from './stack';
import { INITIATOR, REGION } from '../e2e/seeds';

let stack: ContractStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const MODIFY = 'ModifyRouterInterfaceSpec';
const input = { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1' };
const start = async (options: ContractStackOptions = {}) => (stack = await startContractStack({ seed: activeSeed(), clientRetries: true, ...options }));
const orders = (s: ContractStack) => Object.keys(s.emulator.control.state().clientTokens).filter((key) => key.includes(`/${MODIFY}/`));

/** The deployed timeout of a function, as the invoker reads it from the s.yaml it was given. */
function timeoutMs(s: ContractStack, functionName: string): number {
  const config = new SYaml(s.sYamlText, { baseDir: ROOT }).functionConfig(functionName, {});
  if (!config) throw new Error(`${functionName} is not in s.yaml`);
  return config.timeoutSeconds * 1000;
}

describe('production configuration: in-handler retries under the workflow retries', () => {
  it('runs with the functions exactly as s.yaml deploys them: no cap on the handlers’ own retries', async () => {
    await start();
    expect(stack!.sYamlText).not.toContain('RIFLOW_CLIENT_MAX_ATTEMPTS');
    expect(process.env.RIFLOW_CLIENT_MAX_ATTEMPTS).toBeUndefined();
    expect(timeoutMs(stack!, 'riflow-modify-spec')).toBe(30_000);
  });

  it('a few transient faults are absorbed inside one invocation, before the FC deadline, and the workflow never retries', async () => {
    await start({ faults: [{ action: MODIFY, calls: '0-1', error: { code: 'Throttling.User', status: 400 } }] });
    const { result, invocations } = await stack!.run('modify-spec', input, 'production-1');
    expect(result).toMatchObject({ status: 'Succeeded', counts: { retries: 0 } });
    const modifies = invocations.filter((call) => call.stateName === 'ModifySpec');
    expect(modifies).toHaveLength(1);
    expect(callsOf(stack!.emulator.control.calls(), MODIFY).map((call) => call.code ?? 'OK')).toEqual(['Throttling.User', 'Throttling.User', 'OK']);
    const deadline = timeoutMs(stack!, 'riflow-modify-spec') - safetyMarginMs(timeoutMs(stack!, 'riflow-modify-spec'));
    for (const call of invocations) expect(call.durationMs).toBeLessThan(deadline);
  });

  it('more faults than the handler’s attempts: the handler gives up after its attempts, the workflow retries it once with its backoff', async () => {
    const faulted = DEFAULT_RETRY.maxAttempts + 1;
    await start({ faults: [{ action: MODIFY, calls: `0-${faulted - 1}`, error: { code: 'ServiceUnavailable', status: 503 } }] });
    const { result, events, invocations } = await stack!.run('modify-spec', input, 'production-2');
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    const modifies = invocations.filter((call) => call.stateName === 'ModifySpec');
    expect(modifies.map((call) => call.error?.name ?? 'ok')).toEqual(['TransientFailure', 'ok']);
    // Within the workflow's budget: the transient rule's first wait, to the second; far from its 6 retries.
    expect(retryGaps(events, 'ModifySpec')).toEqual(TRANSIENT_WAITS.slice(0, 1));
    const calls = callsOf(stack!.emulator.control.calls(), MODIFY);
    expect(calls).toHaveLength(faulted + 1);
    expect(calls.length).toBeLessThanOrEqual(DEFAULT_RETRY.maxAttempts * (1 + TRANSIENT_WAITS.length));
    expect(orders(stack!)).toHaveLength(1);
  });

  it('a lost answer is retried inside the handler with the same ClientToken, and the emulator answers it from that token', async () => {
    await start({ faults: [{ action: MODIFY, calls: '0', afterApply: 'drop' }] });
    const { result, invocations } = await stack!.run('modify-spec', input, 'production-3');
    expect(result).toMatchObject({ status: 'Succeeded', output: { spec: 'Large.1', specChanged: true }, counts: { retries: 0 } });
    expect(invocations.filter((call) => call.stateName === 'ModifySpec')).toHaveLength(1);
    const calls = callsOf(stack!.emulator.control.calls(), MODIFY);
    expect(calls.map((call) => call.code ?? 'OK')).toEqual(['Dropped', 'OK']);
    expect(new Set(calls.map((call) => call.params.ClientToken)).size).toBe(1);
    expect(orders(stack!)).toHaveLength(1);
  });

  it('the handler stops retrying before its FC timeout: slow faults end the invocation as TransientFailure, not a function timeout', async () => {
    // A 2 s timeout instead of s.yaml's 30 s keeps the real time small; the rule is the same: the handler stops
    // when the next try could not finish before the timeout minus its safety margin.
    await start({
      editFunction: { 'modify-spec': (props) => void (props.timeout = 2) },
      faults: [{ action: MODIFY, calls: '0-2', latencyMs: 600, error: { code: 'Throttling.User', status: 400 } }],
    });
    const limit = timeoutMs(stack!, 'riflow-modify-spec');
    expect(limit).toBe(2_000);
    const { result, invocations } = await stack!.run('modify-spec', input, 'production-4');
    expect(result.status, JSON.stringify(result)).toBe('Succeeded');
    const modifies = invocations.filter((call) => call.stateName === 'ModifySpec');
    expect(modifies[0]?.error?.name).toBe('TransientFailure');
    for (const call of modifies) {
      expect(call.error?.name).not.toBe(LOCAL_FC_POLICY.errorNames.functionTimeout);
      expect(call.durationMs).toBeLessThan(limit);
    }
    expect(orders(stack!)).toHaveLength(1);
  });
});
