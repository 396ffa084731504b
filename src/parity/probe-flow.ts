/**
 * Runs one probe flow through CloudFlow's execution API and reads back what a user would see: StartExecution, then
 * DescribeExecution until the execution ends (bounded by the context's poll timeout), then every page of
 * GetExecutionHistory. Each step's answer is checked, and a refused call is a ProbeError naming the action, the
 * HTTP status and the code.
 */
import type { ProbeContext, RpcAnswer, RpcParams } from './apis';

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

export interface ProbeEvent {
  type: string;
  step: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** EventDetail parsed (it is JSON text); undefined when absent or not JSON. */
  detail: unknown;
  /** The event's own field names, as GetExecutionHistory returns them. */
  fields: string[];
}

export interface FlowRun {
  /** The execution name (volatile: masked in snapshots). */
  name: string;
  status: string;
  /** DescribeExecution's Output, parsed. */
  output: unknown;
  startedTime: number;
  stoppedTime: number;
  events: ProbeEvent[];
}

const HISTORY_PAGES_MAX = 50;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The answer's body when it succeeded (2xx without a Code); else a ProbeError naming what was refused. */
function succeeded(action: string, answer: RpcAnswer): Record<string, unknown> {
  const body = answer.body;
  if (answer.httpStatus >= 200 && answer.httpStatus < 300 && isObject(body) && body.Code === undefined) return body;
  const code = isObject(body) ? `${String(body.Code)}: ${String(body.Message)}` : 'no JSON body';
  throw new ProbeError(`${action} answered HTTP ${answer.httpStatus} (${code})`);
}

export function executionName(context: ProbeContext, probe: string): string {
  return `parity-${context.runId}-${probe}`.slice(0, 128);
}

/** Starts `flowName` with `input` under `name` and returns the StartExecution answer as it came. */
export function startExecution(context: ProbeContext, flowName: string, name: string, input: object): Promise<RpcAnswer> {
  const params: RpcParams = { FlowName: flowName, ExecutionName: name, Input: JSON.stringify(input) };
  return context.apis.cloudflow('StartExecution', params);
}

/** Polls DescribeExecution until the execution is no longer Running (or Starting). */
async function awaitEnd(context: ProbeContext, flowName: string, name: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + context.poll.timeoutMs;
  for (;;) {
    const described = succeeded('DescribeExecution', await context.apis.cloudflow('DescribeExecution', { FlowName: flowName, ExecutionName: name }));
    if (described.Status !== 'Running' && described.Status !== 'Starting') return described;
    if (Date.now() > deadline) throw new ProbeError(`${flowName}/${name} was still ${String(described.Status)} after ${context.poll.timeoutMs} ms`);
    await context.sleep(context.poll.intervalMs);
  }
}

async function history(context: ProbeContext, flowName: string, name: string): Promise<ProbeEvent[]> {
  const events: ProbeEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < HISTORY_PAGES_MAX; page += 1) {
    const params: Record<string, string> = { FlowName: flowName, ExecutionName: name, Limit: '100' };
    if (token) params.NextToken = token;
    const body = succeeded('GetExecutionHistory', await context.apis.cloudflow('GetExecutionHistory', params));
    const list = Array.isArray(body.Events) ? body.Events : [];
    for (const event of list) {
      if (!isObject(event)) continue;
      events.push({
        type: String(event.Type),
        step: typeof event.StepName === 'string' ? event.StepName : '',
        time: Date.parse(String(event.Time)),
        detail: parseJson(event.EventDetail),
        fields: Object.keys(event).sort(),
      });
    }
    token = typeof body.NextToken === 'string' && body.NextToken !== '' ? body.NextToken : undefined;
    if (!token) return events;
  }
  throw new ProbeError(`GetExecutionHistory of ${flowName}/${name} had more than ${HISTORY_PAGES_MAX} pages`);
}

/** Runs a probe flow to its end and reads its history. `probe` names the execution (with the run id). */
export async function runProbeFlow(context: ProbeContext, flowName: string, probe: string, input: object = {}): Promise<FlowRun> {
  const name = executionName(context, probe);
  succeeded('StartExecution', await startExecution(context, flowName, name, input));
  const described = await awaitEnd(context, flowName, name);
  return {
    name,
    status: String(described.Status),
    output: parseJson(described.Output),
    startedTime: Date.parse(String(described.StartedTime)),
    stoppedTime: Date.parse(String(described.StoppedTime)),
    events: await history(context, flowName, name),
  };
}

/** The run's output as an object (a probe flow always ends with one when it succeeds). */
export function outputOf(run: FlowRun): Record<string, unknown> {
  return isObject(run.output) ? run.output : {};
}
