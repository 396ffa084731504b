import type { ChargeType, Role, RouterType } from '../../types';
import { VpcErrors } from '../errors';
import type { InterfaceRequest } from './lifecycle';
import type { RequestParams } from './params';

/**
 * The opposite side as sent. The router type is checked by the model, after the interface's own rules, and names
 * and descriptions too (`attributes.ts`): the order in which the emulator has always answered.
 */
export interface OppositeInfo {
  interfaceId?: string | undefined;
  routerId?: string | undefined;
  routerType?: string | undefined;
  ownerId?: string | undefined;
}

export interface CreateRequest {
  regionId: string;
  role: Role;
  oppositeRegionId: string;
  spec: string;
  routerType: RouterType;
  routerId: string;
  name: string | undefined;
  description: string | undefined;
  chargeType: ChargeType;
  opposite: OppositeInfo;
}

export interface ModifyAttributeRequest extends InterfaceRequest {
  name: string | undefined;
  description: string | undefined;
  opposite: OppositeInfo;
}

function oppositeInfo(params: RequestParams): OppositeInfo {
  return {
    interfaceId: params.optional('OppositeInterfaceId'),
    routerId: params.optional('OppositeRouterId'),
    routerType: params.optional('OppositeRouterType'),
    ownerId: params.optional('OppositeInterfaceOwnerId'),
  };
}

/** Role, OppositeRegionId, Spec, RouterType and RouterId are required, in that order; Role and RouterType are enums. */
export function parseCreateRequest(params: RequestParams, regionId: string): CreateRequest {
  const role = params.required('Role');
  const oppositeRegionId = params.required('OppositeRegionId');
  const spec = params.required('Spec');
  const routerType = params.required('RouterType');
  if (routerType !== 'VRouter' && routerType !== 'VBR') throw VpcErrors.routerTypeNotSupported();
  const routerId = params.required('RouterId');
  if (role !== 'InitiatingSide' && role !== 'AcceptingSide') throw VpcErrors.roleNotSupported();
  return {
    regionId,
    role,
    oppositeRegionId,
    spec,
    routerType,
    routerId,
    name: params.optional('Name'),
    description: params.optional('Description'),
    chargeType: params.optional('InstanceChargeType') === 'PrePaid' ? 'PrePaid' : 'PostPaid',
    opposite: oppositeInfo(params),
  };
}

export function parseModifyAttributeRequest(params: RequestParams, regionId: string): ModifyAttributeRequest {
  return {
    regionId,
    routerInterfaceId: params.required('RouterInterfaceId'),
    name: params.optional('Name'),
    description: params.optional('Description'),
    opposite: oppositeInfo(params),
  };
}
