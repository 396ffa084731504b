/**
 * The local Function Compute runtime: runs the functions an s.yaml deploys in-process, as FC would. s.yaml gives a
 * function's code folder, handler, memory, timeout and environment variables; the handler gets an FC-shaped event
 * Buffer and context, and its own process environment (handler-module.ts). `invoke` answers as FC's invocation API
 * does: the result, or the function's error as `{errorType, errorMessage}`.
 */
import { randomUUID } from 'node:crypto';
import { realClock, type Clock } from '../flow/clock';
import { toJsonValue, type JsonValue } from '../flow/json';
import { SYaml, type EnvSource, type FcFunctionConfig } from '../serverless/s-yaml';
import { errorMessageOf, errorTypeOf } from './error-type';
import { HandlerModules, type FcHandler, type FunctionEnvironment } from './handler-module';
import { LOCAL_FC_POLICY, type LocalFcPolicy } from './policy';

/** The keys FC hands a function: those of its role (temporary ones carry a token). */
export interface FcCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface LocalFcOptions {
  /** Path of s.yaml; its folder is where relative `code` paths start. */
  sYamlPath?: string;
  /** An s.yaml already read (an edited copy, in tests), instead of `sYamlPath`. */
  sYaml?: SYaml;
  /**
   * What s.yaml's `${env('X')}` reads, as `s deploy` reads its shell's environment: the VPC endpoint the handlers
   * call, for instance, is s.yaml's `${env('RIFLOW_VPC_ENDPOINT', …)}`.
   */
  variables: EnvSource;
  /** The keys standing in for each function's role: its context's `credentials` and its ALIBABA_CLOUD_* variables. */
  credentials?: FcCredentials;
  /** Added to every function's environment, under FC's own variables and s.yaml's (e.g. RIFLOW_HANDLER_LOG). */
  environment?: FunctionEnvironment;
  /** Measures the function timeout. Default: the real clock. */
  clock?: Clock;
  /** Receives the handler's `context.logger` lines. Default: standard error. */
  log?: (line: string) => void;
  /** Account id for the context when the caller names none (or a placeholder). Default: 000000000000. */
  accountId?: string;
  policy?: LocalFcPolicy;
}

export interface InvokeOptions {
  /** Stops waiting for the function (the handler itself cannot be interrupted): `invoke` rejects with the reason. */
  signal?: AbortSignal;
  /** A placeholder (`{region}`, empty) means the function's own region. */
  region?: string;
  /** Not a number (a placeholder, empty) means the runtime's account. */
  accountId?: string;
  serviceName?: string;
  qualifier?: string;
}

/** What FC reports for a failed invocation (HTTP 200 with `x-fc-error-type`). */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
}

export type InvokeResult = { requestId: string; durationMs: number } & ({ body: JsonValue } | { error: FunctionError });

/** No fc3 resource in s.yaml has the function name (FC's API answers FunctionNotFound). */
export class FunctionNotFoundError extends Error {
  override readonly name = 'FunctionNotFoundError';
  readonly code = 'FunctionNotFound';
  constructor(readonly functionName: string) {
    super(`no fc3 resource in s.yaml has functionName "${functionName}"`);
  }
}

export interface LocalFc {
  /** Whether s.yaml deploys a function of that name. */
  has(functionName: string): boolean;
  /** Runs the function once. Throws FunctionNotFoundError, an SYamlError for a configuration it cannot resolve,
   * or the signal's reason when aborted; a function's own failure is a result. */
  invoke(functionName: string, event: Buffer | string, options?: InvokeOptions): Promise<InvokeResult>;
}

