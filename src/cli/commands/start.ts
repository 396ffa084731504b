/**
 * `riflow start FLOW`: starts an execution through CloudFlow's API (the cloud, or the emulator's local CloudFlow
 * API), prints its name and status, and with --wait follows it with the live view (or NDJSON) until it ends:
 * exit 0 Succeeded, 2 otherwise. Ctrl-C stops *following* only — the execution keeps running on CloudFlow; the
 * command says so, and how to follow it again or stop it, then exits 130.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCloudFlowClient, type CloudFlowClient, type ExecutionDescription, type ExecutionHistoryEvent } from '../../cloudflow/client';
import { realClock } from '../../flow/clock';
import type { HistoryEvent } from '../../flow/history';
import { parseCommandArgs, readJsonObjectArgument } from '../args';
import { CliError, EXIT } from '../errors';
import { resolveCloudFlowTarget, type ApiTarget } from '../remote/api-targets';
import { CloudFlowEventReader } from '../remote/cloud-events';
import { followExecution } from '../remote/follow';
import { styles, type Terminal } from '../terminal';
import { compactJson, nameTimestamp } from '../view/format';
import { CLIENT_ERROR_CODES } from '../../rpc/errors';
import { isVpcError } from '../../rpc/error-names';
import { LiveView } from '../view/live-view';
import { eventLine, headerLine, resultLine } from '../view/stream';
import { renderSummary, summaryFromEvents, type RunStatus, type RunSummary } from '../view/summary';
import { loadWorkflow } from './run-setup';

export const OPTIONS = {
  input: { type: 'string' },
  name: { type: 'string' },
  wait: { type: 'boolean' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** A workflow file gives its `Name`; anything else is taken as the flow name. */
async function flowNameOf(argument: string, cwd: string): Promise<string> {
  const looksLikeFile = /\.ya?ml$/i.test(argument) || argument.includes('/');
  if (!looksLikeFile && !existsSync(resolve(cwd, argument))) return argument;
  return (await loadWorkflow(argument, cwd)).name;
}

interface Started {
  client: CloudFlowClient;
  target: ApiTarget;
  flowName: string;
  execution: ExecutionDescription;
}

export async function startCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandArgs('start', argv, OPTIONS, { min: 1, max: 1 });
  const json = values.json === true || !terminal.isTTY;
  const flowName = await flowNameOf(positionals[0] as string, terminal.cwd);
  const input = values.input !== undefined ? readJsonObjectArgument(values.input, '--input', terminal.cwd) : {};
  if (values.region !== undefined && input.regionId === undefined) input.regionId = values.region;
  const target = await resolveCloudFlowTarget({ endpoint: values.endpoint, region: values.region, env: terminal.env });
  const client = createCloudFlowClient({ endpoint: target.endpoint, credentials: target.credentials });
  const name = values.name ?? `${flowName}-${nameTimestamp(Date.now())}`;

  let execution: ExecutionDescription;
  try {
    execution = await client.startExecution(flowName, input, name);
  } catch (error) {
    // `--name N --wait` for a name that has already run: nothing is started; follow (replay) that execution.
    if (!(values.wait && values.name !== undefined && isVpcError(error) && error.code === 'ExecutionAlreadyExists')) {
      throw startFailure(error, flowName, name, target);
    }
    execution = await client.describeExecution(flowName, name);
    terminal.err(`Not started: ${flowName} already has an execution named ${name} (${execution.status}); following that one.\n`);
  }
  const started: Started = { client, target, flowName, execution };
  const s = styles(terminal.color);
  if (json && !values.wait) {
    terminal.out(`${JSON.stringify({ v: 1, type: 'execution', flow: flowName, execution: execution.name, status: execution.status, startedTime: execution.startedTime, endpoint: target.endpoint })}\n`);
    return EXIT.ok;
  }
  if (json) {
    terminal.out(headerLine({ command: 'start', flow: flowName, execution: execution.name, endpoint: target.endpoint, status: execution.status }));
  } else {
    terminal.out(`${s.bold('riflow start')} ${flowName}\n`);
    const rows: Array<[string, string]> = [
      ['execution', execution.name],
      ['endpoint', target.description],
      ['input', compactJson(input)],
      ['status', execution.status],
    ];
    for (const [label, value] of rows) terminal.out(`  ${s.dim(label.padEnd(10))} ${value}\n`);
    terminal.out('\n');
  }
  if (!values.wait) {
    terminal.out(`Follow it with: riflow start ${flowName} --name ${execution.name} --wait ${s.dim('(a running name is followed, not started again)')}\n`);
    return EXIT.ok;
  }
  return follow(started, terminal, json);
}

