/**
 * The contract of workflows/batch-modify-spec.yaml, one behaviour per test, through the real interpreter, the real
 * handler bundles and the emulator over HTTP on the virtual clock: the Map's concurrency bound, each item's poll loop,
 * retries and outcome, and the parent execution's name in every item's ClientToken.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deriveClientToken } from '../../src/vpc/client-token';
import { MAX_BATCH_CHANGES } from '../../src/cloudflow/workflow-input';
import { GONE, catalogueCases, transientCases } from './codes';
import { CONFLICT_WAITS, POLL_CAP, TRANSIENT_WAITS, callsOf, pollWaitSeconds, retryGaps, scheduledWaits, secondsBetweenDescribes } from './history';
import { startInFlightProxy, type InFlightProxy } from './in-flight-proxy';
import { activeSeed } from './seeds';
import { startContractStack, type ContractStack, type ContractStackOptions } from './stack';
import { ACCEPTOR, INITIATOR, REGION, connectedPairsSeed, demoPairSeed } from '../e2e/seeds';

let stack: ContractStack | undefined;
let proxy: InFlightProxy | undefined;
afterEach(async () => {
  await stack?.stop();
  await proxy?.close();
  stack = undefined;
  proxy = undefined;
});

const WORKFLOW = 'batch-modify-spec';
const MODIFY = 'ModifyRouterInterfaceSpec';
const DESCRIBE = 'DescribeRouterInterfaces';
/** The documented bound (README: "a Map, 5 at a time"). */
const MAX_CONCURRENCY = 5;
const ITEM = 'ApplyChanges.Items[0]';
const change = (routerInterfaceId: string, spec = 'Large.1') => ({ regionId: REGION, routerInterfaceId, spec });
const start = async (options: ContractStackOptions = {}) => (stack = await startContractStack({ seed: activeSeed(), ...options }));

interface ItemResult {
  outcome: string;
  routerInterfaceId: string;
  spec: string;
  error?: { Code: string; Detail: string };
}
const results = (output: unknown): ItemResult[] => (output as { results: ItemResult[] }).results;

describe('batch-modify-spec: the Map', () => {
  it(`never has more than ${MAX_CONCURRENCY} modifies in flight at the emulator, and does reach ${MAX_CONCURRENCY}`, async () => {
    const { seed, initiators } = connectedPairsSeed(MAX_BATCH_CHANGES);
    await start({
      seed,
      // Each modify takes 150 ms at the emulator, so the items that run together overlap there.
      faults: [{ action: MODIFY, latencyMs: 150 }],
      endpoint: async (url) => {
        proxy = await startInFlightProxy(url);
        return proxy.url;
      },
    });
    const { result } = await stack!.run(WORKFLOW, { changes: initiators.map((id) => change(id)) });
    expect(results(result.output).map((item) => item.outcome)).toEqual(Array(MAX_BATCH_CHANGES).fill('succeeded'));
    expect(proxy!.peak(MODIFY)).toBe(MAX_CONCURRENCY);
  });

  it('reports every item in input order, and one failed item never aborts the rest', async () => {
    const { seed, initiators } = connectedPairsSeed(2);
    await start({ seed });
    const { result } = await stack!.run(WORKFLOW, { changes: [change(initiators[0] as string), change('ri-doesnotexist0000000000'), change(initiators[1] as string)] });
    expect(result).toMatchObject({ status: 'Succeeded', output: { total: 3 } });
    expect(results(result.output).map((item) => [item.routerInterfaceId, item.outcome])).toEqual([
      [initiators[0], 'succeeded'],
      ['ri-doesnotexist0000000000', 'failed'],
      [initiators[1], 'succeeded'],
    ]);
  });
});

describe("batch-modify-spec: an item's poll loop", () => {
  const held = (count: number): ContractStackOptions['config'] => ({ transitions: { Activating: { mode: 'describes', count }, Modifying: { mode: 'describes', count } } });

  it('waits what the poll schedule says before each describe, up to the cap', async () => {
    await start({ config: held(POLL_CAP - 1) });
    const { result, events } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(results(result.output)[0]).toMatchObject({ outcome: 'succeeded', spec: 'Large.1' });
    expect(pollWaitSeconds(events, ITEM)).toEqual(scheduledWaits(POLL_CAP));
    expect(secondsBetweenDescribes(events, 'ModifySpec', ITEM)).toEqual(scheduledWaits(POLL_CAP));
  });

  it('gives up with the outcome PollTimeout after exactly the cap of describes', async () => {
    await start({ config: held(POLL_CAP) });
    const { result, invocations } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(results(result.output)[0]).toMatchObject({ outcome: 'failed', error: { Code: 'PollTimeout', Detail: `last status Activating after ${POLL_CAP} polls` } });
    expect(invocations.filter((call) => call.stateName === 'Describe')).toHaveLength(POLL_CAP);
  });
});