export function createLocalFc(options: LocalFcOptions): LocalFc {
  const policy = options.policy ?? LOCAL_FC_POLICY;
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!options.sYaml && options.sYamlPath === undefined) throw new Error('createLocalFc needs sYamlPath or sYaml');
  const sYaml = options.sYaml ?? SYaml.readFile(options.sYamlPath as string);
  const modules = new HandlerModules();

  return {
    has: (functionName) => sYaml.functionConfig(functionName, options.variables) !== undefined,
    async invoke(functionName, event, invokeOptions = {}) {
      const config = sYaml.functionConfig(functionName, options.variables);
      if (!config) throw new FunctionNotFoundError(functionName);
      const requestId = randomUUID();
      const region = config.region ?? (isConcrete(invokeOptions.region) ? invokeOptions.region : (options.variables.FC_REGION ?? 'cn-hangzhou'));
      const accountId = invokeOptions.accountId && /^\d+$/.test(invokeOptions.accountId) ? invokeOptions.accountId : (options.accountId ?? '000000000000');
      const environment: FunctionEnvironment = {
        ...options.environment,
        ...(options.credentials ? credentialVariables(options.credentials) : {}),
        ...fcVariables(config, region, accountId),
        ...config.environmentVariables,
      };
      const handler = await modules.handler(config.codeDir, config.handler, environment);
      const started = clock.now();
      const finish = (outcome: { body: JsonValue } | { error: FunctionError }): InvokeResult => ({ requestId, durationMs: clock.now() - started, ...outcome });
      if (!handler) {
        const errorMessage = `${config.functionName}: handler ${config.handler} not found in ${config.codeDir} (was the bundle built?)`;
        return finish({ error: { errorType: policy.errorNames.handlerNotFound, errorMessage } });
      }
      const context = {
        requestId,
        credentials: options.credentials ? contextCredentials(options.credentials) : undefined,
        function: { name: config.functionName, handler: config.handler, memory: config.memorySize, timeout: config.timeoutSeconds },
        service: { name: invokeOptions.serviceName ?? '', qualifier: invokeOptions.qualifier ?? 'LATEST' },
        region,
        accountId,
        logger: makeLogger(requestId, clock, log),
      };
      const signal = invokeOptions.signal ?? new AbortController().signal;
      try {
        const raw = await callHandler(handler, Buffer.from(event), context, config, signal, clock, policy);
        return finish({ body: decodeResult(raw) });
      } catch (thrown) {
        if (signal.aborted) throw thrown;
        return finish({ error: thrown instanceof FunctionTimeout ? thrown.error : { errorType: errorTypeOf(thrown, policy), errorMessage: errorMessageOf(thrown) } });
      }
    },
  };
}

/** Raised by the runtime itself, so that it is never read as the handler's own error. */
class FunctionTimeout extends Error {
  constructor(readonly error: FunctionError) {
    super(error.errorMessage);
  }
}

function callHandler(
  handler: FcHandler,
  event: Buffer,
  context: unknown,
  config: FcFunctionConfig,
  signal: AbortSignal,
  clock: Clock,
  policy: LocalFcPolicy,
): Promise<unknown> {
  const call = new Promise<unknown>((resolvePromise, reject) => {
    // Node ≤ 16 style handlers take a callback; newer ones return a promise.
    const callback = (error: unknown, result?: unknown): void => (error ? reject(error) : resolvePromise(result));
    try {
      const returned = handler.length >= 3 ? handler(event, context, callback) : handler(event, context);
      if (handler.length < 3) Promise.resolve(returned).then(resolvePromise, reject);
    } catch (error) {
      reject(error);
    }
  });
  // One sleep ends either way: on the function timeout, or early when the task is aborted or the call settles.
  const timer = new AbortController();
  const onAbort = (): void => timer.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const limit = new Promise<never>((_resolve, reject) => {
    clock.sleep(config.timeoutSeconds * 1000, timer.signal).then(
      () =>
        reject(
          new FunctionTimeout({ errorType: policy.errorNames.functionTimeout, errorMessage: `Function timed out after ${config.timeoutSeconds} seconds` }),
        ),
      () => {
        if (signal.aborted) reject(signal.reason);
      },
    );
  });
  return Promise.race([call, limit]).finally(() => {
    timer.abort();
    signal.removeEventListener('abort', onAbort);
  });
}

/** FC's return conversion: Buffers and strings holding JSON are parsed, other strings stay strings. */
function decodeResult(raw: unknown): JsonValue {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : undefined;
  if (text === undefined) return toJsonValue(raw);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function contextCredentials(credentials: FcCredentials): Record<string, string> {
  const { accessKeyId, accessKeySecret, securityToken } = credentials;
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

/** FC puts the role's keys in the function's environment too (the environment-variables page above). */
function credentialVariables(credentials: FcCredentials): Record<string, string> {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
    ...(credentials.securityToken ? { ALIBABA_CLOUD_SECURITY_TOKEN: credentials.securityToken } : {}),
  };
}

/** The variables FC (and `s local invoke`) put in every function's environment. */
function fcVariables(config: FcFunctionConfig, region: string, accountId: string): Record<string, string> {
  return {
    FC_FUNCTION_NAME: config.functionName,
    FC_FUNCTION_HANDLER: config.handler,
    FC_FUNCTION_MEMORY_SIZE: String(config.memorySize),
    FC_TIMEOUT: String(config.timeoutSeconds),
    FC_REGION: region,
    FC_ACCOUNT_ID: accountId,
  };
}

function isConcrete(segment: string | undefined): segment is string {
  return segment !== undefined && segment !== '' && !/[{}$]/.test(segment);
}

function makeLogger(requestId: string, clock: Clock, log: (line: string) => void): Record<string, (...parts: unknown[]) => void> {
  const write = (level: string) => (...parts: unknown[]): void =>
    log(`${new Date(clock.now()).toISOString()} ${requestId} [${level}] ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}`);
  return { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR'), log: write('INFO') };
}
