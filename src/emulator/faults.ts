import { InvalidInputError } from '../input-error/invalid-input';
import type { FaultRule } from './types';

/**
 * Fault rules as data (Step Functions Local / LocalStack Chaos style). A rule hits a call when its action matches,
 * the call's 0-based index among the calls matching that rule is in `calls` (if given), and the random draw is
 * below `probability` (if given). Only the first rule that hits applies.
 */

interface ActiveRule {
  rule: FaultRule;
  ranges: Array<[number, number]> | undefined;
  seen: number;
}

function parseCalls(spec: string, field: string): Array<[number, number]> {
  return spec.split(',').map((part) => {
    const match = /^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$/.exec(part);
    if (!match) throw new InvalidInputError(field, 'format', `"${spec}" is not like "3", "0-1", "2,5-7" or "4-"`);
    const from = Number(match[1]);
    const to = match[2] ? (match[3] ? Number(match[3]) : Number.POSITIVE_INFINITY) : from;
    if (to < from) throw new InvalidInputError(field, 'range', `range "${part}" ends before it starts`);
    return [from, to];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one rule from control input; throws InvalidInputError naming the field. */
export function parseFaultRule(value: unknown, field = 'fault'): FaultRule {
  if (!isRecord(value)) throw new InvalidInputError(field, 'type', 'must be an object');
  const rule: FaultRule = { action: '' };
  if (typeof value.action !== 'string' || !value.action) throw new InvalidInputError(`${field}.action`, 'type', "must be an action name or '*'");
  rule.action = value.action;
  if (value.id !== undefined) {
    if (typeof value.id !== 'string') throw new InvalidInputError(`${field}.id`, 'type', 'must be a string');
    rule.id = value.id;
  }
  if (value.calls !== undefined) {
    if (typeof value.calls !== 'string') throw new InvalidInputError(`${field}.calls`, 'type', 'must be a string');
    parseCalls(value.calls, `${field}.calls`);
    rule.calls = value.calls;
  }
  if (value.probability !== undefined) {
    if (typeof value.probability !== 'number' || !(value.probability >= 0 && value.probability <= 1)) {
      throw new InvalidInputError(`${field}.probability`, 'range', 'must be a number between 0 and 1');
    }
    rule.probability = value.probability;
  }
  if (value.error !== undefined) {
    const error = value.error;
    if (!isRecord(error) || typeof error.code !== 'string' || !error.code) {
      throw new InvalidInputError(`${field}.error.code`, 'type', 'must be a non-empty string');
    }
    if (typeof error.status !== 'number' || !Number.isInteger(error.status) || error.status < 400 || error.status > 599) {
      throw new InvalidInputError(`${field}.error.status`, 'range', 'must be an HTTP error status (400-599)');
    }
    if (error.message !== undefined && typeof error.message !== 'string') {
      throw new InvalidInputError(`${field}.error.message`, 'type', 'must be a string');
    }
    rule.error = { code: error.code, status: error.status, ...(typeof error.message === 'string' ? { message: error.message } : {}) };
  }
  if (value.latencyMs !== undefined) {
    if (typeof value.latencyMs !== 'number' || !(value.latencyMs >= 0)) throw new InvalidInputError(`${field}.latencyMs`, 'range', 'must be a non-negative number');
    rule.latencyMs = value.latencyMs;
  }
  if (value.drop !== undefined) {
    if (value.drop !== true) throw new InvalidInputError(`${field}.drop`, 'enum', 'must be true when given');
    rule.drop = true;
  }
  if (value.afterApply !== undefined) {
    if (value.afterApply !== 'drop' && value.afterApply !== 'corrupt') {
      throw new InvalidInputError(`${field}.afterApply`, 'enum', "must be 'drop' or 'corrupt' when given");
    }
    rule.afterApply = value.afterApply;
  }
  if (value.body !== undefined) {
    if (typeof value.body !== 'string') throw new InvalidInputError(`${field}.body`, 'type', 'must be a string');
    rule.body = value.body;
  }
  if (value.status !== undefined) {
    if (typeof value.status !== 'number' || !Number.isInteger(value.status) || value.status < 100 || value.status > 599) {
      throw new InvalidInputError(`${field}.status`, 'range', 'must be an HTTP status');
    }
    rule.status = value.status;
  }
  if (value.contentType !== undefined) {
    if (typeof value.contentType !== 'string') throw new InvalidInputError(`${field}.contentType`, 'type', 'must be a string');
    rule.contentType = value.contentType;
  }
  const effects = [rule.error, rule.drop, rule.body, rule.afterApply].filter((effect) => effect !== undefined).length;
  if (effects > 1) throw new InvalidInputError(field, 'exclusive', 'give at most one of error, drop, body, afterApply');
  if (effects === 0 && rule.latencyMs === undefined) {
    throw new InvalidInputError(field, 'required', 'needs an effect: error, drop, body, afterApply or latencyMs');
  }
  return rule;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): FaultRule {
    const stored = { ...rule, id: rule.id ?? `fault-${this.nextId++}` };
    this.rules.push({ rule: stored, ranges: stored.calls ? parseCalls(stored.calls, 'calls') : undefined, seen: 0 });
    return stored;
  }

  list(): FaultRule[] {
    return this.rules.map((active) => ({ ...active.rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((active) => active.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Call counters restart (used by reset). */
  resetCounters(): void {
    for (const active of this.rules) active.seen = 0;
  }

  /** The rule that hits this call, if any; every matching rule's call counter advances. */
  match(action: string): FaultRule | undefined {
    let hit: FaultRule | undefined;
    for (const active of this.rules) {
      if (active.rule.action !== '*' && active.rule.action !== action) continue;
      const index = active.seen;
      active.seen += 1;
      if (hit) continue;
      if (active.ranges && !active.ranges.some(([from, to]) => index >= from && index <= to)) continue;
      if (active.rule.probability !== undefined && !(this.random() < active.rule.probability)) continue;
      hit = active.rule;
    }
    return hit;
  }
}
