import { DEMO_SEED } from './seed';
import type { SeedDocument } from './types';

/**
 * Seeds built from the demo seed, for suites and simulations that need a pair in a given state or several
 * independent pairs. Each call returns a fresh copy.
 */
type SeedInterface = NonNullable<SeedDocument['interfaces']>[number];

const demoInterfaces = DEMO_SEED.interfaces ?? [];
export const DEMO_REGION = demoInterfaces[0]?.regionId ?? 'cn-hangzhou';
export const DEMO_INITIATOR_ID = demoInterfaces.find((ri) => ri.role === 'InitiatingSide')?.routerInterfaceId ?? '';
export const DEMO_ACCEPTOR_ID = demoInterfaces.find((ri) => ri.role === 'AcceptingSide')?.routerInterfaceId ?? '';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The demo seed with its initiator and acceptor changed (e.g. already connected and Active). */
export function demoPairSeed(initiator: Partial<SeedInterface>, acceptor: Partial<SeedInterface> = {}): SeedDocument {
  const seed = clone(DEMO_SEED);
  seed.interfaces = (seed.interfaces ?? []).map((ri) =>
    ri.routerInterfaceId === DEMO_INITIATOR_ID ? { ...ri, ...initiator } : ri.routerInterfaceId === DEMO_ACCEPTOR_ID ? { ...ri, ...acceptor } : ri,
  );
  return seed;
}

/** `pairs` connected (Active) pairs at `Small.1`, each between its own two routers; returns the initiators' ids. */
export function connectedPairsSeed(pairs: number): { seed: SeedDocument; initiators: string[] } {
  const seed = clone(DEMO_SEED);
  const owner = seed.accounts[0]?.id ?? '';
  seed.routers = [];
  seed.interfaces = [];
  const initiators: string[] = [];
  for (let n = 0; n < pairs; n++) {
    const [left, right] = [`vrt-pair${n}left000000000000`, `vrt-pair${n}right00000000000`];
    const [initiator, acceptor] = [`ri-pair${n}init00000000000000`, `ri-pair${n}acpt00000000000000`];
    seed.routers.push({ id: left, type: 'VRouter', regionId: DEMO_REGION, ownerId: owner }, { id: right, type: 'VRouter', regionId: DEMO_REGION, ownerId: owner });
    const common = {
      regionId: DEMO_REGION,
      ownerId: owner,
      routerType: 'VRouter' as const,
      oppositeRegionId: DEMO_REGION,
      oppositeRouterType: 'VRouter' as const,
      oppositeInterfaceOwnerId: owner,
      status: 'Active' as const,
    };
    seed.interfaces.push(
      { ...common, routerInterfaceId: initiator, role: 'InitiatingSide', spec: 'Small.1', routerId: left, oppositeInterfaceId: acceptor, oppositeRouterId: right },
      { ...common, routerInterfaceId: acceptor, role: 'AcceptingSide', spec: 'Negative', routerId: right, oppositeInterfaceId: initiator, oppositeRouterId: left },
    );
    initiators.push(initiator);
  }
  return { seed, initiators };
}
