import { describe, expect, it } from 'vitest';
import { DEMO_INITIATOR, REGION, controlJson, describeOne, expectApiError, popClient, popError, withEmulator } from './helpers';
import { seededRandom } from '../../src/emulator/seeded-random';

const modify = { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR, Spec: 'Middle.1' };


describe('fault rules', () => {
  it('fails the calls whose index matches, before the action changes anything', async () => {
    await withEmulator({ config: { preset: 'fast' } }, async (emulator) => {
      const client = popClient(emulator);
      await client.request('ConnectRouterInterface', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR });
      emulator.control.addFault({ action: 'ModifyRouterInterfaceSpec', calls: '0-1', error: { code: 'OperationConflict', status: 400, message: 'Request was denied due to conflict with a previous request.' } });
      for (let i = 0; i < 2; i += 1) {
        expectApiError(await popError(client.request('ModifyRouterInterfaceSpec', modify)), 400, 'OperationConflict', 'Request was denied due to conflict with a previous request.');
        expect((await describeOne(client, DEMO_INITIATOR)).Spec).toBe('Small.1');
      }
      await client.request('ModifyRouterInterfaceSpec', modify);
      expect((await describeOne(client, DEMO_INITIATOR)).Spec).toBe('Middle.1');
      const faulted = emulator.control.calls().filter((call) => call.faultId);
      expect(faulted.map((call) => [call.action, call.status, call.code])).toEqual([
        ['ModifyRouterInterfaceSpec', 400, 'OperationConflict'],
        ['ModifyRouterInterfaceSpec', 400, 'OperationConflict'],
      ]);
    });
  });

  it('hits a single index and other actions only with "*"', async () => {
    await withEmulator({}, async (emulator) => {
      const client = popClient(emulator);
      emulator.control.addFault({ action: '*', calls: '2', error: { code: 'ServiceUnavailable', status: 503 } });
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        outcomes.push(await client.request('DescribeRouterInterfaces', { RegionId: REGION }).then(() => 'ok', (error: { code: string }) => error.code));
      }
      expect(outcomes).toEqual(['ok', 'ok', 'ServiceUnavailable', 'ok']);
    });
  });

  it('draws probabilities from the injected random source', async () => {
    const run = async (): Promise<string> =>
      withEmulator({ random: seededRandom(42), faults: [{ action: 'DescribeRouterInterfaces', probability: 0.5, error: { code: 'InternalError', status: 500 } }] }, async (emulator) => {
        const client = popClient(emulator);
        let pattern = '';
        for (let i = 0; i < 20; i += 1) {
          pattern += await client.request('DescribeRouterInterfaces', { RegionId: REGION }).then(() => '.', () => 'x');
        }
        return pattern;
      });
    const first = await run();
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await run()).toBe(first);
  });

  it('drops the connection, answers a raw HTML 502 and delays by latencyMs', async () => {
    await withEmulator({}, async (emulator) => {
      const client = popClient(emulator);
      emulator.control.addFault({ action: 'DescribeRouterInterfaces', calls: '0', drop: true });
      emulator.control.addFault({ action: 'DescribeRouterInterfaces', calls: '1', body: '<html><body>502 Bad Gateway</body></html>' });
      emulator.control.addFault({ action: 'DescribeRouterInterfaces', calls: '2', latencyMs: 150 });
      const dropped = await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION }));
      expect((dropped as unknown as { code: string }).code).toBe('ECONNRESET');
      const html = await popError(client.request('DescribeRouterInterfaces', { RegionId: REGION }));
      expect((html as unknown as { name: string }).name).toBe('SyntaxError');
      const started = Date.now();
      await client.request('DescribeRouterInterfaces', { RegionId: REGION });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(emulator.control.calls().map((call) => call.status)).toEqual([0, 502, 200]);
    });
  });

  it('manages rules over the control API and names the bad field', async () => {
    await withEmulator({}, async (emulator) => {
      const added = await controlJson(emulator, 'POST', 'faults', [{ action: 'ConnectRouterInterface', calls: '0', error: { code: 'Throttling', status: 400 } }]);
      expect(added.status).toBe(200);
      const listed = await controlJson(emulator, 'GET', 'faults');
      expect(listed.body.faults).toEqual([{ id: 'fault-1', action: 'ConnectRouterInterface', calls: '0', error: { code: 'Throttling', status: 400 } }]);
      const bad = await controlJson(emulator, 'POST', 'faults', { action: 'X', calls: 'one', error: { code: 'E', status: 400 } });
      expect(bad).toEqual({ status: 400, body: { error: expect.stringContaining('fault.calls') as unknown, field: 'fault.calls' } });
      const badStatus = await controlJson(emulator, 'POST', 'faults', [{ action: 'X', error: { code: 'E', status: 200 } }]);
      expect(badStatus.body.field).toBe('faults[0].error.status');
      expect((await controlJson(emulator, 'DELETE', 'faults/fault-1')).status).toBe(200);
      expect((await controlJson(emulator, 'GET', 'faults')).body.faults).toEqual([]);
    });
  });
});
