/** A console on a free port with the demo seed, instant transitions and a virtual clock, plus a raw HTTP client. */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startConsole, type ConsoleOptions, type RunningConsole } from '../../src/console/server';
import { VirtualClock } from '../../src/flow/clock';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface TestConsole extends RunningConsole {
  historyDir: string;
  /** Stops the console and removes its history folder. */
  close(): Promise<void>;
}

export async function startTestConsole(options: Partial<ConsoleOptions> = {}): Promise<TestConsole> {
  const historyDir = options.historyDir ?? mkdtempSync(join(tmpdir(), 'riflow-console-'));
  const running = await startConsole({
    sYamlPath: join(ROOT, 's.yaml'),
    historyDir,
    config: { preset: 'fast' },
    clock: new VirtualClock(Date.now()),
    ...options,
  });
  return {
    ...running,
    historyDir,
    async close() {
      await running.stop();
      rmSync(historyDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => unknown;
}

/** An HTTP request with exactly the headers given (fetch would not let a test set Host). */
export function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          done({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as unknown });
        });
      },
    );
    req.on('error', fail);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.end(options.body);
  });
}

/** The headers a same-origin page sends on a JSON POST: its Origin, the token (here as a bearer), the content type. */
export function pageHeaders(console: RunningConsole, extra: Record<string, string> = {}): Record<string, string> {
  return { host: new URL(console.url).host, origin: console.url, authorization: `Bearer ${console.token}`, 'content-type': 'application/json', ...extra };
}

export interface FeedReader {
  messages: Array<{ type: string; data: unknown }>;
  /** Reads on until `done()` holds (bounded: at most 500 chunks). */
  until(done: () => boolean): Promise<void>;
  close(): void;
}

/** The console's server-sent events, parsed. */
export async function readFeed(console: RunningConsole): Promise<FeedReader> {
  const controller = new AbortController();
  const response = await fetch(`${console.url}/_console/api/events`, { headers: { authorization: `Bearer ${console.token}` }, signal: controller.signal });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) throw new Error(`not an event stream: ${response.status}`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const messages: FeedReader['messages'] = [];
  let buffer = '';
  return {
    messages,
    async until(done) {
      for (let reads = 0; reads < 500 && !done(); reads++) {
        const chunk = await reader.read();
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) messages.push({ type, data: JSON.parse(data) });
        }
      }
    },
    close: () => controller.abort(),
  };
}
