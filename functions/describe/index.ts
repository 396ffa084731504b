// Reads one interface for a workflow's poll loop and says how long to wait before the next read.
// Event: {regionId?, routerInterfaceId, attempt?} — attempt = describes made so far (0 when absent).
// Result: {regionId, routerInterfaceId, status, spec, role, businessStatus, oppositeInterfaceId,
// oppositeInterfaceStatus, attempt: attempt + 1, nextPollSeconds} (a Wait's `Seconds.$`, 1–300).
import type { FcContext } from '../../src/fc/context';
import { defineHandler } from '../../src/fc/handler';
import type { HandlerDefinition } from '../../src/fc/handler';
import { parseTarget } from '../../src/fc/input';
import { nextPollSeconds } from '../../src/vpc/poll-schedule';
import { validateAttempt } from '../../src/vpc/validate';

export interface DescribeInput {
  regionId: string;
  routerInterfaceId: string;
  attempt: number;
}

export interface DescribeOutput {
  requestId: string;
  regionId: string;
  routerInterfaceId: string;
  status: string;
  spec: string;
  role: string;
  businessStatus: string;
  oppositeInterfaceId: string | null;
  oppositeInterfaceStatus: string | null;
  attempt: number;
  nextPollSeconds: number;
}

export function parseDescribe(event: Record<string, unknown>, context: FcContext): DescribeInput {
  const target = parseTarget(event, context);
  return { ...target, attempt: event.attempt === undefined ? 0 : validateAttempt(event.attempt) };
}

export const definition: HandlerDefinition<DescribeInput, DescribeOutput> = {
  name: 'describe',
  action: 'DescribeRouterInterfaces',
  parse: parseDescribe,
  async run(input, { client }) {
    const { requestId, routerInterface } = await client.describe(input.regionId, input.routerInterfaceId);
    const attempt = input.attempt + 1;
    return {
      requestId,
      regionId: input.regionId,
      routerInterfaceId: routerInterface.routerInterfaceId,
      status: routerInterface.status,
      spec: routerInterface.spec,
      role: routerInterface.role,
      businessStatus: routerInterface.businessStatus,
      oppositeInterfaceId: routerInterface.oppositeInterfaceId ?? null,
      oppositeInterfaceStatus: routerInterface.oppositeInterfaceStatus ?? null,
      attempt,
      nextPollSeconds: nextPollSeconds(attempt),
    };
  },
};

export const handler = defineHandler(definition);
