import { createVpcClient } from '../vpc/client';
import type { VpcClient } from '../vpc/client';
import { endpointFromEnvironment } from '../vpc/endpoint';
import { resolveCredentials } from '../rpc/credentials';
import { InvalidInputError } from '../input-error/invalid-input';
import type { CredentialsProvider, EnvironmentVariables } from '../rpc/credentials';
import type { RetryOptions } from '../rpc/retry';
import type { RpcTransport } from '../rpc/transport';
import type { FcContext } from './context';
import { decodeSingleEvent } from './decode';
import { logSinkFromEnvironment, withInvocationLog } from './log';

/** What a handler may swap out; every field defaults to the real thing, read at invocation time. */
export interface HandlerDependencies {
  /** Receives the one JSON log line per invocation (default: stdout). */
  log?: (line: string) => void;
  env?: EnvironmentVariables;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  transport?: RpcTransport;
  /** Used when neither the FC context nor the environment has credentials. */
  credentialsProvider?: CredentialsProvider;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
}

export interface HandlerTools {
  client: VpcClient;
  context: FcContext;
}

export interface HandlerDefinition<Input extends object, Output extends object> {
  /** Function name for the log line (the FC context's name wins when present). */
  name: string;
  /** The VPC action this function performs, for the log line. */
  action: string;
  /** Validates the decoded event; throws `InvalidInput`. Unknown keys are ignored. */
  parse(event: Record<string, unknown>, context: FcContext): Input;
  run(input: Input, tools: HandlerTools): Promise<Output>;
}

export type FcHandler<Output> = (event: unknown, context?: FcContext) => Promise<Output>;

/** Time kept back from the FC timeout so the function can still answer (and log) before FC kills it. */
export function safetyMarginMs(timeoutMs: number): number {
  return Math.min(2_000, Math.floor(timeoutMs * 0.2));
}

function invocationDeadline(context: FcContext, startedAt: number): number | undefined {
  const seconds = context.function?.timeout;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const timeoutMs = seconds * 1000;
  return startedAt + timeoutMs - safetyMarginMs(timeoutMs);
}

const NO_CONTEXT: FcContext = { requestId: '', function: { name: '' } };

/**
 * A knob for running handlers inside another process (the local runner, the CLI, the test suites):
 * `RIFLOW_CLIENT_MAX_ATTEMPTS` caps the client's own retries of transient errors (1 = none: let the workflow retry
 * them, on its clock). `RIFLOW_HANDLER_LOG` moves the log line (see logSinkFromEnvironment).
 */
function retryFromEnvironment(env: EnvironmentVariables): Partial<RetryOptions> | undefined {
  const attempts = Number(env.RIFLOW_CLIENT_MAX_ATTEMPTS);
  return Number.isInteger(attempts) && attempts >= 1 ? { maxAttempts: attempts } : undefined;
}

function routerInterfaceIdOf(input: object | undefined): string | null {
  const id = (input as { routerInterfaceId?: unknown } | undefined)?.routerInterfaceId;
  return typeof id === 'string' ? id : null;
}

/** The region the request is for (every action input has one), which picks the VPC endpoint. */
function regionIdOf(input: object, context: FcContext): string {
  const region = (input as { regionId?: unknown }).regionId ?? context.region;
  if (typeof region !== 'string' || region === '') throw new InvalidInputError('regionId', 'required', 'is required (it picks the VPC endpoint)');
  return region;
}

/**
 * Wraps one action into an FC handler: decode the event → parse and validate → build the VPC client (credentials
 * from the context or the environment, endpoint for the request's region (or RIFLOW_VPC_ENDPOINT), deadline from the
 * FC timeout) → run → one structured log line. Errors are rethrown untouched: each is an instance of the vocabulary
 * class its `name` says (src/rpc/error-names.ts), the name FC reports as `errorType` and the workflow's Retry/Catch match.
 */
export function defineHandler<Input extends object, Output extends object>(
  definition: HandlerDefinition<Input, Output>,
  dependencies: HandlerDependencies = {},
): FcHandler<Output> {
  return async (event, maybeContext) => {
    const context = maybeContext ?? NO_CONTEXT;
    const now = dependencies.now ?? Date.now;
    const startedAt = now();
    let input: Input | undefined;
    const log = {
      requestId: context.requestId,
      functionName: context.function?.name || definition.name,
      action: definition.action,
      startedAt,
      now,
      sink: dependencies.log ?? logSinkFromEnvironment(dependencies.env ?? process.env),
      routerInterfaceId: () => routerInterfaceIdOf(input),
    };
    return withInvocationLog(log, async () => {
      input = definition.parse(decodeSingleEvent(event), context);
      const env = dependencies.env ?? process.env;
      const credentialsProvider = resolveCredentials({
        contextCredentials: context.credentials,
        env,
        ...(dependencies.credentialsProvider ? { provider: dependencies.credentialsProvider } : {}),
      });
      const retry = dependencies.retry ?? retryFromEnvironment(env);
      const client = createVpcClient({
        endpoint: endpointFromEnvironment(env, regionIdOf(input, context)),
        credentialsProvider,
        deadline: invocationDeadline(context, startedAt),
        now,
        ...(dependencies.sleep ? { sleep: dependencies.sleep } : {}),
        ...(dependencies.random ? { random: dependencies.random } : {}),
        ...(dependencies.transport ? { transport: dependencies.transport } : {}),
        ...(dependencies.timeoutMs ? { timeoutMs: dependencies.timeoutMs } : {}),
        ...(retry ? { retry } : {}),
      });
      return definition.run(input, { client, context });
    });
  };
}
