/**
 * The FC handlers write one JSON log line per invocation to stdout (in the cloud that is the function's log). Run
 * in-process, those lines would land in the middle of the live view or break the NDJSON stream, so while a command
 * calls handlers, stdout writes from anyone but the CLI go to a sink (a file next to the history, or stderr
 * under --debug). The CLI writes through the Terminal, which holds the original write.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

type WriteCallback = (error?: Error | null) => void;

export function captureStdout(sink: (text: string) => void): () => void {
  const original = process.stdout.write;
  const replacement = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    try {
      sink(text);
    } catch {
      // Losing a function log line is better than failing the run.
    }
    const done = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as WriteCallback | undefined;
    if (done) queueMicrotask(() => done());
    return true;
  };
  process.stdout.write = replacement as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}

/** A sink appending to `path` (created on first use). */
export function fileSink(path: string): (text: string) => void {
  let ready = false;
  return (text) => {
    if (!ready) {
      mkdirSync(dirname(path), { recursive: true });
      ready = true;
    }
    appendFileSync(path, text);
  };
}
