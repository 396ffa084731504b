import { resolveCredentials } from '../rpc/credentials';
import type { Credentials, CredentialsProvider } from '../rpc/credentials';
import { CLIENT_ERROR_CODES, rpcErrorFor } from '../rpc/errors';
import { toPlain } from '../rpc/plain';
import { createPopTransport } from '../rpc/transport';
import type { RpcParams, RpcTransport } from '../rpc/transport';

/**
 * A typed client for CloudFlow's execution API (product `fnf`, version 2019-03-15), signed like every RPC API.
 * Used by the `start` function (StartExecution) and by `riflow start --wait` (DescribeExecution,
 * GetExecutionHistory). Against the cloud the endpoint is `https://<region>.fnf.aliyuncs.com`; locally it is the
 * emulator, which answers the same actions.
 */
export const CLOUDFLOW_API_VERSION = '2019-03-15';

export type ExecutionStatus = 'Starting' | 'Running' | 'Stopped' | 'Succeeded' | 'Failed' | 'TimedOut';

export interface ExecutionDescription {
  flowName: string;
  name: string;
  status: ExecutionStatus;
  input?: string;
  output?: string;
  startedTime?: string;
  stoppedTime?: string;
}

export interface ExecutionHistoryEvent {
  eventId: number;
  scheduleEventId?: number;
  stepName: string;
  type: string;
  time: string;
  eventDetail?: string;
}

export interface CloudFlowClientOptions {
  endpoint: string;
  credentials?: Credentials;
  credentialsProvider?: CredentialsProvider;
  timeoutMs?: number;
  /** Replaces pop-core (tests). */
  transport?: RpcTransport;
}

/**
 * An error answered by CloudFlow is a `VpcError` of the handler vocabulary (it may leave the start function):
 * `code` is CloudFlow's (`ExecutionAlreadyExists`, `FlowNotExists`, …), and the name follows the open rules only
 * (Throttling* and 5xx are `TransientFailure`, the rest `RequestRefused`); the VPC catalogue does not apply.
 */
export function cloudFlowError(code: string, httpStatus: number, apiMessage: string, requestId?: string) {
  return rpcErrorFor({ code, httpStatus, apiMessage, ...(requestId ? { requestId } : {}) });
}

export interface CloudFlowClient {
  startExecution(flowName: string, input: object, executionName?: string): Promise<ExecutionDescription>;
  describeExecution(flowName: string, executionName: string): Promise<ExecutionDescription>;
  /** One page; pass the returned `nextToken` to read on. */
  getExecutionHistory(
    flowName: string,
    executionName: string,
    nextToken?: string,
  ): Promise<{ events: ExecutionHistoryEvent[]; nextToken?: string }>;
  stopExecution(flowName: string, executionName: string, error?: string, cause?: string): Promise<ExecutionDescription>;
}

type Bag = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value);
}

function toDescription(body: Bag): ExecutionDescription {
  const description: ExecutionDescription = {
    flowName: text(body.FlowName) ?? '',
    name: text(body.Name) ?? '',
    status: (text(body.Status) ?? 'Running') as ExecutionStatus,
  };
  for (const [key, field] of [
    ['Input', 'input'],
    ['Output', 'output'],
    ['StartedTime', 'startedTime'],
    ['StoppedTime', 'stoppedTime'],
  ] as const) {
    const value = text(body[key]);
    if (value !== undefined && value !== '') description[field] = value;
  }
  return description;
}

function toEvent(item: unknown): ExecutionHistoryEvent {
  const event = (typeof item === 'object' && item !== null ? item : {}) as Bag;
  const parsed: ExecutionHistoryEvent = {
    eventId: Number(event.EventId ?? 0),
    stepName: text(event.StepName) ?? '',
    type: text(event.Type) ?? '',
    time: text(event.Time) ?? '',
  };
  if (event.ScheduleEventId !== undefined) parsed.scheduleEventId = Number(event.ScheduleEventId);
  const detail = text(event.EventDetail);
  if (detail !== undefined) parsed.eventDetail = detail;
  return parsed;
}

export function createCloudFlowClient(options: CloudFlowClientOptions): CloudFlowClient {
  const provider = resolveCredentials({ contextCredentials: options.credentials, provider: options.credentialsProvider });
  const transport = options.transport ?? createPopTransport(options.endpoint, provider, CLOUDFLOW_API_VERSION);
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(action: string, params: RpcParams): Promise<Bag> {
    const response = await transport({ action, params, timeoutMs });
    const body = toPlain(response.body);
    const bag = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined) as Bag | undefined;
    if (!bag) throw cloudFlowError(CLIENT_ERROR_CODES.badGateway, response.httpStatus, `${action}: the answer was not JSON`);
    if (typeof bag.Code === 'string' || response.httpStatus >= 400) {
      throw cloudFlowError(
        text(bag.Code) ?? `HTTP${response.httpStatus}`,
        response.httpStatus,
        text(bag.Message) ?? 'no message',
        text(bag.RequestId),
      );
    }
    return bag;
  }

  return {
    async startExecution(flowName, input, executionName) {
      const params: RpcParams = { FlowName: flowName, Input: JSON.stringify(input) };
      if (executionName) params.ExecutionName = executionName;
      return toDescription(await call('StartExecution', params));
    },
    async describeExecution(flowName, executionName) {
      return toDescription(await call('DescribeExecution', { FlowName: flowName, ExecutionName: executionName }));
    },
    async getExecutionHistory(flowName, executionName, nextToken) {
      const params: RpcParams = { FlowName: flowName, ExecutionName: executionName };
      if (nextToken) params.NextToken = nextToken;
      const body = await call('GetExecutionHistory', params);
      const events = Array.isArray(body.Events) ? body.Events.map(toEvent) : [];
      const next = text(body.NextToken);
      return next ? { events, nextToken: next } : { events };
    },
    async stopExecution(flowName, executionName, error, cause) {
      const params: RpcParams = { FlowName: flowName, ExecutionName: executionName };
      if (error) params.Error = error;
      if (cause) params.Cause = cause;
      return toDescription(await call('StopExecution', params));
    },
  };
}
