/**
 * `riflow console`: the emulator and the web console on one loopback port, until Ctrl-C. Prints the console's URL
 * with its token (the only way in) and the endpoint signed clients use.
 */
import { dirname, join, resolve } from 'node:path';
import { VirtualClock } from '../../flow/clock';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { captureStdout, fileSink } from '../function-logs';
import { executionsDir, findServerlessYaml } from '../project';
import { loadPolicy, policySummary } from '../policy';
import { DEMO_TRANSITIONS, readFaultsFile } from '../target';
import { untilStopSignal } from '../stop-signal';
import { styles, type Terminal } from '../terminal';

export const OPTIONS = {
  port: { type: 'string' },
  fast: { type: 'boolean' },
  faults: { type: 'string' },
  policy: { type: 'string' },
  'state-dir': { type: 'string' },
  'state-file': { type: 'string' },
} as const;

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`riflow console: --port must be 0-65535, got "${text}"`, 'console');
  return port;
}

export async function consoleCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values } = parseCommandArgs('console', argv, OPTIONS, { min: 0, max: 0 });
  const port = parsePort(values.port);
  const cwd = terminal.cwd;
  const sYamlPath = findServerlessYaml(undefined, cwd);
  if (!sYamlPath) throw new CliError('no s.yaml found in this folder or above', EXIT.invalid, 'Run riflow console from the riflow project folder.');
  const policy = loadPolicy({ flag: values.policy, env: terminal.env, cwd });
  const faults = values.faults !== undefined ? readFaultsFile(resolve(cwd, values.faults)) : [];
  const { startConsole } = await import('../../console/server');
  // The handlers run in this process and log one JSON line per call: keep them out of the terminal.
  const functionLog = terminal.debug ? (text: string) => terminal.err(text) : fileSink(join(dirname(executionsDir(cwd)), 'console.functions.log'));
  const restoreStdout = captureStdout(functionLog);
  let running;
  try {
    running = await startConsole({
      sYamlPath,
      historyDir: executionsDir(cwd),
      ...(values['state-dir'] !== undefined ? { stateDir: resolve(cwd, values['state-dir']) } : {}),
      ...(values['state-file'] !== undefined ? { stateFile: resolve(cwd, values['state-file']) } : {}),
      port,
      faults,
      // --fast: instant transitions and virtual time (a run's waits take no time), as riflow run --fast.
      ...(values.fast
        ? { config: { ...policy.emulator, preset: 'fast' as const }, clock: new VirtualClock(Date.now()) }
        : { config: { ...policy.emulator, transitions: { ...DEMO_TRANSITIONS } } }),
      policy: { cloudflow: policy.cloudflow, localFc: policy.localFc },
      ...(terminal.debug ? { log: (line: string) => terminal.err(`${line}\n`) } : {}),
    });
  } catch (error) {
    restoreStdout();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use`, EXIT.invalid, 'Pick another --port, or omit it for a free one.');
    throw new CliError(`the console did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const s = styles(terminal.color);
  terminal.out(
    [
      `${s.bold('riflow console')} listening on ${s.cyan(running.consoleUrl)}`,
      `  open that URL (its token is the only way in); the page keeps it in a cookie for this port`,
      `  the same port serves the emulator: RIFLOW_VPC_ENDPOINT=${running.url} RIFLOW_FLOW_ENDPOINT=${running.url}`,
      `  ALIBABA_CLOUD_ACCESS_KEY_ID=${running.emulator.credentials.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=${running.emulator.credentials.accessKeySecret}`,
      `  policy: ${policySummary(policy, cwd)}`,
      `  transitions: ${values.fast ? 'instant, virtual clock' : 'a few seconds'}${faults.length ? ` · ${faults.length} fault rule(s)` : ''} · history in .riflow/executions`,
      s.dim('Press Ctrl-C to stop.'),
      '',
    ].join('\n'),
  );
  const signal = await untilStopSignal();
  await running.stop();
  restoreStdout();
  terminal.out(`stopped (${signal})\n`);
  return EXIT.ok;
}
