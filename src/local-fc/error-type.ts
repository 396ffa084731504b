/** What Function Compute reports as a failed invocation's `errorType`: one reading for every local FC path. */
import type { LocalFcPolicy } from './policy';

/**
 * The errorType a handler's thrown value gets, by the policy's `errorType` reading. A non-Error, or an Error whose
 * chosen name is empty, has none: the policy's `errorNames.unknown`.
 */
export function errorTypeOf(thrown: unknown, policy: LocalFcPolicy): string {
  if (!(thrown instanceof Error)) return policy.errorNames.unknown;
  const name = policy.errorType === 'class-name' ? (thrown.constructor as { name?: unknown } | undefined)?.name : thrown.name;
  return typeof name === 'string' && name !== '' ? name : policy.errorNames.unknown;
}

/** The errorMessage FC reports: the Error's message, or the thrown value as text. */
export function errorMessageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  return typeof thrown === 'string' ? thrown : String(JSON.stringify(thrown));
}
