/**
 * Calling deployed FC functions through Function Compute's API with `@alicloud/fc2`: FC 3.0 functions at the
 * 2023-03-30 invocation path (fc2 with its `version` switched, as the Serverless Devs fc3 component does), FC 2.0
 * service functions at the 2016-08-15 path. What comes back is named as CloudFlow names it:
 *   a function error (HTTP 200 + x-fc-error-type) → its errorType (`InvalidInput`, …), fallback `FC.Unknown`;
 *   an FC API error (HTTP 4xx/5xx)                 → `FC.<ErrorCode>` (`FC.FunctionNotFound`, `FC.ResourceThrottled`);
 *   no answer at all                               → `FC.NetworkError`.
 */
import { FlowError } from '../../flow/errors';
import type { JsonValue } from '../../flow/json';
import { CLOUDFLOW_POLICY } from '../../flow/policy';
import type { InvokeTask, TaskRequest } from '../../flow/runtime';
import { parseFunctionArn } from '../../local-fc/function-arn';
import { FC_INVOKE_ACTION } from '../../local-fc/task-invoker';
import type { TargetCredentials } from '../target';
import { isFc2HttpError, loadFc2, type Fc2Client, type Fc2Response } from './fc2';

const FC3_API_VERSION = '2023-03-30';
const NETWORK_ERROR_NAME = 'FC.NetworkError';

export interface FcFunctionsOptions {
  /** e.g. http://127.0.0.1:8787 for the emulator; default https://{accountId}.{region}.fc.aliyuncs.com. */
  endpoint?: string;
  accountId: string;
  region: string;
  credentials: TargetCredentials;
  /** Per invocation, in ms (fc2's default: 60 000). */
  timeoutMs?: number;
}

/** Which function: an FC 3.0 function by name, or an FC 2.0 function in a service. */
export interface FunctionAddress {
  functionName: string;
  serviceName?: string;
  qualifier?: string;
  /** Override the configured account or region (an ARN that names them). */
  accountId?: string;
  region?: string;
}

/** A failed invocation; `name` is the CloudFlow error name, `source` says who failed. */
export class FcInvocationError extends FlowError {
  constructor(
    name: string,
    message: string,
    readonly source: 'function' | 'api' | 'network',
  ) {
    super(name, message);
  }
}

export interface FcFunctions {
  /** The function's result (JSON-decoded when it is JSON); throws FcInvocationError. */
  invoke(address: FunctionAddress, event: string): Promise<JsonValue>;
}

function firstHeader(response: Fc2Response, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decode(data: unknown): unknown {
  if (Buffer.isBuffer(data)) return decode(data.toString('utf8'));
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function functionError(data: unknown): FcInvocationError {
  const body = decode(data);
  const fields = typeof body === 'object' && body !== null ? (body as { errorType?: unknown; errorMessage?: unknown }) : {};
  const name = typeof fields.errorType === 'string' && fields.errorType !== '' ? fields.errorType : CLOUDFLOW_POLICY.errorNames.fcUnknown;
  const message = typeof fields.errorMessage === 'string' ? fields.errorMessage : typeof body === 'string' ? body : JSON.stringify(body ?? null);
  return new FcInvocationError(name, message, 'function');
}

function callError(error: unknown): FcInvocationError {
  if (isFc2HttpError(error)) return new FcInvocationError(`FC.${error.code}`, error.message, 'api');
  // fc2 reads the code from `ErrorCode`; an API answering `{Code, Message}` instead leaves it undefined ("FCundefinedError"):
  // still an API answer, named by its HTTP status rather than mistaken for a network failure.
  const status = error instanceof Error && error.name === 'FCundefinedError' ? /failed with (\d{3})/.exec(error.message)?.[1] : undefined;
  if (status) return new FcInvocationError(`FC.HTTP${status}`, (error as Error).message, 'api');
  const message = error instanceof Error ? error.message : String(error);
  return new FcInvocationError(NETWORK_ERROR_NAME, message, 'network');
}

export function createFcFunctions(options: FcFunctionsOptions): FcFunctions {
  const clients = new Map<string, Fc2Client>();

  function client(accountId: string, region: string, version: string): Fc2Client {
    const key = `${accountId}|${region}|${version}`;
    let found = clients.get(key);
    if (!found) {
      const Fc2 = loadFc2();
      const { credentials } = options;
      found = new Fc2(accountId, {
        accessKeyID: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
        region,
        secure: true,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      });
      found.version = version;
      clients.set(key, found);
    }
    return found;
  }

  return {
    async invoke(address, event) {
      const accountId = address.accountId ?? options.accountId;
      const region = address.region ?? options.region;
      let response: Fc2Response;
      try {
        if (address.serviceName !== undefined) {
          response = await client(accountId, region, '2016-08-15').invokeFunction(address.serviceName, address.functionName, event, {}, address.qualifier);
        } else {
          const queries = address.qualifier ? { qualifier: address.qualifier } : null;
          response = await client(accountId, region, FC3_API_VERSION).post(`/functions/${address.functionName}/invocations`, event, {}, queries);
        }
      } catch (error) {
        throw callError(error);
      }
      if (firstHeader(response, 'x-fc-error-type')) throw functionError(response.data);
      return decode(response.data) as JsonValue;
    },
  };
}

/** A placeholder ARN segment (`{{region}}`, `${…}`, empty) means "the configured one". */
function concrete(segment: string): string | undefined {
  return segment === '' || /[{}$]/.test(segment) ? undefined : segment;
}

/**
 * The interpreter's task invoker for `riflow run --remote-functions`: each FC:InvokeFunction task calls the deployed
 * function its ARN names. The output is `{Body: <result>}` as with the local invoker.
 */
export function createRemoteInvokeTask(functions: FcFunctions): InvokeTask {
  const names = CLOUDFLOW_POLICY.errorNames;
  return async (request: TaskRequest) => {
    if (request.action !== FC_INVOKE_ACTION) {
      throw new FlowError(names.unsupportedAction, `--remote-functions runs ${FC_INVOKE_ACTION} tasks only, not ${request.action}`);
    }
    const arnText = request.parameters.resourceArn;
    const arn = typeof arnText === 'string' ? parseFunctionArn(arnText) : undefined;
    if (!arn) throw new FlowError(names.fcFunctionNotFound, `Parameters.resourceArn ${JSON.stringify(arnText ?? null)} is not an FC function ARN`);
    const accountId = concrete(arn.accountId);
    const region = concrete(arn.region);
    const address: FunctionAddress = {
      functionName: arn.functionName,
      ...(arn.serviceName !== undefined ? { serviceName: arn.serviceName } : {}),
      ...(arn.qualifier !== undefined ? { qualifier: arn.qualifier } : {}),
      ...(accountId ? { accountId } : {}),
      ...(region ? { region } : {}),
    };
    const body = request.parameters.body;
    const event = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    // fc2 cannot cancel a request: stop waiting for it when the task is aborted.
    const { signal } = request;
    signal.throwIfAborted();
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return { Body: await Promise.race([functions.invoke(address, event), aborted]) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}
