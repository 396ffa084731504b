/**
 * `@alicloud/fc2`, typed for what riflow uses, and loaded at run time from node_modules rather than bundled: it
 * pulls in ali-oss, whose optional dependencies esbuild cannot resolve. `__filename` is the CLI bundle (or, under
 * vitest, this file); both resolve the package from the riflow folder.
 */
import { createRequire } from 'node:module';

export interface Fc2Config {
  accessKeyID: string;
  accessKeySecret: string;
  /** Required (and only sent) when the key id starts with "STS". */
  securityToken?: string;
  region: string;
  /** https (fc2's default is http). */
  secure?: boolean;
  /** Overrides https://{account}.{region}.fc.aliyuncs.com. */
  endpoint?: string;
  /** Milliseconds; fc2's default is 60 000. */
  timeout?: number;
}

export interface Fc2Response {
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer says application/json, else the text. */
  data: unknown;
}

export interface Fc2Client {
  /** The API version in every path and signature: 2016-08-15, or 2023-03-30 for FC 3.0's invocation path. */
  version: string;
  invokeFunction(serviceName: string, functionName: string, event: string, headers?: Record<string, string>, qualifier?: string): Promise<Fc2Response>;
  post(path: string, body: string, headers?: Record<string, string>, queries?: Record<string, string> | null): Promise<Fc2Response>;
}

export type Fc2Constructor = new (accountId: string, config: Fc2Config) => Fc2Client;

/** An error fc2 throws for an HTTP status outside 2xx: name `FC<ErrorCode>Error`, code = FC's ErrorCode. */
export interface Fc2HttpError extends Error {
  code: string;
}

let loaded: Fc2Constructor | undefined;

export function loadFc2(): Fc2Constructor {
  loaded ??= createRequire(__filename)('@alicloud/fc2') as Fc2Constructor;
  return loaded;
}

export function isFc2HttpError(error: unknown): error is Fc2HttpError {
  return error instanceof Error && /^FC.*Error$/.test(error.name) && typeof (error as { code?: unknown }).code === 'string';
}
