/**
 * The VPC API's flow control for the router-interface actions, one row per action with where its figure comes from.
 * Alibaba Cloud's quota pages give each API a quota of N calls per 60 s whose dimension is
 * "regionId, API, ParentUid" — per account, per region, per action — and answer `Throttling.User` ("Request was
 * denied due to user flow control.", HTTP 400) beyond it. The emulator keeps one token bucket per account, region and
 * action: `calls` tokens, refilled evenly over `seconds`, on its business clock (src/emulator/gateway.ts); quotas can
 * be raised in Quota Center, which is what `rateLimits` in the emulator's configuration stands for. `riflow plan`
 * estimates a fleet's calls against the same figures.
 */
export interface PublishedRateLimit {
  calls: number;
  seconds: number;
  /** Where the figure is published, or `assumed` with the reason when no page we could read gives one. */
  source: string;
  assumed: boolean;
}

const QUOTA_PAGE = 'https://help.aliyun.com/zh/vpc/developer-reference/api-vpc-2016-04-28-quota';
const API_PAGE = (action: string) => `https://api.aliyun.com/document/Vpc/2016-04-28/${action}`;
const ASSUMED =
  'not found on the quota pages or the action\'s API page that could be read; assumed equal to its siblings\' 300/60 s ' +
  '(every router-interface action whose quota is published has it)';

/** The router-interface actions riflow and the emulator know. */
type RouterInterfaceAction =
  | 'CreateRouterInterface'
  | 'ConnectRouterInterface'
  | 'ActivateRouterInterface'
  | 'DeactivateRouterInterface'
  | 'ModifyRouterInterfaceSpec'
  | 'ModifyRouterInterfaceAttribute'
  | 'DescribeRouterInterfaces'
  | 'DeleteRouterInterface';

export const VPC_RATE_LIMITS: Record<RouterInterfaceAction, PublishedRateLimit> = {
  CreateRouterInterface: { calls: 300, seconds: 60, source: `${API_PAGE('CreateRouterInterface')} (流控信息: 300/60(s))`, assumed: false },
  ConnectRouterInterface: { calls: 300, seconds: 60, source: `${API_PAGE('ConnectRouterInterface')} (流控信息: 300/60(s))`, assumed: false },
  ModifyRouterInterfaceAttribute: { calls: 300, seconds: 60, source: `${API_PAGE('ModifyRouterInterfaceAttribute')} (流控信息: 请求速率为300/60(s))`, assumed: false },
  DeleteRouterInterface: { calls: 300, seconds: 60, source: `${QUOTA_PAGE} (DeleteRouterInterface 300/60(s), dimension regionId,API,ParentUid)`, assumed: false },
  DeactivateRouterInterface: { calls: 300, seconds: 60, source: `${QUOTA_PAGE} and the Express Connect quota page (300/60(s))`, assumed: false },
  ActivateRouterInterface: { calls: 300, seconds: 60, source: ASSUMED, assumed: true },
  ModifyRouterInterfaceSpec: { calls: 300, seconds: 60, source: ASSUMED, assumed: true },
  DescribeRouterInterfaces: { calls: 300, seconds: 60, source: ASSUMED, assumed: true },
};
