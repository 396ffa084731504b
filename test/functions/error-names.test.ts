/**
 * Every error the shipped bundles (dist/functions, minified) can throw, made to happen for real: the emulator's
 * fault rules answer each catalogue code over HTTP, transport conditions and bad input give the client-side names.
 * FC reports a thrown error's class name as errorType, so each must have `err.name === err.constructor.name`, the
 * vocabulary name the catalogue gives, and a message that still says what the API answered.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handlerEnvironment, startEmulator, type FaultRule, type RunningEmulator } from '../../src/emulator/index';
import { errorTypeOf } from '../../src/local-fc/error-type';
import { HandlerModules, type FcHandler } from '../../src/local-fc/handler-module';
import { LOCAL_FC_POLICY } from '../../src/local-fc/policy';
import { CLIENT_ERROR_CODES } from '../../src/rpc/errors';
import type { ErrorName } from '../../src/rpc/error-names';
import { CONCURRENT_CONNECT_KEY, VPC_CATALOGUE, type VpcAction } from '../../src/vpc/errors';

const ROOT = join(import.meta.dirname, '..', '..');
const REGION = 'cn-hangzhou';
const INITIATOR = 'ri-bp1d2v6ebu8tl7ohx4kmq';
const CLIENT_CODES = new Set<string>(Object.values(CLIENT_ERROR_CODES));

/** The bundle that calls an action first; the describe bundle for actions no function calls, and for 'any'. */
const BUNDLE_FOR: Partial<Record<VpcAction, string>> = {
  ConnectRouterInterface: 'connect',
  ActivateRouterInterface: 'activate',
  DeactivateRouterInterface: 'deactivate',
  ModifyRouterInterfaceSpec: 'modify-spec',
};

const EVENT: Record<string, object> = {
  connect: { regionId: REGION, routerInterfaceId: INITIATOR },
  activate: { regionId: REGION, routerInterfaceId: INITIATOR },
  deactivate: { regionId: REGION, routerInterfaceId: INITIATOR },
  'modify-spec': { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Large.1', executionName: 'bundle-test' },
  describe: { regionId: REGION, routerInterfaceId: INITIATOR },
};

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 'demo', config: { preset: 'fast' } });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.control.clearFaults());

interface Thrown {
  error: Error;
  bundle: string;
}

const modules = new HandlerModules();

