import type { FcContext } from '../../src/fc/context';
import { defineHandler } from '../../src/fc/handler';
import type { HandlerDefinition } from '../../src/fc/handler';
import { createFakeVpc } from '../vpc/fake-vpc';
import type { FakeInterface } from '../vpc/fake-vpc';

export const fcContext: FcContext = {
  requestId: 'fc-request-1',
  credentials: { accessKeyId: 'ak', accessKeySecret: 'secret' },
  function: { name: 'fn', timeout: 30 },
  region: 'cn-hangzhou',
};

/** A handler from a function's definition, wired to an in-memory VPC and a log sink. */
export function harness<Input extends object, Output extends object>(
  definition: HandlerDefinition<Input, Output>,
  seed: FakeInterface[] = [],
) {
  const fake = createFakeVpc(seed);
  const lines: string[] = [];
  const handler = defineHandler(definition, {
    transport: fake.transport,
    env: {},
    log: (line) => lines.push(line),
    sleep: async () => {},
    random: () => 0,
  });
  return { fake, lines, handler, invoke: (event: unknown) => handler(event, fcContext) };
}
