/**
 * `createLocalFcInvoker`: runs `FC:InvokeFunction` tasks in-process. The ARN gives a function name, s.yaml gives its
 * code folder, handler, timeout and environment; the handler gets an FC-shaped event Buffer and context.
 */
import { randomUUID } from 'node:crypto';
import { realClock, type Clock } from '../flow/clock';
import { FlowError } from '../flow/errors';
import { toJsonValue, type JsonValue } from '../flow/json';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../flow/policy';
import type { InvokeTask, TaskRequest } from '../flow/runtime';
import { SYaml, type EnvSource, type FcFunctionConfig } from '../serverless/s-yaml';
import { fcFunctionError } from './error-type';
import { parseFunctionArn } from './function-arn';
import { loadHandler, withEnvironment, type FcHandler } from './handler-module';

export interface LocalFcInvokerOptions {
  /** Path of s.yaml; its folder is where relative `code` paths start. */
  sYamlPath?: string;
  /** s.yaml text instead of a path; `rootDir` is then the base folder (default: the working directory). */
  sYaml?: string;
  rootDir?: string;
  /** Used for `${env(...)}` in s.yaml and for the context's credentials. Default: process.env. */
  env?: EnvSource;
  /** Measures the function timeout. Default: the real clock. */
  clock?: Clock;
  /** Told about every call once it has finished. */
  onInvoke?: (invocation: FcInvocation) => void;
  /** Receives the handler's `context.logger` lines. Default: standard error. */
  log?: (line: string) => void;
  /** Account id for the context when the ARN's account segment is a placeholder. */
  accountId?: string;
  policy?: CloudFlowPolicy;
}

export interface FcInvocation {
  functionName: string;
  requestId: string;
  stateName: string;
  durationMs: number;
  output?: { Body: JsonValue };
  error?: { name: string; message: string };
}

export const FC_INVOKE_ACTION = 'FC:InvokeFunction';

export function createLocalFcInvoker(options: LocalFcInvokerOptions): InvokeTask {
  const policy = options.policy ?? CLOUDFLOW_POLICY;
  const env = options.env ?? process.env;
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.sYaml === undefined && options.sYamlPath === undefined) throw new Error('createLocalFcInvoker needs sYamlPath or sYaml');
  const sYaml =
    options.sYaml === undefined ? SYaml.readFile(options.sYamlPath as string) : new SYaml(options.sYaml, { baseDir: options.rootDir ?? process.cwd() });

  return async (request: TaskRequest) => {
    if (request.action !== FC_INVOKE_ACTION) {
      throw new FlowError(policy.errorNames.unsupportedAction, `the local FC invoker runs ${FC_INVOKE_ACTION} only, not ${request.action}`);
    }
    const arnText = request.parameters.resourceArn;
    const arn = typeof arnText === 'string' ? parseFunctionArn(arnText) : undefined;
    if (!arn) {
      throw new FlowError(
        policy.errorNames.fcFunctionNotFound,
        `Parameters.resourceArn ${JSON.stringify(arnText ?? null)} is not an FC function ARN ` +
          '(acs:fc:<region>:<account>:functions/<name>[/<qualifier>] or …:services/<svc>[.<qualifier>]/functions/<name>)',
      );
    }
    const config = sYaml.functionConfig(arn.functionName, env);
    if (!config) {
      throw new FlowError(policy.errorNames.fcFunctionNotFound, `no fc3 resource in s.yaml has functionName "${arn.functionName}"`);
    }
    const handler = await loadHandler(config.codeDir, config.handler);
    if (!handler) {
      throw new FlowError(
        policy.errorNames.fcFunctionNotFound,
        `${config.functionName}: handler ${config.handler} not found in ${config.codeDir} (was the bundle built?)`,
      );
    }
    const requestId = randomUUID();
    const region = config.region ?? (isPlaceholder(arn.region) ? (env.FC_REGION ?? 'cn-hangzhou') : arn.region);
    const accountId = /^\d+$/.test(arn.accountId) ? arn.accountId : (options.accountId ?? '000000000000');
    const context = {
      requestId,
      credentials: credentialsFrom(env),
      function: { name: config.functionName, handler: config.handler, memory: config.memorySize, timeout: config.timeoutSeconds },
      service: { name: arn.serviceName ?? '', qualifier: arn.qualifier ?? 'LATEST' },
      region,
      accountId,
      logger: makeLogger(requestId, clock, log),
    };
    const body = request.parameters.body;
    const event = Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
    const variables = { ...fcVariables(config, region, accountId), ...config.environmentVariables };
    const started = clock.now();
    const report = (outcome: Pick<FcInvocation, 'output' | 'error'>): void =>
      options.onInvoke?.({ functionName: config.functionName, requestId, stateName: request.stateName, durationMs: clock.now() - started, ...outcome });
    try {
      const raw = await withEnvironment(variables, () => callHandler(handler, event, context, config, request.signal, clock, policy));
      const output = { Body: decodeResult(raw) };
      report({ output });
      return output;
    } catch (thrown) {
      if (request.signal.aborted) throw thrown;
      const error = fcFunctionError(thrown, policy);
      report({ error: { name: error.name, message: error.message } });
      throw error;
    }
  };
}

function callHandler(
  handler: FcHandler,
  event: Buffer,
  context: unknown,
  config: FcFunctionConfig,
  signal: AbortSignal,
  clock: Clock,
  policy: CloudFlowPolicy,
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
      () => reject(new FlowError(policy.errorNames.fcFunctionTimeout, `Function timed out after ${config.timeoutSeconds} seconds`)),
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

function credentialsFrom(env: EnvSource): Record<string, string> | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) return undefined;
  const credentials: Record<string, string> = { accessKeyId, accessKeySecret };
  if (env.ALIBABA_CLOUD_SECURITY_TOKEN) credentials.securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN;
  return credentials;
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

function isPlaceholder(segment: string): boolean {
  return segment === '' || /[{}$]/.test(segment);
}

function makeLogger(requestId: string, clock: Clock, log: (line: string) => void): Record<string, (...parts: unknown[]) => void> {
  const write = (level: string) => (...parts: unknown[]): void =>
    log(`${new Date(clock.now()).toISOString()} ${requestId} [${level}] ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}`);
  return { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR'), log: write('INFO') };
}
