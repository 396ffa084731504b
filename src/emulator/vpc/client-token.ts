import type { RequestParams } from './requests/params';
import { VpcErrors } from './errors';
import type { VpcWorld } from './models/world';

/** Parameters every RPC call carries that are not business input (left out of ClientToken fingerprints). */
const COMMON_PARAMS = new Set([
  'AccessKeyId', 'Action', 'Format', 'Signature', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion',
  'SignatureType', 'SecurityToken', 'Timestamp', 'Version', 'ClientToken',
]);

/**
 * Answers once per ClientToken (Create, ModifySpec, Delete): a repeat with the same business parameters gets the
 * first response body without anything changing; a repeat with different ones is refused. No token: just answers.
 * Tokens and the bodies they answered are part of the saved state.
 */
export function answerOncePerToken(
  world: VpcWorld,
  params: RequestParams,
  answer: () => Record<string, unknown>,
): Record<string, unknown> {
  const token = params.optional('ClientToken');
  if (!token) return answer();
  const key = `${world.account.id}/${world.action}/${token}`;
  const fingerprint = JSON.stringify(
    Object.entries(params.all)
      .filter(([name]) => !COMMON_PARAMS.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const previous = world.state.clientTokens[key];
  if (previous) {
    if (previous.fingerprint !== fingerprint) throw VpcErrors.idempotentMismatch();
    return structuredClone(previous.response);
  }
  const response = answer();
  world.state.clientTokens[key] = { fingerprint, response: structuredClone(response) };
  world.store.markChanged();
  return response;
}
