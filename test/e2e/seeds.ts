import { DEMO_ACCEPTOR_ID, DEMO_INITIATOR_ID, DEMO_REGION, DEMO_SEED, type SeedDocument } from '../../src/emulator/index';

export { connectedPairsSeed, demoPairSeed } from '../../src/emulator/index';
export const REGION = DEMO_REGION;
export const INITIATOR = DEMO_INITIATOR_ID;
export const ACCEPTOR = DEMO_ACCEPTOR_ID;

/** The demo seed whose account has overdue bills. */
export function overdueSeed(): SeedDocument {
  const seed = JSON.parse(JSON.stringify(DEMO_SEED)) as SeedDocument;
  seed.accounts = seed.accounts.map((account) => ({ ...account, overdue: true }));
  return seed;
}
