import type { RouterInterfaceStatus } from '../../../vpc-api/statuses';
import { isBandwidthSpec } from '../../../vpc-api/specs';
import { enterStatus, settle } from '../../transitions';
import type { RouterInterfaceRecord } from '../../types';
import { VpcErrors } from '../errors';
import type { InterfaceRequest, ModifySpecRequest } from '../requests/lifecycle';
import { specAllowedBetween } from './regions';
import type { VpcWorld } from './world';

/** Connect, Activate, Deactivate and ModifySpec: the status-changing actions (transition table §1.4). */

const CONNECTED: ReadonlySet<RouterInterfaceStatus> = new Set(['Active', 'Inactive', 'Activating', 'Deactivating', 'Modifying']);
const CONNECTING: ReadonlySet<RouterInterfaceStatus> = new Set(['Connecting', 'AcceptingConnecting']);

function routerPair(ri: RouterInterfaceRecord): string {
  return [ri.routerId, ri.oppositeRouterId ?? ''].sort().join('|');
}

/** The peer has configured this interface as its opposite, field for field. */
function isReciprocal(ri: RouterInterfaceRecord, peer: RouterInterfaceRecord): boolean {
  return (
    peer.routerId === ri.oppositeRouterId &&
    peer.routerType === ri.oppositeRouterType &&
    peer.ownerId === ri.oppositeInterfaceOwnerId &&
    peer.oppositeInterfaceId === ri.routerInterfaceId &&
    peer.oppositeRouterId === ri.routerId &&
    peer.oppositeRouterType === ri.routerType &&
    peer.oppositeInterfaceOwnerId === ri.ownerId
  );
}

function statusError(world: VpcWorld, expected: string): Error {
  return VpcErrors.statusMustBe(world.store.config.statusErrorDialect, expected);
}

export function connect(world: VpcWorld, request: InterfaceRequest): void {
  const ri = world.ownInterface(request.regionId, request.routerInterfaceId);
  if (world.account.overdue) throw VpcErrors.billsOutstanding();
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(world.action);
  if (ri.role !== 'InitiatingSide') throw VpcErrors.notInitiatingSide();
  if (ri.status !== 'Idle') throw statusError(world, 'Idle');
  if (!ri.oppositeInterfaceId || !ri.oppositeRouterId || !ri.oppositeRouterType || !ri.oppositeInterfaceOwnerId) {
    throw VpcErrors.oppositeInfoNotSet();
  }
  if (ri.oppositeRouterId === ri.routerId) throw VpcErrors.sameRouter();
  const peer = world.findInterface(ri.oppositeInterfaceId);
  // A missing or non-reciprocal peer is the same error Terraform retries right after ModifyRouterInterfaceAttribute.
  if (!peer || !isReciprocal(ri, peer)) throw VpcErrors.oppositeInfoNotSet();
  const peerAccount = world.state.accounts.find((account) => account.id === peer.ownerId);
  if (peerAccount && peerAccount.bid !== world.account.bid) throw VpcErrors.crossBid();

  const state = world.state;
  const pair = routerPair(ri);
  for (const other of [...state.interfaces]) {
    if (other === ri || routerPair(other) !== pair) continue;
    settle(state, other, world.store.config, world.now, 'read');
  }
  const sharing = state.interfaces.filter((other) => other !== ri && other !== peer && routerPair(other) === pair);
  if (sharing.some((other) => CONNECTING.has(other.status))) throw VpcErrors.concurrentConnect();
  if (sharing.some((other) => CONNECTED.has(other.status))) throw VpcErrors.alreadyConnected();
  if (peer.status !== 'Idle') throw statusError(world, 'Idle');

  enterStatus(ri, 'Connecting', world.now);
  enterStatus(peer, 'AcceptingConnecting', world.now);
  world.store.markChanged();
}

export function activate(world: VpcWorld, request: InterfaceRequest): void {
  const ri = world.ownInterface(request.regionId, request.routerInterfaceId);
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(world.action);
  if (ri.status !== 'Inactive') throw statusError(world, 'Inactive');
  enterStatus(ri, 'Activating', world.now);
  world.store.markChanged();
}

export function deactivate(world: VpcWorld, request: InterfaceRequest): void {
  const ri = world.ownInterface(request.regionId, request.routerInterfaceId);
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(world.action);
  // The current docs still list IncorrectStatus here, whatever the dialect.
  if (ri.status !== 'Active') throw VpcErrors.statusMustBe('IncorrectStatus', 'Active');
  enterStatus(ri, 'Deactivating', world.now);
  world.store.markChanged();
}

/**
 * Allowed on an InitiatingSide interface that is Active (→ Activating → Active) or Inactive (the spec changes and
 * the interface stays Inactive). Asking for the spec it already has succeeds and changes nothing.
 */
export function modifySpec(world: VpcWorld, request: ModifySpecRequest): { spec: string } {
  const { spec } = request;
  const ri = world.ownInterface(request.regionId, request.routerInterfaceId);
  if (world.account.overdue) throw VpcErrors.billsOutstanding();
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(world.action);
  // An acceptor's spec is always Negative, so no spec is supported for it.
  if (!isBandwidthSpec(spec) || ri.role !== 'InitiatingSide') throw VpcErrors.specNotSupported();
  if (!ri.oppositeRegionId) throw VpcErrors.specParamNull();
  if (!world.isKnownRegion(ri.oppositeRegionId)) throw VpcErrors.oppositeRegionNotFound();
  if (ri.status !== 'Active' && ri.status !== 'Inactive') throw VpcErrors.specStatusError();
  if (ri.oppositeInterfaceId && !world.findInterface(ri.oppositeInterfaceId)) throw VpcErrors.oppositeNotFound();
  if (!specAllowedBetween(spec, ri.regionId, ri.oppositeRegionId)) throw VpcErrors.specRegionMismatch();
  if (ri.spec !== spec) {
    ri.spec = spec;
    if (ri.status === 'Active') enterStatus(ri, 'Activating', world.now);
    const applied = world.store.appliedSpecChanges;
    applied.set(ri.routerInterfaceId, (applied.get(ri.routerInterfaceId) ?? 0) + 1);
    world.store.markChanged();
  }
  return { spec };
}
