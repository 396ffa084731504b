/**
 * Function Compute's invocation API over the local handlers, for the functions s.yaml deploys:
 *
 *   POST /2023-03-30/functions/{name}/invocations[?qualifier=Q]                       FC 3.0
 *   POST /2016-08-15/services/{service}[.{qualifier}]/functions/{name}/invocations    FC 2.0
 *
 * Each request is authenticated as FC does (auth.ts), then the handler runs in-process through the interpreter's
 * local FC invoker (same event Buffer, context, environment and timeout as in a local run), with the VPC endpoint
 * and keys pointing back at this emulator. A result answers 200 with its JSON; a thrown error answers 200 with
 * `x-fc-error-type: UnhandledInvocationError` and `{errorMessage, errorType, stackTrace}`, as FC does; `errorType`
 * is read as the interpreter policy's `fcErrorType` says (the documented reading: the error's class name).
 * Local choices: any service name and any qualifier reach the one local copy of a function (s.yaml deploys FC 3.0
 * functions, which have no services); only synchronous invocations are served.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../flow/policy';
import type { InvokeTask } from '../../flow/runtime';
import { fcErrorType } from '../../local-fc/error-type';
import { createLocalFcInvoker } from '../../local-fc/task-invoker';
import { SYaml } from '../../serverless/s-yaml';
import { handlerEnvironment } from '../handler-env';
import { readBody, sendJson, sendRaw } from '../http-io';
import type { RestRoute } from '../routes';
import type { EmulatorStore } from '../store';
import { authenticateFc } from './auth';
import { FcApiError } from './errors';

export const FC3_VERSION = '2023-03-30';
export const FC2_VERSION = '2016-08-15';

export interface FcInvocationOptions {
  sYamlPath: string;
  store: EmulatorStore;
  /** The emulator's URL and keys: what the handlers' VPC clients use. */
  emulatorUrl: string;
  credentials: { accessKeyId: string; accessKeySecret: string };
  log: (line: string) => void;
  /** How a thrown error becomes `errorType` (`fcErrorType`), among the interpreter's other choices. */
  policy?: CloudFlowPolicy;
}

interface InvocationTarget {
  version: typeof FC3_VERSION | typeof FC2_VERSION;
  functionName: string;
  serviceName?: string;
  qualifier?: string;
}

const FC3_PATH = /^([A-Za-z0-9_-]+)\/invocations$/;
const FC2_PATH = /^([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?\/functions\/([A-Za-z0-9_-]+)\/invocations$/;

function parseTarget(version: InvocationTarget['version'], subpath: string, query: URLSearchParams): InvocationTarget | undefined {
  if (version === FC3_VERSION) {
    const match = FC3_PATH.exec(subpath);
    const qualifier = query.get('qualifier');
    return match ? { version, functionName: match[1] as string, ...(qualifier ? { qualifier } : {}) } : undefined;
  }
  const match = FC2_PATH.exec(subpath);
  if (!match) return undefined;
  return { version, serviceName: match[1] as string, functionName: match[3] as string, ...(match[2] ? { qualifier: match[2] } : {}) };
}

/** The ARN the local invoker resolves; an empty region is a placeholder (the function's s.yaml region is used). */
function arnOf(target: InvocationTarget, accountId: string): string {
  if (target.serviceName !== undefined) {
    const service = target.qualifier ? `${target.serviceName}.${target.qualifier}` : target.serviceName;
    return `acs:fc::${accountId}:services/${service}/functions/${target.functionName}`;
  }
  return `acs:fc::${accountId}:functions/${target.functionName}${target.qualifier ? `/${target.qualifier}` : ''}`;
}

function sendFcError(res: ServerResponse, error: FcApiError, requestId: string): void {
  res.setHeader('x-fc-request-id', requestId);
  sendJson(res, error.status, { ErrorCode: error.code, ErrorMessage: error.message });
}

export function createFcInvocationRoutes(options: FcInvocationOptions): RestRoute[] {
  const env = handlerEnvironment(options.emulatorUrl, options.credentials);
  const sYaml = SYaml.readFile(options.sYamlPath);
  const policy = options.policy ?? CLOUDFLOW_POLICY;
  const invoke: InvokeTask = createLocalFcInvoker({ sYamlPath: options.sYamlPath, env, log: options.log, policy });

  const handle = (version: InvocationTarget['version']) => async (req: IncomingMessage, res: ServerResponse, subpath: string) => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    try {
      const target = parseTarget(version, subpath, url.searchParams);
      if (req.method !== 'POST' || !target) throw FcApiError.pathNotSupported(req.method ?? '?', url.pathname);
      const body = await readBody(req);
      const account = authenticateFc({ method: 'POST', path: decodeURIComponent(url.pathname), headers: req.headers, body }, options.store);
      const invocationType = req.headers['x-fc-invocation-type'];
      if (invocationType !== undefined && invocationType !== 'Sync') {
        throw FcApiError.invalidArgument(`the emulator serves synchronous invocations only (x-fc-invocation-type: ${String(invocationType)})`);
      }
      if (!sYaml.functionConfig(target.functionName, env)) throw FcApiError.functionNotFound(target.functionName);
      await runFunction(invoke, target, arnOf(target, account.id), body, req, res, requestId, options.log, policy);
    } catch (error) {
      if (!(error instanceof FcApiError)) throw error;
      options.log(`emulator: FC ${req.method} ${url.pathname} → ${error.status} ${error.code}`);
      sendFcError(res, error, requestId);
    }
  };
  return [
    { prefix: `/${FC3_VERSION}/functions/`, handle: handle(FC3_VERSION) },
    { prefix: `/${FC2_VERSION}/services/`, handle: handle(FC2_VERSION) },
  ];
}

async function runFunction(
  invoke: InvokeTask,
  target: InvocationTarget,
  resourceArn: string,
  body: Buffer,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  log: (line: string) => void,
  policy: CloudFlowPolicy,
): Promise<void> {
  // A client that hangs up stops waiting for the function (the handler itself cannot be interrupted).
  const gone = new AbortController();
  const onClose = (): void => {
    if (!res.writableEnded) gone.abort(new Error('the client closed the connection'));
  };
  res.on('close', onClose);
  const started = Date.now();
  try {
    const output = (await invoke({
      action: 'FC:InvokeFunction',
      parameters: { resourceArn, body: body.toString('utf8') },
      stateName: target.functionName,
      executionName: `fc-${requestId}`,
      retryCount: 0,
      signal: gone.signal,
    })) as { Body: unknown };
    log(`emulator: FC invoke ${target.functionName} → ok (${Date.now() - started} ms)`);
    res.setHeader('x-fc-request-id', requestId);
    if (typeof output.Body === 'string') sendRaw(res, 200, output.Body, 'text/plain;charset=utf-8');
    else sendJson(res, 200, output.Body);
  } catch (thrown) {
    if (gone.signal.aborted) return;
    const errorType = fcErrorType(thrown, policy);
    const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
    log(`emulator: FC invoke ${target.functionName} → ${errorType} (${Date.now() - started} ms)`);
    res.setHeader('x-fc-request-id', requestId);
    res.setHeader('x-fc-error-type', 'UnhandledInvocationError');
    sendJson(res, 200, { errorMessage, errorType, stackTrace: [] });
  } finally {
    res.off('close', onClose);
  }
}
