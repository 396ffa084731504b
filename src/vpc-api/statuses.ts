/**
 * The `Status` of a router interface (also its `OppositeInterfaceStatus`), as the VPC API documents it: the
 * enumeration "Idle, AcceptingConnecting, Connecting, Activating, Active, Modifying, Deactivating, Inactive,
 * Deleting, Deleted" of the SDK models, the status lists of the action pages (ConnectRouterInterface: `Connecting`,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-connectrouterinterface;
 * DeactivateRouterInterface: `Deactivating` → `Inactive`,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-deactivaterouterinterface) and
 * Terraform's `status` schema (shared/reference/vpc-router-interface-api.md §1.1). Case-sensitive: `Active`, not
 * the `active` of one doc sample. There is no `Frozen`; billing locks are `BusinessStatus`, not a status.
 */
export const ROUTER_INTERFACE_STATUSES = [
  'Idle',
  'Connecting',
  'AcceptingConnecting',
  'Activating',
  'Active',
  'Modifying',
  'Deactivating',
  'Inactive',
  'Deleting',
  // Listed by the SDKs; in practice a deleted interface disappears from DescribeRouterInterfaces.
  'Deleted',
] as const;

export type RouterInterfaceStatus = (typeof ROUTER_INTERFACE_STATUSES)[number];
