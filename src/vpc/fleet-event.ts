import { InvalidInputError } from '../input-error/invalid-input';
import { describeValue } from '../rpc/safe-text';
import type { BandwidthSpec } from '../vpc-api/specs';
import type { Outcomes, Shard, ShardSummary } from './fleet';
import { FLEET_LIMITS } from './fleet-limits';
import { validateFleetTarget, validateRouterInterfaceIds, type FleetTarget } from './fleet-target';
import { validateSelector } from './selector';
import { validateAttempt, validateRegionId, validateRouterInterfaceId, validateTargetSpec } from './validate';

/**
 * The `fleet` function's events, one per step of `riflow-fleet-modify-spec` (`op`), each checked field by field
 * before any call: a refusal is `InvalidInput` naming the field and the rule. Unknown keys are ignored.
 */
export type FleetEvent =
  | { op: 'shards'; regionId: string; spec: BandwidthSpec; target: FleetTarget; concurrency: number }
  | ({ op: 'read' } & ShardStep)
  | ({ op: 'apply'; results: Outcomes; round: number; executionName: string; excluded: number } & ShardStep)
  | ({ op: 'poll'; results: Outcomes; attempt: number; excluded: number } & ShardStep)
  | { op: 'report'; regionId: string; shards: Array<ShardSummary | { Error: { Code: string } }> };

interface ShardStep {
  regionId: string;
  spec: BandwidthSpec;
  target: FleetTarget;
  shard: Shard;
  failuresListed: number;
}

const OPS = ['shards', 'read', 'apply', 'poll', 'report'] as const;
type Op = (typeof OPS)[number];
/** An outcome word, `todo:<Name>`, or an error name. */
const OUTCOME_PATTERN = /^[A-Za-z][A-Za-z0-9._:-]{0,68}$/;

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(field: string, rule: string, expectation: string, value: unknown): never {
  throw new InvalidInputError(field, rule, `${expectation} (got ${describeValue(value)})`);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(field, 'range', `must be a whole number from ${min} to ${max}`, value);
  return value;
}

function shardOf(value: unknown, field: string): Shard {
  if (!isBag(value)) fail(field, 'shape', 'must be an object {index, page | ids, delaySeconds}', value);
  const shard: Shard = {
    index: integer(value.index, `${field}.index`, 0, FLEET_LIMITS.maxInterfaces),
    delaySeconds: value.delaySeconds === undefined ? 0 : integer(value.delaySeconds, `${field}.delaySeconds`, 0, 300),
  };
  if ((value.page === undefined) === (value.ids === undefined)) fail(field, 'shape', 'must have one of page and ids', value);
  if (value.page !== undefined) shard.page = integer(value.page, `${field}.page`, 1, FLEET_LIMITS.maxInterfaces / FLEET_LIMITS.shardSize);
  else shard.ids = validateRouterInterfaceIds(value.ids, `${field}.ids`, FLEET_LIMITS.shardSize);
  return shard;
}

function outcomesOf(value: unknown, field: string): Outcomes {
  if (!isBag(value)) fail(field, 'shape', 'must be an object of router interface id → outcome', value);
  const entries = Object.entries(value);
  if (entries.length > FLEET_LIMITS.shardSize) fail(field, 'count', `must hold at most ${FLEET_LIMITS.shardSize} interfaces`, `${entries.length}`);
  const outcomes: Outcomes = {};
  for (const [id, outcome] of entries) {
    validateRouterInterfaceId(id, `${field}.${id}`);
    if (typeof outcome !== 'string' || !OUTCOME_PATTERN.test(outcome)) fail(`${field}.${id}`, 'format', 'must be an outcome or an error code', outcome);
    outcomes[id] = outcome;
  }
  return outcomes;
}

function summariesOf(value: unknown, field: string): Array<ShardSummary | { Error: { Code: string } }> {
  if (!Array.isArray(value) || value.length > FLEET_LIMITS.maxInterfaces / FLEET_LIMITS.shardSize) {
    fail(field, 'type', `must be a list of at most ${FLEET_LIMITS.maxInterfaces / FLEET_LIMITS.shardSize} shard reports`, value);
  }
  return value.map((item: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isBag(item)) fail(at, 'shape', 'must be a shard report', item);
    if (isBag(item.Error)) {
      const failed = item.Error.Code;
      if (typeof failed !== 'string') fail(`${at}.Error.Code`, 'type', 'must be a string', failed);
      return { Error: { Code: failed } };
    }
    const counts = ['shard', 'total', 'changed', 'unchanged', 'failed', 'pending', 'excluded', 'failuresNotListed'] as const;
    const summary = Object.fromEntries(counts.map((key) => [key, integer(item[key], `${at}.${key}`, 0, FLEET_LIMITS.maxInterfaces)])) as Omit<ShardSummary, 'failures'>;
    if (!Array.isArray(item.failures) || item.failures.length > FLEET_LIMITS.shardSize) fail(`${at}.failures`, 'type', 'must be a list', item.failures);
    const failures = item.failures.map((entry: unknown, i) => {
      if (!isBag(entry) || typeof entry.id !== 'string' || typeof entry.code !== 'string') fail(`${at}.failures[${i}]`, 'shape', 'must be {id, code}', entry);
      return { id: entry.id, code: entry.code };
    });
    return { ...summary, failures };
  });
}

/** The seed of the shard's ClientTokens, as modify-spec takes it: 1 to 256 characters. */
function executionNameOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 256) fail(field, 'format', 'must be a string of 1 to 256 characters (the execution name)', value);
  return value;
}

function isOp(value: unknown): value is Op {
  return typeof value === 'string' && (OPS as readonly string[]).includes(value);
}

export function parseFleetEvent(event: Bag, fallbackRegion: string | undefined): FleetEvent {
  const op = event.op;
  if (!isOp(op)) fail('op', 'enum', `must be one of ${OPS.join(', ')}`, op);
  const regionId = validateRegionId(event.regionId ?? fallbackRegion);
  if (op === 'report') return { op, regionId, shards: summariesOf(event.shards, 'shards') };
  const spec = validateTargetSpec(event.spec);
  if (op === 'shards') return { op, regionId, spec, target: validateFleetTarget(event, (name) => name), concurrency: integer(event.concurrency, 'concurrency', 1, 100) };
  // A shard step: a selector's page, or the shard's own ids.
  const shard = shardOf(event.shard, 'shard');
  const target: FleetTarget = event.select !== undefined ? { select: validateSelector(event.select, 'select') } : { routerInterfaceIds: shard.ids ?? [] };
  if ('routerInterfaceIds' in target && target.routerInterfaceIds.length === 0) {
    fail('select', 'fleet-target', 'is required for a shard of a page (the page is of that selector)', event.select);
  }
  const step: ShardStep = { regionId, spec, target, shard, failuresListed: integer(event.failuresListed, 'failuresListed', 1, FLEET_LIMITS.shardSize) };
  if (op === 'read') return { op, ...step };
  const results = outcomesOf(event.results, 'results');
  const excluded = integer(event.excluded ?? 0, 'excluded', 0, FLEET_LIMITS.shardSize);
  if (op === 'apply') {
    const round = integer(event.round ?? 0, 'round', 0, FLEET_LIMITS.roundCap);
    return { op, ...step, results, excluded, round, executionName: executionNameOf(event.executionName, 'executionName') };
  }
  return { op, ...step, results, excluded, attempt: validateAttempt(event.attempt ?? 0) };
}
