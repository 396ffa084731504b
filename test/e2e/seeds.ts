import { DEMO_SEED, type SeedDocument } from '../../src/emulator/index';

export const REGION = 'cn-hangzhou';
export const INITIATOR = 'ri-bp1d2v6ebu8tl7ohx4kmq';
export const ACCEPTOR = 'ri-bp1r3bqk7c8w9hm5zqy2a';

type SeedInterface = NonNullable<SeedDocument['interfaces']>[number];

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The demo seed with the initiator changed (e.g. already Active, financially locked). */
export function demoSeedWith(initiator: Partial<SeedInterface>, acceptor: Partial<SeedInterface> = {}): SeedDocument {
  const seed = clone(DEMO_SEED);
  seed.interfaces = (seed.interfaces ?? []).map((ri) =>
    ri.routerInterfaceId === INITIATOR ? { ...ri, ...initiator } : ri.routerInterfaceId === ACCEPTOR ? { ...ri, ...acceptor } : ri,
  );
  return seed;
}

/** The demo seed whose account has overdue bills. */
export function overdueSeed(): SeedDocument {
  const seed = clone(DEMO_SEED);
  seed.accounts = seed.accounts.map((account) => ({ ...account, overdue: true }));
  return seed;
}

/**
 * `pairs` connected pairs (Active), each between its own two routers: initiators `ri-pairN-initiator…`. Used by the
 * batch and contention suites.
 */
export function connectedPairsSeed(pairs: number): { seed: SeedDocument; initiators: string[] } {
  const seed = clone(DEMO_SEED);
  const owner = seed.accounts[0]?.id as string;
  seed.routers = [];
  seed.interfaces = [];
  const initiators: string[] = [];
  for (let n = 0; n < pairs; n++) {
    const left = `vrt-pair${n}left000000000000`;
    const right = `vrt-pair${n}right00000000000`;
    const initiator = `ri-pair${n}init00000000000000`;
    const acceptor = `ri-pair${n}acpt00000000000000`;
    seed.routers.push({ id: left, type: 'VRouter', regionId: REGION, ownerId: owner }, { id: right, type: 'VRouter', regionId: REGION, ownerId: owner });
    const common = { regionId: REGION, ownerId: owner, routerType: 'VRouter' as const, oppositeRegionId: REGION, oppositeRouterType: 'VRouter' as const, oppositeInterfaceOwnerId: owner, status: 'Active' as const };
    seed.interfaces.push(
      { ...common, routerInterfaceId: initiator, role: 'InitiatingSide', spec: 'Small.1', routerId: left, oppositeInterfaceId: acceptor, oppositeRouterId: right },
      { ...common, routerInterfaceId: acceptor, role: 'AcceptingSide', spec: 'Negative', routerId: right, oppositeInterfaceId: initiator, oppositeRouterId: left },
    );
    initiators.push(initiator);
  }
  return { seed, initiators };
}
