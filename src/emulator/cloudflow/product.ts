import { EXECUTION_NAME_RULE, isExecutionName } from '../../flow/execution-name';
import { ApiError, GatewayErrors } from '../errors';
import type { ActionRequest, ProductDefinition } from '../products';
import type { ExecutionStore, LocalExecution, LocalMapRun } from './executions';
import type { LocalFlowRegistry } from './flows';

/**
 * CloudFlow's execution API (product `fnf`, version 2019-03-15) over the local interpreter: StartExecution,
 * DescribeExecution, GetExecutionHistory, StopExecution, ListExecutions and DescribeMapRun, for the flows s.yaml
 * deploys. The documented behaviour kept: a name already running returns that execution; a name that has ended
 * answers `ExecutionAlreadyExists`. A distributed Map's sub-workflow executions are executions of the parent's flow
 * (DescribeExecution, GetExecutionHistory and StopExecution take their names); ListExecutions lists them when given
 * their `MapRunName` (a request field of the SDK's ListExecutionsRequest), and lists the others without one.
 * DescribeMapRun answers the fields of its page's response
 * (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describemaprun), its ItemCounts
 * counted from the sub-executions. Error codes and HTTP statuses where the public docs give no table are our choice:
 * FlowNotExists 404 (its message is the one the Serverless Devs flow component matches), ExecutionNotExists 404,
 * MapRunNotExists 404, ExecutionAlreadyExists 409 (the emulator setting `executionAlreadyExistsStatus`, which
 * `riflow parity` probes), InvalidArgument 400. UpdateMapRun is not served.
 */
const CLOUDFLOW_VERSION = '2019-03-15';

const Errors = {
  flowNotExists: (name: string) => new ApiError(404, 'FlowNotExists', `Flow '${name}' does not exist.`),
  executionNotExists: (name: string) => new ApiError(404, 'ExecutionNotExists', `Execution '${name}' does not exist.`),
  mapRunNotExists: (name: string) => new ApiError(404, 'MapRunNotExists', `MapRun '${name}' does not exist.`),
  executionAlreadyExists: (name: string, status: number) =>
    new ApiError(status, 'ExecutionAlreadyExists', `Execution '${name}' already exists.`),
  invalidArgument: (message: string) => new ApiError(400, 'InvalidArgument', message),
};

function required(request: ActionRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined || value === '') throw GatewayErrors.missing(name);
  return value;
}

function limit(request: ActionRequest, fallback: number, max: number): number {
  const raw = request.params.Limit;
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw Errors.invalidArgument(`Limit must be an integer from 1 to ${max}.`);
  return value;
}

function describe(execution: LocalExecution, withDefinition: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    FlowName: execution.flowName,
    Name: execution.name,
    Status: execution.status,
    Input: execution.input,
    StartedTime: execution.startedTime,
  };
  if (execution.stoppedTime) body.StoppedTime = execution.stoppedTime;
  if (execution.result?.output) body.Output = JSON.stringify(execution.result.output);
  if (withDefinition) body.FlowDefinition = execution.definition;
  return body;
}

/** Settings read at each request, so a configuration change applies at once. */
export interface CloudFlowApiSettings {
  executionAlreadyExistsStatus(): number;
}

