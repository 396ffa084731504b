/**
 * Everything under `/_console/`: the page and its assets, the JSON API and the feed. Each request has passed the
 * port-wide Host/Origin guard; here the token is required, and state changes get the Origin and content-type check.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { validateExecutionName } from '../cloudflow/start-requests';
import { validateWorkflowInput } from '../cloudflow/workflow-input';
import type { EmulatorControl } from '../emulator/control';
import type { ExecutionStore } from '../emulator/cloudflow/executions';
import { parseFaultRule } from '../emulator/faults';
import { readBody } from '../emulator/http-io';
import type { FaultRule } from '../emulator/types';
import { HistoryReadError } from '../flow/history';
import { InvalidInputError } from '../input-error/invalid-input';
import { isVpcError } from '../rpc/error-names';
import type { ConsoleCloudFlow } from './cloudflow-api';
import type { Feed } from './feed';
import { interfaceRows } from './feed';
import { HistoryNotFoundError, listHistoryFiles, readHistoryFile } from './histories';
import type { ApiErrorBody, ExecutionDetail, ExecutionSummary, FlowInfo } from './protocol';
import { checkStateChange, cookieName, hasToken, presentedToken, refuse } from './security';

export const CONSOLE_PREFIX = '/_console/';

export interface ConsoleRouteDeps {
  token: string;
  assetsDir: string;
  historyDir: string;
  flows: () => Promise<FlowInfo[]>;
  cloudflow: ConsoleCloudFlow;
  executions: ExecutionStore | undefined;
  control: EmulatorControl;
  feed: Feed;
}

const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** Scripts and styles from this server only; no framing (clickjacking); the token never leaves in a Referer. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Partial<ApiErrorBody['error']> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'InvalidJson', `the body is not valid JSON (${(error as Error).message})`);
  }
}

function isBag(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createConsoleRoutes(deps: ConsoleRouteDeps): (req: IncomingMessage, res: ServerResponse, subpath: string) => Promise<void> {
  async function knownFlow(name: unknown): Promise<string> {
    const flows = await deps.flows();
    if (typeof name !== 'string' || !flows.some((flow) => flow.name === name)) {
      throw new HttpError(400, 'InvalidInput', `flow: must be one of ${flows.map((flow) => flow.name).join(', ')}`, { field: 'flow', rule: 'flow' });
    }
    return name;
  }

  async function listExecutions(): Promise<ExecutionSummary[]> {
    const flows = await deps.flows();
    const fromApi = (await Promise.all(flows.map((flow) => deps.cloudflow.listExecutions(flow.name)))).flat();
    const known = new Set(fromApi.map((execution) => execution.name));
    const fromFiles = (await listHistoryFiles(deps.historyDir)).filter((execution) => !known.has(execution.name));
    const all: ExecutionSummary[] = [...fromApi.map((execution) => ({ ...execution, source: 'cloudflow' as const })), ...fromFiles];
    // Newest first; unreadable files (no start time) last.
    return all.sort((a, b) => (b.startedTime ?? '').localeCompare(a.startedTime ?? ''));
  }

  async function startExecution(body: unknown): Promise<ExecutionSummary> {
    if (!isBag(body)) throw new HttpError(400, 'InvalidInput', 'the body must be a JSON object {flow, name?, input}');
    const flowName = await knownFlow(body.flow);
    const name = body.name === undefined || body.name === '' ? undefined : validateExecutionName(body.name, 'name');
    const input = validateWorkflowInput(flowName, body.input);
    const started = await deps.cloudflow.startExecution(flowName, input, name);
    return { name: started.name, flowName, status: started.status, ...(started.startedTime ? { startedTime: started.startedTime } : {}), source: 'cloudflow' };
  }

  async function executionDetail(flowName: string, name: string): Promise<ExecutionDetail> {
    await knownFlow(flowName);
    const described = await deps.cloudflow.describeExecution(flowName, name);
    const events = deps.executions?.get(flowName, name)?.events ?? [];
    return {
      name,
      flowName,
      status: described.status,
      source: 'cloudflow',
      ...(described.startedTime ? { startedTime: described.startedTime } : {}),
      ...(described.stoppedTime ? { stoppedTime: described.stoppedTime } : {}),
      ...(described.input ? { input: described.input } : {}),
      ...(described.output ? { output: described.output } : {}),
      events: [...events],
    };
  }

  async function historyDetail(name: string): Promise<ExecutionDetail> {
    const events = await readHistoryFile(deps.historyDir, name);
    const started = events.find((event) => event.type === 'ExecutionStarted');
    const last = events[events.length - 1];
    const ended = last && /^Execution(Succeeded|Failed|Stopped|TimedOut)$/.exec(last.type)?.[1];
    return {
      name,
      flowName: started?.type === 'ExecutionStarted' ? started.flow : '',
      status: ended ?? 'Interrupted',
      source: 'file',
      ...(events[0] ? { startedTime: events[0].time } : {}),
      events,
    };
  }

  function addFaults(body: unknown): FaultRule[] {
    const rules = Array.isArray(body) ? body : [body];
    // All checked before any is added, so a bad batch changes nothing.
    const parsed = rules.map((rule, index) => parseFaultRule(rule, Array.isArray(body) ? `faults[${index}]` : 'fault'));
    const added = parsed.map((rule) => deps.control.addFault(rule));
    deps.feed.refresh();
    return added;
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = `${method} ${path}`;
    const parts = path.split('/').map((part) => decodeURIComponent(part));
    if (route === 'GET events') return deps.feed.open(res);
    if (route === 'GET flows') return sendJson(res, 200, { flows: await deps.flows() });
    if (route === 'GET executions') return sendJson(res, 200, { executions: await listExecutions() });
    if (route === 'POST executions') return sendJson(res, 200, await startExecution(await readJsonBody(req)));
    if (parts[0] === 'executions' && parts.length === 3 && method === 'GET') return sendJson(res, 200, await executionDetail(parts[1] ?? '', parts[2] ?? ''));
    if (parts[0] === 'executions' && parts.length === 4 && parts[3] === 'stop' && method === 'POST') {
      const flowName = await knownFlow(parts[1]);
      const stopped = await deps.cloudflow.stopExecution(flowName, parts[2] ?? '', 'Stopped', 'stopped from the console');
      return sendJson(res, 200, { name: stopped.name, flowName, status: stopped.status });
    }
    if (parts[0] === 'history' && parts.length === 2 && method === 'GET') return sendJson(res, 200, await historyDetail(parts[1] ?? ''));
    if (route === 'GET interfaces') return sendJson(res, 200, { interfaces: interfaceRows(deps.control) });
    if (route === 'GET faults') return sendJson(res, 200, { faults: deps.control.faults() });
    if (route === 'POST faults') return sendJson(res, 200, { faults: addFaults(await readJsonBody(req)) });
    if (route === 'DELETE faults') {
      deps.control.clearFaults();
      deps.feed.refresh();
      return sendJson(res, 200, { faults: [] });
    }
    if (parts[0] === 'faults' && parts.length === 2 && method === 'DELETE') {
      if (!deps.control.removeFault(parts[1] ?? '')) throw new HttpError(404, 'FaultNotFound', `no fault rule ${parts[1]}`);
      deps.feed.refresh();
      return sendJson(res, 200, { faults: deps.control.faults() });
    }
    throw new HttpError(404, 'NotFound', `no console route ${method} ${CONSOLE_PREFIX}api/${path}`);
  }

  async function page(res: ServerResponse, file: string): Promise<void> {
    const type = file === 'index.html' ? 'text/html; charset=utf-8' : ASSETS[file];
    if (!type) throw new HttpError(404, 'NotFound', `no console asset ${file}`);
    let body: Buffer;
    try {
      body = await readFile(join(deps.assetsDir, file));
    } catch {
      throw new HttpError(503, 'NotBuilt', `the console page is not built (${join(deps.assetsDir, file)} is missing): run npm run build`);
    }
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': type, 'content-length': body.length });
    res.end(body);
  }

  return async (req, res, subpath) => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    try {
      if (!hasToken(req, url, deps.token)) {
        throw new HttpError(401, 'Unauthorized', 'this console needs its token: open the URL riflow console printed (…/_console/?token=…)');
      }
      // The printed URL: keep the token in an HttpOnly cookie and take it out of the address bar and the history.
      if (presentedToken(req, url).fromQuery && req.method === 'GET' && subpath === '') {
        res.writeHead(303, {
          ...PAGE_HEADERS,
          location: CONSOLE_PREFIX,
          'set-cookie': `${cookieName(req.socket.localPort ?? 0)}=${deps.token}; Path=${CONSOLE_PREFIX}; HttpOnly; SameSite=Strict`,
        });
        res.end();
        return;
      }
      const refusal = checkStateChange(req);
      if (refusal) return refuse(res, refusal);
      if (subpath.startsWith('api/')) return await api(req, res, subpath.slice('api/'.length));
      if (req.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not allowed here`);
      return await page(res, subpath === '' ? 'index.html' : subpath);
    } catch (error) {
      sendError(res, error);
    }
  };
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = (status: number, fields: ApiErrorBody['error']): void => sendJson(res, status, { error: fields } satisfies ApiErrorBody);
  if (error instanceof HttpError) return body(error.status, { code: error.code, message: error.message, ...error.extra });
  if (error instanceof InvalidInputError) return body(400, { code: 'InvalidInput', field: error.field, rule: error.rule, message: error.message });
  if (error instanceof HistoryNotFoundError) return body(404, { code: 'ExecutionNotExists', message: error.message });
  if (error instanceof HistoryReadError) return body(422, { code: 'CorruptHistory', line: error.line, message: error.message });
  if (isVpcError(error)) return body(error.httpStatus >= 400 && error.httpStatus < 600 ? error.httpStatus : 502, { code: error.code, message: error.apiMessage });
  body(500, { code: 'InternalError', message: error instanceof Error ? error.message : String(error) });
}
