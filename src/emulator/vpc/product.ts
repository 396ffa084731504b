import type { ActionRequest, ProductDefinition } from '../products';
import type { EmulatorStore } from '../store';
import { answerOncePerToken } from './client-token';
import type { VpcAction } from './errors';
import { describe } from './models/describe';
import { activate, connect, deactivate, modifySpec } from './models/lifecycle';
import { create, modifyAttribute, remove } from './models/manage';
import { VpcWorld } from './models/world';
import { parseDescribeRequest } from './requests/describe';
import { parseInterfaceRequest, parseModifySpecRequest } from './requests/lifecycle';
import { parseCreateRequest, parseModifyAttributeRequest } from './requests/manage';
import { RequestParams, parseRegionId } from './requests/params';
import { renderCreate, renderModifySpec, renderNothing } from './responses/actions';
import { renderDescribe } from './responses/describe';

const VPC_VERSION = '2016-04-28';

type Body = Record<string, unknown>;
type RunAction = (world: VpcWorld, params: RequestParams) => Body;

/**
 * One action, moto's way: the request (params → a typed request, with the documented parameter errors), the model
 * (state and rules, ApiErrors; no parameter spelling, no HTTP), and the response (the result → the documented body).
 * RegionId is read first; an action that takes a ClientToken checks it next (after `requiredFirst`, which
 * ModifySpec has always refused missing before looking at its token), before the rest is parsed.
 */
function action<Request, Result>(
  parse: (params: RequestParams, regionId: string) => Request,
  apply: (world: VpcWorld, request: Request) => Result,
  render: (result: Result) => Body,
  options: { clientToken?: true; requiredFirst?: string } = {},
): RunAction {
  return (world, params) => {
    const regionId = parseRegionId(params, world.action, (id) => world.isKnownRegion(id));
    if (options.requiredFirst) params.required(options.requiredFirst);
    const answer = () => render(apply(world, parse(params, regionId)));
    return options.clientToken ? answerOncePerToken(world, params, answer) : answer();
  };
}

const ACTIONS: Record<VpcAction, RunAction> = {
  CreateRouterInterface: action(parseCreateRequest, create, renderCreate, { clientToken: true }),
  ConnectRouterInterface: action(parseInterfaceRequest, connect, renderNothing),
  ActivateRouterInterface: action(parseInterfaceRequest, activate, renderNothing),
  DeactivateRouterInterface: action(parseInterfaceRequest, deactivate, renderNothing),
  ModifyRouterInterfaceSpec: action(parseModifySpecRequest, modifySpec, renderModifySpec, { clientToken: true, requiredFirst: 'Spec' }),
  ModifyRouterInterfaceAttribute: action(parseModifyAttributeRequest, modifyAttribute, renderNothing),
  DescribeRouterInterfaces: action(parseDescribeRequest, describe, renderDescribe),
  DeleteRouterInterface: action(parseInterfaceRequest, remove, renderNothing, { clientToken: true }),
};

/** The VPC product (router-interface actions only) over the shared store. */
export function createVpcProduct(store: EmulatorStore): ProductDefinition {
  const actions: ProductDefinition['actions'] = {};
  for (const [name, run] of Object.entries(ACTIONS)) {
    actions[name] = (request: ActionRequest) => run(new VpcWorld(store, request.account, name as VpcAction), new RequestParams(request.params));
  }
  return { code: 'Vpc', version: VPC_VERSION, hostId: 'vpc.aliyuncs.com', actions };
}
