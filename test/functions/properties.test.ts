import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definition as activate } from '../../functions/activate/index';
import { definition as connect } from '../../functions/connect/index';
import { definition as deactivate } from '../../functions/deactivate/index';
import { definition as describeFn } from '../../functions/describe/index';
import { definition as modifySpec } from '../../functions/modify-spec/index';
import type { HandlerDefinition } from '../../src/fc/handler';
import { InvalidInputError } from '../../src/input-error/invalid-input';
import { VpcError } from '../../src/rpc/error-names';
import { ALL_SPEC_NAMES } from '../../src/vpc-api/specs';
import { harness } from './harness';

const statuses = ['Idle', 'Connecting', 'AcceptingConnecting', 'Activating', 'Active', 'Deactivating', 'Inactive'];

/** Mostly plausible values, sometimes hostile ones: control characters, huge strings, wrong types. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'ri-\n', 'x'.repeat(10_000), '😀', '\u202e'),
);
const anyValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const field = <T>(valid: fc.Arbitrary<T>) => fc.option(fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: anyValue }), { nil: undefined });

const payload = fc.record(
  {
    regionId: field(fc.constantFrom('cn-hangzhou', 'ap-southeast-1')),
    routerInterfaceId: field(fc.constantFrom('ri-a', 'ri-b', 'ri-zz9')),
    spec: field(fc.constantFrom(...ALL_SPEC_NAMES)),
    clientToken: field(fc.stringMatching(/^[!-~]{1,64}$/)),
    executionName: field(fc.string({ minLength: 1, maxLength: 40 })),
    attempt: field(fc.nat(200)),
    extra: field(anyValue),
  },
  { requiredKeys: [] },
);

/** The payload delivered in every way FC can deliver it, plus garbage. */
const event = fc.oneof(
  payload,
  payload.map((p) => JSON.stringify(p)),
  payload.map((p) => Buffer.from(JSON.stringify(p))),
  payload.map((p) => ({ triggerTime: '2026-01-01T00:00:00Z', triggerName: 't', payload: JSON.stringify(p) })),
  payload.map((p) => ({ specversion: '1.0', source: 'acs:eventbridge', data: p })),
  fc.array(payload.map((p) => ({ specversion: '1.0', data: p })), { maxLength: 3 }),
  hostileString.map((text) => Buffer.from(text)),
  anyValue,
);

const definitions: Array<[string, HandlerDefinition<object, object>]> = [
  ['connect', connect],
  ['activate', activate],
  ['deactivate', deactivate],
  ['modify-spec', modifySpec as HandlerDefinition<object, object>],
  ['describe', describeFn as HandlerDefinition<object, object>],
];

describe.each(definitions)('%s over random events', (_name, definition) => {
  it('ends in a result or a typed error, and never sends invalid parameters', async () => {
    await fc.assert(
      fc.asyncProperty(event, fc.constantFrom(...statuses), fc.constantFrom(...ALL_SPEC_NAMES), async (input, status, spec) => {
        const { invoke, fake, lines } = harness(definition, [{ id: 'ri-a', status, spec }]);
        let outcome: unknown;
        try {
          outcome = await invoke(input);
          expect(typeof outcome).toBe('object');
        } catch (error) {
          // A typed refusal before any request, or an API/catalogue error from the fake: never a crash.
          expect(error instanceof InvalidInputError || error instanceof VpcError).toBe(true);
          if (error instanceof InvalidInputError) expect(fake.calls).toHaveLength(0);
        }
        expect(fake.calls.every((call) => call.validParams)).toBe(true);
        expect(lines).toHaveLength(1);
      }),
      { numRuns: 250, seed: 20260101 },
    );
  });
});
