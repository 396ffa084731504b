/**
 * The console is a client of the local CloudFlow API, as CloudFlow's own console is of the cloud's: it starts, stops,
 * describes and lists executions with signed requests to the same port (the gateway's checks, call log and rate
 * limits apply). ListExecutions is not in the shared client, so it is called here over the same transport.
 */
import { CLOUDFLOW_API_VERSION, cloudFlowError, createCloudFlowClient, type CloudFlowClient } from '../cloudflow/client';
import { resolveCredentials, type Credentials } from '../rpc/credentials';
import { toPlain } from '../rpc/plain';
import { createPopTransport, type RpcParams } from '../rpc/transport';

export interface ListedExecution {
  flowName: string;
  name: string;
  status: string;
  startedTime?: string;
  stoppedTime?: string;
}

export interface ConsoleCloudFlow extends CloudFlowClient {
  /** Every execution of a flow, all pages read (at most `maxPages` of 99). */
  listExecutions(flowName: string, maxPages?: number): Promise<ListedExecution[]>;
}

type Bag = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function createConsoleCloudFlow(endpoint: string, credentials: Credentials): ConsoleCloudFlow {
  const client = createCloudFlowClient({ endpoint, credentials });
  const transport = createPopTransport(endpoint, resolveCredentials({ contextCredentials: credentials }), CLOUDFLOW_API_VERSION);

  async function listPage(params: RpcParams): Promise<Bag> {
    const response = await transport({ action: 'ListExecutions', params, timeoutMs: 10_000 });
    const body = toPlain(response.body) as Bag;
    if (typeof body.Code === 'string' || response.httpStatus >= 400) {
      throw cloudFlowError(text(body.Code) ?? `HTTP${response.httpStatus}`, response.httpStatus, text(body.Message) ?? 'no message', text(body.RequestId));
    }
    return body;
  }

  return {
    ...client,
    async listExecutions(flowName, maxPages = 10) {
      const listed: ListedExecution[] = [];
      let next: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const body = await listPage({ FlowName: flowName, Limit: 99, ...(next ? { NextToken: next } : {}) });
        for (const item of Array.isArray(body.Executions) ? (body.Executions as Bag[]) : []) {
          const startedTime = text(item.StartedTime);
          const stoppedTime = text(item.StoppedTime);
          listed.push({
            flowName,
            name: text(item.Name) ?? '',
            status: text(item.Status) ?? 'Running',
            ...(startedTime ? { startedTime } : {}),
            ...(stoppedTime ? { stoppedTime } : {}),
          });
        }
        next = text(body.NextToken);
        if (!next) break;
      }
      return listed;
    },
  };
}
