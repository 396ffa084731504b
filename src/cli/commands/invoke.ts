/**
 * `riflow invoke`: one handler, in-process (through the local FC runtime, so it gets the same event Buffer, context,
 * environment and timeout as in a run), against the configured endpoint or an embedded emulator.
 * Prints the JSON result (exit 0) or the handler's named error, e.g. `InvalidInput: spec: …` (exit 2).
 * With --remote, the deployed function is called through FC's API instead (invoke-remote.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { realClock } from '../../flow/clock';
import { createLocalFc } from '../../local-fc/runtime';
import { parseCommandArgs, readJsonArgument } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { captureStdout } from '../function-logs';
import type { SYaml } from '../../serverless/s-yaml';
import { findServerlessYaml, readServerlessYaml } from '../project';
import { invokeRemote } from './invoke-remote';
import { loadPolicy } from '../policy';
import { localFunctionOptions, resolveTarget } from '../target';
import { styles, type Terminal } from '../terminal';

export const OPTIONS = {
  event: { type: 'string' },
  endpoint: { type: 'string' },
  remote: { type: 'boolean' },
  'account-id': { type: 'string' },
  region: { type: 'string' },
  service: { type: 'string' },
  qualifier: { type: 'string' },
  policy: { type: 'string' },
} as const;

const REMOTE_ONLY = ['account-id', 'region', 'service', 'qualifier'] as const;

export async function invokeCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandArgs('invoke', argv, OPTIONS, { min: 1, max: 1 });
  const event = values.event === undefined ? {} : readJsonArgument(values.event, '--event', terminal.cwd);
  const requested = positionals[0] as string;
  const sYamlPath = findServerlessYaml(undefined, terminal.cwd);
  if (values.remote) {
    if (values.policy !== undefined) throw new UsageError('riflow invoke: --policy applies to the local handlers, not with --remote', 'invoke');
    // Deployed functions need no s.yaml, but with one, short names (describe) resolve as they do locally.
    const name = (sYamlPath && resolveFunctionName(readServerlessYaml(sYamlPath), requested)) || requested;
    return invokeRemote(
      { functionName: name, event, endpoint: values.endpoint, accountId: values['account-id'], region: values.region, service: values.service, qualifier: values.qualifier },
      terminal,
    );
  }
  const remoteOnly = REMOTE_ONLY.find((flag) => values[flag] !== undefined);
  if (remoteOnly) throw new UsageError(`riflow invoke: --${remoteOnly} applies with --remote only`, 'invoke');
  if (!sYamlPath) throw new CliError('no s.yaml found in this folder or above', EXIT.invalid, 'Run riflow from the riflow project folder.');
  // Resolve the function before starting anything, so a typo costs nothing.
  const sYaml = readServerlessYaml(sYamlPath);
  const name = resolveFunctionName(sYaml, requested);
  if (!name) throw new CliError(`unknown function "${requested}"`, EXIT.invalid, `Functions in s.yaml: ${sYaml.functions.map((fn) => fn.functionName).join(', ')}.`);
  const code = sYaml.declaredFunction(name)?.code;
  if (code && !existsSync(join(sYamlPath, '..', code))) {
    throw new CliError(`the ${name} handler is not built (${code} is missing)`, EXIT.invalid, 'Run `npm run build` in the riflow folder.');
  }

  const policy = loadPolicy({ flag: values.policy, env: terminal.env, cwd: terminal.cwd });
  const target = await resolveTarget({ endpoint: values.endpoint, env: terminal.env, emulatorConfig: policy.emulator });
  const functionLog: string[] = [];
  const restoreStdout = captureStdout((text) => functionLog.push(text));
  try {
    const fc = createLocalFc({ sYamlPath, ...localFunctionOptions(target, terminal.env), clock: realClock, log: (line) => functionLog.push(`${line}\n`), policy: policy.localFc });
    const result = await fc.invoke(name, typeof event === 'string' ? event : JSON.stringify(event));
    if ('error' in result) {
      terminal.err(`${styles(terminal.errColor).red(result.error.errorType)}: ${result.error.errorMessage}\n`);
      return EXIT.failed;
    }
    terminal.out(`${JSON.stringify(result.body ?? null, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    const errorName = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    terminal.err(`${styles(terminal.errColor).red(errorName)}: ${message}\n`);
    return EXIT.failed;
  } finally {
    restoreStdout();
    await target.stop();
    // The function's own log line (what FC keeps in the function's log), for --debug.
    if (terminal.debug) for (const line of functionLog) terminal.err(line);
  }
}

/** `describe` → `riflow-describe` when only the prefixed name is deployed; a resource key names its function too. */
function resolveFunctionName(sYaml: SYaml, name: string): string | undefined {
  if (sYaml.declaredFunction(name)) return name;
  const prefixed = `riflow-${name}`;
  if (sYaml.declaredFunction(prefixed)) return prefixed;
  return sYaml.functions.find((fn) => fn.resource === name)?.functionName;
}
