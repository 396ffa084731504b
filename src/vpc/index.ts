export { createVpcClient, interpretResponse, DEFAULT_TIMEOUT_MS, PAGE_SIZE, MAX_PAGES } from './client';
export type { VpcClient, VpcClientOptions, ActionResult, ModifySpecResult, DescribeResult } from './client';
export {
  ERROR_NAMES,
  ERROR_CLASS_OF,
  isErrorName,
  isVpcError,
  RiflowError,
  VpcError,
  StatusConflict,
  TransientFailure,
  RouterInterfaceNotFound,
  WrongRole,
  ConnectionRefused,
  AccountLocked,
  UnsupportedSpec,
  RequestRefused,
  InvalidInput,
  InvalidInputError,
  VPC_ACTIONS,
  VPC_CATALOGUE,
  CLIENT_CATALOGUE,
  CLIENT_ERROR_CODES,
  catalogueKey,
  classifyError,
  errorNameFor,
  errorNamesOf,
  unlistedCodeName,
  vpcErrorFor,
} from './errors';
export type { ApiFailure, CatalogueEntry, ErrorClass, ErrorName, VpcAction, VpcErrorName } from './errors';
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
