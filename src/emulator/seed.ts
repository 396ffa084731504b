import { InvalidInputError } from '../input-error/invalid-input';
import { ROUTER_INTERFACE_STATUSES } from '../vpc-api/statuses';
import {
  type AccountRecord,
  type ClientTokenRecord,
  type EmulatorState,
  type RouterInterfaceRecord,
  type RouterRecord,
  type RouterType,
  type SeedDocument,
} from './types';

export const EMULATOR_ACCESS_KEY_ID = 'riflow-local';
export const EMULATOR_ACCESS_KEY_SECRET = 'riflow-local-secret';
export const EMULATOR_STS_ACCESS_KEY_ID = 'STS.riflow-local-temporary';
export const EMULATOR_STS_ACCESS_KEY_SECRET = 'riflow-local-temporary-secret';
export const EMULATOR_STS_SECURITY_TOKEN = 'riflow-local-security-token';
export const DEMO_ACCOUNT_ID = '1468255470342387';

/** One account, two VPC routers in cn-hangzhou and an Idle initiator/acceptor pair that point at each other. */
export const DEMO_SEED: SeedDocument = {
  accounts: [
    {
      id: DEMO_ACCOUNT_ID,
      name: 'riflow-demo',
      accessKeys: [
        { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET },
        {
          accessKeyId: EMULATOR_STS_ACCESS_KEY_ID,
          accessKeySecret: EMULATOR_STS_ACCESS_KEY_SECRET,
          securityToken: EMULATOR_STS_SECURITY_TOKEN,
        },
      ],
    },
  ],
  routers: [
    { id: 'vrt-bp1lhl0taikrteen8oxpw', type: 'VRouter', regionId: 'cn-hangzhou', ownerId: DEMO_ACCOUNT_ID, vpcId: 'vpc-bp1qpo0kug3a20qqe1bgw' },
    { id: 'vrt-bp1ccefmkjsv0sd6ztlcd', type: 'VRouter', regionId: 'cn-hangzhou', ownerId: DEMO_ACCOUNT_ID, vpcId: 'vpc-bp15zckdt37pq72zvw3pk' },
  ],
  interfaces: [
    {
      routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq',
      regionId: 'cn-hangzhou',
      ownerId: DEMO_ACCOUNT_ID,
      role: 'InitiatingSide',
      spec: 'Small.1',
      routerId: 'vrt-bp1lhl0taikrteen8oxpw',
      routerType: 'VRouter',
      oppositeRegionId: 'cn-hangzhou',
      oppositeInterfaceId: 'ri-bp1r3bqk7c8w9hm5zqy2a',
      oppositeRouterId: 'vrt-bp1ccefmkjsv0sd6ztlcd',
      oppositeRouterType: 'VRouter',
      oppositeInterfaceOwnerId: DEMO_ACCOUNT_ID,
      name: 'demo-initiator',
      creationTime: '2026-01-01T00:00:00Z',
    },
    {
      routerInterfaceId: 'ri-bp1r3bqk7c8w9hm5zqy2a',
      regionId: 'cn-hangzhou',
      ownerId: DEMO_ACCOUNT_ID,
      role: 'AcceptingSide',
      spec: 'Negative',
      routerId: 'vrt-bp1ccefmkjsv0sd6ztlcd',
      routerType: 'VRouter',
      oppositeRegionId: 'cn-hangzhou',
      oppositeInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq',
      oppositeRouterId: 'vrt-bp1lhl0taikrteen8oxpw',
      oppositeRouterType: 'VRouter',
      oppositeInterfaceOwnerId: DEMO_ACCOUNT_ID,
      name: 'demo-acceptor',
      creationTime: '2026-01-01T00:00:01Z',
    },
  ],
};

type Raw = Record<string, unknown>;

