/**
 * `riflow run`: load → choose the VPC target → execute with the interpreter → live view or NDJSON → summary.
 * Ctrl-C stops the execution through the interpreter (the history records where), then exits 130.
 * With --remote-functions, the tasks call the deployed functions through FC's API instead of the local handlers
 * (the functions then use their own VPC endpoint, so no VPC target is chosen here).
 */
import { join, relative, resolve } from 'node:path';
import { holdTimeDuringTasks, realClock, VirtualClock, type Clock } from '../../flow/clock';
import { startExecution } from '../../flow/execution';
import type { HistoryEvent } from '../../flow/history';
import type { InvokeTask } from '../../flow/runtime';
import { createLocalFc } from '../../local-fc/runtime';
import { createFcTaskInvoker } from '../../local-fc/task-invoker';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { captureStdout, fileSink } from '../function-logs';
import { DEFAULT_WORKFLOW, displayPath, executionsDir, findServerlessYaml } from '../project';
import { resolveFcTarget } from '../remote/api-targets';
import { createFcFunctions, createRemoteInvokeTask } from '../remote/fc-functions';
import { apiCallsSince, localFunctionOptions, readFaultsFile, resolveTarget, type VpcTarget } from '../target';
import { styles, type Terminal } from '../terminal';
import { loadPolicy, policySummary, type PolicyInForce } from '../policy';
import { compactJson } from '../view/format';
import { LiveView } from '../view/live-view';
import { eventLine, headerLine, resultLine } from '../view/stream';
import { CaughtErrorTracker, renderSummary, type RunSummary } from '../view/summary';
import { checkWorkflowInput, executionInput, executionName, loadWorkflow } from './run-setup';

export const OPTIONS = {
  input: { type: 'string' },
  name: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  faults: { type: 'string' },
  json: { type: 'boolean' },
  fast: { type: 'boolean' },
  demo: { type: 'boolean' },
  'remote-functions': { type: 'boolean' },
  'fc-endpoint': { type: 'string' },
  'account-id': { type: 'string' },
  policy: { type: 'string' },
} as const;

type RunValues = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

export async function runCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, OPTIONS, { min: 0, max: 1 });
  const cwd = terminal.cwd;
  const workflowPath = positionals[0] ?? DEFAULT_WORKFLOW;
  const json = values.json === true || !terminal.isTTY;
  // The policy decides how the workflow is read, so a broken policy file stops everything first; then the workflow:
  // a missing or broken file is the more useful error when the input is missing too.
  const policy = loadPolicy({ flag: values.policy, env: terminal.env, cwd });
  const flow = await loadWorkflow(workflowPath, cwd, policy.cloudflow);
  const input = checkWorkflowInput(workflowPath, executionInput(values, cwd), cwd);
  const name = executionName(values.name, flow, cwd, Date.now());
  const common = { terminal, flow, input, name, json, fast: values.fast === true, workflowPath, policy };
  if (values['remote-functions']) return runWithRemoteFunctions(values, common);
  for (const flag of ['fc-endpoint', 'account-id'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`riflow run: --${flag} applies with --remote-functions only`, 'run');
  }
  const sYamlPath = findServerlessYaml(workflowPath, cwd);
  if (!sYamlPath) throw new CliError('no s.yaml found next to the workflow or above this folder', 1, 'Run riflow from the riflow project folder.');
  if (values.faults !== undefined && (values.endpoint ?? terminal.env.RIFLOW_VPC_ENDPOINT)) {
    throw new CliError('--faults applies to the embedded emulator only', 1, 'Add fault rules to your emulator with its control API (POST /_emulator/faults).');
  }

  const faults = values.faults !== undefined ? readFaultsFile(resolve(cwd, values.faults)) : undefined;
  const target = await resolveTarget({ endpoint: values.endpoint, env: terminal.env, fast: values.fast, emulatorConfig: policy.emulator, ...(faults ? { faults } : {}) });
  const functionLog = terminal.debug ? (text: string) => terminal.err(text) : fileSink(join(executionsDir(cwd), `${name}.functions.log`));
  const restoreStdout = captureStdout(functionLog);
  try {
    // Function timeouts are measured on the real clock even under --fast: a handler's HTTP call takes real time.
    const fc = createLocalFc({ sYamlPath, ...localFunctionOptions(target, terminal.env), clock: realClock, log: (line) => functionLog(`${line}\n`), policy: policy.localFc });
    return await execute({ ...common, target, invoker: createFcTaskInvoker(fc, { policy: policy.cloudflow }) });
  } finally {
    restoreStdout();
    await target.stop();
  }
}

