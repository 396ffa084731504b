import type { RpcCall, RpcResponse, RpcTransport } from '../../src/rpc/transport';
import { BANDWIDTH_SPEC_NAMES } from '../../src/vpc-api/specs';

/**
 * An in-memory stand-in for the VPC API behind the client's transport seam: keeps router interfaces, applies the
 * four actions with the API's status rules (the move is instant: the action leaves the in-progress status), and
 * records every call with a verdict on whether its parameters were valid.
 */
export interface FakeInterface {
  id: string;
  status: string;
  spec: string;
  role?: string;
}

export interface RecordedCall extends RpcCall {
  validParams: boolean;
}

export interface FakeVpc {
  transport: RpcTransport;
  calls: RecordedCall[];
  interfaces: Map<string, FakeInterface>;
  /** Answers the next calls of `action` with these responses, in order, before normal handling resumes. */
  queue(action: string, ...responses: Array<RpcResponse | Error>): void;
}

const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const RI = /^ri-[a-z0-9]{1,64}$/;

export function apiError(code: string, message: string, httpStatus = 400): RpcResponse {
  return { httpStatus, body: { RequestId: `REQ-${code}`, HostId: 'vpc.aliyuncs.com', Code: code, Message: message } };
}

function paramsAreValid(call: RpcCall): boolean {
  const p = call.params;
  if (typeof p.RegionId !== 'string' || !REGION.test(p.RegionId)) return false;
  for (const value of Object.values(p)) if (value === undefined || value === null) return false;
  if (call.action === 'DescribeRouterInterfaces') return true;
  if (typeof p.RouterInterfaceId !== 'string' || !RI.test(p.RouterInterfaceId)) return false;
  if (call.action === 'ModifyRouterInterfaceSpec') {
    if (!(BANDWIDTH_SPEC_NAMES as string[]).includes(String(p.Spec))) return false;
    if (p.ClientToken !== undefined && !/^[\x21-\x7e]{1,64}$/.test(String(p.ClientToken))) return false;
  }
  return true;
}

const TRANSITIONS: Record<string, { from: string; to: string }> = {
  ConnectRouterInterface: { from: 'Idle', to: 'Connecting' },
  ActivateRouterInterface: { from: 'Inactive', to: 'Activating' },
  DeactivateRouterInterface: { from: 'Active', to: 'Deactivating' },
  ModifyRouterInterfaceSpec: { from: 'Active', to: 'Activating' },
};

export function createFakeVpc(seed: FakeInterface[] = []): FakeVpc {
  const interfaces = new Map(seed.map((ri) => [ri.id, { ...ri }]));
  const calls: RecordedCall[] = [];
  const queued = new Map<string, Array<RpcResponse | Error>>();
  let counter = 0;

  const handle = (call: RpcCall): RpcResponse => {
    const requestId = `REQ-${++counter}`;
    const id = String(call.params.RouterInterfaceId ?? '');
    if (call.action === 'DescribeRouterInterfaces') {
      const filters = (call.params.Filter ?? []) as Array<{ Key: string; Value: string[] }>;
      const wanted = filters.find((filter) => filter.Key === 'RouterInterfaceId')?.Value;
      const items = [...interfaces.values()]
        .filter((ri) => !wanted || wanted.includes(ri.id))
        .map((ri) => ({ RouterInterfaceId: ri.id, Status: ri.status, Spec: ri.spec, Role: ri.role ?? 'InitiatingSide', BusinessStatus: 'Normal' }));
      return { httpStatus: 200, body: { RequestId: requestId, TotalCount: items.length, PageNumber: 1, PageSize: 50, RouterInterfaceSet: { RouterInterfaceType: items } } };
    }
    const ri = interfaces.get(id);
    if (!ri) return apiError('InvalidRouterInterfaceId.NotFound', 'The specified RouterInterfaceId does not exist in our record.', 404);
    const transition = TRANSITIONS[call.action];
    if (!transition) return apiError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404);
    if (ri.status !== transition.from) {
      return apiError('IncorrectStatus', `RouterInterface can be operated by this action only when it's status is ${transition.from}.`);
    }
    ri.status = transition.to;
    if (call.action === 'ModifyRouterInterfaceSpec') {
      ri.spec = String(call.params.Spec);
      return { httpStatus: 200, body: { RequestId: requestId, Spec: ri.spec } };
    }
    return { httpStatus: 200, body: { RequestId: requestId } };
  };

  const transport: RpcTransport = async (call) => {
    calls.push({ ...call, validParams: paramsAreValid(call) });
    const next = queued.get(call.action)?.shift();
    if (next instanceof Error) throw next;
    if (next) return next;
    return handle(call);
  };

  return {
    transport,
    calls,
    interfaces,
    queue(action, ...responses) {
      queued.set(action, [...(queued.get(action) ?? []), ...responses]);
    },
  };
}
