import { enterStatus, formatTime, settleAll } from '../transitions';
import type { RouterInterfaceRecord, RouterType } from '../types';
import { NEGATIVE_SPEC, isBandwidthSpec } from '../../vpc-api/specs';
import { specAllowedBetween } from './specs';
import type { VpcCall } from './vpc-context';
import { VpcErrors } from './vpc-errors';

/** Create, ModifyAttribute and Delete: the actions that shape interfaces rather than move their status. */

const NAME_PATTERN = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5._-]{1,127}$/;
const DESCRIPTION_PATTERN = /^[A-Za-z\u4e00-\u9fa5][\s\S]{1,255}$/;

function validName(name: string): boolean {
  return NAME_PATTERN.test(name) && !/^https?:\/\//.test(name);
}

function validDescription(description: string): boolean {
  return DESCRIPTION_PATTERN.test(description) && !/^https?:\/\//.test(description);
}

function routerType(value: string | undefined, onError: () => Error): RouterType | undefined {
  if (value === undefined) return undefined;
  if (value !== 'VRouter' && value !== 'VBR') throw onError();
  return value;
}

export function createRouterInterface(call: VpcCall): Record<string, unknown> {
  const regionId = call.region();
  return call.idempotent(() => {
    const role = call.required('Role');
    const oppositeRegionId = call.required('OppositeRegionId');
    const spec = call.required('Spec');
    const type = routerType(call.required('RouterType'), VpcErrors.routerTypeNotSupported);
    const routerId = call.required('RouterId');
    if (role !== 'InitiatingSide' && role !== 'AcceptingSide') throw VpcErrors.roleNotSupported();
    if (type === 'VBR' && role !== 'InitiatingSide') throw VpcErrors.roleNotSupported();
    if (!call.isKnownRegion(oppositeRegionId)) throw VpcErrors.oppositeRegionNotFound();
    if (call.request.account.overdue) throw VpcErrors.billsOutstanding();
    const specFitsRole = role === 'AcceptingSide' ? spec === NEGATIVE_SPEC : isBandwidthSpec(spec);
    if (!specFitsRole) throw VpcErrors.specNotSupported();
    if (!specAllowedBetween(spec, regionId, oppositeRegionId)) throw VpcErrors.specRegionMismatch();
    const state = call.store.state;
    const router = state.routers.find((r) => r.id === routerId && r.regionId === regionId && r.type === type);
    if (!router) throw VpcErrors.routerNotFound();
    if (router.ownerId !== call.request.account.id) throw VpcErrors.ownerError(call.action);
    settleAll(state, call.store.config, call.now);
    const onRouter = state.interfaces.filter((ri) => ri.routerId === routerId).length;
    if (onRouter >= call.store.config.maxInterfacesPerRouter) throw VpcErrors.quotaExceeded();
    const name = call.param('Name');
    if (name !== undefined && !validName(name)) throw VpcErrors.invalidName();
    const description = call.param('Description');
    if (description !== undefined && !validDescription(description)) throw VpcErrors.invalidDescription();
    const chargeType = call.param('InstanceChargeType') ?? 'PostPaid';

    const ri: RouterInterfaceRecord = {
      routerInterfaceId: call.newInterfaceId(),
      regionId,
      ownerId: call.request.account.id,
      role,
      spec,
      routerId,
      routerType: router.type,
      oppositeRegionId,
      oppositeInterfaceId: call.param('OppositeInterfaceId'),
      oppositeRouterId: call.param('OppositeRouterId'),
      oppositeRouterType: routerType(call.param('OppositeRouterType'), VpcErrors.invalidOppositeRouterType),
      oppositeInterfaceOwnerId: call.param('OppositeInterfaceOwnerId'),
      name,
      description,
      status: 'Idle',
      businessStatus: 'Normal',
      chargeType: chargeType === 'PrePaid' ? 'PrePaid' : 'PostPaid',
      creationTime: formatTime(call.now),
      routeEntryCount: 0,
    };
    state.interfaces.push(ri);
    call.store.markChanged();
    return { RouterInterfaceId: ri.routerInterfaceId };
  });
}

const OPPOSITE_FIELDS = [
  ['OppositeInterfaceId', 'oppositeInterfaceId'],
  ['OppositeRouterId', 'oppositeRouterId'],
  ['OppositeRouterType', 'oppositeRouterType'],
  ['OppositeInterfaceOwnerId', 'oppositeInterfaceOwnerId'],
] as const;

/** Name, description and opposite info; the opposite info of a connected interface cannot change. */
export function modifyRouterInterfaceAttribute(call: VpcCall): Record<string, unknown> {
  const ri = call.ownInterface(call.region());
  if (ri.businessStatus === 'FinancialLocked') throw VpcErrors.financialLocked(call.action);
  if (ri.status !== 'Active' && ri.status !== 'Idle' && ri.status !== 'Inactive') throw VpcErrors.attributeStatus();
  const name = call.param('Name');
  if (name !== undefined && !validName(name)) throw VpcErrors.invalidName();
  const description = call.param('Description');
  if (description !== undefined && !validDescription(description)) throw VpcErrors.invalidDescription();
  routerType(call.param('OppositeRouterType'), VpcErrors.invalidOppositeRouterType);
  const changes = OPPOSITE_FIELDS.filter(([param, field]) => {
    const value = call.param(param);
    return value !== undefined && value !== ri[field];
  });
  if (changes.length > 0 && ri.status !== 'Idle') throw VpcErrors.attributeOppositeWhileConnected();
  for (const [param, field] of changes) {
    const value = call.param(param);
    if (field === 'oppositeRouterType') ri.oppositeRouterType = value as RouterType;
    else ri[field] = value;
  }
  if (name !== undefined) ri.name = name;
  if (description !== undefined) ri.description = description;
  call.store.markChanged();
  return {};
}

export function deleteRouterInterface(call: VpcCall): Record<string, unknown> {
  const regionId = call.region();
  return call.idempotent(() => {
    const ri = call.ownInterface(regionId);
    if (ri.status !== 'Idle' && ri.status !== 'Inactive') throw VpcErrors.deleteStatus();
    if (ri.routeEntryCount > 0) throw VpcErrors.referencedByRouteEntry();
    if (ri.chargeType === 'PrePaid') throw VpcErrors.prepaidDelete();
    enterStatus(ri, 'Deleting', call.now);
    call.store.markChanged();
    return {};
  });
}
