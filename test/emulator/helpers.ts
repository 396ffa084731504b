import { randomUUID } from 'node:crypto';
import RPCClient from '@alicloud/pop-core';
import { expect } from 'vitest';
import { percentEncode } from '../../src/emulator/percent-encoding';
import { signV1, stringToSignV1 } from '../../src/emulator/signature-v1';
import {
  DEMO_ACCOUNT_ID,
  DEMO_SEED,
  startEmulator,
  type RunningEmulator,
  type SeedDocument,
  type StartEmulatorOptions,
} from '../../src/emulator/index';

export const REGION = 'cn-hangzhou';
export const DEMO_INITIATOR = 'ri-bp1d2v6ebu8tl7ohx4kmq';
export const DEMO_ACCEPTOR = 'ri-bp1r3bqk7c8w9hm5zqy2a';
export const DEMO_ROUTER_A = 'vrt-bp1lhl0taikrteen8oxpw';
export const DEMO_ROUTER_B = 'vrt-bp1ccefmkjsv0sd6ztlcd';

const OVERDUE_ACCOUNT_ID = '1789001122334455';
export const OVERDUE_KEY = { accessKeyId: 'overdue-key', accessKeySecret: 'overdue-secret' };
export const OTHER_ACCOUNT_ID = '1999888777666555';
export const OTHER_KEY = { accessKeyId: 'other-key', accessKeySecret: 'other-secret' };
export const LOCKED_INTERFACE = 'ri-bp1lockedinterface0001';

/** The demo seed plus an overdue account, another account (different bid) and a financially locked Active pair. */
export function richSeed(): SeedDocument {
  const seed = structuredClone(DEMO_SEED);
  seed.accounts.push(
    { id: OVERDUE_ACCOUNT_ID, overdue: true, accessKeys: [OVERDUE_KEY] },
    { id: OTHER_ACCOUNT_ID, bid: '26888', accessKeys: [OTHER_KEY] },
  );
  seed.routers.push(
    { id: 'vrt-overdue000000000000a', regionId: REGION, ownerId: OVERDUE_ACCOUNT_ID },
    { id: 'vrt-overdue000000000000b', regionId: REGION, ownerId: OVERDUE_ACCOUNT_ID },
    { id: 'vrt-locked0000000000000a', regionId: REGION, ownerId: DEMO_ACCOUNT_ID },
    { id: 'vrt-locked0000000000000b', regionId: REGION, ownerId: DEMO_ACCOUNT_ID },
    { id: 'vrt-other00000000000000a', regionId: REGION, ownerId: OTHER_ACCOUNT_ID },
  );
  seed.interfaces ??= [];
  seed.interfaces.push(
    pairSide('ri-bp1overdueinitiator01', OVERDUE_ACCOUNT_ID, 'vrt-overdue000000000000a', 'ri-bp1overdueacceptor001', 'vrt-overdue000000000000b', 'InitiatingSide'),
    pairSide('ri-bp1overdueacceptor001', OVERDUE_ACCOUNT_ID, 'vrt-overdue000000000000b', 'ri-bp1overdueinitiator01', 'vrt-overdue000000000000a', 'AcceptingSide'),
    { ...pairSide(LOCKED_INTERFACE, DEMO_ACCOUNT_ID, 'vrt-locked0000000000000a', 'ri-bp1lockedacceptor00001', 'vrt-locked0000000000000b', 'InitiatingSide'), status: 'Active', businessStatus: 'FinancialLocked' },
    { ...pairSide('ri-bp1lockedacceptor00001', DEMO_ACCOUNT_ID, 'vrt-locked0000000000000b', LOCKED_INTERFACE, 'vrt-locked0000000000000a', 'AcceptingSide'), status: 'Active' },
  );
  return seed;
}

export function pairSide(
  id: string,
  ownerId: string,
  routerId: string,
  oppositeId: string,
  oppositeRouterId: string,
  role: 'InitiatingSide' | 'AcceptingSide',
  oppositeOwnerId = ownerId,
): NonNullable<SeedDocument['interfaces']>[number] {
  return {
    routerInterfaceId: id,
    regionId: REGION,
    ownerId,
    role,
    spec: role === 'InitiatingSide' ? 'Small.1' : 'Negative',
    routerId,
    routerType: 'VRouter',
    oppositeRegionId: REGION,
    oppositeInterfaceId: oppositeId,
    oppositeRouterId,
    oppositeRouterType: 'VRouter',
    oppositeInterfaceOwnerId: oppositeOwnerId,
  };
}

export async function withEmulator<T>(
  options: StartEmulatorOptions,
  run: (emulator: RunningEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await run(emulator);
  } finally {
    await emulator.stop();
  }
}

export function popClient(
  emulator: RunningEmulator,
  keys: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = emulator.credentials,
): RPCClient {
  return new RPCClient({ endpoint: emulator.url, apiVersion: '2016-04-28', ...keys });
}

export interface PopError {
  code: string;
  message: string;
  data: { Code: string; Message: string; RequestId: string; HostId: string; Recommend: string };
  entry: { response: { statusCode: number } };
}

/** Runs a call that must fail and returns pop-core's error. */
export async function popError(call: Promise<unknown>): Promise<PopError> {
  try {
    await call;
  } catch (error) {
    return error as PopError;
  }
  throw new Error('expected the call to fail');
}

export function expectApiError(error: PopError, status: number, code: string, message?: string): void {
  expect({ status: error.entry.response.statusCode, code: error.code, dataCode: error.data.Code }).toEqual({ status, code, dataCode: code });
  if (message !== undefined) expect(error.data.Message).toBe(message);
  expect(error.data.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
}

function utcSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A hand-built V1 request, for what pop-core will not send (stale timestamps, replays, tampering). */
export function signedParams(
  params: Record<string, string>,
  keys: { accessKeyId: string; accessKeySecret: string },
  { method = 'GET', now = Date.now(), nonce = randomUUID() as string } = {},
): Record<string, string> {
  const all: Record<string, string> = {
    Format: 'JSON',
    Version: '2016-04-28',
    AccessKeyId: keys.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    Timestamp: utcSeconds(now),
    ...params,
  };
  all.Signature = signV1(stringToSignV1(method, all), keys.accessKeySecret);
  return all;
}

export function encodeParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}

export async function sendGet(emulator: RunningEmulator, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/?${encodeParams(params)}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function controlJson(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface DescribedInterface {
  RouterInterfaceId: string;
  Status: string;
  Spec: string;
  Role: string;
  OppositeInterfaceStatus: string;
  OppositeInterfaceSpec: string;
  OppositeInterfaceOwnerId: string;
  BusinessStatus: string;
  Name: string;
}

export interface DescribeResult {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  RouterInterfaceSet: { RouterInterfaceType: DescribedInterface[] };
}

export async function describeOne(client: RPCClient, id: string): Promise<DescribedInterface> {
  const result = await client.request<DescribeResult>('DescribeRouterInterfaces', {
    RegionId: REGION,
    Filter: [{ Key: 'RouterInterfaceId', Value: [id] }],
  });
  const found = result.RouterInterfaceSet.RouterInterfaceType[0];
  if (!found) throw new Error(`${id} not found`);
  return { ...found };
}
