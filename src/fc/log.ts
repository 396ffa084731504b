import { InvalidInputError } from '../input-error/invalid-input';
import { ERROR_CLASS_OF, isVpcError } from '../rpc/error-names';
import { escapeText } from '../rpc/safe-text';

export interface InvocationLogFields {
  time: number;
  requestId: string;
  functionName: string;
  action: string;
  /** Only a validated id: raw event values never reach the log. */
  routerInterfaceId: string | null;
  durationMs: number;
  output?: object;
  error?: unknown;
}

/** The shape of the single line each invocation writes; every key is always present. */
export interface InvocationLogRecord {
  level: 'info' | 'error';
  time: string;
  requestId: string;
  function: string;
  action: string;
  routerInterfaceId: string | null;
  outcome: 'succeeded' | 'failed';
  changed: boolean | null;
  /** The vocabulary name (what FC reports as errorType), or a JavaScript error's own name for a bug. */
  errorName: string | null;
  /** The API code (or the client's own code) behind a `VpcError`. */
  errorCode: string | null;
  errorClass: string | null;
  durationMs: number;
}

function errorField(error: unknown, key: 'name' | 'code' | 'errorClass'): string | null {
  if (typeof error !== 'object' || error === null) return error === undefined ? null : 'NonErrorThrown';
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? escapeText(value, 128) : null;
}

/** One JSON line: no event body, no message text from the server, no credentials. */
function invocationLogLine(fields: InvocationLogFields): string {
  const failed = 'error' in fields;
  const changed = (fields.output as { changed?: unknown } | undefined)?.changed;
  const record: InvocationLogRecord = {
    level: failed ? 'error' : 'info',
    time: new Date(fields.time).toISOString(),
    requestId: escapeText(String(fields.requestId ?? ''), 128),
    function: escapeText(String(fields.functionName), 128),
    action: fields.action,
    routerInterfaceId: fields.routerInterfaceId,
    outcome: failed ? 'failed' : 'succeeded',
    changed: typeof changed === 'boolean' ? changed : null,
    errorName: failed ? errorField(fields.error, 'name') : null,
    errorCode: failed && isVpcError(fields.error) ? errorField(fields.error, 'code') : null,
    // A `VpcError` carries its class; an input error is always terminal.
    errorClass: failed ? (fields.error instanceof InvalidInputError ? ERROR_CLASS_OF.InvalidInput : errorField(fields.error, 'errorClass')) : null,
    durationMs: Math.max(0, Math.round(fields.durationMs)),
  };
  return JSON.stringify(record);
}

function writeStdoutLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Where the log line goes: `RIFLOW_HANDLER_LOG` = `stdout` (default, as in FC), `stderr` (keeps a machine-readable
 * stdout clean when handlers run inside another process) or `off`.
 */
export function logSinkFromEnvironment(env: Readonly<Record<string, string | undefined>>): (line: string) => void {
  const target = env.RIFLOW_HANDLER_LOG;
  if (target === 'off') return () => undefined;
  if (target === 'stderr') return (line) => process.stderr.write(`${line}\n`);
  return writeStdoutLine;
}

export interface InvocationLog {
  requestId: string;
  functionName: string;
  action: string;
  startedAt: number;
  now: () => number;
  sink: (line: string) => void;
  /** Read when the line is written: only a validated id, or null. */
  routerInterfaceId: () => string | null;
}

/** Runs one invocation and writes its single log line, success or failure; errors are rethrown untouched. */
export async function withInvocationLog<Output extends object>(log: InvocationLog, run: () => Promise<Output>): Promise<Output> {
  const write = (fields: { output?: Output; error?: unknown }): void => {
    const line = invocationLogLine({
      time: log.now(),
      requestId: log.requestId,
      functionName: log.functionName,
      action: log.action,
      routerInterfaceId: log.routerInterfaceId(),
      durationMs: log.now() - log.startedAt,
      ...fields,
    });
    try {
      log.sink(line);
    } catch {
      // A broken log sink must not turn a finished action into a failure (or a failure into another one).
    }
  };
  try {
    const output = await run();
    write({ output });
    return output;
  } catch (error) {
    write({ error });
    throw error;
  }
}
