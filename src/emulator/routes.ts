import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-io';

/**
 * Path routing, in one place: `/_emulator/*` → control API, `/` → RPC gateway (every registered product), other
 * prefixes → routes registered later (e.g. REST paths for FC invocation), anything else → 404.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, subpath: string) => Promise<void>;

export interface RestRoute {
  /** Path prefix such as `/2016-08-15/proxy/`; the handler gets the rest of the path. */
  prefix: string;
  handle: RouteHandler;
}

export class Router {
  private readonly rest: RestRoute[] = [];

  constructor(
    private readonly control: RouteHandler,
    private readonly rpc: RouteHandler,
  ) {}

  addRoute(route: RestRoute): void {
    this.rest.push(route);
  }

  dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const pathname = url.split('?', 1)[0] ?? '/';
    if (pathname.startsWith('/_emulator/')) return this.control(req, res, pathname.slice('/_emulator/'.length));
    if (pathname === '/') return this.rpc(req, res, '');
    const route = this.rest.find((candidate) => pathname.startsWith(candidate.prefix));
    if (route) return route.handle(req, res, pathname.slice(route.prefix.length));
    sendJson(res, 404, { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found, please check your url and method.' });
    return Promise.resolve();
  }
}
