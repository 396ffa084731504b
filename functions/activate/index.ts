// Re-activates an interface (Inactive → Activating → Active). Already Activating or Active → changed: false.
// Event: {regionId?, routerInterfaceId} (regionId defaults to the function's region).
// Result: {requestId, regionId, routerInterfaceId, changed, status?}.
import { defineHandler } from '../../src/fc/handler';
import { statusActionDefinition } from '../../src/fc/status-action';

export const definition = statusActionDefinition('activate', 'ActivateRouterInterface', 'activate');
export const handler = defineHandler(definition);
