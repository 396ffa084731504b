import { runStatusAction } from '../vpc/idempotent';
import type { StatusAction } from '../vpc/idempotent';
import type { HandlerDefinition } from './handler';
import { parseTarget } from './input';
import type { RouterInterfaceTarget } from './input';

export interface StatusActionResult {
  requestId: string;
  regionId: string;
  routerInterfaceId: string;
  /** false when the interface was already in the action's in-progress or target status. */
  changed: boolean;
  /** Present when the conflict path described the interface. */
  status?: string;
}

/** connect, activate and deactivate share one shape: `{regionId, routerInterfaceId}` in, a status action out. */
export function statusActionDefinition(
  name: string,
  action: string,
  statusAction: StatusAction,
): HandlerDefinition<RouterInterfaceTarget, StatusActionResult> {
  return {
    name,
    action,
    parse: parseTarget,
    async run(target, { client }) {
      const outcome = await runStatusAction(client, statusAction, target.regionId, target.routerInterfaceId);
      return {
        requestId: outcome.requestId,
        regionId: target.regionId,
        routerInterfaceId: target.routerInterfaceId,
        changed: outcome.changed,
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
      };
    },
  };
}
