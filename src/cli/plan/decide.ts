/**
 * What a connect-and-modify-spec run would do to one interface, decided from a single describe. Mirrors the
 * workflow: Connect (idempotent on Connecting/Active) → poll until Active → ModifySpec unless the spec matches →
 * poll until Active. Pure, so every situation is a unit test.
 */
import { BANDWIDTH_SPECS, type BandwidthSpec } from '../../vpc-api/specs';

export interface ObservedInterface {
  routerInterfaceId: string;
  status: string;
  role: string;
  spec: string;
  businessStatus: string;
  oppositeInterfaceId?: string;
}

export type StepOutcome = 'run' | 'skip';

export interface PlanStep {
  action: 'ConnectRouterInterface' | 'ModifyRouterInterfaceSpec';
  outcome: StepOutcome;
  reason: string;
}

export interface Blocker {
  /** The workflow's Fail code this run would end with. */
  code: string;
  message: string;
}

export interface Plan {
  /** noop: exit 0; changes: exit 2; blocked: exit 1 (as terraform plan -detailed-exitcode). */
  result: 'noop' | 'changes' | 'blocked';
  routerInterfaceId: string;
  targetSpec: string;
  current?: ObservedInterface;
  steps: PlanStep[];
  blockers: Blocker[];
  /** Describe calls made to build the plan (always read-only). */
  apiCalls: string[];
}

const IN_PROGRESS = new Set(['Connecting', 'AcceptingConnecting', 'Activating', 'Modifying']);
const NOT_WAITED_ON = new Set(['Inactive', 'Deactivating', 'Deleting', 'Deleted']);

function bandwidth(spec: string): string {
  const mbps = (BANDWIDTH_SPECS as Record<string, number | undefined>)[spec];
  return mbps === undefined ? spec : `${spec} (${mbps} Mbit/s)`;
}

function connectStep(ri: ObservedInterface): PlanStep {
  if (ri.status === 'Idle') return { action: 'ConnectRouterInterface', outcome: 'run', reason: 'Idle → Connecting → Active, then poll until Active' };
  if (ri.status === 'Active') return { action: 'ConnectRouterInterface', outcome: 'skip', reason: 'already Active' };
  if (IN_PROGRESS.has(ri.status)) {
    return { action: 'ConnectRouterInterface', outcome: 'skip', reason: `already ${ri.status}; the run polls until Active` };
  }
  return { action: 'ConnectRouterInterface', outcome: 'skip', reason: `status ${ri.status}` };
}

function blockersOf(ri: ObservedInterface): Blocker[] {
  const blockers: Blocker[] = [];
  if (ri.role !== 'InitiatingSide') {
    const opposite = ri.oppositeInterfaceId ? ` (its initiator is ${ri.oppositeInterfaceId})` : '';
    blockers.push({ code: 'WrongRole', message: `the interface is the ${ri.role || 'unknown'} role; only the InitiatingSide can connect and change the spec${opposite}` });
  }
  if (ri.businessStatus && ri.businessStatus !== 'Normal') {
    blockers.push({ code: 'AccountLocked', message: `business status is ${ri.businessStatus} (overdue bills or a lock); settle the bills, then run again` });
  }
  if (NOT_WAITED_ON.has(ri.status)) {
    const hint = ri.status === 'Inactive' ? '; activate it first (ActivateRouterInterface)' : '';
    blockers.push({ code: ri.status === 'Inactive' ? 'ConnectFailed' : 'UnexpectedStatus', message: `status is ${ri.status}: Connect needs Idle and the workflow does not wait on ${ri.status}${hint}` });
  }
  return blockers;
}

export function decidePlan(targetSpec: BandwidthSpec, ri: ObservedInterface): Plan {
  const steps: PlanStep[] = [connectStep(ri)];
  if (ri.spec === targetSpec) {
    steps.push({ action: 'ModifyRouterInterfaceSpec', outcome: 'skip', reason: `spec is already ${targetSpec}` });
  } else {
    steps.push({ action: 'ModifyRouterInterfaceSpec', outcome: 'run', reason: `${bandwidth(ri.spec)} → ${bandwidth(targetSpec)}, then poll until Active` });
  }
  const blockers = blockersOf(ri);
  const changes = steps.some((step) => step.outcome === 'run');
  return {
    result: blockers.length > 0 ? 'blocked' : changes ? 'changes' : 'noop',
    routerInterfaceId: ri.routerInterfaceId,
    targetSpec,
    current: ri,
    // A blocked run changes nothing: it ends in its Fail state, so no step is shown as running.
    steps: blockers.length > 0 ? [] : steps,
    blockers,
    apiCalls: ['DescribeRouterInterfaces'],
  };
}

/** `code`: the API code the describe answered (`InvalidRouterInterfaceId.NotFound`, `InvalidRegionId.NotFound`, …). */
export function notFoundPlan(targetSpec: string, routerInterfaceId: string, regionId: string, code: string): Plan {
  return {
    result: 'blocked',
    routerInterfaceId,
    targetSpec,
    steps: [],
    blockers: [{ code: 'RouterInterfaceNotFound', message: `${routerInterfaceId} does not exist in ${regionId} (${code})` }],
    apiCalls: ['DescribeRouterInterfaces'],
  };
}