/** Runs one shipped bundle in-process (as the local FC runtime loads it), with the client's own retries off. */
async function failureOf(bundle: string, options: { event?: unknown; env?: Record<string, string>; timeoutSeconds?: number } = {}): Promise<Thrown> {
  const variables: Record<string, string> = { RIFLOW_CLIENT_MAX_ATTEMPTS: '1', RIFLOW_HANDLER_LOG: 'off', ...options.env };
  for (const [name, value] of Object.entries(handlerEnvironment(emulator.url, emulator.credentials, {}))) if (value !== undefined) variables[name] ??= value;
  const handler = (await modules.handler(join(ROOT, 'dist', 'functions', bundle), 'index.handler', variables)) as FcHandler;
  const context = { requestId: 'req-1', function: { name: `riflow-${bundle}`, timeout: options.timeoutSeconds ?? 30 }, region: REGION };
  const event = Buffer.from(JSON.stringify(options.event ?? EVENT[bundle]));
  const outcome = await Promise.resolve(handler(event, context)).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`${bundle} succeeded: ${JSON.stringify(outcome.result)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return { error: outcome.error as Error, bundle };
}

function expectNamed({ error }: Thrown, name: ErrorName): void {
  expect(error.name).toBe(name);
  expect(error.constructor.name).toBe(name);
  // Both of FC's readings of errorType give it.
  expect(errorTypeOf(error, LOCAL_FC_POLICY)).toBe(name);
  expect(errorTypeOf(error, { ...LOCAL_FC_POLICY, errorType: 'name-property' })).toBe(name);
}

function statusFor(code: string): number {
  if (code.endsWith('NotFound') || code === 'CROSS_BID.FORBIDDEN') return 404;
  if (code === 'InternalError' || code === 'InvalidRouterInterfaceChargeType.Malformed') return 500;
  if (code === 'ServiceUnavailable') return 503;
  if (code === 'Forbidden.RAM') return 403;
  return 400;
}

const API_CASES = [...VPC_CATALOGUE]
  .filter(([key]) => !CLIENT_CODES.has(key))
  .map(([key, entry]) => {
    const concurrent = key === CONCURRENT_CONNECT_KEY;
    const code = concurrent ? 'Forbidden.OnlyOneConnection' : key;
    const message = concurrent ? 'Cannot connect concurrently between same routers' : `${code} answered for the test`;
    const action = entry.actions === 'any' ? undefined : entry.actions.find((candidate) => BUNDLE_FOR[candidate]);
    const bundle = (action && BUNDLE_FOR[action]) ?? 'describe';
    return { key, code, message, status: statusFor(code), name: entry.name, bundle, action: action && BUNDLE_FOR[action] ? action : '*' };
  });

describe('every catalogue code, answered by the emulator to a shipped bundle', () => {
  it('covers the whole catalogue', () => {
    expect(API_CASES.length + CLIENT_CODES.size).toBe(VPC_CATALOGUE.size);
  });

  it.each(API_CASES)('$key (HTTP $status) on $action from $bundle → $name', async ({ code, message, status, name, bundle, action }) => {
    emulator.control.addFault({ action, error: { code, status, message } });
    const thrown = await failureOf(bundle);
    expectNamed(thrown, name);
    expect(thrown.error.message).toMatch(new RegExp(`^${code.replace(/[.]/g, '\\.')} \\(HTTP ${status}\\): ${message} RequestId: `));
    expect(thrown.error).toMatchObject({ code, httpStatus: status, apiMessage: message });
  });

  it.each([
    { code: 'Throttling.Concurrent', status: 400, name: 'TransientFailure' },
    { code: 'ServiceUnavailable.Busy', status: 503, name: 'TransientFailure' },
    { code: 'Some.Unlisted', status: 502, name: 'TransientFailure' },
    { code: 'Some.Unlisted', status: 409, name: 'RequestRefused' },
  ] as const)('an unlisted $code (HTTP $status) → $name', async ({ code, status, name }) => {
    emulator.control.addFault({ action: '*', error: { code, status, message: 'not in the catalogue' } });
    const thrown = await failureOf('modify-spec');
    expectNamed(thrown, name);
    expect(thrown.error.message).toMatch(new RegExp(`^${code.replace(/[.]/g, '\\.')} \\(HTTP ${status}\\): not in the catalogue`));
  });
});

describe('every client-side name, from a real condition', () => {
  const faulted = (rule: Omit<FaultRule, 'action'>) => () => emulator.control.addFault({ action: '*', ...rule });
  const cases: Array<{ code: string; name: ErrorName; bundle: string; setup?: () => void; options?: Parameters<typeof failureOf>[1] }> = [
    // The deadline (1 s FC timeout minus the margin) cuts the request off before the slow answer.
    { code: CLIENT_ERROR_CODES.timeout, name: 'TransientFailure', bundle: 'describe', setup: faulted({ latencyMs: 2_000 }), options: { timeoutSeconds: 1 } },
    { code: CLIENT_ERROR_CODES.network, name: 'TransientFailure', bundle: 'connect', setup: faulted({ drop: true }) },
    { code: CLIENT_ERROR_CODES.badGateway, name: 'TransientFailure', bundle: 'deactivate', setup: faulted({ body: '<html>502 Bad Gateway</html>', status: 502 }) },
    { code: CLIENT_ERROR_CODES.unexpected, name: 'RequestRefused', bundle: 'describe', setup: faulted({ body: '{"RequestId":"R-1"}', status: 200, contentType: 'application/json' }) },
    { code: CLIENT_ERROR_CODES.missingCredentials, name: 'RequestRefused', bundle: 'activate', options: { env: { ALIBABA_CLOUD_ACCESS_KEY_ID: '' } } },
    { code: CLIENT_ERROR_CODES.invalidEndpoint, name: 'RequestRefused', bundle: 'modify-spec', options: { env: { RIFLOW_VPC_ENDPOINT: 'ftp://vpc.example' } } },
  ];

  it('covers every client code', () => {
    expect(cases.map((entry) => entry.code).sort()).toEqual([...CLIENT_CODES].sort());
  });

  it.each(cases)('$code from $bundle → $name', async ({ code, name, bundle, setup, options }) => {
    setup?.();
    const thrown = await failureOf(bundle, options);
    expectNamed(thrown, name);
    expect(thrown.error.message.startsWith(`${code}`)).toBe(true);
    expect(thrown.error).toMatchObject({ code });
  });

  it.each(['connect', 'activate', 'deactivate', 'modify-spec', 'describe'])('InvalidInput from %s, before any call', async (bundle) => {
    emulator.control.clearCalls();
    const thrown = await failureOf(bundle, { event: { regionId: REGION, routerInterfaceId: 'RI-UPPER' } });
    expectNamed(thrown, 'InvalidInput');
    expect(thrown.error.message).toMatch(/^routerInterfaceId: /);
    expect(thrown.error).toMatchObject({ field: 'routerInterfaceId', rule: 'format' });
    expect(emulator.control.calls()).toEqual([]);
  });
});
