import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, type SeedDocument } from '../../src/emulator/index';
import {
  DEMO_ACCEPTOR,
  DEMO_INITIATOR,
  DEMO_ROUTER_A,
  DEMO_ROUTER_B,
  LOCKED_INTERFACE,
  OTHER_ACCOUNT_ID,
  OVERDUE_KEY,
  REGION,
  expectApiError,
  pairSide,
  popClient,
  popError,
  richSeed,
  withEmulator,
} from './helpers';

// Routers for Active interfaces with broken data, away from the demo routers' single connection.
const SPARE_A = 'vrt-spare00000000000000a';
const SPARE_B = 'vrt-spare00000000000000b';

/** richSeed plus interfaces built to trigger each documented error. */
function errorSeed(): SeedDocument {
  const seed = richSeed();
  const interfaces = seed.interfaces ?? [];
  seed.routers.push(
    { id: 'vrt-other00000000000000b', regionId: REGION, ownerId: OTHER_ACCOUNT_ID },
    { id: 'vrt-crossregion0000000sh', regionId: 'cn-shanghai', ownerId: DEMO_ACCOUNT_ID },
    { id: SPARE_A, regionId: REGION, ownerId: DEMO_ACCOUNT_ID },
    { id: SPARE_B, regionId: REGION, ownerId: DEMO_ACCOUNT_ID },
  );
  interfaces.push(
    // A second pair between the demo routers.
    pairSide('ri-bp1secondinitiator0001', DEMO_ACCOUNT_ID, DEMO_ROUTER_A, 'ri-bp1secondacceptor00001', DEMO_ROUTER_B, 'InitiatingSide'),
    pairSide('ri-bp1secondacceptor00001', DEMO_ACCOUNT_ID, DEMO_ROUTER_B, 'ri-bp1secondinitiator0001', DEMO_ROUTER_A, 'AcceptingSide'),
    // Opposite info missing.
    { routerInterfaceId: 'ri-bp1noopposite000000001', regionId: REGION, ownerId: DEMO_ACCOUNT_ID, role: 'InitiatingSide', spec: 'Small.1', routerId: DEMO_ROUTER_A, oppositeRegionId: REGION },
    // Opposite router is its own router.
    pairSide('ri-bp1samerouter000000001', DEMO_ACCOUNT_ID, DEMO_ROUTER_A, DEMO_ACCEPTOR, DEMO_ROUTER_A, 'InitiatingSide'),
    // Peer in an account of another bid, configured reciprocally.
    pairSide('ri-bp1crossbid00000000001', DEMO_ACCOUNT_ID, DEMO_ROUTER_A, 'ri-bp1otheraccount000001', 'vrt-other00000000000000a', 'InitiatingSide', OTHER_ACCOUNT_ID),
    pairSide('ri-bp1otheraccount000001', OTHER_ACCOUNT_ID, 'vrt-other00000000000000a', 'ri-bp1crossbid00000000001', DEMO_ROUTER_A, 'AcceptingSide', DEMO_ACCOUNT_ID),
    // Another account's Active initiator.
    { ...pairSide('ri-bp1otheractive00000001', OTHER_ACCOUNT_ID, 'vrt-other00000000000000b', 'ri-x', 'vrt-x', 'InitiatingSide'), status: 'Active' },
    // Active initiators with broken data for ModifySpec.
    { ...pairSide('ri-bp1noremoteregion00001', DEMO_ACCOUNT_ID, SPARE_A, 'ri-x', SPARE_B, 'InitiatingSide'), status: 'Active', oppositeRegionId: undefined },
    { ...pairSide('ri-bp1unknownregion000001', DEMO_ACCOUNT_ID, SPARE_A, 'ri-x', SPARE_B, 'InitiatingSide'), status: 'Active', oppositeRegionId: 'xx-moon-1' },
    { ...pairSide('ri-bp1peerdeleted00000001', DEMO_ACCOUNT_ID, SPARE_A, 'ri-bp1doesnotexist0000001', SPARE_B, 'InitiatingSide'), status: 'Active' },
    { ...pairSide('ri-bp1crossregion00000001', DEMO_ACCOUNT_ID, DEMO_ROUTER_A, DEMO_ACCEPTOR, 'vrt-crossregion0000000sh', 'InitiatingSide'), status: 'Active', oppositeRegionId: 'cn-shanghai' },
  );
  seed.interfaces = interfaces;
  return seed;
}

