import type { ActionResult, VpcClient } from './client';
import { StatusConflict } from '../rpc/error-names';
import type { BandwidthSpec } from '../vpc-api/specs';
import type { RouterInterfaceStatus } from '../vpc-api/statuses';

/**
 * Statuses in which an action counts as already done (in progress or reached), so a retried or replayed call
 * reports success with `changed: false` instead of failing on the status conflict.
 */
export const ALREADY_DONE_STATUSES = {
  connect: ['Connecting', 'AcceptingConnecting', 'Active'],
  activate: ['Activating', 'Active'],
  deactivate: ['Deactivating', 'Inactive'],
} as const satisfies Record<string, readonly RouterInterfaceStatus[]>;

export type StatusAction = keyof typeof ALREADY_DONE_STATUSES;

export interface IdempotentOutcome {
  requestId: string;
  changed: boolean;
  /** Known when the conflict path described the interface. */
  status?: string;
  spec?: string;
}


/**
 * Cheapest path first: call the action; only on a `StatusConflict`, describe once and decide. If the
 * describe fails or shows anything else, the original conflict is rethrown (the workflow retries conflicts).
 */
async function onConflict(
  client: VpcClient,
  regionId: string,
  routerInterfaceId: string,
  attempt: () => Promise<IdempotentOutcome>,
  isDone: (status: string, spec: string) => boolean,
): Promise<IdempotentOutcome> {
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof StatusConflict)) throw error;
    let described;
    try {
      described = await client.describe(regionId, routerInterfaceId);
    } catch {
      throw error;
    }
    const { status, spec } = described.routerInterface;
    if (!isDone(status, spec)) throw error;
    return { requestId: described.requestId, changed: false, status, spec };
  }
}

export function runStatusAction(
  client: VpcClient,
  action: StatusAction,
  regionId: string,
  routerInterfaceId: string,
): Promise<IdempotentOutcome> {
  const done: readonly string[] = ALREADY_DONE_STATUSES[action];
  return onConflict(
    client,
    regionId,
    routerInterfaceId,
    async () => {
      const result: ActionResult = await client[action](regionId, routerInterfaceId);
      return { requestId: result.requestId, changed: true };
    },
    (status) => done.includes(status),
  );
}

/**
 * Modify-spec is done when the interface already carries the target spec (whatever transition it is in). Unlike
 * the status actions it reads first: the API may accept a modify to the current spec as a new order, so the only
 * way to make no write when the spec is already there is to look before writing (one describe per modify).
 */
export async function runModifySpec(
  client: VpcClient,
  regionId: string,
  routerInterfaceId: string,
  spec: BandwidthSpec,
  clientToken: string | undefined,
): Promise<IdempotentOutcome> {
  const before = await client.describe(regionId, routerInterfaceId);
  if (before.routerInterface.spec === spec) {
    return { requestId: before.requestId, changed: false, status: before.routerInterface.status, spec };
  }
  return onConflict(
    client,
    regionId,
    routerInterfaceId,
    async () => {
      const result = await client.modifySpec(regionId, routerInterfaceId, spec, clientToken);
      return { requestId: result.requestId, changed: true, spec: result.spec };
    },
    (_status, currentSpec) => currentSpec === spec,
  );
}
