/** `riflow emulator`: serves the local VPC API until SIGINT/SIGTERM, then stops cleanly (state file flushed). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SeedDocument } from '../../emulator';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { executionsDir, findServerlessYaml } from '../project';
import { loadPolicy, policySummary } from '../policy';
import { handlerSettings, readFaultsFile } from '../target';
import { untilStopSignal } from '../stop-signal';
import { styles, type Terminal } from '../terminal';

export const OPTIONS = {
  port: { type: 'string' },
  seed: { type: 'string' },
  'state-file': { type: 'string' },
  'state-dir': { type: 'string' },
  faults: { type: 'string' },
  fast: { type: 'boolean' },
  policy: { type: 'string' },
} as const;

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`riflow emulator: --port must be 0-65535, got "${text}"`, 'emulator');
  return port;
}

function readSeed(path: string): SeedDocument {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SeedDocument;
  } catch (error) {
    throw new CliError(`cannot read the seed file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function emulatorCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values } = parseCommandArgs('emulator', argv, OPTIONS, { min: 0, max: 0 });
  const port = parsePort(values.port);
  const cwd = terminal.cwd;
  const policy = loadPolicy({ flag: values.policy, env: terminal.env, cwd });
  const seed = values.seed !== undefined ? readSeed(resolve(cwd, values.seed)) : 'demo';
  const faults = values.faults !== undefined ? readFaultsFile(resolve(cwd, values.faults)) : [];
  const { startEmulator } = await import('../../emulator');
  // With an s.yaml around, the same endpoint also serves CloudFlow's execution API for the flows it deploys.
  const sYamlPath = findServerlessYaml(undefined, cwd);
  const cloudflow = sYamlPath
    ? {
        sYamlPath,
        workflowsDir: join(dirname(sYamlPath), 'workflows'),
        historyDir: executionsDir(cwd),
        ...(values['state-dir'] !== undefined ? { stateDir: resolve(cwd, values['state-dir']) } : {}),
      }
    : undefined;
  if (values['state-dir'] !== undefined && !cloudflow) throw new CliError('--state-dir journals the local CloudFlow API, which needs an s.yaml', EXIT.invalid, 'Run riflow emulator from the riflow project folder.');
  let emulator;
  try {
    emulator = await startEmulator({
      port,
      seed,
      faults,
      ...(values['state-file'] !== undefined ? { stateFile: resolve(cwd, values['state-file']) } : {}),
      config: { ...policy.emulator, ...(values.fast ? { preset: 'fast' as const } : {}) },
      policy: { cloudflow: policy.cloudflow, localFc: policy.localFc },
      ...(cloudflow ? { cloudflow } : {}),
      ...(sYamlPath ? { functions: { sYamlPath } } : {}),
      functionEnvironment: handlerSettings(terminal.env),
      // The journal's reports (a torn line set aside, a damaged journal) are always shown.
      log: terminal.debug ? (line) => terminal.err(`${line}\n`) : (line) => (line.startsWith('cloudflow: ') ? terminal.err(`${line}\n`) : undefined),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use`, EXIT.invalid, 'Pick another --port, or omit it for a free one.');
    throw new CliError(`the emulator did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const s = styles(terminal.color);
  const keyId = emulator.credentials.accessKeyId;
  const accountId = emulator.control.state().accounts.find((account) => account.accessKeys.some((key) => key.accessKeyId === keyId))?.id;
  // These are the emulator's own local keys (from its seed), not real credentials: printing them is the point.
  terminal.out(
    [
      `${s.bold('riflow emulator')} listening on ${s.cyan(emulator.url)}`,
      `  ALIBABA_CLOUD_ACCESS_KEY_ID=${emulator.credentials.accessKeyId}`,
      `  ALIBABA_CLOUD_ACCESS_KEY_SECRET=${emulator.credentials.accessKeySecret}`,
      `  RIFLOW_VPC_ENDPOINT=${emulator.url}`,
      `  control API: ${emulator.url}/_emulator/ (health, state, seed, reset, calls, faults, config)`,
      ...(emulator.cloudflow ? [`  CloudFlow API (2019-03-15) at the same endpoint, for the flows in ${sYamlPath}`] : []),
      ...(sYamlPath
        ? [
            `  FC invocation API (2023-03-30 and 2016-08-15 paths) for its functions (account ${accountId ?? '?'})`,
            `  RIFLOW_FLOW_ENDPOINT=${emulator.url}  RIFLOW_FC_ENDPOINT=${emulator.url}`,
          ]
        : []),
      `  policy: ${policySummary(policy, cwd)}`,
      `  seed: ${values.seed ?? 'demo'} · transitions: ${values.fast ? 'instant' : 'realistic'}${faults.length ? ` · ${faults.length} fault rule(s)` : ''}${values['state-file'] ? ` · state file ${values['state-file']}` : ''}${values['state-dir'] ? ` · journals in ${values['state-dir']}` : ''}`,
      ...(values['state-dir'] !== undefined && values['state-file'] === undefined
        ? [s.yellow('  warning: --state-dir without --state-file: resumed executions will find the seed, not the VPC state they left')]
        : []),
      s.dim('Press Ctrl-C to stop.'),
      '',
    ].join('\n'),
  );
  const signal = await untilStopSignal();
  await emulator.stop();
  terminal.out(`stopped (${signal})\n`);
  return EXIT.ok;
}
