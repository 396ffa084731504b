/**
 * The numbers a fleet change is shaped by (riflow-fleet-modify-spec, src/vpc/fleet.ts). Kept apart from the code
 * that calls the API, so the input check (src/cloudflow/workflow-input.ts, also bundled into the console page) can
 * name them.
 */
export const FLEET_LIMITS = {
  /** Interfaces per shard: one page, DescribeRouterInterfaces' largest PageSize (the client's PAGE_SIZE). */
  shardSize: 50,
  /** The largest fleet one execution changes: 200 shards, whose reports fit the Map's 64 KiB output with room for
   * `failuresListed` failures (test/vpc/fleet.test.ts builds the largest report). */
  maxInterfaces: 10_000,
  /** The largest explicit list: 2,000 ids of ~28 bytes keep the input, and the shards built from it, below 64 KiB. */
  maxListedIds: 2_000,
  /** Ids per describe when reading an explicit list: the RouterInterfaceId filter takes at most 5 values. */
  idsPerDescribe: 5,
  /** Failures listed by name across all shards (each shard lists its share); the rest are counted. */
  failuresListed: 400,
  /** Polls per shard before the still-settling interfaces are given up as PollTimeout (as the other workflows). */
  pollCap: 40,
  /** Rounds of writes per shard; with the backoff below they retry a conflict or throttling for about 16 minutes. */
  roundCap: 20,
  /** The wait before round n+1 is in [half, all] of min(cap, first × 2^n) seconds ("equal jitter"), drawn from a
   * hash of the shard's execution name and the round: shards turned back together do not all come back in the same
   * second, and a repeated run waits alike. */
  roundBackoff: { firstSeconds: 2, capSeconds: 60 },
  /** First-wave spacing: the shards that start together start this many seconds apart, so their reads and writes
   * (about 51 describes and 50 modifies each) spread over the 300-per-minute Describe quota instead of arriving at
   * once (src/emulator/vpc/rate-limits.ts). Later shards start as earlier ones end, already spread. */
  shardSpacingSeconds: 12,
} as const;
