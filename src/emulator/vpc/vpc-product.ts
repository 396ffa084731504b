import type { ActionRequest, ProductDefinition } from '../products';
import type { EmulatorStore } from '../store';
import { describeRouterInterfaces } from './describe';
import {
  activateRouterInterface,
  connectRouterInterface,
  deactivateRouterInterface,
  modifyRouterInterfaceSpec,
} from './lifecycle-actions';
import { createRouterInterface, deleteRouterInterface, modifyRouterInterfaceAttribute } from './manage-actions';
import { VpcCall } from './vpc-context';
import type { VpcAction } from './vpc-errors';

export const VPC_VERSION = '2016-04-28';

const ACTIONS: Record<VpcAction, (call: VpcCall) => Record<string, unknown>> = {
  CreateRouterInterface: createRouterInterface,
  ConnectRouterInterface: connectRouterInterface,
  ActivateRouterInterface: activateRouterInterface,
  DeactivateRouterInterface: deactivateRouterInterface,
  ModifyRouterInterfaceSpec: modifyRouterInterfaceSpec,
  ModifyRouterInterfaceAttribute: modifyRouterInterfaceAttribute,
  DescribeRouterInterfaces: describeRouterInterfaces,
  DeleteRouterInterface: deleteRouterInterface,
};

/** The VPC product (router-interface actions only) over the shared store. */
export function createVpcProduct(store: EmulatorStore): ProductDefinition {
  const actions: ProductDefinition['actions'] = {};
  for (const [name, run] of Object.entries(ACTIONS)) {
    actions[name] = (request: ActionRequest) => run(new VpcCall(store, request, name as VpcAction));
  }
  return { code: 'Vpc', version: VPC_VERSION, hostId: 'vpc.aliyuncs.com', actions };
}
