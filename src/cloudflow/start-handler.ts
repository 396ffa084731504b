import type { FcContext } from '../fc/context';
import { readEventJson } from '../fc/decode';
import { logSinkFromEnvironment, withInvocationLog } from '../fc/log';
import { createVpcClient } from '../vpc/client';
import { endpointForRegion, REGION_PLACEHOLDER } from '../rpc/endpoint';
import { endpointFromEnvironment } from '../vpc/endpoint';
import { resolveCredentials } from '../rpc/credentials';
import type { CredentialsProvider } from '../rpc/credentials';
import type { EnvironmentVariables } from '../rpc/credentials';
import { InvalidInputError } from '../input-error/invalid-input';
import { isVpcError } from '../rpc/error-names';
import type { RpcTransport } from '../rpc/transport';
import { createCloudFlowClient } from './client';
import type { ExecutionStatus } from './client';
import { readSpecBounds, stepSpec, type SpecBounds } from './spec-step';
import { toStartRequests } from './start-requests';
import type { SpecStepRequest, StartPlan, StartRequest } from './start-requests';

export interface StartedExecution {
  flowName: string;
  executionName: string;
  source: StartPlan['source'];
  /** false when CloudFlow refused the name because an execution with it already ran (a duplicate delivery). A
   * duplicate that arrives while the first run is still going gets that run back from CloudFlow: started stays true. */
  started: boolean;
  status?: ExecutionStatus;
  /** Why nothing was started for an alert: it cleared, or the spec is already at its bound. */
  skipped?: string;
}

export interface StartResult {
  executions: StartedExecution[];
}

export interface StartDependencies {
  env?: EnvironmentVariables;
  log?: (line: string) => void;
  transport?: RpcTransport;
  /** Replaces pop-core for the VPC describe an alert needs (tests). */
  vpcTransport?: RpcTransport;
  now?: () => number;
}

/**
 * CloudFlow's public endpoint of a region (`<regionId>.fnf.aliyuncs.com`, as the flow component and the CloudFlow
 * API reference use). The flows live in the function's own region, so that region picks it, not the event's.
 */
export const DEFAULT_FLOW_ENDPOINT = `https://${REGION_PLACEHOLDER}.fnf.aliyuncs.com`;

/** `RIFLOW_FLOW_ENDPOINT` (`{regionId}` in it is the function's region), else the function's regional endpoint. */
export function flowEndpoint(env: EnvironmentVariables, context: FcContext): string {
  const template = env.RIFLOW_FLOW_ENDPOINT?.trim() || DEFAULT_FLOW_ENDPOINT;
  if (!template.includes(REGION_PLACEHOLDER)) return template;
  const region = context.region ?? env.FC_REGION;
  if (!region) throw new InvalidInputError('RIFLOW_FLOW_ENDPOINT', 'required', 'needs the function region to fill in {regionId}, and the function has none');
  return endpointForRegion(template, region);
}

/** The region alerts are handled in: the function's own (the queue and CloudMonitor's push channel are there). */
function alertRegion(env: EnvironmentVariables, context: FcContext): string {
  const region = context.region ?? env.FC_REGION;
  if (!region) throw new InvalidInputError('FC_REGION', 'required', 'is not set and the context has no region: an alert names no region of its own');
  return region;
}

interface StepTools {
  env: EnvironmentVariables;
  context: FcContext;
  bounds: SpecBounds;
  credentialsProvider: CredentialsProvider;
  vpcTransport?: RpcTransport;
}

/** An alert's step as a modify-spec request (reading the interface's spec first), or why there is none. */
async function resolveSpecStep(plan: SpecStepRequest, tools: StepTools): Promise<StartRequest | { skipped: string }> {
  const quoted = `alert "${plan.ruleName}" (${plan.level}) on ${plan.routerInterfaceId}`;
  if (!plan.direction) return { skipped: `${quoted} cleared: nothing to change` };
  const regionId = alertRegion(tools.env, tools.context);
  const vpc = createVpcClient({
    endpoint: endpointFromEnvironment(tools.env, regionId),
    credentialsProvider: tools.credentialsProvider,
    ...(tools.vpcTransport ? { transport: tools.vpcTransport } : {}),
  });
  const { routerInterface } = await vpc.describe(regionId, plan.routerInterfaceId);
  const step = stepSpec(routerInterface.spec, plan.direction, tools.bounds);
  if ('skipped' in step) return { skipped: `${quoted}: ${step.skipped}` };
  const input = { regionId, routerInterfaceId: plan.routerInterfaceId, spec: step.spec };
  return { flowName: plan.flowName, executionName: plan.executionName, input, source: 'queue' };
}

/**
 * The `start` function: every request is validated first (an invalid payload starts nothing), then each is
 * started. A name CloudFlow has already seen answers `ExecutionAlreadyExists`, which is the duplicate delivery we
 * designed the names for: reported as `started: false`, not as a failure. A CloudMonitor alert becomes a spec
 * step: the interface's spec is read, moved one rung up or down within RIFLOW_ALERT_MIN_SPEC..MAX_SPEC, and the
 * modify-spec workflow started with it.
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
      const plans = toStartRequests(readEventJson(event), context.requestId);
      // Checked before any request, and only when an alert needs them.
      const bounds = plans.some((plan) => plan.source === 'alert') ? readSpecBounds(env) : undefined;
      const credentialsProvider = resolveCredentials({ contextCredentials: context.credentials, env });
      const client = createCloudFlowClient({
        endpoint: flowEndpoint(env, context),
        credentialsProvider,
        ...(dependencies.transport ? { transport: dependencies.transport } : {}),
      });
      const executions: StartedExecution[] = [];
      for (const plan of plans) {
        const base = { flowName: plan.flowName, executionName: plan.executionName, source: plan.source };
        const request =
          plan.source === 'alert'
            ? await resolveSpecStep(plan, { env, context, bounds: bounds as SpecBounds, credentialsProvider, ...(dependencies.vpcTransport ? { vpcTransport: dependencies.vpcTransport } : {}) })
            : plan;
        if ('skipped' in request) {
          executions.push({ ...base, started: false, skipped: request.skipped });
          continue;
        }
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