function startFailure(error: unknown, flowName: string, name: string, target: ApiTarget): unknown {
  if (!isVpcError(error)) return error;
  if (error.code === CLIENT_ERROR_CODES.network || error.code === CLIENT_ERROR_CODES.timeout) {
    return new CliError(`cannot reach CloudFlow at ${target.description}: ${error.message}`, EXIT.invalid, 'Check --endpoint (or RIFLOW_FLOW_ENDPOINT) and --region.');
  }
  const hints: Record<string, string> = {
    FlowNotExists: `Deploy it first (npm run deploy), or check the flow name and the region (${target.description}).`,
    ExecutionAlreadyExists: `Execution names are unique per flow: pick another --name than ${name}.`,
  };
  return new CliError(`StartExecution of ${flowName} failed: ${error.message}`, EXIT.invalid, hints[error.code]);
}

async function follow(started: Started, terminal: Terminal, json: boolean): Promise<number> {
  const { client, flowName, execution } = started;
  const view = new LiveView(json ? () => undefined : terminal.out, terminal.color);
  const events: HistoryEvent[] = [];
  const reader = new CloudFlowEventReader(execution.name, flowName);
  const onEvent = (raw: ExecutionHistoryEvent): void => {
    const read = reader.read(raw);
    if ('opaque' in read) {
      view.note(raw.time, raw.stepName || flowName, raw.type);
      if (json) terminal.out(eventLine(read.opaque));
      return;
    }
    for (const event of read.events) {
      events.push(event);
      view.onEvent(event);
      if (json) terminal.out(eventLine(event));
    }
  };

  const stopFollowing = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(EXIT.interrupted);
    signalled = signal;
    stopFollowing.abort(new Error(`stopped following (${signal})`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let final: ExecutionDescription;
  try {
    final = await followExecution({ client, flowName, executionName: execution.name, clock: realClock, onEvent, signal: stopFollowing.signal });
  } catch (error) {
    if (!signalled) throw error;
    const stop = `aliyun fnf StopExecution --FlowName ${flowName} --ExecutionName ${execution.name}`;
    terminal.err(
      `\nStopped following ${execution.name}; it keeps running on CloudFlow.\n` +
        `  follow again: riflow start ${flowName} --name ${execution.name} --wait\n` +
        `  stop it:      ${stop} (or from the CloudFlow console)\n`,
    );
    return signalled === 'SIGTERM' ? 143 : EXIT.interrupted;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const summary = summaryOf(final, events);
  if (json) terminal.out(resultLine(summary));
  else terminal.out(renderSummary(summary, terminal.color));
  return final.status === 'Succeeded' ? EXIT.ok : EXIT.failed;
}

/** The summary from the history when it could be read, with the status and output CloudFlow reports. */
function summaryOf(final: ExecutionDescription, events: HistoryEvent[]): RunSummary {
  const fromEvents = summaryFromEvents(events);
  const status: RunStatus = (['Succeeded', 'Failed', 'Stopped', 'TimedOut'] as const).find((known) => known === final.status) ?? 'Failed';
  let output: unknown = fromEvents?.output;
  if (final.output !== undefined) {
    try {
      output = JSON.parse(final.output) as unknown;
    } catch {
      output = final.output;
    }
  }
  const startedAt = final.startedTime ?? fromEvents?.startedAt ?? events[0]?.time ?? new Date().toISOString();
  return {
    execution: final.name,
    status,
    ...(output !== undefined && status === 'Succeeded' ? { output } : {}),
    ...(fromEvents?.error !== undefined ? { error: fromEvents.error } : {}),
    ...(fromEvents?.cause !== undefined ? { cause: fromEvents.cause } : {}),
    ...(fromEvents?.caught !== undefined ? { caught: fromEvents.caught } : {}),
    ...(fromEvents?.stoppedIn ? { stoppedIn: fromEvents.stoppedIn } : {}),
    startedAt,
    stoppedAt: final.stoppedTime ?? fromEvents?.stoppedAt ?? startedAt,
    counts: fromEvents?.counts ?? { stateTransitions: 0, taskCalls: 0, retries: 0 },
  };
}