async function runWithRemoteFunctions(values: RunValues, common: Omit<ExecuteOptions, 'target' | 'invoker'>): Promise<number> {
  for (const flag of ['endpoint', 'faults'] as const) {
    if (values[flag] !== undefined) {
      throw new UsageError(`riflow run: --${flag} does not apply with --remote-functions (the deployed functions call their own VPC endpoint)`, 'run');
    }
  }
  const fc = await resolveFcTarget({
    endpoint: values['fc-endpoint'],
    endpointFlag: '--fc-endpoint',
    accountId: values['account-id'],
    region: values.region,
    env: common.terminal.env,
  });
  const target: VpcTarget = {
    endpoint: fc.endpoint ?? fc.description,
    credentials: fc.credentials,
    description: `deployed functions through Function Compute at ${fc.description}`,
    stop: async () => undefined,
  };
  return execute({ ...common, target, invoker: createRemoteInvokeTask(createFcFunctions(fc)), remoteFunctions: true });
}

interface ExecuteOptions {
  terminal: Terminal;
  target: VpcTarget;
  flow: Awaited<ReturnType<typeof loadWorkflow>>;
  input: Record<string, unknown>;
  name: string;
  invoker: InvokeTask;
  json: boolean;
  fast: boolean;
  workflowPath: string;
  policy: PolicyInForce;
  /** Tasks call deployed functions through FC's API; `target` is then the FC endpoint. */
  remoteFunctions?: boolean;
}

async function execute(options: ExecuteOptions): Promise<number> {
  const { terminal, target, flow, json } = options;
  const cwd = terminal.cwd;
  const style = styles(terminal.color);
  // --fast: virtual time that jumps over waits and stands still while a task's real HTTP call runs.
  const clock: Clock = options.fast ? new VirtualClock(Date.now()) : realClock;
  const invokeTask: InvokeTask = holdTimeDuringTasks(options.invoker, clock);
  // In JSON mode the view still follows the events (silently) to know where a stopped run was.
  const view = new LiveView(json ? () => undefined : terminal.out, terminal.color);
  const aborted: string[] = [];
  const historyPath = relative(cwd, join(executionsDir(cwd), `${options.name}.ndjson`));

  if (json) {
    terminal.out(
      headerLine({
        command: 'run',
        workflow: options.workflowPath,
        flow: flow.name,
        execution: options.name,
        endpoint: target.endpoint,
        embeddedEmulator: target.embedded !== undefined,
        functions: options.remoteFunctions ? 'remote' : 'local',
        fast: options.fast,
        history: historyPath,
        policy: options.policy.path ? displayPath(cwd, options.policy.path) : null,
      }),
    );
  } else {
    terminal.out(`${style.bold('riflow run')} ${flow.name} ${style.dim(`(${options.workflowPath})`)}\n`);
    const rows: Array<[string, string]> = [
      ['execution', options.name],
      [options.remoteFunctions ? 'functions' : 'endpoint', target.description],
      ['input', compactJson(options.input)],
    ];
    if (options.fast) rows.push(['clock', 'virtual (--fast): waits take no time']);
    if (options.policy.path) rows.push(['policy', policySummary(options.policy, cwd)]);
    for (const [label, value] of rows) terminal.out(`  ${style.dim(label.padEnd(10))} ${value}\n`);
    terminal.out('\n');
  }

  const callsBefore = target.embedded?.control.calls().length ?? 0;
  const caught = new CaughtErrorTracker();
  const onEvent = (event: HistoryEvent): void => {
    if (json) terminal.out(eventLine(event));
    view.onEvent(event);
    caught.onEvent(event);
    if (event.type === 'StateAborted') aborted.push(event.scope ? `${event.scope}/${event.state}` : event.state);
  };
  // A distributed Map's sub-executions write histories of their own beside the parent's (riflow history lists them).
  const historyDir = executionsDir(cwd);
  const handle = startExecution(flow, options.input, {
    name: options.name,
    invokeTask,
    clock,
    onEvent,
    historyDir,
    policy: options.policy.cloudflow,
    subExecutions: (_request, start) => start({ historyDir }),
  });

  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(EXIT.interrupted); // a second Ctrl-C: leave at once
    signalled = signal;
    if (!json) terminal.err(style.yellow(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the execution… (press Ctrl-C again to quit at once)\n`));
    handle.stop(`stopped by ${signal}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result;
  try {
    result = await handle.result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const summary: RunSummary = {
    execution: result.name,
    status: result.status,
    ...(result.output !== undefined ? { output: result.output } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    ...(result.status === 'Failed' && caught.caught ? { caught: caught.caught } : {}),
    startedAt: result.startedAt,
    stoppedAt: result.stoppedAt,
    counts: result.counts,
    ...(result.status === 'Stopped' || result.status === 'TimedOut' ? { stoppedIn: aborted.length ? aborted : [view.lastState ?? 'before the first state'] } : {}),
    historyPath: result.historyPath ? relative(cwd, result.historyPath) : historyPath,
  };
  const apiCalls = apiCallsSince(target, callsBefore);
  if (apiCalls) summary.apiCalls = apiCalls;
  if (json) terminal.out(resultLine(summary));
  else terminal.out(renderSummary(summary, terminal.color));
  if (result.historyError) terminal.err(`warning: the history could not be written: ${result.historyError}\n`);

  if (result.status === 'Succeeded') return EXIT.ok;
  if (result.status === 'Stopped' && signalled) return signalled === 'SIGTERM' ? 143 : EXIT.interrupted;
  return EXIT.failed;
}
