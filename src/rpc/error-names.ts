import { escapeText } from './safe-text';

/**
 * The closed vocabulary of error names a handler throws, and the one class per name. Function Compute reports a
 * thrown error's `errorType` as "the JavaScript error class name"
 * (https://www.alibabacloud.com/help/en/functioncompute/fc/error-handling-nodejs), and CloudFlow's Retry/Catch
 * match that name, so each class is named exactly as its `name`: `err.name === err.constructor.name` in the source
 * and in the minified bundles (built with esbuild `keepNames`; test/functions/error-names.test.ts checks them).
 * Names are JavaScript identifiers (no dots), so no reading of errorType can mangle them.
 *
 * The API code, HTTP status, API message and RequestId stay on the error as properties and open its `message`, so
 * what a user reads in an execution's error detail still says what the API answered.
 */
export const ERROR_NAMES = [
  'StatusConflict',
  'TransientFailure',
  'RouterInterfaceNotFound',
  'WrongRole',
  'ConnectionRefused',
  'AccountLocked',
  'UnsupportedSpec',
  'InvalidInput',
  'RequestRefused',
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

/**
 * - transient: the client retries it briefly with jittered backoff inside the FC time budget, then the workflow's
 *   transient rule retries it;
 * - conflict: a status or concurrency clash that clears with time; the workflow retries it with backoff;
 * - terminal: retrying cannot help; the workflow catches it into a Fail.
 */
export type ErrorClass = 'transient' | 'conflict' | 'terminal';

export const ERROR_CLASS_OF: Readonly<Record<ErrorName, ErrorClass>> = {
  StatusConflict: 'conflict',
  TransientFailure: 'transient',
  RouterInterfaceNotFound: 'terminal',
  WrongRole: 'terminal',
  ConnectionRefused: 'terminal',
  AccountLocked: 'terminal',
  UnsupportedSpec: 'terminal',
  InvalidInput: 'terminal',
  RequestRefused: 'terminal',
};

export function isErrorName(value: string): value is ErrorName {
  return (ERROR_NAMES as readonly string[]).includes(value);
}

/** What an API answered (or what the client saw instead of an answer). */
export interface ApiFailure {
  /** The API code verbatim, or a client-side code (`RequestTimeout`, `NetworkError`, …) when there was none. */
  code: string;
  apiMessage: string;
  /** 0 = no HTTP answer. */
  httpStatus?: number;
  requestId?: string;
}

/** `IncorrectStatus (HTTP 400): <API message> RequestId: 4BC…` — never credentials or signed URLs. */
function apiFailureMessage(failure: ApiFailure): string {
  const status = failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : '';
  const request = failure.requestId ? ` RequestId: ${escapeText(failure.requestId, 80)}` : '';
  return `${escapeText(failure.code, 128)}${status}: ${escapeText(failure.apiMessage, 500)}${request}`;
}

/**
 * A failed call through riflow's RPC wire: the VPC API, and CloudFlow's for the start function. Concrete classes
 * below; `rpcErrorFor` (errors.ts) picks the one a catalogue names. The vocabulary's one other name, `InvalidInput`,
 * is a bad input refused before any call: its class is in src/input-error/invalid-input.ts.
 */
export abstract class VpcError extends Error {
  abstract override readonly name: VpcErrorName;
  readonly code: string;
  readonly httpStatus: number;
  readonly apiMessage: string;
  readonly requestId: string | undefined;

  /** A `cause` of undefined sets none (Error would record an own `cause: undefined`). */
  constructor(failure: ApiFailure, options?: { cause?: unknown }) {
    super(apiFailureMessage(failure), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = escapeText(failure.code, 128);
    this.httpStatus = failure.httpStatus ?? 0;
    this.apiMessage = failure.apiMessage;
    this.requestId = failure.requestId;
  }

  get errorClass(): ErrorClass {
    return ERROR_CLASS_OF[this.name];
  }
}

export class StatusConflict extends VpcError {
  override readonly name = 'StatusConflict';
}

export class TransientFailure extends VpcError {
  override readonly name = 'TransientFailure';
}

export class RouterInterfaceNotFound extends VpcError {
  override readonly name = 'RouterInterfaceNotFound';
}

class WrongRole extends VpcError {
  override readonly name = 'WrongRole';
}

class ConnectionRefused extends VpcError {
  override readonly name = 'ConnectionRefused';
}

class AccountLocked extends VpcError {
  override readonly name = 'AccountLocked';
}

class UnsupportedSpec extends VpcError {
  override readonly name = 'UnsupportedSpec';
}

class RequestRefused extends VpcError {
  override readonly name = 'RequestRefused';
}

export type VpcErrorName = Exclude<ErrorName, 'InvalidInput'>;

export const VPC_ERROR_CLASSES: Readonly<Record<VpcErrorName, new (failure: ApiFailure, options?: { cause?: unknown }) => VpcError>> = {
  StatusConflict,
  TransientFailure,
  RouterInterfaceNotFound,
  WrongRole,
  ConnectionRefused,
  AccountLocked,
  UnsupportedSpec,
  RequestRefused,
};

export function isVpcError(error: unknown): error is VpcError {
  return error instanceof VpcError;
}
