import { TransientFailure } from './error-names';
import type { VpcError } from './error-names';
import { CLIENT_ERROR_CODES, rpcErrorFor } from './errors';

export interface RetryOptions {
  /** Total tries, the first included (default 4). */
  maxAttempts: number;
  /** Cap of the first backoff window (default 200 ms); window n is base × 2^n. */
  baseDelayMs: number;
  /** Largest backoff window (default 3 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

/** The time a request needs at the least; no retry starts, and no backoff ends, closer than this to the deadline. */
export const MIN_REQUEST_MS = 500;

export interface RetryEnvironment {
  retry: RetryOptions;
  /** Epoch ms after which nothing may be running; undefined = bounded by attempts only. */
  deadline: number | undefined;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(max, base·2^retry)). */
export function backoffDelayMs(retryIndex: number, retry: RetryOptions, random: () => number): number {
  const window = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** retryIndex);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(draw * window);
}

function deadlineError(lastError: VpcError | undefined): VpcError {
  return (
    lastError ?? rpcErrorFor({ code: CLIENT_ERROR_CODES.timeout, apiMessage: 'the invocation deadline leaves no time for a request' })
  );
}

/**
 * Runs `attempt(timeoutMs)` until it succeeds, fails with a non-transient error, runs out of attempts, or the next
 * try could not finish before the deadline. Only a `TransientFailure` is retried here; every other error goes
 * straight to the caller (the workflow owns conflict retries). Each try's timeout is clipped to the time left.
 */
export async function withRetry<T>(
  env: RetryEnvironment,
  requestTimeoutMs: number,
  attempt: (timeoutMs: number) => Promise<T>,
): Promise<T> {
  let lastError: VpcError | undefined;
  for (let tryIndex = 0; tryIndex < Math.max(1, env.retry.maxAttempts); tryIndex++) {
    if (tryIndex > 0) {
      const delay = backoffDelayMs(tryIndex - 1, env.retry, env.random);
      if (env.deadline !== undefined && env.now() + delay + MIN_REQUEST_MS > env.deadline) throw deadlineError(lastError);
      await env.sleep(delay);
    }
    const left = env.deadline === undefined ? Infinity : env.deadline - env.now();
    if (left < MIN_REQUEST_MS) throw deadlineError(lastError);
    try {
      return await attempt(Math.floor(Math.min(requestTimeoutMs, left)));
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      lastError = error;
    }
  }
  throw deadlineError(lastError);
}
