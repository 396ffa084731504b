/** Retry and Catch decisions as pure functions, shared by the executor and `testState`. */
import type { JsonObject } from './json';
import type { CatchRule, RetryRule } from './model';
import type { CloudFlowPolicy } from './policy';

function errorsMatch(errors: readonly string[], errorName: string, policy: CloudFlowPolicy): boolean {
  return errors.includes(errorName) || errors.includes(policy.errorNames.all);
}

/** Index of the first rule whose `Errors` match; later rules are never considered (documented). */
function firstMatchingRule<T extends { errors: string[] }>(rules: readonly T[], errorName: string, policy: CloudFlowPolicy): number {
  return rules.findIndex((rule) => errorsMatch(rule.errors, errorName, policy));
}

/** Seconds before retry `n` (1-based): min(IntervalSeconds × BackoffRate^(n−1), MaxBackoffSeconds). */
export function retryDelaySeconds(rule: RetryRule, n: number, policy: CloudFlowPolicy): number {
  const rate = rule.backoffRate ?? policy.defaultBackoffRate;
  const cap = rule.maxBackoffSeconds ?? policy.delayCapWithoutMaxBackoffSeconds;
  return Math.min(rule.intervalSeconds * rate ** (n - 1), cap);
}

export type RetryDecision =
  | { retry: true; rule: number; attempt: number; waitSeconds: number }
  | { retry: false; catchRule?: number; next?: string };

/**
 * What happens after a failed attempt. `retriesByRule[i]` is how many retries rule i already used in this visit
 * (one counter per rule and visit: policy.ts lists it among the fixed choices); a call may happen at most
 * 1 + MaxAttempts times.
 */
export function decideAfterError(
  retry: readonly RetryRule[],
  catchRules: readonly CatchRule[],
  errorName: string,
  retriesByRule: readonly number[],
  policy: CloudFlowPolicy,
): RetryDecision {
  const ruleIndex = firstMatchingRule(retry, errorName, policy);
  const rule = retry[ruleIndex];
  if (rule) {
    const used = retriesByRule[ruleIndex] ?? 0;
    if (used < rule.maxAttempts) {
      return { retry: true, rule: ruleIndex, attempt: used + 1, waitSeconds: retryDelaySeconds(rule, used + 1, policy) };
    }
  }
  const catchIndex = firstMatchingRule(catchRules, errorName, policy);
  const caught = catchRules[catchIndex];
  return caught ? { retry: false, catchRule: catchIndex, next: caught.next } : { retry: false };
}

/** The input of a Catch's `Next` state when the Catch has no OutputConstructor (policy `catchNextInput`). */
export function catchOutputWithoutConstructor(failedStateInput: JsonObject, error: { name: string; message: string }, policy: CloudFlowPolicy): JsonObject {
  return policy.catchNextInput === 'error' ? { Code: error.name, Detail: error.message } : failedStateInput;
}
