import type { RouterInterfaceRecord } from '../../types';

/** The bodies of the other seven actions (the gateway adds RequestId): what each documents beyond it. */

export function renderNothing(): Record<string, unknown> {
  return {};
}

/** ModifyRouterInterfaceSpec answers the spec it set. */
export function renderModifySpec(result: { spec: string }): Record<string, unknown> {
  return { Spec: result.spec };
}

export function renderCreate(ri: RouterInterfaceRecord): Record<string, unknown> {
  return { RouterInterfaceId: ri.routerInterfaceId };
}
