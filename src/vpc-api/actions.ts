/** The router-interface actions of the VPC API (2016-04-28) that riflow calls and the emulator serves. */
export type RouterInterfaceAction =
  | 'CreateRouterInterface'
  | 'ConnectRouterInterface'
  | 'ActivateRouterInterface'
  | 'DeactivateRouterInterface'
  | 'ModifyRouterInterfaceSpec'
  | 'ModifyRouterInterfaceAttribute'
  | 'DescribeRouterInterfaces'
  | 'DeleteRouterInterface';
