import type { FcContext } from '../fc/context';
import { readEventJson } from '../fc/decode';
import { logSinkFromEnvironment, withInvocationLog } from '../fc/log';
import { resolveCredentials } from '../vpc/credentials';
import type { EnvironmentVariables } from '../vpc/credentials';
import { InvalidInputError, isVpcError } from '../vpc/errors';
import type { RpcTransport } from '../vpc/transport';
import { createCloudFlowClient } from './client';
import type { ExecutionStatus } from './client';
import { toStartRequests } from './start-requests';
import type { StartRequest } from './start-requests';

export interface StartedExecution {
  flowName: string;
  executionName: string;
  source: StartRequest['source'];
  /** false when CloudFlow refused the name because an execution with it already ran (a duplicate delivery). A
   * duplicate that arrives while the first run is still going gets that run back from CloudFlow: started stays true. */
  started: boolean;
  status?: ExecutionStatus;
}

export interface StartResult {
  executions: StartedExecution[];
}

export interface StartDependencies {
  env?: EnvironmentVariables;
  log?: (line: string) => void;
  transport?: RpcTransport;
  now?: () => number;
}

/** `RIFLOW_FLOW_ENDPOINT`, else the CloudFlow endpoint of the function's region. */
export function flowEndpoint(env: EnvironmentVariables, context: FcContext): string {
  const configured = env.RIFLOW_FLOW_ENDPOINT?.trim();
  if (configured) return configured;
  const region = context.region ?? env.FC_REGION;
  if (!region) throw new InvalidInputError('RIFLOW_FLOW_ENDPOINT', 'required', 'is not set and the function has no region to derive it from');
  return `https://${region}.fnf.aliyuncs.com`;
}

/**
 * The `start` function: every request is validated first (an invalid payload starts nothing), then each is
 * started. A name CloudFlow has already seen answers `ExecutionAlreadyExists`, which is the duplicate delivery we
 * designed the names for: reported as `started: false`, not as a failure.
 */
export function createStartHandler(dependencies: StartDependencies = {}) {
  return async (event: unknown, context: FcContext = { requestId: '', function: { name: 'riflow-start' } }): Promise<StartResult> => {
    const now = dependencies.now ?? Date.now;
    const env = dependencies.env ?? process.env;
    const log = {
      requestId: context.requestId,
      functionName: context.function?.name || 'riflow-start',
      action: 'StartExecution',
      startedAt: now(),
      now,
      sink: dependencies.log ?? logSinkFromEnvironment(env),
      routerInterfaceId: () => null,
    };
    return withInvocationLog(log, async () => {
      const requests = toStartRequests(readEventJson(event), context.requestId);
      const client = createCloudFlowClient({
        endpoint: flowEndpoint(env, context),
        credentialsProvider: resolveCredentials({ contextCredentials: context.credentials, env }),
        ...(dependencies.transport ? { transport: dependencies.transport } : {}),
      });
      const executions: StartedExecution[] = [];
      for (const request of requests) {
        const base = { flowName: request.flowName, executionName: request.executionName, source: request.source };
        try {
          const execution = await client.startExecution(request.flowName, request.input, request.executionName);
          executions.push({ ...base, started: true, status: execution.status });
        } catch (error) {
          if (!isVpcError(error) || error.code !== 'ExecutionAlreadyExists') throw error;
          executions.push({ ...base, started: false });
        }
      }
      return { executions };
    });
  };
}
