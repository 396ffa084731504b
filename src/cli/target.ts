/**
 * Which VPC API the handlers talk to. `--endpoint` (or RIFLOW_VPC_ENDPOINT) with the standard ALIBABA_CLOUD_*
 * credentials; with no endpoint, an emulator started in-process on a free loopback port with the demo seed, whose
 * local keys are used automatically. A loopback endpoint that answers the emulator's health check also gets the
 * emulator's keys when no credentials are set.
 */
import { readFileSync } from 'node:fs';
import type { EmulatorConfigPatch, FaultRule, RunningEmulator, TransitionTiming } from '../emulator';
import { EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET } from '../emulator/seed';
import type { FunctionEnvironment } from '../local-fc/handler-module';
import type { LocalFcOptions } from '../local-fc/runtime';
import { checkEndpoint } from './args';
import { CliError } from './errors';

export interface TargetCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface VpcTarget {
  endpoint: string;
  credentials: TargetCredentials;
  /** Set when the emulator runs in this process (its call log counts the API calls). */
  embedded?: RunningEmulator;
  /** One line for people: where the calls go. Never contains a secret. */
  description: string;
  stop(): Promise<void>;
}

export interface TargetOptions {
  endpoint?: string;
  env: NodeJS.ProcessEnv;
  /** Instant transitions in the embedded emulator. */
  fast?: boolean;
  faults?: FaultRule[];
  /** Settings of the embedded emulator under its timings (the policy file's emulator values). */
  emulatorConfig?: EmulatorConfigPatch;
}

/** Transition timings of the embedded emulator: a few seconds, longer than the first 5 s poll, so the demo shows the
 * poll loop at work and still takes only ~20 s. */
export const DEMO_TRANSITIONS: Record<'Connecting' | 'Activating' | 'Deactivating' | 'Deleting' | 'Modifying', TransitionTiming> = {
  Connecting: { mode: 'delay', ms: 8_000 },
  Activating: { mode: 'delay', ms: 6_000 },
  Deactivating: { mode: 'delay', ms: 6_000 },
  Deleting: { mode: 'delay', ms: 2_000 },
  Modifying: { mode: 'delay', ms: 3_000 },
};

export function credentialsFromEnv(env: NodeJS.ProcessEnv): TargetCredentials | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) return undefined;
  return { accessKeyId, accessKeySecret, ...(env.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN } : {}) };
}

export function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

export async function answersAsEmulator(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(1_000) });
    return response.ok && ((await response.json()) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

export function readFaultsFile(path: string): FaultRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the faults file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed)) throw new CliError(`the faults file ${path} must hold a JSON array of fault rules`);
  return parsed as FaultRule[];
}

export async function resolveTarget(options: TargetOptions): Promise<VpcTarget> {
  const configured = options.endpoint ?? (options.env.RIFLOW_VPC_ENDPOINT?.trim() || undefined);
  if (configured) {
    const endpoint = checkEndpoint(configured, options.endpoint ? '--endpoint' : 'RIFLOW_VPC_ENDPOINT');
    let credentials = credentialsFromEnv(options.env);
    let description = endpoint;
    if (!credentials && isLoopback(endpoint) && (await answersAsEmulator(endpoint))) {
      credentials = { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET };
      description = `${endpoint} (riflow emulator, its local keys)`;
    }
    if (!credentials) {
      throw new CliError(
        `no credentials for ${endpoint}`,
        1,
        'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS keys).',
      );
    }
    return { endpoint, credentials, description, stop: async () => undefined };
  }
  const { startEmulator } = await import('../emulator');
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      seed: 'demo',
      config: { ...options.emulatorConfig, ...(options.fast ? { preset: 'fast' as const } : { transitions: { ...DEMO_TRANSITIONS } }) },
      faults: options.faults ?? [],
    });
  } catch (error) {
    throw new CliError(`the embedded emulator did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const timings = options.fast ? 'instant transitions' : 'transitions of a few seconds';
  return {
    endpoint: emulator.url,
    credentials: emulator.credentials,
    embedded: emulator,
    description: `${emulator.url} (embedded emulator, demo seed, ${timings})`,
    stop: () => emulator.stop(),
  };
}

/**
 * The settings the README documents for running the handlers inside another process (RIFLOW_CLIENT_MAX_ATTEMPTS,
 * RIFLOW_HANDLER_LOG), passed on from the CLI's environment to the functions' own when set.
 */
export function handlerSettings(env: NodeJS.ProcessEnv): FunctionEnvironment {
  const settings: Record<string, string> = {};
  for (const name of HANDLER_SETTINGS) {
    const value = env[name];
    if (value !== undefined) settings[name] = value;
  }
  return settings;
}

const HANDLER_SETTINGS = ['RIFLOW_CLIENT_MAX_ATTEMPTS', 'RIFLOW_HANDLER_LOG'] as const;

/**
 * How the local FC runtime reaches the target: s.yaml's `${env('RIFLOW_VPC_ENDPOINT', …)}` resolves to its endpoint,
 * its keys stand in for the functions' role, and the handler settings come along. Nothing is written anywhere.
 */
export function localFunctionOptions(target: VpcTarget, env: NodeJS.ProcessEnv): Pick<LocalFcOptions, 'variables' | 'credentials' | 'environment'> {
  return {
    variables: { ...env, RIFLOW_VPC_ENDPOINT: target.endpoint },
    credentials: target.credentials,
    environment: handlerSettings(env),
  };
}

/** API calls per action from the embedded emulator's log, from `since` (the log length before the run). */
export function apiCallsSince(target: VpcTarget, since: number): Record<string, number> | undefined {
  if (!target.embedded) return undefined;
  const counts: Record<string, number> = {};
  for (const call of target.embedded.control.calls().slice(since)) counts[call.action] = (counts[call.action] ?? 0) + 1;
  return counts;
}
