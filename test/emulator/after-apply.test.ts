/**
 * The `afterApply` fault: the call is carried out (and saved), then its answer is lost (`drop`) or garbled
 * (`corrupt`). A retry with the same ClientToken is answered as the first was, and applies nothing again.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_INITIATOR, REGION, describeOne, popClient, popError, signedParams, withEmulator } from './helpers';
import { parseFaultRule } from '../../src/emulator/faults';
import type { RunningEmulator } from '../../src/emulator/index';
import { activeSeed } from '../contracts/seeds';

const modify = (token: string, spec = 'Large.1') => ({ RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: spec, ClientToken: token });
const orders = (emulator: RunningEmulator) => Object.keys(emulator.control.state().clientTokens).filter((key) => key.includes('/ModifyRouterInterfaceSpec/'));

describe('afterApply faults', () => {
  it('drop: the change is applied and saved, the connection closes without an answer', async () => {
    await withEmulator({ seed: activeSeed(), config: { preset: 'fast' }, faults: [{ action: 'ModifyRouterInterfaceSpec', calls: '0', afterApply: 'drop' }] }, async (emulator) => {
      const client = popClient(emulator);
      const error = await popError(client.request('ModifyRouterInterfaceSpec', modify('token-1')));
      expect(error.code).toMatch(/ECONNRESET|socket hang up/i);
      expect((await describeOne(client, DEMO_INITIATOR)).Spec).toBe('Large.1');
      expect(orders(emulator)).toHaveLength(1);
      const [call] = emulator.control.calls().filter((record) => record.action === 'ModifyRouterInterfaceSpec');
      expect(call).toMatchObject({ status: 0, code: 'Dropped', faultId: expect.any(String) });
    });
  });

  it('corrupt: the change is applied, the answer is the right status with half a JSON body', async () => {
    await withEmulator({ seed: activeSeed(), config: { preset: 'fast' }, faults: [{ action: 'ModifyRouterInterfaceSpec', calls: '0', afterApply: 'corrupt' }] }, async (emulator) => {
      const response = await fetch(`${emulator.url}/?${new URLSearchParams(signed(emulator, modify('token-1')))}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(() => JSON.parse(text) as unknown).toThrow();
      expect(text.startsWith('{"RequestId":')).toBe(true);
      expect((await describeOne(popClient(emulator), DEMO_INITIATOR)).Spec).toBe('Large.1');
      expect(emulator.control.calls().find((record) => record.action === 'ModifyRouterInterfaceSpec')).toMatchObject({ status: 200, code: 'Corrupted' });
    });
  });

  it('the retry with the same ClientToken is answered as the first, and applies nothing again', async () => {
    await withEmulator({ seed: activeSeed(), config: { preset: 'fast' }, faults: [{ action: 'ModifyRouterInterfaceSpec', calls: '0', afterApply: 'drop' }] }, async (emulator) => {
      const client = popClient(emulator);
      await popError(client.request('ModifyRouterInterfaceSpec', modify('token-1', 'Large.1')));
      // Another change comes in before the lost call is retried.
      await client.request('ModifyRouterInterfaceSpec', modify('token-2', 'Middle.1'));
      const retried = (await client.request('ModifyRouterInterfaceSpec', modify('token-1', 'Large.1'))) as Record<string, unknown>;
      expect(retried.RequestId).toEqual(expect.any(String));
      // Applied once: the late retry did not change the spec back.
      expect((await describeOne(client, DEMO_INITIATOR)).Spec).toBe('Middle.1');
      expect(orders(emulator)).toHaveLength(2);
    });
  });

  it('is refused with another effect, or with a value other than drop or corrupt', () => {
    expect(() => parseFaultRule({ action: '*', afterApply: 'drop', error: { code: 'X', status: 500 } })).toThrow(/at most one of error, drop, body, afterApply/);
    expect(() => parseFaultRule({ action: '*', afterApply: 'later' })).toThrow(expect.objectContaining({ field: 'fault.afterApply' }));
    expect(parseFaultRule({ action: '*', afterApply: 'corrupt', latencyMs: 5 })).toEqual({ action: '*', afterApply: 'corrupt', latencyMs: 5 });
  });
});

function signed(emulator: RunningEmulator, params: Record<string, string>): Record<string, string> {
  return signedParams({ Action: 'ModifyRouterInterfaceSpec', ...params }, emulator.credentials);
}
