import type { RequestParams } from './params';

/** Connect, Activate, Deactivate and Delete name one interface; ModifySpec adds the spec. */
export interface InterfaceRequest {
  regionId: string;
  routerInterfaceId: string;
}

export interface ModifySpecRequest extends InterfaceRequest {
  /** As sent: whether it is a spec at all is the model's rule (`InvalidSpec.ValudNotSupported`). */
  spec: string;
}

export function parseInterfaceRequest(params: RequestParams, regionId: string): InterfaceRequest {
  return { regionId, routerInterfaceId: params.required('RouterInterfaceId') };
}

export function parseModifySpecRequest(params: RequestParams, regionId: string): ModifySpecRequest {
  const spec = params.required('Spec');
  return { regionId, spec, routerInterfaceId: params.required('RouterInterfaceId') };
}
