import { enterStatus, settle } from '../transitions';
import type { RouterInterfaceStatus } from '../../vpc-api/statuses';
import type { RouterInterfaceRecord } from '../types';
import { isBandwidthSpec } from '../../vpc-api/specs';
import { specAllowedBetween } from './specs';
import type { VpcCall } from './vpc-context';
import { VpcErrors } from './vpc-errors';

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

function statusError(call: VpcCall, expected: string): Error {
  return VpcErrors.statusMustBe(call.store.config.statusErrorDialect, expected);
}

export function connectRouterInterface(call: VpcCall): Record<string, unknown> {
  const ri = call.ownInterface(call.region());
  if (call.request.account.overdue) throw VpcErrors.billsOutstanding();
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(call.action);
  if (ri.role !== 'InitiatingSide') throw VpcErrors.notInitiatingSide();
  if (ri.status !== 'Idle') throw statusError(call, 'Idle');
  if (!ri.oppositeInterfaceId || !ri.oppositeRouterId || !ri.oppositeRouterType || !ri.oppositeInterfaceOwnerId) {
    throw VpcErrors.oppositeInfoNotSet();
  }
  if (ri.oppositeRouterId === ri.routerId) throw VpcErrors.sameRouter();
  const peer = call.findInterface(ri.oppositeInterfaceId);
  // A missing or non-reciprocal peer is the same error Terraform retries right after ModifyRouterInterfaceAttribute.
  if (!peer || !isReciprocal(ri, peer)) throw VpcErrors.oppositeInfoNotSet();
  const peerAccount = call.store.state.accounts.find((account) => account.id === peer.ownerId);
  if (peerAccount && peerAccount.bid !== call.request.account.bid) throw VpcErrors.crossBid();

  const state = call.store.state;
  const pair = routerPair(ri);
  for (const other of [...state.interfaces]) {
    if (other === ri || routerPair(other) !== pair) continue;
    settle(state, other, call.store.config, call.now, 'read');
  }
  const sharing = state.interfaces.filter((other) => other !== ri && other !== peer && routerPair(other) === pair);
  if (sharing.some((other) => CONNECTING.has(other.status))) throw VpcErrors.concurrentConnect();
  if (sharing.some((other) => CONNECTED.has(other.status))) throw VpcErrors.alreadyConnected();
  if (peer.status !== 'Idle') throw statusError(call, 'Idle');

  enterStatus(ri, 'Connecting', call.now);
  enterStatus(peer, 'AcceptingConnecting', call.now);
  call.store.markChanged();
  return {};
}

export function activateRouterInterface(call: VpcCall): Record<string, unknown> {
  const ri = call.ownInterface(call.region());
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(call.action);
  if (ri.status !== 'Inactive') throw statusError(call, 'Inactive');
  enterStatus(ri, 'Activating', call.now);
  call.store.markChanged();
  return {};
}

export function deactivateRouterInterface(call: VpcCall): Record<string, unknown> {
  const ri = call.ownInterface(call.region());
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(call.action);
  // The current docs still list IncorrectStatus here, whatever the dialect.
  if (ri.status !== 'Active') throw VpcErrors.statusMustBe('IncorrectStatus', 'Active');
  enterStatus(ri, 'Deactivating', call.now);
  call.store.markChanged();
  return {};
}

/**
 * Allowed on an InitiatingSide interface that is Active (→ Activating → Active) or Inactive (the spec changes and
 * the interface stays Inactive). Asking for the spec it already has succeeds and changes nothing.
 */
export function modifyRouterInterfaceSpec(call: VpcCall): Record<string, unknown> {
  const regionId = call.region();
  const spec = call.required('Spec');
  return call.idempotent(() => {
    const ri = call.ownInterface(regionId);
    if (call.request.account.overdue) throw VpcErrors.billsOutstanding();
    if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(call.action);
    // An acceptor's spec is always Negative, so no spec is supported for it.
    if (!isBandwidthSpec(spec) || ri.role !== 'InitiatingSide') throw VpcErrors.specNotSupported();
    if (!ri.oppositeRegionId) throw VpcErrors.specParamNull();
    if (!call.isKnownRegion(ri.oppositeRegionId)) throw VpcErrors.oppositeRegionNotFound();
    if (ri.status !== 'Active' && ri.status !== 'Inactive') throw VpcErrors.specStatusError();
    if (ri.oppositeInterfaceId && !call.findInterface(ri.oppositeInterfaceId)) throw VpcErrors.oppositeNotFound();
    if (!specAllowedBetween(spec, ri.regionId, ri.oppositeRegionId)) throw VpcErrors.specRegionMismatch();
    if (ri.spec !== spec) {
      ri.spec = spec;
      if (ri.status === 'Active') enterStatus(ri, 'Activating', call.now);
      call.store.markChanged();
    }
    return { Spec: spec };
  });
}
