import { NEGATIVE_SPEC, isBandwidthSpec } from '../../../vpc-api/specs';
import { enterStatus, formatTime, settleAll } from '../../transitions';
import type { RouterInterfaceRecord } from '../../types';
import { VpcErrors } from '../errors';
import type { InterfaceRequest } from '../requests/lifecycle';
import type { CreateRequest, ModifyAttributeRequest } from '../requests/manage';
import { checkDescription, checkName, checkOppositeRouterType } from './attributes';
import { specAllowedBetween } from './regions';
import type { VpcWorld } from './world';

/** Create, ModifyAttribute and Delete: the actions that shape interfaces rather than move their status. */

export function create(world: VpcWorld, request: CreateRequest): RouterInterfaceRecord {
  const { regionId, role, oppositeRegionId, spec, routerId } = request;
  if (request.routerType === 'VBR' && role !== 'InitiatingSide') throw VpcErrors.roleNotSupported();
  if (!world.isKnownRegion(oppositeRegionId)) throw VpcErrors.oppositeRegionNotFound();
  if (world.account.overdue) throw VpcErrors.billsOutstanding();
  const specFitsRole = role === 'AcceptingSide' ? spec === NEGATIVE_SPEC : isBandwidthSpec(spec);
  if (!specFitsRole) throw VpcErrors.specNotSupported();
  if (!specAllowedBetween(spec, regionId, oppositeRegionId)) throw VpcErrors.specRegionMismatch();
  const state = world.state;
  const router = state.routers.find((r) => r.id === routerId && r.regionId === regionId && r.type === request.routerType);
  if (!router) throw VpcErrors.routerNotFound();
  if (router.ownerId !== world.account.id) throw VpcErrors.ownerError(world.action);
  settleAll(state, world.store.config, world.now);
  const onRouter = state.interfaces.filter((ri) => ri.routerId === routerId).length;
  if (onRouter >= world.store.config.maxInterfacesPerRouter) throw VpcErrors.quotaExceeded();
  checkName(request.name);
  checkDescription(request.description);

  const ri: RouterInterfaceRecord = {
    routerInterfaceId: world.newInterfaceId(),
    regionId,
    ownerId: world.account.id,
    role,
    spec,
    routerId,
    routerType: router.type,
    oppositeRegionId,
    oppositeInterfaceId: request.opposite.interfaceId,
    oppositeRouterId: request.opposite.routerId,
    // Checked after the id is drawn, as it always was: a refused create still advances the random source.
    oppositeRouterType: checkOppositeRouterType(request.opposite.routerType),
    oppositeInterfaceOwnerId: request.opposite.ownerId,
    name: request.name,
    description: request.description,
    status: 'Idle',
    businessStatus: 'Normal',
    chargeType: request.chargeType,
    creationTime: formatTime(world.now),
    routeEntryCount: 0,
  };
  state.interfaces.push(ri);
  world.store.markChanged();
  return ri;
}

const OPPOSITE_FIELDS = [
  ['interfaceId', 'oppositeInterfaceId'],
  ['routerId', 'oppositeRouterId'],
  ['routerType', 'oppositeRouterType'],
  ['ownerId', 'oppositeInterfaceOwnerId'],
] as const;

/** Name, description and opposite info; the opposite info of a connected interface cannot change. */
export function modifyAttribute(world: VpcWorld, request: ModifyAttributeRequest): void {
  const ri = world.ownInterface(request.regionId, request.routerInterfaceId);
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(world.action);
  if (ri.status !== 'Active' && ri.status !== 'Idle' && ri.status !== 'Inactive') throw VpcErrors.attributeStatus();
  checkName(request.name);
  checkDescription(request.description);
  const routerType = checkOppositeRouterType(request.opposite.routerType);
  const changes = OPPOSITE_FIELDS.filter(([sent, field]) => {
    const value = request.opposite[sent];
    return value !== undefined && value !== ri[field];
  });
  if (changes.length > 0 && ri.status !== 'Idle') throw VpcErrors.attributeOppositeWhileConnected();
  for (const [sent, field] of changes) {
    if (field === 'oppositeRouterType') ri.oppositeRouterType = routerType;
    else ri[field] = request.opposite[sent];
  }
  if (request.name !== undefined) ri.name = request.name;
  if (request.description !== undefined) ri.description = request.description;
  world.store.markChanged();
}

export function remove(world: VpcWorld, request: InterfaceRequest): void {
  const ri = world.ownInterface(request.regionId, request.routerInterfaceId);
  if (ri.status !== 'Idle' && ri.status !== 'Inactive') throw VpcErrors.deleteStatus();
  if (ri.routeEntryCount > 0) throw VpcErrors.referencedByRouteEntry();
  if (ri.chargeType === 'PrePaid') throw VpcErrors.prepaidDelete();
  enterStatus(ri, 'Deleting', world.now);
  world.store.markChanged();
}
