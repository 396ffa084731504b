// Deactivates an interface (Active → Deactivating → Inactive). Already Deactivating or Inactive → changed: false.
// Event: {regionId?, routerInterfaceId} (regionId defaults to the function's region).
// Result: {requestId, regionId, routerInterfaceId, changed, status?}.
import { defineHandler } from '../../src/fc/handler';
import { statusActionDefinition } from '../../src/fc/status-action';

export const definition = statusActionDefinition('deactivate', 'DeactivateRouterInterface', 'deactivate');
export const handler = defineHandler(definition);