describe("batch-modify-spec: an item's tasks retry every code of their classes with the documented backoff", () => {
  it.each(catalogueCases('conflict', MODIFY))('ModifySpec, conflict: $code', async ({ effect }) => {
    await start({ faults: [{ action: MODIFY, calls: `0-${CONFLICT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(retryGaps(events, 'ModifySpec', ITEM)).toEqual(CONFLICT_WAITS);
    expect(results(result.output)[0]?.outcome).toBe('succeeded');
  });

  it.each(transientCases(MODIFY))('ModifySpec, transient: $code', async ({ effect }) => {
    await start({ faults: [{ action: MODIFY, calls: `0-${TRANSIENT_WAITS.length - 1}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(retryGaps(events, 'ModifySpec', ITEM)).toEqual(TRANSIENT_WAITS);
    expect(results(result.output)[0]?.outcome).toBe('succeeded');
  });

  // Call 0 of DescribeRouterInterfaces is the modify-spec handler's own read; the Describe task's start at 1.
  it.each(catalogueCases('conflict', DESCRIBE))('Describe, conflict: $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `1-${CONFLICT_WAITS.length}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(retryGaps(events, 'Describe', ITEM)).toEqual(CONFLICT_WAITS);
    expect(results(result.output)[0]?.outcome).toBe('succeeded');
  });

  it.each(transientCases(DESCRIBE))('Describe, transient: $code', async ({ effect }) => {
    await start({ faults: [{ action: DESCRIBE, calls: `1-${TRANSIENT_WAITS.length}`, ...effect }] });
    const { result, events } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(retryGaps(events, 'Describe', ITEM)).toEqual(TRANSIENT_WAITS);
    expect(results(result.output)[0]?.outcome).toBe('succeeded');
  });
});

describe("batch-modify-spec: each failure becomes the item's outcome with its code", () => {
  it.each([
    { what: 'a missing interface', seed: activeSeed, item: change('ri-doesnotexist0000000000'), code: 'RouterInterfaceNotFound' },
    { what: 'an acceptor', seed: activeSeed, item: change(ACCEPTOR), code: 'UnsupportedSpec' },
    { what: 'a financially locked interface', seed: () => demoPairSeed({ status: 'Active', businessStatus: 'FinancialLocked' }, { status: 'Active' }), item: change(INITIATOR), code: 'AccountLocked' },
    { what: 'a spec that does not exist', seed: activeSeed, item: change(INITIATOR, 'Huge.9'), code: 'InvalidInput' },
  ])('$what → $code', async ({ seed, item, code }) => {
    await start({ seed: seed() });
    const { result } = await stack!.run(WORKFLOW, { changes: [item] });
    expect(result.status).toBe('Succeeded');
    expect(results(result.output)[0]).toMatchObject({ outcome: 'failed', error: { Code: code } });
  });

  it('the interface gone while polling → RouterInterfaceNotFound', async () => {
    await start({ faults: [{ action: DESCRIBE, calls: '1-', ...GONE }] });
    const { result } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(results(result.output)[0]).toMatchObject({ outcome: 'failed', error: { Code: 'RouterInterfaceNotFound' } });
  });

  it('a refusal the catalogue does not list → RequestRefused, at once', async () => {
    await start({ faults: [{ action: MODIFY, error: { code: 'Refused.Unlisted', status: 400, message: 'No.' } }] });
    const { result } = await stack!.run(WORKFLOW, { changes: [change(INITIATOR)] });
    expect(results(result.output)[0]).toMatchObject({ outcome: 'failed', error: { Code: 'RequestRefused', Detail: expect.stringMatching(/^Refused\.Unlisted \(HTTP 400\): No\./) } });
    expect(result.counts.retries).toBe(0);
  });
});

describe("batch-modify-spec: the execution name reaches every item's ClientToken", () => {
  it('sends, for each item, the token derived from the parent execution name, that item and its spec', async () => {
    const { seed, initiators } = connectedPairsSeed(3);
    await start({ seed, faults: [{ action: MODIFY, calls: '0', error: { code: 'Throttling.User', status: 400 } }] });
    const { result } = await stack!.run(WORKFLOW, { changes: initiators.map((id) => change(id)) }, 'nightly-batch');
    expect(result.status).toBe('Succeeded');
    const sent = callsOf(stack!.emulator.control.calls(), MODIFY).map((call) => [call.params.RouterInterfaceId, call.params.ClientToken]);
    // Four modifies (one retried); each carries its item's token, the retried one twice.
    expect(sent).toHaveLength(4);
    for (const [id, token] of sent) expect(token).toBe(deriveClientToken('nightly-batch', id as string, 'Large.1'));
  });
});
