import { createHash } from 'node:crypto';

/**
 * A ClientToken for ModifyRouterInterfaceSpec that is the same every time the same execution asks for the same
 * change, so a retried invocation or a replayed workflow step never applies it twice: `rf-` + the first 32 hex
 * digits (128 bits) of SHA-256 over the three values — 35 ASCII characters, inside the API's 64.
 */
export function deriveClientToken(executionName: string, routerInterfaceId: string, spec: string): string {
  // JSON keeps the parts apart: ("a-b","c") and ("a","b-c") must not collide.
  const digest = createHash('sha256').update(JSON.stringify([executionName, routerInterfaceId, spec])).digest('hex');
  return `rf-${digest.slice(0, 32)}`;
}