/** A deleted interface is gone (Describe stops listing it), so no seed or saved state holds one as `Deleted`. */
const HELD_STATUSES = ROUTER_INTERFACE_STATUSES.filter((status) => status !== 'Deleted');

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(obj: Raw, key: string, path: string, required: true): string;
function str(obj: Raw, key: string, path: string, required?: false): string | undefined;
function str(obj: Raw, key: string, path: string, required = false): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) throw new InvalidInputError(`${path}.${key}`, 'required', 'is required');
    return undefined;
  }
  // Account ids may arrive as JSON numbers in hand-written seeds; keep the digits as text.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || (required && value === '')) {
    throw new InvalidInputError(`${path}.${key}`, 'type', 'must be a non-empty string');
  }
  return value;
}

function oneOf<T extends string>(obj: Raw, key: string, path: string, allowed: readonly T[], fallback: T): T {
  const value = obj[key] ?? fallback;
  if (!allowed.includes(value as T)) throw new InvalidInputError(`${path}.${key}`, 'enum', `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function list(doc: Raw, key: string, required: boolean): unknown[] {
  const value = doc[key];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(key, 'type', 'must be an array');
  return value;
}

function item(value: unknown, path: string): Raw {
  if (!isRecord(value)) throw new InvalidInputError(path, 'type', 'must be an object');
  return value;
}

function parseAccount(value: unknown, path: string): AccountRecord {
  const raw = item(value, path);
  const keys = raw.accessKeys;
  if (!Array.isArray(keys)) throw new InvalidInputError(`${path}.accessKeys`, 'type', 'must be an array');
  if (raw.overdue !== undefined && typeof raw.overdue !== 'boolean') {
    throw new InvalidInputError(`${path}.overdue`, 'type', 'must be a boolean');
  }
  return {
    id: str(raw, 'id', path, true),
    name: str(raw, 'name', path),
    overdue: raw.overdue === true,
    bid: str(raw, 'bid', path) ?? '26842',
    accessKeys: keys.map((key, index) => {
      const keyPath = `${path}.accessKeys[${index}]`;
      const rawKey = item(key, keyPath);
      const securityToken = str(rawKey, 'securityToken', keyPath);
      return {
        accessKeyId: str(rawKey, 'accessKeyId', keyPath, true),
        accessKeySecret: str(rawKey, 'accessKeySecret', keyPath, true),
        ...(securityToken ? { securityToken } : {}),
      };
    }),
  };
}

function parseRouter(value: unknown, path: string): RouterRecord {
  const raw = item(value, path);
  return {
    id: str(raw, 'id', path, true),
    type: oneOf(raw, 'type', path, ['VRouter', 'VBR'], 'VRouter'),
    regionId: str(raw, 'regionId', path, true),
    ownerId: str(raw, 'ownerId', path, true),
    vpcId: str(raw, 'vpcId', path),
  };
}

function optionalNumber(raw: Raw, key: string, path: string): number | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(`${path}.${key}`, 'range', 'must be a non-negative number');
  }
  return value;
}

function parseInterface(value: unknown, path: string, now: string): RouterInterfaceRecord {
  const raw = item(value, path);
  const record: RouterInterfaceRecord = {
    routerInterfaceId: str(raw, 'routerInterfaceId', path, true),
    regionId: str(raw, 'regionId', path, true),
    ownerId: str(raw, 'ownerId', path, true),
    role: oneOf(raw, 'role', path, ['InitiatingSide', 'AcceptingSide'], 'InitiatingSide'),
    spec: str(raw, 'spec', path, true),
    routerId: str(raw, 'routerId', path, true),
    routerType: oneOf(raw, 'routerType', path, ['VRouter', 'VBR'], 'VRouter'),
    oppositeRegionId: str(raw, 'oppositeRegionId', path),
    oppositeInterfaceId: str(raw, 'oppositeInterfaceId', path),
    oppositeRouterId: str(raw, 'oppositeRouterId', path),
    oppositeRouterType:
      raw.oppositeRouterType === undefined
        ? undefined
        : oneOf<RouterType>(raw, 'oppositeRouterType', path, ['VRouter', 'VBR'], 'VRouter'),
    oppositeInterfaceOwnerId: str(raw, 'oppositeInterfaceOwnerId', path),
    name: str(raw, 'name', path),
    description: str(raw, 'description', path),
    status: oneOf(raw, 'status', path, HELD_STATUSES, 'Idle'),
    businessStatus: oneOf(raw, 'businessStatus', path, ['Normal', 'FinancialLocked', 'SecurityLocked'], 'Normal'),
    chargeType: oneOf(raw, 'chargeType', path, ['PostPaid', 'PrePaid'], 'PostPaid'),
    creationTime: str(raw, 'creationTime', path) ?? now,
    connectedTime: str(raw, 'connectedTime', path),
    routeEntryCount: optionalNumber(raw, 'routeEntryCount', path) ?? 0,
  };
  if (raw.tags !== undefined) record.tags = parseTags(raw.tags, `${path}.tags`);
  if (raw.pending !== undefined) {
    const pending = item(raw.pending, `${path}.pending`);
    record.pending = {
      since: optionalNumber(pending, 'since', `${path}.pending`) ?? 0,
      describes: optionalNumber(pending, 'describes', `${path}.pending`) ?? 0,
    };
  }
  return record;
}

function parseTags(value: unknown, path: string): Record<string, string> {
  const raw = item(value, path);
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(raw)) {
    if (typeof tagValue !== 'string') throw new InvalidInputError(`${path}.${key}`, 'type', 'must be a string');
    tags[key] = tagValue;
  }
  return tags;
}

function parseClientTokens(value: unknown): Record<string, ClientTokenRecord> {
  if (value === undefined) return {};
  const raw = item(value, 'clientTokens');
  const tokens: Record<string, ClientTokenRecord> = {};
  for (const [key, entry] of Object.entries(raw)) {
    const rawEntry = item(entry, `clientTokens.${key}`);
    tokens[key] = {
      fingerprint: str(rawEntry, 'fingerprint', `clientTokens.${key}`, true),
      response: item(rawEntry.response, `clientTokens.${key}.response`),
    };
  }
  return tokens;
}

function rejectDuplicates(ids: string[], field: string): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) throw new InvalidInputError(`${field}[${index}]`, 'duplicate', `duplicate id ${id}`);
    seen.add(id);
  });
}

/**
 * Validates a seed (or a saved state, which has the same shape) and fills defaults. Throws InvalidInputError whose
 * `field` is the JSON path of the first problem, e.g. `interfaces[2].status`.
 */
export function stateFromSeed(seed: unknown, now: Date): EmulatorState {
  const doc = item(seed, 'seed');
  const iso = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const state: EmulatorState = {
    accounts: list(doc, 'accounts', true).map((value, index) => parseAccount(value, `accounts[${index}]`)),
    routers: list(doc, 'routers', true).map((value, index) => parseRouter(value, `routers[${index}]`)),
    interfaces: list(doc, 'interfaces', false).map((value, index) => parseInterface(value, `interfaces[${index}]`, iso)),
    clientTokens: parseClientTokens(doc.clientTokens),
  };
  rejectDuplicates(state.accounts.map((a) => a.id), 'accounts');
  rejectDuplicates(state.accounts.flatMap((a) => a.accessKeys.map((k) => k.accessKeyId)), 'accessKeys');
  rejectDuplicates(state.routers.map((r) => r.id), 'routers');
  rejectDuplicates(state.interfaces.map((r) => r.routerInterfaceId), 'interfaces');
  const accountIds = new Set(state.accounts.map((a) => a.id));
  const routerIds = new Set(state.routers.map((r) => r.id));
  state.routers.forEach((router, index) => {
    if (!accountIds.has(router.ownerId)) throw new InvalidInputError(`routers[${index}].ownerId`, 'reference', `unknown account ${router.ownerId}`);
  });
  state.interfaces.forEach((ri, index) => {
    if (!accountIds.has(ri.ownerId)) throw new InvalidInputError(`interfaces[${index}].ownerId`, 'reference', `unknown account ${ri.ownerId}`);
    if (!routerIds.has(ri.routerId)) throw new InvalidInputError(`interfaces[${index}].routerId`, 'reference', `unknown router ${ri.routerId}`);
  });
  return state;
}
