// Connects an initiating router interface (Idle → Connecting → Active). Already Connecting, AcceptingConnecting or Active → changed: false.
// Event: {regionId?, routerInterfaceId, spec?} (regionId defaults to the function's region). `spec` is the spec
// the workflow will set next: when present it is validated here, so bad workflow input fails before any write.
// Result: {requestId, regionId, routerInterfaceId, changed, status?}.
import { defineHandler } from '../../src/fc/handler';
import { statusActionDefinition } from '../../src/fc/status-action';
import { validateTargetSpec } from '../../src/vpc/validate';

const base = statusActionDefinition('connect', 'ConnectRouterInterface', 'connect');

export const definition: typeof base = {
  ...base,
  parse(event, context) {
    if (event.spec !== undefined) validateTargetSpec(event.spec);
    return base.parse(event, context);
  },
};
export const handler = defineHandler(definition);
