/** The documented API facts both sides read (src/vpc-api), and what each side makes of them. */
import { describe, expect, it } from 'vitest';
import { DEMO_SEED, startEmulator } from '../../src/emulator/index';
import { ALREADY_DONE_STATUSES } from '../../src/vpc/idempotent';
import { createVpcClient } from '../../src/vpc/client';
import { ALL_SPEC_NAMES, BANDWIDTH_SPECS, NEGATIVE_SPEC, bandwidthOf } from '../../src/vpc-api/specs';
import { ROUTER_INTERFACE_STATUSES } from '../../src/vpc-api/statuses';

const HELD = ['Idle', 'Connecting', 'AcceptingConnecting', 'Activating', 'Active', 'Modifying', 'Deactivating', 'Inactive', 'Deleting'];

describe('the documented router-interface facts', () => {
  it('list the ten documented statuses and the twelve specs plus Negative', () => {
    expect(ROUTER_INTERFACE_STATUSES).toEqual([...HELD, 'Deleted']);
    expect(Object.keys(BANDWIDTH_SPECS)).toHaveLength(12);
    expect(ALL_SPEC_NAMES.at(-1)).toBe(NEGATIVE_SPEC);
    expect([bandwidthOf('Large.1'), bandwidthOf(NEGATIVE_SPEC), bandwidthOf('constructor')]).toEqual([1_000, undefined, undefined]);
  });

  it('the client counts only documented statuses as already done', () => {
    for (const statuses of Object.values(ALREADY_DONE_STATUSES)) {
      for (const status of statuses) expect(ROUTER_INTERFACE_STATUSES).toContain(status);
    }
  });

  it('the emulator holds every status but Deleted: a deleted interface is gone', async () => {
    const seed = structuredClone(DEMO_SEED);
    (seed.interfaces?.[0] as { status: string }).status = 'Deleted';
    await expect(startEmulator({ seed })).rejects.toMatchObject({
      name: 'InvalidInput',
      field: 'interfaces[0].status',
      rule: 'enum',
      message: `interfaces[0].status: must be one of ${HELD.join(', ')}`,
    });
  });

  it('the emulator reports the documented bandwidth of each spec, and the initiator\'s on the acceptor', async () => {
    const emulator = await startEmulator({ config: { preset: 'fast' } });
    try {
      const client = createVpcClient({ endpoint: emulator.url, credentials: emulator.credentials, retry: { maxAttempts: 1 } });
      const [initiator, acceptor] = await client.list('cn-hangzhou');
      expect([initiator?.spec, initiator?.bandwidth, acceptor?.spec, acceptor?.bandwidth]).toEqual(['Small.1', BANDWIDTH_SPECS['Small.1'], NEGATIVE_SPEC, 10]);
    } finally {
      await emulator.stop();
    }
  });
});
