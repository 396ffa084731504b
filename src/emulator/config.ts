import { InvalidInputError } from '../input-error/invalid-input';
import type { EmulatorConfig, RateLimitConfig, TransientStatus, TransitionTiming } from './types';
import { VPC_RATE_LIMITS } from '../vpc-api/rate-limits';

/**
 * Realistic timings for demos. The public docs give no figures; these are seconds-scale guesses consistent with
 * Terraform's waits (see the API reference §8).
 */
export const REALISTIC_TRANSITIONS: Record<TransientStatus, TransitionTiming> = {
  Connecting: { mode: 'delay', ms: 8_000 },
  Activating: { mode: 'delay', ms: 5_000 },
  Deactivating: { mode: 'delay', ms: 5_000 },
  Deleting: { mode: 'delay', ms: 3_000 },
  Modifying: { mode: 'delay', ms: 5_000 },
};

/** Everything settles at the next read: for tests and quick demos. */
const FAST_TRANSITIONS: Record<TransientStatus, TransitionTiming> = {
  Connecting: { mode: 'immediate' },
  Activating: { mode: 'immediate' },
  Deactivating: { mode: 'immediate' },
  Deleting: { mode: 'immediate' },
  Modifying: { mode: 'immediate' },
};

const TRANSIENT_STATUSES = Object.keys(REALISTIC_TRANSITIONS) as TransientStatus[];

export function defaultConfig(): EmulatorConfig {
  return {
    transitions: structuredClone(REALISTIC_TRANSITIONS),
    statusErrorDialect: 'IncorrectRIStatus',
    rateLimit: { capacity: 300, windowMs: 60_000 },
    rateLimits: Object.fromEntries(Object.entries(VPC_RATE_LIMITS).map(([action, limit]) => [action, { capacity: limit.calls, windowMs: limit.seconds * 1000 }])),
    verifySignatures: true,
    timestampWindowMs: 15 * 60_000,
    nonceWindowMs: 15 * 60_000,
    maxInterfacesPerRouter: 5,
    executionAlreadyExistsStatus: 409,
    callLogLimit: 10_000,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeNumber(value: unknown, field: string, { positive = false } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new InvalidInputError(field, 'range', positive ? 'must be a positive number' : 'must be a non-negative number');
  }
  return value;
}

function parseTiming(value: unknown, field: string): TransitionTiming {
  if (!isRecord(value)) throw new InvalidInputError(field, 'type', 'must be an object with a mode');
  switch (value.mode) {
    case 'immediate':
      return { mode: 'immediate' };
    case 'delay':
      return { mode: 'delay', ms: nonNegativeNumber(value.ms, `${field}.ms`) };
    case 'describes': {
      const count = nonNegativeNumber(value.count, `${field}.count`);
      if (!Number.isInteger(count)) throw new InvalidInputError(`${field}.count`, 'type', 'must be an integer');
      return { mode: 'describes', count };
    }
    default:
      throw new InvalidInputError(`${field}.mode`, 'enum', "must be 'immediate', 'delay' or 'describes'");
  }
}

function mergeRateLimit(limit: RateLimitConfig, value: unknown, field: string): RateLimitConfig {
  if (!isRecord(value)) throw new InvalidInputError(field, 'type', 'must be an object');
  if (value.capacity !== undefined) limit.capacity = nonNegativeNumber(value.capacity, `${field}.capacity`, { positive: true });
  if (value.windowMs !== undefined) limit.windowMs = nonNegativeNumber(value.windowMs, `${field}.windowMs`, { positive: true });
  return limit;
}

/**
 * Applies a partial configuration onto `base` and returns the result; throws InvalidInputError naming the field.
 * Besides EmulatorConfig fields it accepts `preset: 'fast' | 'realistic'` (sets every transition timing first).
 */
export function mergeConfig(base: EmulatorConfig, patch: unknown): EmulatorConfig {
  if (!isRecord(patch)) throw new InvalidInputError('config', 'type', 'must be a JSON object');
  const next = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'preset':
        if (value !== 'fast' && value !== 'realistic') throw new InvalidInputError('preset', 'enum', "must be 'fast' or 'realistic'");
        next.transitions = structuredClone(value === 'fast' ? FAST_TRANSITIONS : REALISTIC_TRANSITIONS);
        break;
      case 'transitions':
        if (!isRecord(value)) throw new InvalidInputError('transitions', 'type', 'must be an object');
        for (const [status, timing] of Object.entries(value)) {
          if (!TRANSIENT_STATUSES.includes(status as TransientStatus)) {
            throw new InvalidInputError(`transitions.${status}`, 'enum', `unknown; expected one of ${TRANSIENT_STATUSES.join(', ')}`);
          }
          next.transitions[status as TransientStatus] = parseTiming(timing, `transitions.${status}`);
        }
        break;
      case 'statusErrorDialect':
        if (value !== 'IncorrectRIStatus' && value !== 'IncorrectStatus') {
          throw new InvalidInputError(key, 'enum', "must be 'IncorrectRIStatus' or 'IncorrectStatus'");
        }
        next.statusErrorDialect = value;
        break;
      case 'rateLimit':
        // One limit for every action: the default and each action's own.
        for (const limit of [next.rateLimit, ...Object.values(next.rateLimits)]) mergeRateLimit(limit, value, 'rateLimit');
        break;
      case 'rateLimits':
        if (!isRecord(value)) throw new InvalidInputError(key, 'type', 'must be an object of action names');
        for (const [action, limit] of Object.entries(value)) {
          next.rateLimits[action] = mergeRateLimit({ ...(next.rateLimits[action] ?? next.rateLimit) }, limit, `rateLimits.${action}`);
        }
        break;
      case 'executionAlreadyExistsStatus':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) {
          throw new InvalidInputError(key, 'range', 'must be an HTTP error status, an integer from 400 to 599');
        }
        next.executionAlreadyExistsStatus = value;
        break;
      case 'verifySignatures':
        if (typeof value !== 'boolean') throw new InvalidInputError(key, 'type', 'must be a boolean');
        next.verifySignatures = value;
        break;
      case 'timestampWindowMs':
      case 'nonceWindowMs':
      case 'maxInterfacesPerRouter':
      case 'callLogLimit':
        next[key] = nonNegativeNumber(value, key);
        break;
      default:
        throw new InvalidInputError(key, 'unknown', 'unknown configuration field');
    }
  }
  return next;
}
