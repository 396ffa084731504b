/** What Function Compute reports as a failed invocation's `errorType`: one reading for every local FC path. */
import { FlowError } from '../flow/errors';
import type { CloudFlowPolicy } from '../flow/policy';

/**
 * The name a handler's thrown error gets, by the policy's `fcErrorType` reading. A `FlowError` is already named by
 * FC or CloudFlow itself (a function timeout, a missing function) and keeps its name. A non-Error, or an Error whose
 * chosen name is empty, has no errorType: the policy's `fcUnknown`.
 */
export function fcErrorType(thrown: unknown, policy: CloudFlowPolicy): string {
  if (thrown instanceof FlowError) return thrown.name;
  if (!(thrown instanceof Error)) return policy.errorNames.fcUnknown;
  const name = policy.fcErrorType === 'class-name' ? (thrown.constructor as { name?: unknown } | undefined)?.name : thrown.name;
  return typeof name === 'string' && name !== '' ? name : policy.errorNames.fcUnknown;
}

/** A handler's failure as the task error CloudFlow sees: `fcErrorType` as the name, the message as the detail. */
export function fcFunctionError(thrown: unknown, policy: CloudFlowPolicy): FlowError {
  if (thrown instanceof FlowError) return thrown;
  const message = thrown instanceof Error ? thrown.message : typeof thrown === 'string' ? thrown : String(JSON.stringify(thrown));
  return new FlowError(fcErrorType(thrown, policy), message);
}
