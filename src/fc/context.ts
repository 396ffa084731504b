/** The parts of the Function Compute (FC 3.0, Node.js runtime) `context` the handlers use. */
export interface FcContext {
  requestId: string;
  /** Temporary keys of the function's role; absent when no role is configured. */
  credentials?: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string };
  function: { name: string; handler?: string; memory?: number; /** seconds */ timeout?: number };
  region?: string;
  accountId?: string;
  logger?: { info(...args: unknown[]): void; error(...args: unknown[]): void };
}