const connect = (id: string, regionId = REGION) => ({ RegionId: regionId, RouterInterfaceId: id });

describe('ConnectRouterInterface documented errors', () => {
  it('answers each refusal with its documented code, status and message', async () => {
    await withEmulator({ seed: errorSeed(), config: { transitions: { Connecting: { mode: 'delay', ms: 60_000 } } } }, async (emulator) => {
      const client = popClient(emulator);
      const call = (params: Record<string, string>) => popError(client.request('ConnectRouterInterface', params));
      expectApiError(await call(connect(DEMO_ACCEPTOR)), 400, 'IncorrectRole.NotInitiatingSide', 'The specified RouterInterface is not InitiatingSide.');
      expectApiError(
        await call(connect('ri-bp1noopposite000000001')),
        400,
        'IncorrectOppositeInterfaceInfo.NotSet',
        'OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId must be all set.',
      );
      expectApiError(await call(connect('ri-bp1samerouter000000001')), 400, 'IncorrectOppositeInterfaceInfo', 'Cannot connect on the same router');
      expectApiError(await call(connect('ri-bp1crossbid00000000001')), 404, 'CROSS_BID.FORBIDDEN', 'Connect RouterInterface across bid is illegal');
      expectApiError(await call(connect('ri-bp1nosuchinterface0001')), 404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.');
      expectApiError(await call(connect(DEMO_INITIATOR, 'xx-nowhere-1')), 404, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist in our record.');
      const overdue = await popError(popClient(emulator, OVERDUE_KEY).request('ConnectRouterInterface', connect('ri-bp1overdueinitiator01')));
      expectApiError(overdue, 400, 'Forbidden.BillsOutstanding', 'You cannot use this action because you have bills outstanding.');

      await client.request('ConnectRouterInterface', connect(DEMO_INITIATOR));
      expectApiError(await call(connect(DEMO_INITIATOR)), 400, 'IncorrectRIStatus', "RouterInterface can be operated by this action only when it's status is Idle.");
      expectApiError(await call(connect('ri-bp1secondinitiator0001')), 400, 'Forbidden.OnlyOneConnection', 'Cannot connect concurrently between same routers');
      emulator.control.updateConfig({ statusErrorDialect: 'IncorrectStatus', preset: 'fast' });
      expectApiError(await call(connect(DEMO_INITIATOR)), 400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Idle.");
      expectApiError(await call(connect('ri-bp1secondinitiator0001')), 400, 'Forbidden.OnlyOneConnection', 'The Specified routers have a connection already');
      // None of the refusals changed the second pair.
      expect(emulator.control.state().interfaces.filter((ri) => ri.routerInterfaceId.startsWith('ri-bp1second')).map((ri) => ri.status)).toEqual(['Idle', 'Idle']);
    });
  });
});

describe('DeactivateRouterInterface documented errors', () => {
  it('answers each refusal with its documented code, status and message', async () => {
    await withEmulator({ seed: errorSeed() }, async (emulator) => {
      const client = popClient(emulator);
      const call = (params: Record<string, string>) => popError(client.request('DeactivateRouterInterface', params));
      expectApiError(await call(connect(DEMO_INITIATOR)), 400, 'IncorrectStatus', "RouterInterface can be operated by this action only when it's status is Active.");
      expectApiError(await call(connect(LOCKED_INTERFACE)), 400, 'Forbidden.FinancialLocked', 'This RouterInterface is financiel locked because of bills outstanding.');
      expectApiError(await call(connect('ri-bp1otheractive00000001')), 400, 'Forbbiden.InvaildOwner', 'The RouterInterface owener error');
      expectApiError(await call(connect(DEMO_INITIATOR, 'xx-nowhere-1')), 404, 'InvalidRegionId.NotFound', 'The RegionId provided does not exist in our records.');
      expectApiError(await call(connect('ri-bp1nosuchinterface0001')), 404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.');
      // The wrong-status code for Deactivate does not follow the dialect setting.
      emulator.control.updateConfig({ statusErrorDialect: 'IncorrectRIStatus' });
      expect((await call(connect(DEMO_INITIATOR))).code).toBe('IncorrectStatus');
    });
  });
});

describe('ActivateRouterInterface errors', () => {
  it('refuses a wrong status in the configured dialect and locked interfaces', async () => {
    await withEmulator({ seed: errorSeed() }, async (emulator) => {
      const client = popClient(emulator);
      const call = (params: Record<string, string>) => popError(client.request('ActivateRouterInterface', params));
      expectApiError(await call(connect(DEMO_INITIATOR)), 400, 'IncorrectRIStatus', "RouterInterface can be operated by this action only when it's status is Inactive.");
      expectApiError(await call(connect(LOCKED_INTERFACE)), 400, 'Forbidden.FinancialLocked', 'This RouterInterface is financiel locked because of bills outstanding.');
      expectApiError(await call(connect('ri-bp1otheractive00000001')), 400, 'Forbbiden', 'The router does not belong to your account.');
    });
  });
});

describe('ModifyRouterInterfaceSpec documented errors', () => {
  it('answers each refusal with its documented code, status and message', async () => {
    await withEmulator({ seed: errorSeed() }, async (emulator) => {
      const client = popClient(emulator);
      const call = (id: string, spec = 'Middle.1', regionId = REGION) =>
        popError(client.request('ModifyRouterInterfaceSpec', { RegionId: regionId, RouterInterfaceId: id, Spec: spec }));
      expectApiError(await call(DEMO_INITIATOR, 'Huge.9'), 400, 'InvalidSpec.ValudNotSupported', 'The specified Spec is not supported.');
      expectApiError(await call(DEMO_ACCEPTOR), 400, 'InvalidSpec.ValudNotSupported', 'The specified Spec is not supported.');
      expectApiError(await call(LOCKED_INTERFACE), 400, 'Forbidden.FinancialLocked', "RouterInterface can not be operated by this action when it's FinancialLocked.");
      expectApiError(await call('ri-bp1noremoteregion00001'), 400, 'InvalidParam.NotFound', 'Parameter must not be null,uid, bid,regionNo, remoteRegionNo or routerId');
      expectApiError(await call('ri-bp1unknownregion000001'), 400, 'InvalidOppositeRegionId.NotFound', 'The OppositeRegionId provided does not exist in our records.');
      expectApiError(await call('ri-bp1otheractive00000001'), 400, 'InvalidInstanceOwner.Error', 'The router instance owener error.');
      expectApiError(await call(DEMO_INITIATOR), 400, 'InvalidInstance.StatusError', 'The router instance owener error.');
      expectApiError(await call('ri-bp1peerdeleted00000001'), 400, 'InvalidOpposite.NotFound', 'The opposite not exit.');
      expectApiError(
        await call('ri-bp1crossregion00000001', 'Mini.2'),
        400,
        'ParameterMismatch.RegionId-OppositeRegionId-Spec',
        'The specified Spec is not supported between the specified RegionId and OppositeRegionId.',
      );
      expectApiError(await call('ri-bp1nosuchinterface0001'), 404, 'InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.');
      expectApiError(await call(DEMO_INITIATOR, 'Middle.1', 'xx-nowhere-1'), 404, 'InvalidRegionId.NotFound');
      const overdue = await popError(popClient(emulator, OVERDUE_KEY).request('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: 'ri-bp1overdueinitiator01', Spec: 'Middle.1' }));
      expectApiError(overdue, 400, 'Forbidden.BillsOutstanding');
      const missingSpec = await popError(client.request('ModifyRouterInterfaceSpec', { RegionId: REGION, RouterInterfaceId: DEMO_INITIATOR }));
      expectApiError(missingSpec, 400, 'MissingSpec', 'Spec is mandatory for this action.');
      // Nothing changed any spec.
      expect(emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === 'ri-bp1crossregion00000001')?.spec).toBe('Small.1');
    });
  });
});
