/**
 * Where `riflow start` (CloudFlow's API) and `--remote` (FC's API) send their calls, and with which keys. Each
 * endpoint comes from its flag, else its environment variable, else the cloud's public endpoint for the region.
 * Keys are the standard ALIBABA_CLOUD_* variables; a loopback endpoint that answers as the riflow emulator gets
 * the emulator's local keys when none are set (and the account its control API files the key under). Secrets are
 * never printed.
 */
import { EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET } from '../../emulator/seed';
import { checkEndpoint } from '../args';
import { CliError } from '../errors';
import { answersAsEmulator, credentialsFromEnv, isLoopback, type TargetCredentials } from '../target';
import type { FcFunctionsOptions } from './fc-functions';

const DEFAULT_REGION = 'cn-hangzhou';

export interface ApiTarget {
  /** undefined: the SDK's own default endpoint for the account and region (FC). */
  endpoint: string | undefined;
  credentials: TargetCredentials;
  /** The endpoint answered as the riflow emulator. */
  emulator: boolean;
  /** One line for people; never contains a secret. */
  description: string;
}

const CREDENTIALS_HINT = 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS keys).';

function regionFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? (env.RIFLOW_REGION?.trim() || env.ALIBABA_CLOUD_REGION_ID?.trim() || DEFAULT_REGION);
}

/** The endpoint from `--endpoint` or the variable, checked; undefined when neither is set. */
function configuredEndpoint(flag: string | undefined, flagName: string, variable: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = flag ?? (env[variable]?.trim() || undefined);
  return value === undefined ? undefined : checkEndpoint(value, flag !== undefined ? flagName : variable);
}

async function withCredentials(endpoint: string | undefined, env: NodeJS.ProcessEnv, what: string): Promise<ApiTarget> {
  const fromEnv = credentialsFromEnv(env);
  const shown = endpoint ?? what;
  if (fromEnv) return { endpoint, credentials: fromEnv, emulator: false, description: shown };
  if (endpoint && isLoopback(endpoint) && (await answersAsEmulator(endpoint))) {
    return {
      endpoint,
      credentials: { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET },
      emulator: true,
      description: `${endpoint} (riflow emulator, its local keys)`,
    };
  }
  throw new CliError(`no credentials for ${shown}`, 1, CREDENTIALS_HINT);
}

/** CloudFlow: --endpoint, RIFLOW_FLOW_ENDPOINT, else https://<region>.fnf.aliyuncs.com. */
export async function resolveCloudFlowTarget(options: { endpoint?: string; region?: string; env: NodeJS.ProcessEnv }): Promise<ApiTarget & { endpoint: string }> {
  const endpoint = configuredEndpoint(options.endpoint, '--endpoint', 'RIFLOW_FLOW_ENDPOINT', options.env) ?? `https://${regionFrom(options.region, options.env)}.fnf.aliyuncs.com`;
  return { ...(await withCredentials(endpoint, options.env, endpoint)), endpoint };
}

/** The account a riflow emulator files this key under (its control API's state); undefined when it is not one. */
async function emulatorAccountOf(endpoint: string, accessKeyId: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${endpoint}/_emulator/state`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return undefined;
    const state = (await response.json()) as { accounts?: Array<{ id?: unknown; accessKeys?: Array<{ accessKeyId?: unknown }> }> };
    const account = state.accounts?.find((candidate) => candidate.accessKeys?.some((key) => key.accessKeyId === accessKeyId));
    return typeof account?.id === 'string' ? account.id : undefined;
  } catch {
    return undefined;
  }
}

export interface FcTarget extends FcFunctionsOptions {
  description: string;
  emulator: boolean;
}

/**
 * FC: the endpoint from the flag or RIFLOW_FC_ENDPOINT, else fc2's https://<account>.<region>.fc.aliyuncs.com;
 * the account from --account-id or ALIBABA_CLOUD_ACCOUNT_ID, else (a loopback riflow emulator) the key's account there.
 */
export async function resolveFcTarget(options: {
  endpoint?: string;
  /** The flag that gave `endpoint`, for messages (default --endpoint). */
  endpointFlag?: string;
  accountId?: string;
  region?: string;
  env: NodeJS.ProcessEnv;
}): Promise<FcTarget> {
  const { env } = options;
  const region = regionFrom(options.region, env);
  const endpoint = configuredEndpoint(options.endpoint, options.endpointFlag ?? '--endpoint', 'RIFLOW_FC_ENDPOINT', env);
  const api = await withCredentials(endpoint, env, `Function Compute in ${region}`);
  let accountId = options.accountId ?? (env.ALIBABA_CLOUD_ACCOUNT_ID?.trim() || undefined);
  if (!accountId && endpoint && isLoopback(endpoint)) accountId = await emulatorAccountOf(endpoint, api.credentials.accessKeyId);
  if (!accountId) {
    throw new CliError('no Alibaba Cloud account id for Function Compute', 1, 'Pass --account-id ID or set ALIBABA_CLOUD_ACCOUNT_ID (FC endpoints and signatures name the account).');
  }
  if (!/^\d+$/.test(accountId)) throw new CliError(`the account id "${accountId}" is not a number`, 1, 'Alibaba Cloud account ids are digits only (see the console\'s account page).');
  const description = endpoint ? `${api.description}, account ${accountId}` : `https://${accountId}.${region}.fc.aliyuncs.com`;
  return { ...(endpoint ? { endpoint } : {}), accountId, region, credentials: api.credentials, emulator: api.emulator, description };
}