export function createCloudFlowProduct(flows: LocalFlowRegistry, executions: ExecutionStore, settings: CloudFlowApiSettings): ProductDefinition {
  async function flowNamed(request: ActionRequest): Promise<string> {
    const name = required(request, 'FlowName');
    if (!(await flows.has(name))) throw Errors.flowNotExists(name);
    return name;
  }

  async function executionOf(request: ActionRequest): Promise<LocalExecution> {
    const flowName = await flowNamed(request);
    const name = required(request, 'ExecutionName');
    const execution = executions.get(flowName, name);
    if (!execution) throw Errors.executionNotExists(name);
    return execution;
  }

  return {
    code: 'fnf',
    version: CLOUDFLOW_VERSION,
    hostId: 'fnf.aliyuncs.com',
    actions: {
      async StartExecution(request) {
        const flowName = await flowNamed(request);
        const name = request.params.ExecutionName || `exec-${request.requestId.toLowerCase()}`;
        if (!isExecutionName(name)) {
          throw Errors.invalidArgument(`ExecutionName must be ${EXECUTION_NAME_RULE}.`);
        }
        let input: unknown = {};
        if (request.params.Input) {
          try {
            input = JSON.parse(request.params.Input);
          } catch {
            throw Errors.invalidArgument('Input must be a JSON object.');
          }
        }
        if (typeof input !== 'object' || input === null || Array.isArray(input)) throw Errors.invalidArgument('Input must be a JSON object.');
        const existing = executions.get(flowName, name);
        if (existing?.status === 'Running') return describe(existing, true);
        if (existing) throw Errors.executionAlreadyExists(name, settings.executionAlreadyExistsStatus());
        const { flow, definition } = await flows.load(flowName);
        return describe(executions.start(flow, definition, name, input as Record<string, unknown>), true);
      },
      async DescribeExecution(request) {
        return describe(await executionOf(request), true);
      },
      async GetExecutionHistory(request) {
        // The documented events only (src/flow/cloudflow-history.ts). NextToken is the EventId of the page's last
        // event: the next page starts after it.
        const execution = await executionOf(request);
        const events = execution.history.events;
        const from = request.params.NextToken ? Number(request.params.NextToken) : 0;
        if (!Number.isInteger(from) || from < 0) throw Errors.invalidArgument('NextToken is not valid.');
        const count = limit(request, 60, 999);
        const page = events.slice(from, from + count);
        const next = from + count < events.length ? String(from + count) : undefined;
        return next ? { Events: page, NextToken: next } : { Events: page };
      },
      async StopExecution(request) {
        const execution = await executionOf(request);
        if (execution.status === 'Running') {
          const reason = [request.params.Error, request.params.Cause].filter(Boolean).join(': ') || 'stopped by StopExecution';
          execution.handle.stop(reason);
          await execution.handle.result.catch(() => undefined);
        }
        return describe(execution, false);
      },
      async ListExecutions(request) {
        const flowName = await flowNamed(request);
        const count = limit(request, 60, 99);
        const prefix = request.params.ExecutionNamePrefix ?? '';
        const status = request.params.Status;
        const mapRunName = request.params.MapRunName;
        const all = (mapRunName ? executions.listMapRun(flowName, mapRunName) : executions.list(flowName)).filter(
          (execution) => execution.name.startsWith(prefix) && (!status || execution.status === status),
        );
        const start = request.params.NextToken ? all.findIndex((execution) => execution.name === request.params.NextToken) : 0;
        if (start < 0) throw Errors.invalidArgument('NextToken is not valid.');
        const page = all.slice(start, start + count);
        const next = all[start + count]?.name;
        const body: Record<string, unknown> = { Executions: page.map((execution) => describe(execution, false)) };
        if (next) body.NextToken = next;
        return body;
      },
      async DescribeMapRun(request) {
        const execution = await executionOf(request);
        const mapRunName = required(request, 'MapRunName');
        const run = executions.mapRun(execution.flowName, execution.name, mapRunName);
        if (!run) throw Errors.mapRunNotExists(mapRunName);
        return describeMapRun(run, executions.listMapRun(execution.flowName, mapRunName));
      },
    },
  };
}

/** ItemCounts from the sub-executions: items not started yet are Pending; a stopped one's items are Aborted. */
function describeMapRun(run: LocalMapRun, children: LocalExecution[]): Record<string, unknown> {
  const counts = { Pending: run.items, Running: 0, Succeed: 0, Failed: 0, Aborted: 0, Total: run.items };
  for (const child of children) {
    const items = child.parent?.items ?? 1;
    counts.Pending -= items;
    if (child.status === 'Running') counts.Running += items;
    else if (child.status === 'Succeeded') counts.Succeed += items;
    else if (child.status === 'Stopped') counts.Aborted += items;
    else counts.Failed += items;
  }
  // Items of a run that ended before starting them were never going to run.
  if (run.status !== 'Running') {
    counts.Aborted += counts.Pending;
    counts.Pending = 0;
  }
  return {
    ExecutionName: run.executionName,
    MapRunName: run.mapRunName,
    Status: run.status,
    StartedTime: run.startedTime,
    ...(run.stoppedTime ? { StoppedTime: run.stoppedTime } : {}),
    Concurrency: run.concurrency,
    ...(run.toleratedFailedCount === undefined ? {} : { ToleratedFailedCount: run.toleratedFailedCount }),
    ...(run.toleratedFailedPercentage === undefined ? {} : { ToleratedFailedPercentage: run.toleratedFailedPercentage }),
    ItemCounts: counts,
  };
}
