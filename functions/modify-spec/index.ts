// Changes an initiator's spec (→ Activating → Active). Already carrying the target spec → changed: false.
// Event: {regionId?, routerInterfaceId, spec, clientToken?, executionName?}. `Negative` is refused.
// ClientToken: the event's clientToken; else derived from executionName (pass `$Context.Execution.Name` from the
// workflow so every retry and replay of the step reuses it); else from the FC requestId, which only covers
// the client's own retries within this invocation. Without any of them the call goes without a token.
// Result: {requestId, regionId, routerInterfaceId, changed, spec, clientToken?, status?}.
import type { FcContext } from '../../src/fc/context';
import { defineHandler } from '../../src/fc/handler';
import type { HandlerDefinition } from '../../src/fc/handler';
import { parseTarget } from '../../src/fc/input';
import { deriveClientToken } from '../../src/vpc/client-token';
import { InvalidInputError } from '../../src/input-error/invalid-input';
import { runModifySpec } from '../../src/vpc/idempotent';
import type { BandwidthSpec } from '../../src/vpc-api/specs';
import { validateClientToken, validateTargetSpec } from '../../src/vpc/validate';

export interface ModifySpecInput {
  regionId: string;
  routerInterfaceId: string;
  spec: BandwidthSpec;
  clientToken: string | undefined;
}

export interface ModifySpecResult {
  requestId: string;
  regionId: string;
  routerInterfaceId: string;
  changed: boolean;
  spec: string;
  clientToken?: string;
  status?: string;
}

const MAX_EXECUTION_NAME_LENGTH = 256;

function tokenSeed(event: Record<string, unknown>, context: FcContext): string | undefined {
  const executionName = event.executionName;
  if (executionName !== undefined) {
    if (typeof executionName !== 'string' || executionName.length < 1 || executionName.length > MAX_EXECUTION_NAME_LENGTH) {
      throw new InvalidInputError('executionName', 'format', `must be a string of 1 to ${MAX_EXECUTION_NAME_LENGTH} characters`);
    }
    return executionName;
  }
  return context.requestId || undefined;
}

export function parseModifySpec(event: Record<string, unknown>, context: FcContext): ModifySpecInput {
  const target = parseTarget(event, context);
  const spec = validateTargetSpec(event.spec);
  const given = event.clientToken;
  if (given !== undefined) return { ...target, spec, clientToken: validateClientToken(given) };
  const seed = tokenSeed(event, context);
  return { ...target, spec, clientToken: seed === undefined ? undefined : deriveClientToken(seed, target.routerInterfaceId, spec) };
}

export const definition: HandlerDefinition<ModifySpecInput, ModifySpecResult> = {
  name: 'modify-spec',
  action: 'ModifyRouterInterfaceSpec',
  parse: parseModifySpec,
  async run(input, { client }) {
    const outcome = await runModifySpec(client, input.regionId, input.routerInterfaceId, input.spec, input.clientToken);
    return {
      requestId: outcome.requestId,
      regionId: input.regionId,
      routerInterfaceId: input.routerInterfaceId,
      changed: outcome.changed,
      spec: outcome.spec ?? input.spec,
      ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
    };
  },
};

export const handler = defineHandler(definition);
