export { createVpcClient, interpretResponse, DEFAULT_TIMEOUT_MS, PAGE_SIZE, MAX_PAGES } from './client';
export type { VpcClient, VpcClientOptions, ActionResult, ModifySpecResult, DescribeResult } from './client';
export {
  VpcError,
  InvalidInputError,
  isVpcError,
  classifyError,
  errorNameFor,
  CLIENT_ERROR_NAMES,
  TRANSIENT_ERROR_NAMES,
  CONFLICT_ERROR_NAMES,
  TERMINAL_ERROR_NAMES,
} from './errors';
export type { ErrorClass, VpcErrorFields } from './errors';
export * from './validate';
export * from './specs';
export { deriveClientToken } from './client-token';
export { POLL_SCHEDULE, nextPollSeconds, pollIntervalAt } from './poll-schedule';
export type { PollSchedule } from './poll-schedule';
export { resolveCredentials, checkCredentials, endpointFromEnvironment, DEFAULT_VPC_ENDPOINT } from './credentials';
export type { Credentials, CredentialsProvider, CredentialSources, EnvironmentVariables } from './credentials';
export { DEFAULT_RETRY, MIN_REQUEST_MS, backoffDelayMs, withRetry } from './retry';
export type { RetryOptions, RetryEnvironment } from './retry';
export type { RouterInterface, RouterInterfaceStatus } from './router-interface';
export { createPopTransport, VPC_API_VERSION } from './transport';
export type { RpcTransport, RpcCall, RpcResponse, RpcParams, RpcValue } from './transport';
export { ALREADY_DONE_STATUSES, runStatusAction, runModifySpec } from './idempotent';
export type { IdempotentOutcome, StatusAction } from './idempotent';
