// The fleet's shards, for riflow-fleet-modify-spec: one function, one step of the workflow per `op`.
// - shards  {regionId, spec, select | routerInterfaceIds, concurrency} → {shards: [{index, page | ids, delaySeconds}], matched, failuresPerShard}
//           (a selector costs one DescribeRouterInterfaces: its TotalCount; more than 10,000 is refused)
// - read    {regionId, spec, select?, shard, failuresListed} → {results, todo, excluded, summary} (one describe)
// - apply   {regionId, spec, select?, shard, results, round, executionName, excluded, failuresListed}
//           → {results, todo, round, nextRoundSeconds, summary}: one round of ModifyRouterInterfaceSpec calls, each
//           with a ClientToken derived from the shard's execution name (a repeated round never applies twice)
// - poll    {regionId, spec, select?, shard, results, attempt, excluded, failuresListed}
//           → {results, pending, attempt, nextPollSeconds, summary} (one describe per poll, per 5 ids for a list)
// - report  {regionId, shards: [shard summaries]} → the fleet's counts and listed failures (no call)
// A selector is {routerId?, tag?: {key, value?}, namePattern?}; see src/vpc/selector.ts and src/vpc/fleet.ts.
import { defineHandler, type HandlerDefinition } from '../../src/fc/handler';
import { parseFleetEvent, type FleetEvent } from '../../src/vpc/fleet-event';
import { applyRound, planShards, pollShard, readShard, reportFleet, summarizeShard } from '../../src/vpc/fleet';

export const definition: HandlerDefinition<FleetEvent, object> = {
  name: 'fleet',
  // Reads with DescribeRouterInterfaces; the apply step writes with ModifyRouterInterfaceSpec.
  action: 'ModifyRouterInterfaceSpec',
  parse: (event, context) => parseFleetEvent(event, context.region),
  async run(input, { client }) {
    switch (input.op) {
      case 'shards':
        return planShards(client, input.regionId, input.target, input.concurrency);
      case 'read': {
        const read = await readShard(client, input.regionId, input.spec, input.target, input.shard);
        return { ...read, summary: summarizeShard(input.shard, read.results, read.excluded, input.failuresListed) };
      }
      case 'apply': {
        const round = await applyRound(client, input.regionId, input.spec, input.target, input.shard, input.results, input.round, input.executionName);
        return { ...round, summary: summarizeShard(input.shard, round.results, input.excluded, input.failuresListed) };
      }
      case 'poll': {
        const poll = await pollShard(client, input.regionId, input.spec, input.target, input.shard, input.results, input.attempt);
        return { ...poll, summary: summarizeShard(input.shard, poll.results, input.excluded, input.failuresListed) };
      }
      case 'report':
        return reportFleet(input.shards);
    }
  },
};

export const handler = defineHandler(definition);
