/**
 * A pass-through HTTP proxy in front of the emulator that counts, per RPC action, how many requests are in flight at
 * once. V1 signatures do not cover the host, so the handlers' signed requests pass unchanged.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InFlightProxy {
  url: string;
  /** The most requests of `action` that were in flight at the same time. */
  peak(action: string): number;
  close(): Promise<void>;
}

function actionOf(url: string, body: string): string {
  const fromQuery = new URL(url, 'http://proxy').searchParams.get('Action');
  return fromQuery ?? new URLSearchParams(body).get('Action') ?? '';
}

export async function startInFlightProxy(target: string): Promise<InFlightProxy> {
  const now = new Map<string, number>();
  const peaks = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(req.url ?? '/', body.toString('utf8'));
      const current = (now.get(action) ?? 0) + 1;
      now.set(action, current);
      peaks.set(action, Math.max(peaks.get(action) ?? 0, current));
      const done = (): void => {
        now.set(action, (now.get(action) ?? 1) - 1);
      };
      const forward = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
      });
      forward.on('error', () => {
        done();
        res.destroy();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    peak: (action) => peaks.get(action) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
