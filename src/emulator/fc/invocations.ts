/**
 * Function Compute's invocation API over the local handlers, for the functions s.yaml deploys:
 *
 *   POST /2023-03-30/functions/{name}/invocations[?qualifier=Q]                       FC 3.0
 *   POST /2016-08-15/services/{service}[.{qualifier}]/functions/{name}/invocations    FC 2.0
 *
 * Each request is authenticated as FC does (auth.ts), then the handler runs in-process in the local FC runtime
 * (src/local-fc: same event Buffer, context, environment and timeout as in a local run), with the VPC endpoint
 * and keys pointing back at this emulator. A result answers 200 with its JSON; a thrown error answers 200 with
 * `x-fc-error-type: UnhandledInvocationError` and `{errorMessage, errorType, stackTrace}`, as FC does; `errorType`
 * is read as the runtime policy's `errorType` says (the documented reading: the error's class name).
 * Local choices: any service name and any qualifier reach the one local copy of a function (s.yaml deploys FC 3.0
 * functions, which have no services); only synchronous invocations are served.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalFcPolicy } from '../../local-fc/policy';
import type { FunctionEnvironment } from '../../local-fc/handler-module';
import { createLocalFc, type LocalFc } from '../../local-fc/runtime';
import { handlerEnvironment } from '../handler-env';
import { readBody, sendJson, sendRaw } from '../http-io';
import type { RestRoute } from '../routes';
import type { EmulatorStore } from '../store';
import { authenticateFc } from './auth';
import { FcApiError } from './errors';

const FC3_VERSION = '2023-03-30';
const FC2_VERSION = '2016-08-15';

export interface FcInvocationOptions {
  sYamlPath: string;
  store: EmulatorStore;
  /** The emulator's URL and keys: what the handlers' VPC clients use. */
  emulatorUrl: string;
  credentials: { accessKeyId: string; accessKeySecret: string };
  log: (line: string) => void;
  /** How a thrown error becomes `errorType`, among the runtime's other choices. */
  policy?: LocalFcPolicy;
  /** Added to every function's environment (e.g. RIFLOW_HANDLER_LOG). */
  environment?: FunctionEnvironment;
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

function sendFcError(res: ServerResponse, error: FcApiError, requestId: string): void {
  res.setHeader('x-fc-request-id', requestId);
  sendJson(res, error.status, { ErrorCode: error.code, ErrorMessage: error.message });
}

export function createFcInvocationRoutes(options: FcInvocationOptions): RestRoute[] {
  const fc = createLocalFc({
    sYamlPath: options.sYamlPath,
    variables: handlerEnvironment(options.emulatorUrl, options.credentials),
    credentials: options.credentials,
    log: options.log,
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });

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
      if (!fc.has(target.functionName)) throw FcApiError.functionNotFound(target.functionName);
      await runFunction(fc, target, account.id, body, res, options.log);
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

async function runFunction(fc: LocalFc, target: InvocationTarget, accountId: string, body: Buffer, res: ServerResponse, log: (line: string) => void): Promise<void> {
  // A client that hangs up stops waiting for the function (the handler itself cannot be interrupted).
  const gone = new AbortController();
  const onClose = (): void => {
    if (!res.writableEnded) gone.abort(new Error('the client closed the connection'));
  };
  res.on('close', onClose);
  const started = Date.now();
  try {
    const result = await fc.invoke(target.functionName, body, {
      signal: gone.signal,
      accountId,
      ...(target.serviceName !== undefined ? { serviceName: target.serviceName } : {}),
      ...(target.qualifier !== undefined ? { qualifier: target.qualifier } : {}),
    });
    res.setHeader('x-fc-request-id', result.requestId);
    if ('error' in result) {
      const { errorType, errorMessage } = result.error;
      log(`emulator: FC invoke ${target.functionName} → ${errorType} (${Date.now() - started} ms)`);
      res.setHeader('x-fc-error-type', 'UnhandledInvocationError');
      sendJson(res, 200, { errorMessage, errorType, stackTrace: [] });
      return;
    }
    log(`emulator: FC invoke ${target.functionName} → ok (${Date.now() - started} ms)`);
    if (typeof result.body === 'string') sendRaw(res, 200, result.body, 'text/plain;charset=utf-8');
    else sendJson(res, 200, result.body);
  } catch (thrown) {
    if (gone.signal.aborted) return;
    throw thrown;
  } finally {
    res.off('close', onClose);
  }
}
