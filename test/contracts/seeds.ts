/** Seeds the contract suites need beyond test/e2e/seeds.ts: what makes the emulator produce each refusal for real. */
import { DEMO_SEED, type SeedDocument } from '../../src/emulator/index';
import { ACCEPTOR, INITIATOR, demoPairSeed } from '../e2e/seeds';

const OTHER_INITIATOR = 'ri-bp1otherinitiator0001';
const OTHER_ACCEPTOR = 'ri-bp1otheracceptor00001';

type SeedInterface = NonNullable<SeedDocument['interfaces']>[number];

export const activeSeed = (): SeedDocument => demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' });

/**
 * The demo's Idle pair plus another pair between the same two routers, in `status` (a transient one entered at
 * `since` on the emulator's clock, so its timing applies).
 */
export function otherPairSeed(status: SeedInterface['status'], since?: number): SeedDocument {
  const seed = structuredClone(DEMO_SEED);
  const [initiator, acceptor] = seed.interfaces ?? [];
  if (!initiator || !acceptor) throw new Error('the demo seed has its pair');
  const pending = since === undefined ? {} : { pending: { since, describes: 0 } };
  seed.interfaces?.push(
    { ...initiator, routerInterfaceId: OTHER_INITIATOR, oppositeInterfaceId: OTHER_ACCEPTOR, name: 'other-initiator', status, ...pending },
    { ...acceptor, routerInterfaceId: OTHER_ACCEPTOR, oppositeInterfaceId: OTHER_INITIATOR, name: 'other-acceptor', status: status === 'Connecting' ? 'AcceptingConnecting' : status, ...pending },
  );
  return seed;
}

/** The demo pair with its acceptor (and the acceptor's router) in cn-shanghai: Mini.* specs are refused across regions. */
export function crossRegionSeed(): SeedDocument {
  const seed = structuredClone(DEMO_SEED);
  const far = 'cn-shanghai';
  seed.routers = seed.routers.map((router) => (router.id === seed.interfaces?.[1]?.routerId ? { ...router, regionId: far } : router));
  seed.interfaces = (seed.interfaces ?? []).map((ri) =>
    ri.routerInterfaceId === ACCEPTOR ? { ...ri, regionId: far, oppositeRegionId: 'cn-hangzhou' } : ri.routerInterfaceId === INITIATOR ? { ...ri, oppositeRegionId: far } : ri,
  );
  return seed;
}
