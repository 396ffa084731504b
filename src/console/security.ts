/**
 * The console's request checks. The port serves the emulator's APIs and the console, so:
 * - every request: the Host header must name this server (`127.0.0.1:PORT` or `localhost:PORT`), so a page on a
 *   rebound DNS name cannot reach it; a request a browser marks as coming from another site (an `Origin` that is not
 *   this server, or `Sec-Fetch-Site: cross-site|same-site`) is refused. Signed SDK clients send neither header.
 * - console routes (`/_console/…`) and the feed: the random token printed at start, from the `?token=` URL (which
 *   sets an HttpOnly cookie), the cookie, or `Authorization: Bearer`.
 * - console requests that change state: an `Origin` naming this server is required (browsers send it on every
 *   POST and DELETE), and a JSON body must say `application/json` (a cross-site form cannot).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Refusal = { status: number; code: string; message: string };

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** The cookie that carries the token; named after the port because browsers share cookies across the ports of a host. */
export function cookieName(port: number): string {
  return `riflow_console_${port}`;
}

function serverHosts(req: IncomingMessage): string[] {
  const port = req.socket.localPort;
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Host and cross-site checks, for every request on the port. */
function checkRequestSource(req: IncomingMessage): Refusal | undefined {
  const host = header(req, 'host');
  if (host === undefined || !serverHosts(req).includes(host.toLowerCase())) {
    return { status: 403, code: 'Forbidden.Host', message: `Host ${JSON.stringify(host ?? '')} is not this server: use http://127.0.0.1:${req.socket.localPort}/` };
  }
  const origin = header(req, 'origin');
  if (origin !== undefined && !serverHosts(req).some((name) => origin.toLowerCase() === `http://${name}`)) {
    return { status: 403, code: 'Forbidden.Origin', message: `requests from ${JSON.stringify(origin)} are not allowed` };
  }
  const site = header(req, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    return { status: 403, code: 'Forbidden.Origin', message: `requests from another site (${site}) are not allowed` };
  }
  return undefined;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The token given with the request, from the query, the cookie or a bearer header. */
export function presentedToken(req: IncomingMessage, url: URL): { token?: string; fromQuery: boolean } {
  const query = url.searchParams.get('token');
  if (query !== null) return { token: query, fromQuery: true };
  const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
  const cookie = cookieValue(req, cookieName(req.socket.localPort ?? 0));
  const token = bearer ?? cookie;
  return token === undefined ? { fromQuery: false } : { token, fromQuery: false };
}

export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  return sameToken(presentedToken(req, url).token, token);
}

/** Extra checks of a console request that changes state. */
export function checkStateChange(req: IncomingMessage): Refusal | undefined {
  const method = (req.method ?? 'GET').toUpperCase();
  if (!STATE_CHANGING.has(method)) return undefined;
  const origin = header(req, 'origin');
  if (origin === undefined) {
    return { status: 403, code: 'Forbidden.Origin', message: `${method} needs an Origin header naming this server` };
  }
  const type = header(req, 'content-type');
  const length = Number(header(req, 'content-length') ?? '0');
  const hasBody = length > 0 || header(req, 'transfer-encoding') !== undefined;
  if (hasBody && !/^application\/json\b/i.test(type ?? '')) {
    return { status: 415, code: 'UnsupportedMediaType', message: 'the body must be application/json' };
  }
  return undefined;
}


export function refuse(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  res.writeHead(refusal.status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The guard `startEmulator({requestGuard})` runs first for every request on the console's port. */
export function consoleRequestGuard(req: IncomingMessage, res: ServerResponse): boolean {
  const refusal = checkRequestSource(req);
  if (refusal) refuse(res, refusal);
  return refusal === undefined;
}
